using System.Net;
using System.Text;
using Linping.CppccBot.Channels.WeCom;
using Linping.CppccBot.Conversations;
using Linping.CppccBot.Features.Help;
using Linping.CppccBot.LocalChat.FakeWeCom;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Channels.WeCom;

/// <summary>
/// The WeCom callback of the real host end to end: signed, encrypted callbacks in, decrypted passive replies or
/// active sends (to the fake WeCom API on loopback) out.
/// </summary>
public sealed class WeComCallbackTests : IAsyncLifetime
{
    private readonly SlowHandler _slow = new();
    private readonly CapturingLoggerProvider _logs = new();
    private FakeWeComServer _wecom = null!;
    private BotHostFactory _host = null!;
    private WeComCallbackSender _sender = null!;

    public async ValueTask InitializeAsync()
    {
        _wecom = await FakeWeComServer.StartAsync(
            new FakeWeComOptions { CorpId = BotHostFactory.CorpId, Secret = BotHostFactory.Secret, AgentId = BotHostFactory.AgentId },
            TestContext.Current.CancellationToken);
        _host = new BotHostFactory().WithServices(services =>
        {
            // "最近有什么会议" goes (instead of the meetings feature) to a handler the test releases, to control how long an answer takes.
            foreach (var registration in services.Where(d => d.ImplementationType == typeof(Linping.CppccBot.Features.Meetings.MeetingsHandler)).ToList())
            {
                services.Remove(registration);
            }

            services.AddSingleton<IIntentHandler>(_slow);
            services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(_logs);
        });
        _host.Settings["WeCom:ApiBaseUrl"] = _wecom.BaseAddress.ToString();
        _host.Settings["WeCom:PassiveReplyBudget"] = "00:00:02";
        _sender = new WeComCallbackSender(_host.CreateClient(), _host.Time);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _wecom.DisposeAsync();
    }

    [Fact]
    public async Task UrlVerification_AnswersTheDecryptedEchostr_ForOfficialVectorA1()
    {
        // The vector was signed in 2014: the host's clock is set to that time, as WeCom's request would be fresh.
        await using var host = new BotHostFactory { Time = new(DateTimeOffset.FromUnixTimeSeconds(1409659589).AddSeconds(30)) };
        using var response = await host.CreateClient().GetAsync(
            new Uri("/wecom/callback?msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780" +
                "&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D", UriKind.Relative),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1616140317555161061", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task UrlVerification_WithAnOldTimestamp_IsRefused_ThoughSignedCorrectly()
    {
        using var response = await _host.CreateClient().GetAsync(
            new Uri("/wecom/callback?msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780" +
                "&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D", UriKind.Relative),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("1616140317555161061", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UrlVerification_DoesNotDecryptACapturedMessage_ForWhoeverAsks()
    {
        // A member's message as WeCom posted it (signed over its Encrypt), replayed within the window as an echostr.
        var crypto = new WeComCrypto(BotHostFactory.Token, BotHostFactory.EncodingAesKey, BotHostFactory.CorpId);
        var encrypt = crypto.Encrypt("<xml><ToUserName><![CDATA[ww]]></ToUserName><FromUserName><![CDATA[wangjianguo]]></FromUserName><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[请假 因病住院]]></Content></xml>");
        var timestamp = _host.Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = WeComCrypto.ComputeSignature(BotHostFactory.Token, timestamp, "12345", encrypt);

        using var response = await _host.CreateClient().GetAsync(
            new Uri($"/wecom/callback?msg_signature={signature}&timestamp={timestamp}&nonce=12345&echostr={Uri.EscapeDataString(encrypt)}", UriKind.Relative),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain("因病住院", body, StringComparison.Ordinal);
        Assert.DoesNotContain("wangjianguo", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UrlVerification_IsRefused_WithAForgedSignature()
    {
        using var response = await _host.CreateClient().GetAsync(
            new Uri("/wecom/callback?msg_signature=0000ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780" +
                "&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D", UriKind.Relative),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("1616140317555161061", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_IsAnsweredWithAnEncryptedPassiveReply_ToTheMember()
    {
        var answer = await _sender.SendTextAsync("wangjianguo", "帮助");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("wangjianguo", answer.Reply!.ToUserName);
        Assert.Equal(BotHostFactory.CorpId, answer.Reply.FromUserName);
        Assert.Equal("text", answer.Reply.MsgType);
        Assert.Contains("王建国", answer.ReplyText, StringComparison.Ordinal);
        Assert.Contains("社情民意", answer.ReplyText, StringComparison.Ordinal);
        Assert.Empty(_wecom.Messages);
    }

    [Fact]
    public async Task SomeoneNotOnTheRoster_GetsTheShortAnswer()
    {
        var answer = await _sender.SendTextAsync("not-a-member", "我的提案");

        Assert.Contains("只为临平区政协委员", answer.ReplyText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("enter_agent", "", "王建国您好")]
    [InlineData("click", "HELP", "社情民意")]
    [InlineData("CLICK", "HELP", "社情民意")]
    public async Task Events_AreUnderstood(string eventName, string key, string expected)
    {
        var answer = await _sender.SendEventAsync("wangjianguo", eventName, key);

        Assert.Contains(expected, answer.ReplyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TemplateCardClick_OfVectorV4Shape_IsAnsweredWithoutError()
    {
        var xml = $"<xml><ToUserName><![CDATA[{BotHostFactory.CorpId}]]></ToUserName><FromUserName><![CDATA[wangjianguo]]></FromUserName><CreateTime>{_sender.Now}</CreateTime>" +
            "<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[signup:MT-2027-01]]></EventKey>" +
            "<TaskId><![CDATA[meeting-42]]></TaskId><CardType><![CDATA[button_interaction]]></CardType><ResponseCode><![CDATA[RESPONSE_CODE_SAMPLE]]></ResponseCode><AgentID>1000002</AgentID></xml>";

        var answer = await _sender.PostPlaintextAsync(xml);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.DoesNotContain("出了点问题", answer.ReplyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OtherMessageTypes_AreAnsweredPolitely()
    {
        var xml = $"<xml><ToUserName><![CDATA[{BotHostFactory.CorpId}]]></ToUserName><FromUserName><![CDATA[wangjianguo]]></FromUserName><CreateTime>{_sender.Now}</CreateTime>" +
            $"<MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://example.invalid/a.jpg]]></PicUrl><MediaId><![CDATA[media]]></MediaId><MsgId>{WeComCallbackSender.NextMsgId()}</MsgId><AgentID>1000002</AgentID></xml>";

        var answer = await _sender.PostPlaintextAsync(xml);

        Assert.Contains("文字消息", answer.ReplyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redelivery_OfTheSameMsgId_TakesEffectOnce_AndIsAnsweredOnce()
    {
        var msgId = WeComCallbackSender.NextMsgId();

        var first = await _sender.SendTextAsync("wangjianguo", "帮助", msgId);
        var again = await _sender.SendTextAsync("wangjianguo", "帮助", msgId);

        Assert.NotNull(first.Reply);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(string.Empty, again.Body);
    }

    [Fact]
    public async Task Redelivery_FromASenderOnNoRoster_IsAnsweredOnce()
    {
        var msgId = WeComCallbackSender.NextMsgId();

        var first = await _sender.SendTextAsync("somebody-else", "你好", msgId);
        var again = await _sender.SendTextAsync("somebody-else", "你好", msgId);
        var next = await _sender.SendTextAsync("somebody-else", "你好");

        Assert.Contains("暂未查到您的委员信息", first.ReplyText, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(string.Empty, again.Body);
        Assert.Contains("暂未查到您的委员信息", next.ReplyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CopiesArrivingAtTheSameTime_AreAnsweredOnce()
    {
        var msgId = WeComCallbackSender.NextMsgId();

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _sender.SendTextAsync("wangjianguo", "帮助", msgId)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Single(answers, a => a.Reply is not null);
    }

    [Fact]
    public async Task LateAnswer_GoesOutByMessageSend_AfterAnEmptyPassiveAnswer()
    {
        var post = _sender.SendTextAsync("wangjianguo", "最近有什么会议");
        await _slow.Started.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        _host.Time.Advance(TimeSpan.FromSeconds(3));
        var answer = await post.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        _slow.Release.SetResult();
        var sent = await WaitForMessageAsync();

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(string.Empty, answer.Body);
        Assert.Equal(["wangjianguo"], sent.Recipients);
        Assert.Equal("text", sent.MsgType);
        Assert.Equal(SlowHandler.Answer, sent.Content);
    }

    [Theory]
    [InlineData(45009)]
    [InlineData(-1)]
    [InlineData(0)]
    public async Task LateAnswer_RefusedForAWhileByWeCom_IsSentAgain_AndArrivesOnce(int errCode)
    {
        // WeCom answers the first two sends of the late answer with a rate limit or "system busy", or drops the connection (0).
        _wecom.InjectFault(errCode == 0 ? FakeWeComFault.Drop : FakeWeComFault.WithErrCode(errCode), 2, FakeWeComEndpoint.MessageSend);
        var post = _sender.SendTextAsync("wangjianguo", "最近有什么会议");
        await _slow.Started.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        _host.Time.Advance(TimeSpan.FromSeconds(3));
        var answer = await post.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        _slow.Release.SetResult();

        // The tries wait on the host's clock.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (_wecom.Messages.Count == 0 && DateTime.UtcNow < deadline)
        {
            _host.Time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        _host.Time.Advance(TimeSpan.FromMinutes(1));
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Equal(string.Empty, answer.Body);
        var sent = Assert.Single(_wecom.Messages);
        Assert.Equal(["wangjianguo"], sent.Recipients);
        Assert.Equal(SlowHandler.Answer, sent.Content);
    }

    [Fact]
    public async Task AnswerTooLongForAPassiveReply_IsSentActively_InParts()
    {
        _slow.Release.SetResult();
        _slow.Text = string.Concat(Enumerable.Repeat("临平区政协委员会议安排。", 120));

        var answer = await _sender.SendTextAsync("wangjianguo", "最近有什么会议");
        var parts = await WaitForMessagesAsync(2);

        Assert.Equal(string.Empty, answer.Body);
        Assert.All(parts, p => Assert.True(Encoding.UTF8.GetByteCount(p.Content!) <= 2048));
        Assert.Equal(_slow.Text, string.Concat(parts.Select(p => p.Content)));
    }

    [Fact]
    public async Task AnswersWeComRefusesForGood_AreOneErrorLineNotOnePerMember_AndTheFirstAnswerAfterSaysSo()
    {
        _slow.Release.SetResult();
        _slow.Text = string.Concat(Enumerable.Repeat("临平区政协委员会议安排。", 120)); // too long for a passive reply
        _wecom.InjectFault(FakeWeComFault.WithErrCode(40008), 3, FakeWeComEndpoint.MessageSend);

        foreach (var user in new[] { "wangjianguo", "chenxiaoyan", "liuzhiqiang" })
        {
            Assert.Equal(string.Empty, (await _sender.SendTextAsync(user, "最近有什么会议")).Body);
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_logs.Lines.Count(l => l.Contains("/cgi-bin/message/send", StringComparison.Ordinal) || l.Contains("Active send", StringComparison.Ordinal)) < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.Empty(_wecom.Messages);
        Assert.Single(_logs.Lines, l => l.Contains("Active send of an answer failed", StringComparison.Ordinal));

        // WeCom takes answers again: the first one that goes out says how many failures had no line.
        await _sender.SendTextAsync("wangjianguo", "最近有什么会议");
        await WaitForMessagesAsync(2);
        var recovered = _logs.Lines.Where(l => l.Contains("is answering again", StringComparison.Ordinal)).ToList();
        Assert.Contains(recovered, l => l.Contains("WeCom /cgi-bin/message/send is answering again; 2 more failures", StringComparison.Ordinal) && l.Contains("Active send of an answer failed for good (Rejected)", StringComparison.Ordinal));
        Assert.All(recovered, l => Assert.Contains("[Information]", l, StringComparison.Ordinal));
        var lines = string.Join("\n", _logs.Lines);
        Assert.DoesNotContain("chenxiaoyan", lines, StringComparison.Ordinal);
        Assert.DoesNotContain("临平区政协委员会议安排", lines, StringComparison.Ordinal);
    }

    private async Task<FakeWeComMessage> WaitForMessageAsync() => (await WaitForMessagesAsync(1))[0];

    private async Task<IReadOnlyList<FakeWeComMessage>> WaitForMessagesAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_wecom.Messages.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.True(_wecom.Messages.Count >= count, $"Expected {count} active sends, got {_wecom.Messages.Count}.");
        await Task.Delay(100, TestContext.Current.CancellationToken);
        return _wecom.Messages;
    }

    private sealed class SlowHandler : IIntentHandler
    {
        public const string Answer = "近期会议如下（测试）";

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Text { get; set; } = Answer;

        public IReadOnlyCollection<string> Intents { get; } = [IntentNames.ListMeetings];

        public async Task HandleAsync(TurnContext turn, Intent intent, CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
            turn.Reply(Text);
        }
    }
}
