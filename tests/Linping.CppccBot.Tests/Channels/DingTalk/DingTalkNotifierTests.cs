using Linping.CppccBot.Features.Notifications;
using Linping.CppccBot.LocalChat.FakeDingTalk;
using Linping.CppccBot.Persistence;
using Linping.CppccBot.Tests.Features.Reminders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Channels.DingTalk;

/// <summary>A member's notice (here: leave approved) reaches them on DingTalk when WeCom cannot: no WeCom id, or WeCom failing.</summary>
public sealed class DingTalkNotifierTests : IAsyncLifetime
{
    private DingTalkHost _dingTalk = null!;

    public async ValueTask InitializeAsync() => _dingTalk = await DingTalkHost.StartAsync("Http");

    public async ValueTask DisposeAsync() => await _dingTalk.DisposeAsync();

    [Fact]
    public async Task AMemberWithOnlyADingTalkId_IsNotifiedOnDingTalk()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = _dingTalk.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var member = await db.Members.SingleAsync(m => m.DingTalkUserId == "dt-xuhaitao", ct);
        member.WeComUserId = null;
        await db.SaveChangesAsync(ct);

        var outcome = await _dingTalk.Host.ApproveLeaveAsync("MT-DT-1", member.Id);

        Assert.Equal(NotificationOutcome.Sent, outcome);
        var sent = Assert.Single(_dingTalk.Fake.Messages);
        Assert.Equal(FakeDingTalkEndpoint.BatchSend, sent.Endpoint);
        Assert.Equal(["dt-xuhaitao"], sent.StaffIds);
        Assert.StartsWith("您【临平区民营经济发展专题调研】（", sent.Text, StringComparison.Ordinal);
        Assert.EndsWith("的请假申请已批准。", sent.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenWeComCannotBeReached_TheNotificationGoesOnDingTalk_Once()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = _dingTalk.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var member = await db.Members.SingleAsync(m => m.DingTalkUserId == "dt-wangjianguo", ct);

        // The test host's WeCom API root is a closed port.
        var outcome = await _dingTalk.Host.ApproveLeaveAsync("MT-DT-1", member.Id);

        Assert.Equal(NotificationOutcome.Sent, outcome);
        Assert.Equal(["dt-wangjianguo"], Assert.Single(_dingTalk.Fake.Messages).StaffIds);
        Assert.Equal("DingTalk", (await _dingTalk.Host.LedgerAsync("notice:participation:" + (await ParticipationIdAsync(db, member.Id)))).Single().Channel);
    }

    private static Task<long> ParticipationIdAsync(BotDbContext db, string memberId) =>
        db.Participations.Where(p => p.MeetingId == "MT-DT-1" && p.MemberId == memberId).Select(p => p.Id).SingleAsync(TestContext.Current.CancellationToken);
}
