using System.Net;
using Linping.CppccBot.Channels.WeCom;
using Linping.CppccBot.Tests.Infrastructure;

namespace Linping.CppccBot.Tests.Channels.WeCom;

/// <summary>
/// Forged, replayed, malformed and oversized callbacks get a 4xx and change nothing: the same message sent properly
/// afterwards is still taken as new and answered.
/// </summary>
public sealed class WeComCallbackBadInputTests : IDisposable
{
    private readonly BotHostFactory _host = new();
    private readonly WeComCallbackSender _sender;

    public WeComCallbackBadInputTests() => _sender = new WeComCallbackSender(_host.CreateClient(), _host.Time);

    public void Dispose() => _host.Dispose();

    private (string Query, string Body, string MsgId) Valid(string user = "wangjianguo", string text = "帮助", string? corpId = null, long? timestamp = null)
    {
        var msgId = WeComCallbackSender.NextMsgId();
        var crypto = corpId is null ? _sender.Crypto : new WeComCrypto(BotHostFactory.Token, BotHostFactory.EncodingAesKey, corpId);
        var encrypted = crypto.Encrypt(WeComCallbackSender.TextXml(corpId ?? BotHostFactory.CorpId, user, _sender.Now, text, msgId));
        var ts = (timestamp ?? _sender.Now).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = WeComCrypto.ComputeSignature(BotHostFactory.Token, ts, "42", encrypted);
        return (WeComCallbackSender.Query(signature, ts, "42"), _sender.Envelope(encrypted), msgId);
    }

    private async Task AssertStillAnsweredAsync(string msgId)
    {
        var answer = await _sender.SendTextAsync("wangjianguo", "帮助", msgId);
        Assert.Contains("王建国", answer.ReplyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgedSignature_IsRefused_AndTheMessageIsNotConsumed()
    {
        var (query, body, msgId) = Valid();
        var forged = query.Replace("msg_signature=", "msg_signature=0", StringComparison.Ordinal)[..query.Length];

        var answer = await _sender.PostAsync(forged, body);

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        await AssertStillAnsweredAsync(msgId);
    }

    [Fact]
    public async Task SignatureOverADifferentBody_IsRefused()
    {
        var (query, _, _) = Valid();
        var (_, otherBody, _) = Valid(text: "我的提案");

        Assert.Equal(HttpStatusCode.Forbidden, (await _sender.PostAsync(query, otherBody)).Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?timestamp=1&nonce=2")]
    [InlineData("?msg_signature=abc&nonce=2")]
    [InlineData("?msg_signature=abc&timestamp=1")]
    public async Task MissingParameters_AreRefused(string query)
    {
        var (_, body, _) = Valid();

        Assert.Equal(HttpStatusCode.BadRequest, (await _sender.PostAsync(query, body)).Status);
    }

    [Fact]
    public async Task WrongCorpId_IsRefused_AndChangesNothing()
    {
        var (query, body, msgId) = Valid(corpId: "ww0123456789abcdef");

        var answer = await _sender.PostAsync(query, body);

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        await AssertStillAnsweredAsync(msgId);
    }

    [Theory]
    [InlineData(-3600)]
    [InlineData(3600)]
    public async Task StaleOrFutureTimestamp_IsRefusedAsAReplay(int offsetSeconds)
    {
        var (query, body, msgId) = Valid(timestamp: _sender.Now + offsetSeconds);

        Assert.Equal(HttpStatusCode.Forbidden, (await _sender.PostAsync(query, body)).Status);
        await AssertStillAnsweredAsync(msgId);
    }

    [Theory]
    [InlineData("not xml at all")]
    [InlineData("<xml><Encrypt><![CDATA[abc]]></Encrypt>")]
    [InlineData("<xml><ToUserName>x</ToUserName></xml>")]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><xml><Encrypt>&x;</Encrypt></xml>")]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><xml><Encrypt>&b;</Encrypt></xml>")]
    [InlineData("")]
    public async Task MalformedBodies_AreRefusedWith400(string body)
    {
        var (query, _, _) = Valid();

        Assert.Equal(HttpStatusCode.BadRequest, (await _sender.PostAsync(query, body)).Status);
    }

    [Theory]
    [InlineData("AAAA")]
    [InlineData("not*base64!")]
    [InlineData("QUJDREVGR0hJSktMTU5PUA==")]
    public async Task CorruptCiphertext_WithAValidSignature_IsRefusedWith400(string encrypted)
    {
        var ts = _sender.Now.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = WeComCrypto.ComputeSignature(BotHostFactory.Token, ts, "7", encrypted);

        var answer = await _sender.PostAsync(WeComCallbackSender.Query(signature, ts, "7"), _sender.Envelope(encrypted));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
    }

    [Fact]
    public async Task TruncatedCiphertext_IsRefusedWith400()
    {
        var encrypted = _sender.Crypto.Encrypt(WeComCallbackSender.TextXml(BotHostFactory.CorpId, "wangjianguo", _sender.Now, "帮助", "1"));
        var truncated = encrypted[..^24];
        var ts = _sender.Now.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = WeComCrypto.ComputeSignature(BotHostFactory.Token, ts, "7", truncated);

        var answer = await _sender.PostAsync(WeComCallbackSender.Query(signature, ts, "7"), _sender.Envelope(truncated));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
    }

    [Fact]
    public async Task OversizedBody_IsRefusedWith413()
    {
        var (query, _, _) = Valid();
        var huge = "<xml><Encrypt><![CDATA[" + new string('A', 100_000) + "]]></Encrypt></xml>";

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await _sender.PostAsync(query, huge)).Status);
    }

    [Fact]
    public async Task OversizedBody_WithoutLength_IsRefusedWith413()
    {
        var (query, _, _) = Valid();
        var huge = "<xml><Encrypt><![CDATA[" + new string('A', 100_000) + "]]></Encrypt></xml>";

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await _sender.PostAsync(query, huge, withoutLength: true)).Status);
    }

    [Fact]
    public async Task ABodyWithoutLength_ManyTimesTheFirstReadBuffer_IsReadWhole()
    {
        var (query, body, _) = Valid();
        var padded = body.Replace("<Encrypt>", new string(' ', 40_000) + "<Encrypt>", StringComparison.Ordinal);

        var answer = await _sender.PostAsync(query, padded, withoutLength: true);

        Assert.Contains("王建国", answer.ReplyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecryptedMessage_WithoutSender_IsRefused()
    {
        var plaintext = $"<xml><ToUserName><![CDATA[{BotHostFactory.CorpId}]]></ToUserName><CreateTime>{_sender.Now}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[帮助]]></Content></xml>";

        Assert.Equal(HttpStatusCode.BadRequest, (await _sender.PostPlaintextAsync(plaintext)).Status);
    }

    [Fact]
    public async Task Refusals_NeverEchoSecretsOrStackTraces()
    {
        var (query, _, _) = Valid();

        var answer = await _sender.PostAsync(query, "<xml><Encrypt>!!!</Encrypt></xml>");

        Assert.DoesNotContain("Exception", answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(BotHostFactory.Token, answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(BotHostFactory.EncodingAesKey, answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TextWithCdataTerminatorAndControlCharacters_IsHandled()
    {
        var answer = await _sender.SendTextAsync("wangjianguo", "帮助]]><x/>\u0001");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.NotNull(answer.Reply);
    }
}
