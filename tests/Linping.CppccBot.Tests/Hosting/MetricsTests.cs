using Linping.CppccBot.Features.Reminders;
using Linping.CppccBot.LocalChat.FakeDingTalk;
using Linping.CppccBot.LocalChat.FakeWeCom;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Channels.DingTalk;
using Linping.CppccBot.Tests.Features.Reminders;
using Linping.CppccBot.Tests.Infrastructure;

namespace Linping.CppccBot.Tests.Hosting;

/// <summary>
/// The bot's meter counts what really happened: N messages in give N on the counter with their channel and intent,
/// every API call and failure is counted with its API and error class, and reminder runs add up. No tag names a person.
/// </summary>
public sealed class MetricsTests
{
    private const string Messages = "cppccbot.messages.received";
    private const string Latency = "cppccbot.reply.duration";
    private const string Calls = "cppccbot.api.calls";
    private const string Failures = "cppccbot.api.failures";

    [Fact]
    public async Task WeComMessages_AreCountedPerChannelAndIntent_WithALatencyEach()
    {
        using var host = new BotHostFactory();
        var sender = new WeComCallbackSender(host.CreateClient(), host.Time);
        using var metrics = new BotMetricCollector(host.Services);

        for (var i = 0; i < 3; i++)
        {
            Assert.Contains("我可以帮您", (await sender.SendTextAsync("wangjianguo", "帮助")).ReplyText, StringComparison.Ordinal);
        }

        Assert.Contains("一届", (await sender.SendTextAsync("xuhaitao", "我的提案")).ReplyText, StringComparison.Ordinal);
        Assert.Contains("暂未查到您的委员信息", (await sender.SendTextAsync("somebody-else", "你好 13800001111")).ReplyText, StringComparison.Ordinal);
        var msgId = WeComCallbackSender.NextMsgId();
        Assert.NotNull((await sender.SendTextAsync("wangjianguo", "帮助", msgId)).Reply);
        Assert.Equal(string.Empty, (await sender.SendTextAsync("wangjianguo", "帮助", msgId)).Body); // WeCom's retry

        Assert.Equal(4, metrics.Sum(Messages, ("channel", "wecom"), ("intent", "Help")));
        Assert.Equal(1, metrics.Sum(Messages, ("channel", "wecom"), ("intent", "MyProposals")));
        Assert.Equal(1, metrics.Sum(Messages, ("channel", "wecom"), ("intent", "NotOnRoster")));
        Assert.Equal(1, metrics.Sum(Messages, ("channel", "wecom"), ("intent", "Duplicate")));
        Assert.Equal(7, metrics.Sum(Messages));
        Assert.Equal(7, metrics.Count(Latency, ("channel", "wecom")));
        AssertNoPersonalData(metrics, "wangjianguo", "xuhaitao", "somebody-else", "13800001111", "帮助", "提案");
    }

    [Fact]
    public async Task DingTalkMessages_AndTheirReplies_AreCounted_IncludingAFailedWebhookAndItsFallback()
    {
        await using var dingTalk = await DingTalkHost.StartAsync("Http");
        using var metrics = new BotMetricCollector(dingTalk.Host.Services);

        await dingTalk.SayAsync("dt-wangjianguo", "帮助");
        await dingTalk.SayAsync("dt-wangjianguo", "帮助");
        await dingTalk.SayAsync("dt-stranger", "你好");
        await metrics.WaitForSumAsync(3, Calls, ("api", "/robot/sendBySession"));

        dingTalk.Fake.InjectFault(FakeDingTalkEndpoint.SessionWebhook, new FakeDingTalkFault(200, "300001", "session invalid"));
        await dingTalk.SayAsync("dt-wangjianguo", "我的提案");
        await metrics.WaitForSumAsync(1, Calls, ("api", "/v1.0/robot/oToMessages/batchSend"));

        Assert.Equal(2, metrics.Sum(Messages, ("channel", "dingtalk"), ("intent", "Help")));
        Assert.Equal(1, metrics.Sum(Messages, ("channel", "dingtalk"), ("intent", "NotOnRoster")));
        Assert.Equal(1, metrics.Sum(Messages, ("channel", "dingtalk"), ("intent", "MyProposals")));
        Assert.Equal(4, metrics.Count(Latency, ("channel", "dingtalk")));
        Assert.Equal(3, metrics.Sum(Calls, ("channel", "dingtalk"), ("api", "/robot/sendBySession"), ("outcome", "ok")));
        Assert.Equal(1, metrics.Sum(Failures, ("channel", "dingtalk"), ("api", "/robot/sendBySession"), ("error_class", "errcode")));
        Assert.Equal(1, metrics.Sum(Calls, ("api", "/v1.0/oauth2/accessToken"), ("outcome", "ok")));
        Assert.Equal(1, metrics.Sum(Calls, ("api", "/v1.0/robot/oToMessages/batchSend"), ("outcome", "ok")));
        Assert.Equal(1, metrics.Sum(Failures));
        AssertNoPersonalData(metrics, "dt-wangjianguo", "dt-stranger", "session=", DingTalkHost.ClientSecret, "帮助");
    }

    [Fact]
    public async Task ReminderRuns_CountDueSentFailedAndInvalid_AndWeComCallsByErrorClass()
    {
        using var host = new BotHostFactory();
        await using var wecom = await ReminderHarness.StartWeComAsync(host, knownUsers: ["wangjianguo"]);
        host.Settings["WeCom:ApiBaseUrl"] = wecom.BaseAddress.ToString();
        using var metrics = new BotMetricCollector(host.Services);
        var start = host.Time.GetUtcNow().AddDays(3);
        await host.AddMeetingAsync("MT-METRICS", start, ParticipationMode.OpenSignup, ["M001", "M002"]);
        wecom.InjectFault(FakeWeComFault.SystemBusy, 1, FakeWeComEndpoint.MessageSend);

        host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        var first = await host.RunRemindersAsync();
        host.Time.Advance(TimeSpan.FromMinutes(1));
        var second = await host.RunRemindersAsync();

        // Two members and the group are due; WeCom is busy for the members once; on the retry one member is unknown to WeCom.
        Assert.Equal((3, 1, 2), (first.Claimed, first.Sent, first.Failed));
        Assert.Equal((2, 1, 1), (second.Claimed, second.Sent, second.Invalid));
        Assert.Equal(5, metrics.Sum("cppccbot.reminders.due", ("source", "meeting")));
        Assert.Equal(2, metrics.Sum("cppccbot.reminders.sent", ("source", "meeting")));
        Assert.Equal(2, metrics.Sum("cppccbot.reminders.failed", ("source", "meeting")));
        Assert.Equal(1, metrics.Sum("cppccbot.reminders.invalid", ("source", "meeting")));
        Assert.Equal(1, metrics.Sum(Calls, ("channel", "wecom"), ("api", "/cgi-bin/gettoken"), ("outcome", "ok")));
        Assert.Equal(1, metrics.Sum(Failures, ("channel", "wecom"), ("api", "/cgi-bin/message/send"), ("error_class", "system_busy")));
        Assert.Equal(2, metrics.Sum(Calls, ("channel", "wecom"), ("api", "/cgi-bin/message/send")));
        Assert.Equal(1, metrics.Sum(Calls, ("channel", "wecom"), ("api", "/cgi-bin/webhook/send"), ("outcome", "ok")));
        AssertNoPersonalData(metrics, "wangjianguo", "chenxiaoyan", ReminderHarness.GroupKey, "access_token", BotHostFactory.Secret);
    }

    private static void AssertNoPersonalData(BotMetricCollector metrics, params string[] secrets)
    {
        Assert.NotEmpty(metrics.Measurements);
        foreach (var measurement in metrics.Measurements)
        {
            foreach (var (key, value) in measurement.Tags)
            {
                Assert.DoesNotContain(secrets, s => value.Contains(s, StringComparison.Ordinal) || key.Contains(s, StringComparison.Ordinal));
            }
        }
    }
}
