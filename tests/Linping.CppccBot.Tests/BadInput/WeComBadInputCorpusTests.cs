using System.Net;
using System.Text;
using Linping.CppccBot.Conversations;
using Linping.CppccBot.Tests.Infrastructure;
using static Linping.CppccBot.Tests.BadInput.WeComForge;

namespace Linping.CppccBot.Tests.BadInput;

/// <summary>
/// The WeCom corpus against one real host: every forged or broken request gets a 4xx, changes no table, Redis key or
/// send, leaks nothing to the answer or the logs, and leaves the host ready.
/// </summary>
public sealed class WeComBadInputCorpusTests(HttpCorpusHost corpus) : IClassFixture<HttpCorpusHost>
{
    public static TheoryData<string> Cases => [.. WeComEnvelopeCorpus.Names];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ABadRequest_IsRefusedWith4xx_AndChangesNothing(string name)
    {
        corpus.RequireServer();
        var request = WeComEnvelopeCorpus.Cases[name];
        var (query, body) = request.Build(corpus.Host.Time.GetUtcNow().ToUnixTimeSeconds());
        var mark = corpus.Logs.Lines.Count;
        var before = await corpus.SnapshotAsync();

        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri("/wecom/callback" + query, UriKind.Relative));
        if (request.Method == "POST")
        {
            message.Content = new StringContent(body, Encoding.UTF8, request.ContentType);
        }

        using var response = await corpus.Client.SendAsync(message, TestContext.Current.CancellationToken);
        var answer = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.InRange((int)response.StatusCode, 400, 499);
        CorpusHost.AssertAnswerClean(answer);
        Assert.DoesNotContain("1616140317555161061", answer, StringComparison.Ordinal);
        (await corpus.SnapshotAsync()).AssertSame(before);
        await corpus.AssertHealthyAsync();
        corpus.AssertLogsClean(mark, "wangjianguo", "/etc/passwd");
    }

    [Fact]
    public async Task AReplayedRequest_IsAnsweredEmpty_AndTakesEffectOnce()
    {
        corpus.RequireServer();
        var now = corpus.Host.Time.GetUtcNow().ToUnixTimeSeconds();
        var encrypt = corpus.Sender.Crypto.Encrypt(TextXml("chenxiaoyan", now, "帮助"));
        var query = Query(Sign(Timestamp(now), Nonce, encrypt), Timestamp(now), Nonce);
        var first = await corpus.Sender.PostAsync(query, Envelope(encrypt));
        Assert.Contains("我可以帮您", first.ReplyText, StringComparison.Ordinal);
        var before = await corpus.SnapshotAsync();

        var replay = await corpus.Sender.PostAsync(query, Envelope(encrypt));

        Assert.Equal((HttpStatusCode.OK, string.Empty), (replay.Status, replay.Body));
        (await corpus.SnapshotAsync()).AssertSame(before);
        await corpus.AssertHealthyAsync();
    }

    [Fact]
    public async Task AReplayedMsgId_UnderAFreshSignature_IsAnsweredEmpty_AndTakesEffectOnce()
    {
        corpus.RequireServer();
        var msgId = WeComCallbackSender.NextMsgId();
        Assert.Contains("我可以帮您", (await corpus.Sender.SendTextAsync("liuzhiqiang", "帮助", msgId)).ReplyText, StringComparison.Ordinal);
        var before = await corpus.SnapshotAsync();
        corpus.Host.Time.Advance(TimeSpan.FromSeconds(5));

        var replay = await corpus.Sender.SendTextAsync("liuzhiqiang", "我要报名请你来协商", msgId);

        Assert.Equal((HttpStatusCode.OK, string.Empty), (replay.Status, replay.Body));
        (await corpus.SnapshotAsync()).AssertSame(before);
    }

    /// <summary>Valid envelopes carrying what the bot cannot use: a polite answer, nothing stored.</summary>
    [Theory]
    [InlineData("unknown-msgtype", "<xml><ToUserName><![CDATA[{corp}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName><CreateTime>{now}</CreateTime><MsgType><![CDATA[hologram]]></MsgType><MsgId>{id}</MsgId><AgentID>1000002</AgentID></xml>", "只能看懂文字")]
    [InlineData("image", "<xml><ToUserName><![CDATA[{corp}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName><CreateTime>{now}</CreateTime><MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://127.0.0.1:9/x.png]]></PicUrl><MediaId><![CDATA[m]]></MediaId><MsgId>{id}</MsgId><AgentID>1000002</AgentID></xml>", "只能看懂文字")]
    [InlineData("text-without-content", "<xml><ToUserName><![CDATA[{corp}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName><CreateTime>{now}</CreateTime><MsgType><![CDATA[text]]></MsgType><MsgId>{id}</MsgId><AgentID>1000002</AgentID></xml>", null)]
    [InlineData("sender-sql", "<xml><ToUserName><![CDATA[{corp}]]></ToUserName><FromUserName><![CDATA[x' OR '1'='1]]></FromUserName><CreateTime>{now}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[帮助]]></Content><MsgId>{id}</MsgId><AgentID>1000002</AgentID></xml>", "暂未查到您的委员信息")]
    [InlineData("sender-markup", "<xml><ToUserName><![CDATA[{corp}]]></ToUserName><FromUserName><![CDATA[<script>alert(1)</script>]]></FromUserName><CreateTime>{now}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[帮助]]></Content><MsgId>{id}</MsgId><AgentID>1000002</AgentID></xml>", "暂未查到您的委员信息")]
    [InlineData("sender-huge", "<xml><ToUserName><![CDATA[{corp}]]></ToUserName><FromUserName><![CDATA[{huge}]]></FromUserName><CreateTime>{now}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[帮助]]></Content><MsgId>{id}</MsgId><AgentID>1000002</AgentID></xml>", "暂未查到您的委员信息")]
    [InlineData("msgid-sql", "<xml><ToUserName><![CDATA[{corp}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName><CreateTime>{now}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[帮助]]></Content><MsgId>'; DROP TABLE Members; --{id}</MsgId><AgentID>1000002</AgentID></xml>", "我可以帮您")]
    [InlineData("unknown-event", "<xml><ToUserName><![CDATA[{corp}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName><CreateTime>{now}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[teleport]]></Event><EventKey><![CDATA[x]]></EventKey><AgentID>1000002</AgentID></xml>", "")]
    [InlineData("menu-click-unknown-key", "<xml><ToUserName><![CDATA[{corp}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName><CreateTime>{now}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[click]]></Event><EventKey><![CDATA[' OR 1=1 --]]></EventKey><AgentID>1000002</AgentID></xml>", null)]
    public async Task AValidEnvelope_WithOddContent_GetsAPoliteAnswer_AndStoresNothing(string name, string template, string? expected)
    {
        corpus.RequireServer();
        Assert.False(string.IsNullOrEmpty(name));
        var now = corpus.Host.Time.GetUtcNow().ToUnixTimeSeconds();
        var xml = template.Replace("{corp}", BotHostFactory.CorpId, StringComparison.Ordinal).Replace("{user}", "zhouwei", StringComparison.Ordinal)
            .Replace("{now}", now.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{id}", WeComCallbackSender.NextMsgId(), StringComparison.Ordinal).Replace("{huge}", new string('u', 20_000), StringComparison.Ordinal);
        var before = await corpus.SnapshotAsync();
        var mark = corpus.Logs.Lines.Count;

        var answer = await corpus.Sender.PostPlaintextAsync(xml);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        CorpusHost.AssertAnswerClean(answer.Body);
        if (expected == string.Empty)
        {
            Assert.Null(answer.Reply);
        }
        else
        {
            var reply = answer.ReplyText;
            AssertPolite(reply);
            Assert.Contains(expected ?? string.Empty, reply, StringComparison.Ordinal);
        }

        Assert.Equal(before.Tables, (await corpus.SnapshotAsync()).Tables);
        await corpus.AssertHealthyAsync();
        corpus.AssertLogsClean(mark, "zhouwei", "DROP TABLE", "<script>");
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/octet-stream")]
    [InlineData("text/plain; charset=gbk")]
    public async Task AValidEnvelope_UnderAnOddContentType_IsStillOnlyReadAsWeComXml(string contentType)
    {
        corpus.RequireServer();
        var now = corpus.Host.Time.GetUtcNow().ToUnixTimeSeconds();
        var encrypt = corpus.Sender.Crypto.Encrypt(TextXml("zhouwei", now, "帮助"));
        using var content = new StringContent(Envelope(encrypt), Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        using var response = await corpus.Client.PostAsync(new Uri("/wecom/callback" + Query(Sign(Timestamp(now), Nonce, encrypt), Timestamp(now), Nonce), UriKind.Relative), content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = Linping.CppccBot.Channels.WeCom.WeComXml.ParseEnvelope(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains("我可以帮您", corpus.Sender.Crypto.Decrypt(reply.Encrypt), StringComparison.Ordinal);
    }

    internal static void AssertPolite(string reply)
    {
        Assert.False(string.IsNullOrWhiteSpace(reply));
        Assert.Contains(reply, c => c is >= '\u4e00' and <= '\u9fff');
        Assert.NotEqual(BotTexts.SomethingWentWrong, reply);
        Assert.NotEqual(BotTexts.Unavailable, reply);
        CorpusHost.AssertAnswerClean(reply);

        // Nothing invisible that turns text around or hides in it comes back (bidi overrides, BOMs, control characters).
        Assert.DoesNotContain(reply, c => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\uFEFF' or '\u200B'
            || (char.IsControl(c) && c != '\n'));
    }
}
