using System.Net;
using Linping.CppccBot.Features.Meetings;
using Linping.CppccBot.Features.Notifications;
using Linping.CppccBot.Features.Opinions;
using Linping.CppccBot.Features.Reminders;
using Linping.CppccBot.LocalChat.FakeWeCom;
using Linping.CppccBot.Persistence;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Features.Reminders;
using Linping.CppccBot.Tests.Features.Staff;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Features.Notifications;

/// <summary>
/// A member's news from a staff action (leave decided, report adopted) or another member's (a seat freed from the
/// waitlist) is not lost when WeCom is busy: staff hear it is queued, and the minute job sends it once, later.
/// </summary>
public sealed class MemberNoticeTests : StaffApiHost
{
    private const string MeetingId = "MT-2027-03";

    private async Task RequestLeaveAsync(string memberId)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<MeetingService>().RequestLeaveAsync(MeetingId, memberId, LeaveReason.Illness, null, Ct);
        Assert.Equal(LeaveOutcome.Requested, result.Outcome);
    }

    private IReadOnlyList<FakeWeComMessage> SendsTo(string weComUserId) => [.. WeCom.Sends().Where(s => s.Recipients.Contains(weComUserId))];

    private Task<List<ReminderDelivery>> NoticesAsync() =>
        Host.DbAsync(db => db.ReminderDeliveries.AsNoTracking().Where(r => r.MeetingId.StartsWith("notice:")).OrderBy(r => r.Id).ToListAsync(Ct));

    [Fact]
    public async Task ALeaveDecision_WhileWeComIsBusy_IsQueued_AndTheMinuteJobTellsTheMemberOnce()
    {
        await RequestLeaveAsync("M002");
        WeCom.InjectFault(FakeWeComFault.SystemBusy, 1, FakeWeComEndpoint.MessageSend);

        var (rejected, body) = await PostAsync($"/api/admin/meetings/{MeetingId}/leave/M002/reject", new { reason = "本次会议需全体出席" });

        Assert.True(rejected.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal("Queued", body.GetProperty("memberTold").GetString());
        Assert.Empty(SendsTo("chenxiaoyan"));
        var queued = Assert.Single(await NoticesAsync());
        Assert.Equal((ReminderDeliveryStatus.Failed, "leave-rejected", "M002"), (queued.Status, queued.Kind, queued.RecipientId));

        await RunMinuteJobAsync();
        Assert.Empty(SendsTo("chenxiaoyan"));
        Host.Time.Advance(TimeSpan.FromMinutes(1));
        await RunMinuteJobAsync();
        Host.Time.Advance(TimeSpan.FromMinutes(5));
        await RunMinuteJobAsync();

        var told = Assert.Single(SendsTo("chenxiaoyan"));
        Assert.Contains("请假申请未获批准，原因：本次会议需全体出席", told.Content, StringComparison.Ordinal);
        Assert.Equal((ReminderDeliveryStatus.Sent, 2), ((await NoticesAsync())[0].Status, (await NoticesAsync())[0].Attempts));
        var ledger = await GetAsync($"/api/admin/reminders/{MeetingId}");
        var row = Assert.Single(ledger.EnumerateArray(), r => r.GetProperty("kind").GetString() == "leave-rejected");
        Assert.Equal(("陈晓燕", "Sent", 2), (row.GetProperty("recipientName").GetString(), row.GetProperty("status").GetString(), row.GetProperty("attempts").GetInt32()));
    }

    [Fact]
    public async Task AQueuedLeaveNotice_IsDropped_WhenTheMeetingIsCancelledBeforeTheRetry()
    {
        await RequestLeaveAsync("M001");
        WeCom.InjectFault(FakeWeComFault.SystemBusy, 1, FakeWeComEndpoint.MessageSend);
        var (approved, body) = await PostAsync($"/api/admin/meetings/{MeetingId}/leave/M001/approve");
        Assert.Equal("Queued", body.GetProperty("memberTold").GetString());

        await Host.DbAsync(async db =>
        {
            (await db.Meetings.SingleAsync(m => m.Id == MeetingId, Ct)).Status = MeetingStatus.Cancelled;
            return await db.SaveChangesAsync(Ct);
        });
        Host.Time.Advance(TimeSpan.FromMinutes(5));
        await RunMinuteJobAsync();

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.DoesNotContain(SendsTo("wangjianguo"), s => s.Content.Contains("请假申请已批准", StringComparison.Ordinal));
        Assert.Equal(ReminderDeliveryStatus.Obsolete, Assert.Single(await NoticesAsync()).Status);
    }

    [Fact]
    public async Task AQueuedNotice_ToAMemberTakenOffTheRosterMeanwhile_IsDropped()
    {
        await RequestLeaveAsync("M001");
        WeCom.InjectFault(FakeWeComFault.SystemBusy, 1, FakeWeComEndpoint.MessageSend);
        var (_, body) = await PostAsync($"/api/admin/meetings/{MeetingId}/leave/M001/approve");
        Assert.Equal("Queued", body.GetProperty("memberTold").GetString());

        await PostAsync("/api/admin/members/M001/deactivate");
        Host.Time.Advance(TimeSpan.FromMinutes(5));
        await RunMinuteJobAsync();

        Assert.Empty(SendsTo("wangjianguo"));
        Assert.Equal(ReminderDeliveryStatus.Obsolete, Assert.Single(await NoticesAsync()).Status);
    }

    [Fact]
    public async Task ALeaveDecisionSavedButNotSent_ByAHostThatDied_IsSentByTheMinuteJobAfterTheLease()
    {
        await RequestLeaveAsync("M001");
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            // What a host that stopped between saving the decision and sending its notice leaves: the row, Pending.
            var meetings = scope.ServiceProvider.GetRequiredService<MeetingService>();
            var leave = Assert.Single(await meetings.PendingLeaveAsync(Ct));
            var notices = scope.ServiceProvider.GetRequiredService<NoticeDispatcher>();
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            var participation = await db.Participations.SingleAsync(p => p.Id == leave.ParticipationId, Ct);
            participation.Status = ParticipationStatus.LeaveApproved;
            participation.UpdatedAt = Host.Time.GetUtcNow();
            notices.Enqueue(Notice.LeaveDecided(participation));
            await db.SaveChangesAsync(Ct);
        }

        await RunMinuteJobAsync();
        Assert.Empty(SendsTo("wangjianguo"));
        Host.Time.Advance(TimeSpan.FromMinutes(11));
        await RunMinuteJobAsync();
        await RunMinuteJobAsync();

        Assert.Contains("请假申请已批准", Assert.Single(SendsTo("wangjianguo")).Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOpinionAdopted_WhileWeComIsBusy_ReachesTheSubmitterLater_Once()
    {
        string id;
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            id = await scope.ServiceProvider.GetRequiredService<OpinionService>().SubmitAsync(
                "M004", new OpinionDraft("关于增设公交夜班线路的建议", "临平新城晚间公交班次少，建议增设夜班线路，方便市民出行。", null), Ct);
        }

        WeCom.InjectFault(FakeWeComFault.WithErrCode(45009), 1, FakeWeComEndpoint.MessageSend);
        var (adopted, body) = await PostAsync($"/api/admin/opinions/{id}/status", new { status = "Adopted" });
        Assert.True(adopted.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal("Queued", body.GetProperty("submitterTold").GetString());
        Assert.Empty(SendsTo("zhanglihua"));

        Host.Time.Advance(TimeSpan.FromMinutes(1));
        await RunMinuteJobAsync();
        await RunMinuteJobAsync();

        Assert.Contains($"（编号 {id}）已被采用", Assert.Single(SendsTo("zhanglihua")).Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASeatFreedFromTheWaitlist_WhileWeComIsBusy_IsToldToThePromotedMemberLater()
    {
        var start = Host.Time.GetUtcNow().AddDays(5);
        await Host.AddMeetingAsync("MT-NOTICE-1", start, ParticipationMode.OpenSignup, ["M001"], ["M001", "M002"]);
        await Host.DbAsync(async db =>
        {
            (await db.Meetings.SingleAsync(m => m.Id == "MT-NOTICE-1", Ct)).Capacity = 1;
            return await db.SaveChangesAsync(Ct);
        });
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            var meetings = scope.ServiceProvider.GetRequiredService<MeetingService>();
            Assert.Equal(SignUpOutcome.Waitlisted, (await meetings.SignUpAsync("MT-NOTICE-1", "M002", joinWaitlist: true, Ct)).Outcome);
            WeCom.InjectFault(FakeWeComFault.SystemBusy, 1, FakeWeComEndpoint.MessageSend);
            Assert.NotNull((await meetings.CancelAsync("MT-NOTICE-1", "M001", Ct)).PromotionNotice);
        }

        Assert.Empty(SendsTo("chenxiaoyan"));
        Host.Time.Advance(TimeSpan.FromMinutes(1));
        await RunMinuteJobAsync();

        Assert.Contains("您已由候补转为“已报名”", Assert.Single(SendsTo("chenxiaoyan")).Content, StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.SignedUp, (await Host.DbAsync(db => db.Participations.SingleAsync(p => p.MeetingId == "MT-NOTICE-1" && p.MemberId == "M002", Ct))).Status);
    }
}

/// <summary>The notices' ledger rows on PostgreSQL, whose columns have lengths: the longest subject fits.</summary>
public sealed class MemberNoticePostgresTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task AnOpinionWithTheLongestId_IsToldThroughTheLedger()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = BotHostFactory.OnPostgres(await postgres.GetAsync());
        await using var wecom = await ReminderHarness.StartWeComAsync(host);
        host.Settings["WeCom:ApiBaseUrl"] = wecom.BaseAddress.ToString();
        var id = "SQMY-" + new string('9', 59);
        await host.DbAsync(db =>
        {
            db.Opinions.Add(new Opinion
            {
                Id = id,
                Title = "关于增设公交夜班线路的建议",
                Content = "临平新城晚间公交班次少，建议增设夜班线路，方便市民出行。",
                SubmittedById = "M004",
                SubmittedAt = host.Time.GetUtcNow(),
                Status = OpinionStatus.Adopted,
            });
            return db.SaveChangesAsync(ct);
        });

        await using var scope = host.Services.CreateAsyncScope();
        var notices = scope.ServiceProvider.GetRequiredService<NoticeDispatcher>();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var opinion = await db.Opinions.SingleAsync(o => o.Id == id, ct);
        var token = notices.Enqueue(Notice.OpinionMoved(opinion, OpinionStatus.Adopted, host.Time.GetUtcNow()));
        await db.SaveChangesAsync(ct);

        Assert.Equal(NotificationOutcome.Sent, await notices.SendAsync(token, ct));
        Assert.Contains($"（编号 {id}）已被采用", Assert.Single(wecom.Sends()).Content, StringComparison.Ordinal);
    }
}
