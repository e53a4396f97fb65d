using System.Text;
using Linping.CppccBot.Channels.DingTalk;
using Linping.CppccBot.LocalChat.FakeDingTalk;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Channels.DingTalk;

/// <summary>The robot OpenAPI client as the host registers it, against the fake DingTalk.</summary>
public sealed class DingTalkApiClientTests : IAsyncLifetime
{
    private static readonly string[] Known = [.. Enumerable.Range(1, 45).Select(i => $"dt-user{i:D2}")];
    private DingTalkHost _dingTalk = null!;

    private IDingTalkMessenger Messenger => _dingTalk.Host.Services.GetRequiredService<IDingTalkMessenger>();

    public async ValueTask InitializeAsync() => _dingTalk = await DingTalkHost.StartAsync("Http", knownStaffIds: Known);

    public async ValueTask DisposeAsync() => await _dingTalk.DisposeAsync();

    [Fact]
    public async Task BatchSend_GoesInCallsOfAtMost20_AndReportsInvalidFlowControlledAndFilteredUsers()
    {
        _dingTalk.Fake.ThrottleStaff("dt-user07");
        _dingTalk.Fake.FilterStaff("dt-user30");
        var users = Known.Append("dt-nobody").ToList();

        var result = await Messenger.SendToUsersAsync(users, DingTalkContent.Plain("明天上午九点开会"), TestContext.Current.CancellationToken);

        var calls = _dingTalk.Fake.Messages;
        Assert.Equal(3, calls.Count);
        Assert.All(calls, c => Assert.True(c.StaffIds.Count <= 20));
        Assert.Equal(43, calls.Sum(c => c.StaffIds.Count));
        Assert.Equal(["dt-nobody"], result.InvalidStaffIds);
        Assert.Equal(["dt-user07"], result.FlowControlledStaffIds);
        Assert.Equal(["dt-user30"], result.FilteredStaffIds);
        Assert.False(result.AllDelivered);
    }

    [Fact]
    public async Task ALaterCallThatFails_SaysWhatTheEarlierCallsReached_AndWhoWasInFlight()
    {
        _dingTalk.Fake.FilterStaff("dt-user03");
        _dingTalk.Fake.InjectFault(FakeDingTalkEndpoint.BatchSend, FakeDingTalkFault.ServerError, afterCalls: 1);

        var error = await Assert.ThrowsAsync<DingTalkApiException>(() => Messenger.SendToUsersAsync(Known, DingTalkContent.Plain("明天上午九点开会"), TestContext.Current.CancellationToken));

        var delivered = Assert.Single(_dingTalk.Fake.Messages).StaffIds;
        Assert.Equal(Known[..20].Where(u => u != "dt-user03"), delivered);
        var partial = error.PartialResult!;
        Assert.Equal(Known[..20], partial.StaffIds);
        Assert.Equal(["dt-user03"], partial.FilteredStaffIds);
        Assert.Equal(Known[20..40], error.StaffIdsInFlight);
        Assert.Equal((500, 0), (error.HttpStatus, error.PartsSent));
    }

    [Fact]
    public async Task AUserLeftOutMidText_IsReportedWithTheirParts_WhenALaterPartFails()
    {
        var text = string.Concat(Enumerable.Range(1, 600).Select(i => $"第{i}行：临平区政协委员履职\n"));
        _dingTalk.Fake.MessageAccepted += (_, _) => _dingTalk.Fake.ThrottleStaff("dt-user02");
        _dingTalk.Fake.InjectFault(FakeDingTalkEndpoint.BatchSend, FakeDingTalkFault.ServerError, afterCalls: 2);

        var error = await Assert.ThrowsAsync<DingTalkApiException>(() => Messenger.SendToUsersAsync(["dt-user01", "dt-user02"], DingTalkContent.Plain(text), TestContext.Current.CancellationToken));

        Assert.Equal(["dt-user02"], error.PartialResult!.StaffIds);
        Assert.Equal(["dt-user02"], error.PartialResult.FlowControlledStaffIds);
        Assert.Equal(1, error.PartialResult.PartsSent!["dt-user02"]);
        Assert.Equal(["dt-user01"], error.StaffIdsInFlight);
        Assert.Equal(2, error.PartsSent);
    }

    [Fact]
    public async Task AMemberDingTalkKeepsFlowControlling_IsOneLineNotOnePerSend_AndTheFirstSendThatReachesAllSaysSo()
    {
        var ct = TestContext.Current.CancellationToken;
        _dingTalk.Fake.ThrottleStaff("dt-user07");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(["dt-user07"], (await Messenger.SendToUsersAsync(["dt-user07"], DingTalkContent.Plain("您的请假已批准"), ct)).FlowControlledStaffIds);
        }

        Assert.Single(_dingTalk.Logs.Lines, l => l.Contains("flow-controlled and", StringComparison.Ordinal));

        _dingTalk.Fake.ClearThrottling();
        Assert.True((await Messenger.SendToUsersAsync(["dt-user07"], DingTalkContent.Plain("您的请假已批准"), ct)).AllDelivered);
        var recovered = Assert.Single(_dingTalk.Logs.Lines, l => l.Contains("answering again", StringComparison.Ordinal));
        Assert.StartsWith("Information", recovered, StringComparison.Ordinal);
        Assert.Contains("DingTalk /v1.0/robot/oToMessages/batchSend is answering again; 2 more failures", recovered, StringComparison.Ordinal);
        Assert.DoesNotContain("dt-user07", string.Join("\n", _dingTalk.Logs.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAccessToken_IsCached_RefreshedBeforeExpiry_AndRenewedWhenRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        await Messenger.SendToUsersAsync(["dt-user01"], DingTalkContent.Plain("一"), ct);
        await Messenger.SendToUsersAsync(["dt-user01"], DingTalkContent.Plain("二"), ct);
        Assert.Equal(1, _dingTalk.Fake.TokenRequests);

        _dingTalk.Host.Time.Advance(TimeSpan.FromMinutes(116)); // 4 minutes before expiry: within the refresh margin
        await Messenger.SendToUsersAsync(["dt-user01"], DingTalkContent.Plain("三"), ct);
        Assert.Equal(2, _dingTalk.Fake.TokenRequests);

        _dingTalk.Fake.RevokeAllTokens();
        await Messenger.SendToGroupAsync("cidGroup==", DingTalkContent.Plain("四"), ct);
        Assert.Equal(3, _dingTalk.Fake.TokenRequests);
        Assert.Equal(["一", "二", "三", "四"], _dingTalk.Fake.Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task TokensRefusedOneSendAfterAnother_AreOneLine_NotOnePerSend()
    {
        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < 3; i++)
        {
            _dingTalk.Fake.RevokeAllTokens();
            Assert.True((await Messenger.SendToUsersAsync(["dt-user01"], DingTalkContent.Plain($"第{i}条"), ct)).AllDelivered);
        }

        Assert.Equal(3, _dingTalk.Fake.Messages.Count);
        Assert.Single(_dingTalk.Logs.Lines, l => l.Contains("refused the access token (HTTP 401); refreshing it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Throttling_IsReportedAsRetryable_WithItsCode()
    {
        _dingTalk.Fake.InjectFault(FakeDingTalkEndpoint.GroupSend, FakeDingTalkFault.Throttled);

        var error = await Assert.ThrowsAsync<DingTalkApiException>(() => Messenger.SendToGroupAsync("cidGroup==", DingTalkContent.Plain("通知"), TestContext.Current.CancellationToken));

        Assert.Equal(403, error.HttpStatus);
        Assert.Equal("Forbidden.AccessDenied.QpsLimitForApi", error.Code);
        Assert.True(error.IsRetryable);
    }

    [Fact]
    public async Task LongText_IsSplitIntoPartsInOrder_AndMarkdownKeepsItsTitle()
    {
        var text = string.Concat(Enumerable.Range(1, 600).Select(i => $"第{i}行：临平区政协委员履职\n"));
        Assert.True(Encoding.UTF8.GetByteCount(text) > 2 * DingTalkApiClient.MaxContentBytes);

        await Messenger.SendToGroupAsync("cidGroup==", DingTalkContent.Markdown("会议通知", text), TestContext.Current.CancellationToken);

        var parts = _dingTalk.Fake.Messages;
        Assert.True(parts.Count >= 3);
        Assert.All(parts, p => Assert.Equal("markdown", p.MsgType));
        Assert.All(parts, p => Assert.Equal("会议通知", p.Title));
        Assert.All(parts, p => Assert.True(Encoding.UTF8.GetByteCount(p.Text) <= DingTalkApiClient.MaxContentBytes));
        Assert.Equal(text, string.Concat(parts.Select(p => p.Text)));
    }
}
