using Linping.CppccBot.Features.Meetings;
using Linping.CppccBot.Features.Notifications;
using Linping.CppccBot.Features.Reminders;
using Linping.CppccBot.LocalChat.FakeWeCom;
using Linping.CppccBot.Persistence;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Features.Reminders;

/// <summary>Arranges meetings and sign-ups, runs the dispatcher, and reads the ledger of a test host.</summary>
internal static class ReminderHarness
{
    public const string GroupKey = "demo-wecom-robot-key";

    public static Task<FakeWeComServer> StartWeComAsync(BotHostFactory host, IReadOnlyCollection<string>? knownUsers = null) =>
        FakeWeComServer.StartAsync(
            new FakeWeComOptions
            {
                CorpId = BotHostFactory.CorpId,
                Secret = BotHostFactory.Secret,
                AgentId = BotHostFactory.AgentId,
                WebhookKeys = [GroupKey],
                KnownUsers = knownUsers,
                TimeProvider = host.Time,
            },
            TestContext.Current.CancellationToken);

    public static async Task<ReminderRunSummary> RunRemindersAsync(this BotHostFactory host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ReminderDispatcher>().RunAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>A new meeting (not in the seed file, so a restart's import leaves it alone) posted to group G-ALL.</summary>
    /// <param name="invitees">The members invited by name; <c>["*"]</c> invites every member (全体委员).</param>
    public static Task AddMeetingAsync(this BotHostFactory host, string id, DateTimeOffset startsAt, ParticipationMode mode, string[] signedUp, string[]? invitees = null) =>
        host.DbAsync(async db =>
        {
            db.Meetings.Add(new Meeting
            {
                Id = id,
                Title = "临平区民营经济发展专题调研",
                Type = MeetingType.Research,
                Location = "区政协四楼会议室",
                StartsAt = startsAt,
                EndsAt = startsAt.AddHours(2),
                Participation = mode,
                InviteAllMembers = invitees is ["*"],
                Invitees = [.. (invitees ?? []).Where(m => m != "*").Select(m => new MeetingInvitee { MeetingId = id, MemberId = m })],
                Groups = [new MeetingGroup { MeetingId = id, GroupId = "G-ALL" }],
            });
            var now = host.Time.GetUtcNow();
            db.Participations.AddRange(signedUp.Select(m => new Participation
            {
                MeetingId = id,
                MemberId = m,
                Status = ParticipationStatus.SignedUp,
                CreatedAt = now,
                UpdatedAt = now,
            }));
            return await db.SaveChangesAsync();
        });

    /// <summary>
    /// A new meeting in three days that <paramref name="memberId"/> must attend; they ask for leave, staff approve.
    /// Returns what the approval said of telling the member.
    /// </summary>
    public static async Task<NotificationOutcome?> ApproveLeaveAsync(this BotHostFactory host, string meetingId, string memberId)
    {
        var ct = TestContext.Current.CancellationToken;
        await host.AddMeetingAsync(meetingId, host.Time.GetUtcNow().AddDays(3), ParticipationMode.Mandatory, [], [memberId]);
        await using var scope = host.Services.CreateAsyncScope();
        var meetings = scope.ServiceProvider.GetRequiredService<MeetingService>();
        Assert.Equal(LeaveOutcome.Requested, (await meetings.RequestLeaveAsync(meetingId, memberId, LeaveReason.Illness, null, ct)).Outcome);
        var leave = (await meetings.PendingLeaveAsync(ct)).Single(l => l.Meeting.Id == meetingId);
        return (await meetings.DecideLeaveAsync(leave.ParticipationId, "S001", approve: true, reason: null, ct)).MemberTold;
    }

    public static Task<List<ReminderDelivery>> LedgerAsync(this BotHostFactory host, string meetingId) =>
        host.DbAsync(db => db.ReminderDeliveries.AsNoTracking().Where(r => r.MeetingId == meetingId).OrderBy(r => r.Id).ToListAsync());

    public static IReadOnlyList<FakeWeComMessage> Sends(this FakeWeComServer wecom) =>
        [.. wecom.Messages.Where(m => m.Endpoint == FakeWeComEndpoint.MessageSend)];

    public static IReadOnlyList<FakeWeComMessage> Webhooks(this FakeWeComServer wecom) =>
        [.. wecom.Messages.Where(m => m.Endpoint == FakeWeComEndpoint.WebhookSend)];
}
