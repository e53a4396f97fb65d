using System.Text;
using Linping.CppccBot.Channels.WeCom;
using Linping.CppccBot.Tests.Infrastructure;
using static Linping.CppccBot.Tests.BadInput.WeComForge;

namespace Linping.CppccBot.Tests.BadInput;

/// <summary>One forged or broken WeCom request: its method, query and body at a given time (unix seconds).</summary>
public sealed record WeComBadRequest(string Method, Func<long, (string Query, string Body)> Build, string ContentType = "text/xml");

/// <summary>
/// The WeCom half of the bad-input corpus: URL verifications and callbacks with forged, missing or stale signatures and
/// timestamps, wrong receiveids, broken ciphertexts (truncated, bad base64, bad padding, lying length prefix, wrong key),
/// hostile XML (DTDs, external entities, entity expansion, deep nesting), huge and non-XML bodies, and decrypted messages
/// that lack what a message needs. Every one must be refused with a 4xx and change nothing.
/// </summary>
public static class WeComEnvelopeCorpus
{
    private const string User = "wangjianguo";

    public static IReadOnlyDictionary<string, WeComBadRequest> Cases { get; } = Build();

    public static IEnumerable<string> Names => Cases.Keys;

    private static Dictionary<string, WeComBadRequest> Build()
    {
        var cases = new Dictionary<string, WeComBadRequest>(StringComparer.Ordinal);

        void Post(string name, Func<long, (string Query, string Body)> build, string contentType = "text/xml") =>
            cases.Add("post/" + name, new WeComBadRequest("POST", build, contentType));

        void Get(string name, Func<long, (string Query, string Body)> build) =>
            cases.Add("get/" + name, new WeComBadRequest("GET", build));

        // A valid message's Encrypt, signed over (timestamp, nonce) unless the case changes one of them.
        static string Valid(long now, string text = "帮助") => Crypto().Encrypt(TextXml(User, now, text));

        static (string, string) Signed(long now, string encrypt, string? timestamp = null, string nonce = Nonce, string? body = null)
        {
            var ts = timestamp ?? Timestamp(now);
            return (Query(Sign(ts, nonce, encrypt), ts, nonce), body ?? Envelope(encrypt));
        }

        // --- POST: signature -------------------------------------------------------------------------------------------
        Post("signature/missing", now => { var e = Valid(now); return (Query(null, Timestamp(now), Nonce), Envelope(e)); });
        Post("signature/empty", now => { var e = Valid(now); return (Query(string.Empty, Timestamp(now), Nonce), Envelope(e)); });
        foreach (var index in new[] { 0, 1, 20, 39 })
        {
            Post($"signature/flipped-digit-{index}", now => { var e = Valid(now); return (Query(Flip(Sign(Timestamp(now), Nonce, e), index), Timestamp(now), Nonce), Envelope(e)); });
        }

        Post("signature/truncated", now => { var e = Valid(now); return (Query(Sign(Timestamp(now), Nonce, e)[..39], Timestamp(now), Nonce), Envelope(e)); });
        Post("signature/extended", now => { var e = Valid(now); return (Query(Sign(Timestamp(now), Nonce, e) + "0", Timestamp(now), Nonce), Envelope(e)); });
        Post("signature/padded-with-spaces", now => { var e = Valid(now); return (Query(" " + Sign(Timestamp(now), Nonce, e) + " ", Timestamp(now), Nonce), Envelope(e)); });
        Post("signature/other-token", now => { var e = Valid(now); return (Query(Sign(Timestamp(now), Nonce, e, token: "AnotherToken"), Timestamp(now), Nonce), Envelope(e)); });
        Post("signature/over-other-nonce", now => { var e = Valid(now); return (Query(Sign(Timestamp(now), "999", e), Timestamp(now), Nonce), Envelope(e)); });
        Post("signature/over-other-timestamp", now => { var e = Valid(now); return (Query(Sign(Timestamp(now - 1), Nonce, e), Timestamp(now), Nonce), Envelope(e)); });
        Post("signature/over-other-body", now => { var e = Valid(now); var other = Valid(now, "我的提案"); return (Query(Sign(Timestamp(now), Nonce, other), Timestamp(now), Nonce), Envelope(e)); });
        Post("signature/sha1-of-nothing", now => (Query("da39a3ee5e6b4b0d3255bfef95601890afd80709", Timestamp(now), Nonce), Envelope(Valid(now))));
        Post("signature/sql", now => (Query("' OR 1=1 --", Timestamp(now), Nonce), Envelope(Valid(now))));
        Post("signature/non-ascii", now => (Query("签名签名签名", Timestamp(now), Nonce), Envelope(Valid(now))));
        Post("signature/huge", now => (Query(new string('a', 4000), Timestamp(now), Nonce), Envelope(Valid(now))));
        Post("signature/twice", now =>
        {
            var e = Valid(now);
            var query = Query(Sign(Timestamp(now), Nonce, e), Timestamp(now), Nonce) + "&msg_signature=" + new string('0', 40);
            return (query, Envelope(e));
        });

        // --- POST: timestamp (signed over the odd value, so only the time check can refuse it) ---------------------------
        foreach (var (name, offset) in new[] { ("stale-11min", -660L), ("stale-1h", -3600L), ("stale-1day", -86_400L), ("future-11min", 660L), ("future-1day", 86_400L) })
        {
            Post($"timestamp/{name}", now => Signed(now, Valid(now), Timestamp(now + offset)));
        }

        foreach (var (name, value) in new[]
        {
            ("zero", "0"), ("negative", "-5"), ("non-numeric", "abc"), ("float", "1.7645e9"), ("overflow", "99999999999999999999"),
            ("max-long", long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("leading-plus", "+1764205200"),
            ("with-space", "1764205200 "), ("fullwidth-digits", "１７６４２０５２００"), ("hex", "0x69281F10"),
        })
        {
            Post($"timestamp/{name}", now => Signed(now, Valid(now), value));
        }

        Post("timestamp/milliseconds", now => Signed(now, Valid(now), Timestamp(now * 1000)));
        Post("timestamp/missing", now => { var e = Valid(now); return (Query(Sign(string.Empty, Nonce, e), null, Nonce), Envelope(e)); });
        Post("timestamp/empty", now => Signed(now, Valid(now), string.Empty));
        Post("nonce/missing", now => { var e = Valid(now); return (Query(Sign(Timestamp(now), string.Empty, e), Timestamp(now), null), Envelope(e)); });
        Post("nonce/empty", now => Signed(now, Valid(now), nonce: string.Empty));
        Post("query/none", now => (string.Empty, Envelope(Valid(now))));

        // --- POST: receiveid (the corp id inside the ciphertext) --------------------------------------------------------
        foreach (var (name, corpId) in new[]
        {
            ("other-corp", "ww0123456789abcdef"), ("empty", string.Empty), ("prefix", BotHostFactory.CorpId[..10]),
            ("suffix-added", BotHostFactory.CorpId + "x"), ("upper-case", BotHostFactory.CorpId.ToUpperInvariant()), ("with-nul", BotHostFactory.CorpId + "\0"),
        })
        {
            Post($"receiveid/{name}", now => Signed(now, EncryptFrame(Encoding.UTF8.GetBytes(TextXml(User, now, "帮助")), corpId)));
        }

        // --- POST: Encrypt (signed over the broken value, so only decryption can refuse it) ------------------------------
        Post("encrypt/empty-element", now => Signed(now, string.Empty));
        Post("encrypt/whitespace", now => Signed(now, "    "));
        foreach (var cut in new[] { 1, 2, 4, 22, 24, 44 })
        {
            Post($"encrypt/truncated-by-{cut}", now => { var e = Valid(now); return Signed(now, e[..^cut]); });
        }

        Post("encrypt/half", now => { var e = Valid(now); return Signed(now, e[..(e.Length / 2)]); });
        Post("encrypt/padding-stripped", now => { var e = Crypto().Encrypt(TextXml(User, now, "帮助帮助")); return Signed(now, e.TrimEnd('=') is var t && t.Length != e.Length ? t : e[..^1]); });
        Post("encrypt/base64url", now => Signed(now, Valid(now).Replace('+', '-').Replace('/', '_') + "-_"));
        Post("encrypt/not-base64", now => Signed(now, "not*base64!!"));
        Post("encrypt/base64-with-spaces", now => { var e = Valid(now); return Signed(now, e[..10] + " \n " + e[10..]); });
        Post("encrypt/one-block", now => Signed(now, Convert.ToBase64String(new byte[16])));
        Post("encrypt/not-whole-blocks", now => Signed(now, Convert.ToBase64String(new byte[33])));
        Post("encrypt/zero-bytes", now => Signed(now, "===="));
        Post("encrypt/wrong-aes-key", now => Signed(now, new WeComCrypto(BotHostFactory.Token, OtherAesKey, BotHostFactory.CorpId).Encrypt(TextXml(User, now, "帮助"))));
        Post("encrypt/padding-zero", now => Signed(now, EncryptFrame(Encoding.UTF8.GetBytes(TextXml(User, now, "帮助")), BotHostFactory.CorpId, padding: pad => [.. Enumerable.Repeat((byte)0, pad)])));
        Post("encrypt/padding-33", now => Signed(now, EncryptFrame(Encoding.UTF8.GetBytes(TextXml(User, now, "帮助")), BotHostFactory.CorpId, padding: pad => [.. new byte[32 + pad - 1], 33])));
        Post("encrypt/padding-inconsistent", now => Signed(now, EncryptFrame(Encoding.UTF8.GetBytes(TextXml(User, now, "帮助")), BotHostFactory.CorpId, padding: pad => [.. Enumerable.Repeat((byte)7, pad + 31), (byte)32])));
        Post("encrypt/length-prefix-huge", now => Signed(now, EncryptFrame(Encoding.UTF8.GetBytes(TextXml(User, now, "帮助")), BotHostFactory.CorpId, declaredLength: 0x7FFFFFFF)));
        Post("encrypt/length-prefix-negative", now => Signed(now, EncryptFrame(Encoding.UTF8.GetBytes(TextXml(User, now, "帮助")), BotHostFactory.CorpId, declaredLength: 0x80000000)));
        Post("encrypt/length-prefix-zero", now => Signed(now, EncryptFrame(Encoding.UTF8.GetBytes(TextXml(User, now, "帮助")), BotHostFactory.CorpId, declaredLength: 0)));
        Post("encrypt/length-prefix-one-more", now => { var body = Encoding.UTF8.GetBytes(TextXml(User, now, "帮助")); return Signed(now, EncryptFrame(body, BotHostFactory.CorpId, declaredLength: (uint)body.Length + 1)); });
        Post("encrypt/length-prefix-one-less", now => { var body = Encoding.UTF8.GetBytes(TextXml(User, now, "帮助")); return Signed(now, EncryptFrame(body, BotHostFactory.CorpId, declaredLength: (uint)body.Length - 1)); });
        Post("encrypt/frame-too-short", now => Signed(now, EncryptFrame([], string.Empty, declaredLength: 5)));
        Post("encrypt/huge", now => Signed(now, Convert.ToBase64String(new byte[96 * 1024])));

        // --- POST: the outer XML ------------------------------------------------------------------------------------------
        foreach (var (name, body) in new[]
        {
            ("empty", string.Empty),
            ("not-xml", "hello"),
            ("json", "{\"encrypt\":\"abc\",\"tousername\":\"x\",\"agentid\":\"218\"}"),
            ("unclosed", "<xml><Encrypt><![CDATA[abc]]></Encrypt>"),
            ("no-encrypt", "<xml><ToUserName>x</ToUserName></xml>"),
            ("wrong-root-only-text", "<![CDATA[abc]]>"),
            ("doctype-external-entity", "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><xml><Encrypt>&x;</Encrypt></xml>"),
            ("doctype-http-entity", "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"http://127.0.0.1:9/x\">]><xml><Encrypt>&x;</Encrypt></xml>"),
            ("doctype-parameter-entity", "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY % p SYSTEM \"http://127.0.0.1:9/p.dtd\"> %p;]><xml><Encrypt>a</Encrypt></xml>"),
            ("doctype-system-dtd", "<?xml version=\"1.0\"?><!DOCTYPE xml SYSTEM \"http://127.0.0.1:9/x.dtd\"><xml><Encrypt>a</Encrypt></xml>"),
            ("billion-laughs", BillionLaughs()),
            ("quadratic-blowup", "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY a \"" + new string('a', 20_000) + "\">]><xml><Encrypt>" + string.Concat(Enumerable.Repeat("&a;", 40)) + "</Encrypt></xml>"),
            ("undeclared-entity", "<xml><Encrypt>&undeclared;</Encrypt></xml>"),
            ("xinclude", "<xml xmlns:xi=\"http://www.w3.org/2001/XInclude\"><Encrypt><xi:include href=\"file:///etc/passwd\" parse=\"text\"/></Encrypt></xml>"),
            ("deep-nesting", "<xml><Encrypt>a</Encrypt>" + Nested("a", 10_000) + "</xml>"),
            ("deep-nesting-inside-encrypt", "<xml><Encrypt>" + Nested("b", 5_000) + "</Encrypt></xml>"),
            ("many-attributes", "<xml " + string.Join(' ', Enumerable.Range(0, 3_000).Select(i => $"a{i}=\"{i}\"")) + "><Encrypt>a</Encrypt></xml>"),
            ("nul-bytes", "<xml>\0<Encrypt>\0</Encrypt></xml>"),
            ("invalid-utf8", "<xml><Encrypt>\uFFFD\uFFFD</Encrypt></xml>"),
            ("two-roots", "<xml><Encrypt>a</Encrypt></xml><xml><Encrypt>b</Encrypt></xml>"),
            ("huge-whitespace", "<xml>" + new string(' ', 200_000) + "<Encrypt>a</Encrypt></xml>"),
            ("huge-comment", "<xml><!--" + new string('c', 200_000) + "--><Encrypt>a</Encrypt></xml>"),
        })
        {
            Post($"xml/{name}", now => (Query(Sign(Timestamp(now), Nonce, "a"), Timestamp(now), Nonce), body));
        }

        Post("xml/duplicate-encrypt-signed-over-second", now =>
        {
            var first = Valid(now);
            var second = Valid(now, "我的提案");
            return (Query(Sign(Timestamp(now), Nonce, second), Timestamp(now), Nonce), $"<xml><Encrypt><![CDATA[{first}]]></Encrypt><Encrypt><![CDATA[{second}]]></Encrypt></xml>");
        });
        Post("content-type/json-with-forged-signature", now => (Query(new string('0', 40), Timestamp(now), Nonce), Envelope(Valid(now))), "application/json");
        Post("content-type/form-with-forged-signature", now => (Query(new string('0', 40), Timestamp(now), Nonce), "Encrypt=" + Uri.EscapeDataString(Valid(now))), "application/x-www-form-urlencoded");
        Post("content-type/binary-garbage", now => (Query(Sign(Timestamp(now), Nonce, "a"), Timestamp(now), Nonce), "\u0089PNG\r\n\u001a\n\0\0\0"), "application/octet-stream");

        // --- POST: the decrypted message ----------------------------------------------------------------------------------
        foreach (var (name, inner) in new Func<long, string>[]
        {
            _ => "not xml at all",
            _ => string.Empty,
            now => $"<xml><ToUserName><![CDATA[{BotHostFactory.CorpId}]]></ToUserName><CreateTime>{now}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[帮助]]></Content></xml>",
            now => $"<xml><FromUserName><![CDATA[{User}]]></FromUserName><CreateTime>{now}</CreateTime><Content><![CDATA[帮助]]></Content></xml>",
            now => $"<xml><FromUserName><![CDATA[]]></FromUserName><CreateTime>{now}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[帮助]]></Content><MsgId>1</MsgId></xml>",
            _ => $"<xml><FromUserName><![CDATA[{User}]]></FromUserName><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[帮助]]></Content><MsgId>1</MsgId></xml>",
            _ => $"<xml><FromUserName><![CDATA[{User}]]></FromUserName><CreateTime>yesterday</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[帮助]]></Content><MsgId>1</MsgId></xml>",
            now => $"<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><xml><FromUserName>{User}</FromUserName><CreateTime>{now}</CreateTime><MsgType>text</MsgType><Content>&x;</Content></xml>",
            _ => BillionLaughs(),
            now => $"<xml><FromUserName>{User}</FromUserName><CreateTime>{now}</CreateTime><MsgType>text</MsgType>{Nested("c", 5_000)}</xml>",
        }.Select((f, i) => (new[] { "not-xml", "empty", "no-sender", "no-msgtype", "empty-sender", "no-createtime", "createtime-not-a-number", "external-entity", "billion-laughs", "deep-nesting" }[i], f)))
        {
            Post($"decrypted/{name}", now => Signed(now, Crypto().Encrypt(inner(now))));
        }

        // --- GET: URL verification ----------------------------------------------------------------------------------------
        static string Echo() => Crypto().Encrypt("1616140317555161061");

        Get("signature/missing", now => (Query(null, Timestamp(now), Nonce, Echo()), string.Empty));
        Get("signature/empty", now => (Query(string.Empty, Timestamp(now), Nonce, Echo()), string.Empty));
        Get("signature/flipped", now => { var e = Echo(); return (Query(Flip(Sign(Timestamp(now), Nonce, e), 5), Timestamp(now), Nonce, e), string.Empty); });
        Get("signature/other-token", now => { var e = Echo(); return (Query(Sign(Timestamp(now), Nonce, e, "AnotherToken"), Timestamp(now), Nonce, e), string.Empty); });
        Get("signature/over-other-echostr", now => (Query(Sign(Timestamp(now), Nonce, Echo()), Timestamp(now), Nonce, Echo()), string.Empty));
        Get("signature/stale-and-forged", now => { var e = Echo(); return (Query(new string('f', 40), Timestamp(now - 86_400), Nonce, e), string.Empty); });
        Get("timestamp/stale", now => { var e = Echo(); var ts = Timestamp(now - 86_400); return (Query(Sign(ts, Nonce, e), ts, Nonce, e), string.Empty); });
        Get("echostr/a-captured-message", now => { var e = Crypto().Encrypt("<xml><Content><![CDATA[请假 因病]]></Content></xml>"); return (Query(Sign(Timestamp(now), Nonce, e), Timestamp(now), Nonce, e), string.Empty); });
        Get("echostr/too-long", now => { var e = Crypto().Encrypt(new string('7', 65)); return (Query(Sign(Timestamp(now), Nonce, e), Timestamp(now), Nonce, e), string.Empty); });
        Get("timestamp/missing", now => { var e = Echo(); return (Query(Sign(string.Empty, Nonce, e), null, Nonce, e), string.Empty); });
        Get("timestamp/non-numeric", now => { var e = Echo(); return (Query(Sign("abc", Nonce, e), "abc", Nonce, e), string.Empty); });
        Get("timestamp/negative", now => { var e = Echo(); return (Query(Sign("-1", Nonce, e), "-1", Nonce, e), string.Empty); });
        Get("nonce/missing", now => { var e = Echo(); return (Query(Sign(Timestamp(now), string.Empty, e), Timestamp(now), null, e), string.Empty); });
        Get("echostr/missing", now => (Query(Sign(Timestamp(now), Nonce, string.Empty), Timestamp(now), Nonce), string.Empty));
        Get("echostr/empty", now => (Query(Sign(Timestamp(now), Nonce, string.Empty), Timestamp(now), Nonce, string.Empty), string.Empty));
        foreach (var (name, echo) in new Func<string>[]
        {
            () => "not*base64!!",
            () => Echo()[..^4],
            () => Echo()[..^1],
            () => Convert.ToBase64String(new byte[17]),
            () => EncryptFrame(Encoding.UTF8.GetBytes("1616140317555161061"), "ww0123456789abcdef"),
            () => new WeComCrypto(BotHostFactory.Token, OtherAesKey, BotHostFactory.CorpId).Encrypt("1616140317555161061"),
            () => EncryptFrame(Encoding.UTF8.GetBytes("1616140317555161061"), BotHostFactory.CorpId, padding: pad => [.. Enumerable.Repeat((byte)0, pad)]),
            () => EncryptFrame(Encoding.UTF8.GetBytes("1616140317555161061"), BotHostFactory.CorpId, declaredLength: 0x7FFFFFFF),
            () => Convert.ToBase64String(new byte[6_000]),
        }.Select((f, i) => (new[] { "not-base64", "truncated", "padding-char-cut", "not-whole-blocks", "other-corp", "wrong-aes-key", "bad-padding", "length-prefix-huge", "long-zeros" }[i], f)))
        {
            Get($"echostr/{name}", now => { var e = echo(); return (Query(Sign(Timestamp(now), Nonce, e), Timestamp(now), Nonce, e), string.Empty); });
        }

        return cases;
    }

    private static WeComCrypto Crypto() => new(BotHostFactory.Token, BotHostFactory.EncodingAesKey, BotHostFactory.CorpId);

    private static string BillionLaughs()
    {
        var xml = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol0 \"lol\">");
        for (var i = 1; i < 10; i++)
        {
            xml.Append("<!ENTITY lol").Append(i).Append(" \"").Append(string.Concat(Enumerable.Repeat("&lol" + (i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + ";", 10))).Append("\">");
        }

        return xml.Append("]><xml><Encrypt>&lol9;</Encrypt></xml>").ToString();
    }
}
