using Linping.CppccBot.Channels.DingTalk;
using Linping.CppccBot.LocalChat.FakeDingTalk;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Channels.DingTalk;

/// <summary>Group messages through a custom group robot webhook: signed per request, at most 20 a minute.</summary>
public sealed class DingTalkCustomRobotTests : IAsyncLifetime
{
    private const string SignedToken = "custom-robot-token-signed";
    private const string Secret = "SECtest0123456789abcdef";
    private const string KeywordToken = "custom-robot-token-keyword";
    private DingTalkHost _dingTalk = null!;

    private DingTalkApiClient Client => _dingTalk.Host.Services.GetRequiredService<DingTalkApiClient>();

    public async ValueTask InitializeAsync() => _dingTalk = await DingTalkHost.StartAsync(
        "Http",
        customRobots: new Dictionary<string, string?> { [SignedToken] = Secret, [KeywordToken] = null });

    public async ValueTask DisposeAsync() => await _dingTalk.DisposeAsync();

    [Fact]
    public async Task ASignedRobot_AcceptsTheMessage_SignedAtSendTime()
    {
        var ct = TestContext.Current.CancellationToken;
        await Client.SendCustomRobotAsync(SignedToken, Secret, DingTalkContent.Markdown("会议提醒", "### 明天 9:00 常委会"), ct);
        _dingTalk.Host.Time.Advance(TimeSpan.FromHours(3)); // a signature made at start would be stale by now
        await Client.SendCustomRobotAsync(SignedToken, Secret, DingTalkContent.Plain("会议提醒：明天 9:00 常委会"), ct);
        await Client.SendCustomRobotAsync(KeywordToken, null, DingTalkContent.Plain("会议提醒"), ct);

        var sent = _dingTalk.Fake.Messages;
        Assert.Equal(3, sent.Count);
        Assert.All(sent, m => Assert.Equal(FakeDingTalkEndpoint.CustomRobot, m.Endpoint));
        Assert.Equal("会议提醒", sent[0].Title);
    }

    [Fact]
    public async Task AWrongSecret_IsReportedWithErrcode310000()
    {
        var error = await Assert.ThrowsAsync<DingTalkApiException>(() =>
            Client.SendCustomRobotAsync(SignedToken, "SECwrong", DingTalkContent.Plain("提醒"), TestContext.Current.CancellationToken));

        Assert.Equal("310000", error.Code);
        Assert.False(error.IsRetryable);
        Assert.Empty(_dingTalk.Fake.Messages);
    }

    [Fact]
    public async Task The21stMessageOfAMinute_IsHeldBack_SoDingTalkNeverBlocksTheRobot()
    {
        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < DingTalkCustomRobotLimiter.MessagesPerMinute; i++)
        {
            await Client.SendCustomRobotAsync(SignedToken, Secret, DingTalkContent.Plain($"提醒 {i}"), ct);
        }

        for (var i = 0; i < 3; i++)
        {
            var error = await Assert.ThrowsAsync<DingTalkApiException>(() => Client.SendCustomRobotAsync(SignedToken, Secret, DingTalkContent.Plain("第 21 条"), ct));
            Assert.Equal("LocalRateLimit", error.Code);
            Assert.True(error.IsRetryable);
        }

        Assert.Equal(20, _dingTalk.Fake.Messages.Count);
        Assert.Single(_dingTalk.Logs.Lines, l => l.Contains("robot/send answered errcode LocalRateLimit", StringComparison.Ordinal)); // not one per group message held back

        _dingTalk.Host.Time.Advance(TimeSpan.FromMinutes(1));
        await Client.SendCustomRobotAsync(SignedToken, Secret, DingTalkContent.Plain("第 21 条"), ct);
        Assert.Equal(21, _dingTalk.Fake.Messages.Count);
    }
}
