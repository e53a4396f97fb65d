using Linping.CppccBot.Features.Notifications;
using Linping.CppccBot.Hosting;
using Linping.CppccBot.Persistence;
using Linping.CppccBot.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Features.Reminders;

/// <summary>What one dispatcher run did, for logs and tests.</summary>
public sealed record ReminderRunSummary(int Claimed, int Sent, int Invalid, int NoChannel, int Failed, int Obsolete)
{
    /// <summary>What became of <paramref name="rows"/>, once settled.</summary>
    public static ReminderRunSummary Of(IReadOnlyCollection<ReminderDelivery> rows) => new(
        rows.Count,
        rows.Count(r => r.Status == ReminderDeliveryStatus.Sent),
        rows.Count(r => r.Status == ReminderDeliveryStatus.Invalid),
        rows.Count(r => r.Status == ReminderDeliveryStatus.NoChannel),
        rows.Count(r => r.Status == ReminderDeliveryStatus.Failed),
        rows.Count(r => r.Status == ReminderDeliveryStatus.Obsolete));
}

/// <summary>
/// Sends the due reminders once. Every run: claim (insert the due reminders as Pending rows of the ledger, whose unique
/// key lets only one run win each; take over Failed rows whose retry time came and Pending rows older than the lease,
/// left by a crashed run), send what this run claimed, settle each row. Several hosts may run it at once.
/// Hangfire calls <see cref="RunAsync"/> every minute.
/// </summary>
public sealed partial class ReminderDispatcher(
    BotDbContext db,
    ReminderPlanner planner,
    ReminderTexts texts,
    IEnumerable<IReminderChannel> channels,
    IOptions<ReminderOptions> options,
    TimeProvider time,
    BotMetrics metrics,
    ILogger<ReminderDispatcher> logger)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(30);

    private readonly IReadOnlyList<IReminderChannel> _channels = [.. channels];

    public async Task<ReminderRunSummary> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var token = Guid.NewGuid().ToString("N");
        await DetectMovesAsync(now, cancellationToken);
        await ClaimChangeNoticesAsync(now, token, cancellationToken);
        await ClaimDueAsync(now, token, cancellationToken);
        await ClaimRetriesAsync(now, token, cancellationToken);
        return await SendClaimedAsync(token, now, cancellationToken);
    }

    /// <summary>
    /// Sends the rows a caller claimed as Pending with <paramref name="token"/> (the staff API's publish and change notices)
    /// and settles them; failures are retried by later runs like any reminder.
    /// </summary>
    public async Task<ReminderRunSummary> SendClaimedAsync(string token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var claimed = await db.ReminderDeliveries
            .Where(r => r.ClaimToken == token && r.Status == ReminderDeliveryStatus.Pending)
            .ToListAsync(cancellationToken);
        if (claimed.Count == 0)
        {
            return new ReminderRunSummary(0, 0, 0, 0, 0, 0);
        }

        var meetingIds = claimed.Select(r => r.MeetingId).Distinct().ToList();
        var meetings = await db.Meetings.AsNoTracking().Include(m => m.Invitees).Where(m => meetingIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, cancellationToken);
        var changeIds = claimed.Select(r => ReminderDelivery.MovedChangeId(r.Kind) ?? ReminderDelivery.ChangedChangeId(r.Kind)).OfType<long>().Distinct().ToList();
        var changes = await db.MeetingChanges.AsNoTracking().Where(c => changeIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        foreach (var batch in claimed.GroupBy(r => (r.MeetingId, r.Kind, r.MeetingStartsAt)))
        {
            var meeting = meetings.GetValueOrDefault(batch.Key.MeetingId);
            var uninvited = ReminderDelivery.IsUninvitedKind(batch.Key.Kind);
            var notice = uninvited || ReminderDelivery.IsNoticeKind(batch.Key.Kind);
            var change = ReminderDelivery.MovedChangeId(batch.Key.Kind) is { } changeId ? changes.GetValueOrDefault(changeId) : null;

            // A kept staff change is written from its row and names the meeting as it is now, so a later move does not
            // make its retry stale: the member still learns what that change did.
            var staffChange = ReminderDelivery.ChangedChangeId(batch.Key.Kind) is { } staffChangeId ? changes.GetValueOrDefault(staffChangeId) : null;
            var obsolete = meeting is null || (meeting.StartsAt != batch.Key.MeetingStartsAt && staffChange is null) || meeting.StartsAt <= now
                || (notice
                    ? meeting.Status != MeetingStatus.Published
                    : ReminderDelivery.MovedChangeId(batch.Key.Kind) is not null
                        ? change is null || !ReminderPlanner.IsCurrent(change, meeting)
                        : planner.DueKind(meeting, now) is not { } kind || (kind == ReminderDelivery.CancelledKind) != (batch.Key.Kind == ReminderDelivery.CancelledKind));
            if (obsolete)
            {
                // Moved, started or cancelled since the claim (a retry of an older plan): the current plan has its own rows.
                foreach (var row in batch)
                {
                    Settle(row, now, new DeliveryOutcome(ReminderDeliveryStatus.Obsolete));
                }

                continue;
            }

            // A retry goes only to members still expected (one who cancelled or got leave meanwhile is spared; one invited
            // again is not told that they need not come).
            var members = batch.Where(r => r.RecipientType == ReminderRecipientType.Member).ToList();
            var expected = (notice ? await planner.AudienceAsync(meeting!, cancellationToken) : await planner.RecipientsAsync(meeting!, cancellationToken))
                .ToHashSet(StringComparer.Ordinal);
            if (uninvited)
            {
                expected = members.Select(r => r.RecipientId).Where(id => !expected.Contains(id)).ToHashSet(StringComparer.Ordinal);
            }

            foreach (var row in members.Where(r => !expected.Contains(r.RecipientId)))
            {
                Settle(row, now, new DeliveryOutcome(ReminderDeliveryStatus.Obsolete));
            }

            var forMembers = change is not null ? texts.Moved(meeting!, change, forGroup: false)
                : staffChange is not null ? texts.Changed(meeting!, staffChange, forGroup: false)
                : texts.For(meeting!, batch.Key.Kind, forGroup: false);
            var forGroups = change is not null ? texts.Moved(meeting!, change, forGroup: true)
                : staffChange is not null ? texts.Changed(meeting!, staffChange, forGroup: true)
                : texts.For(meeting!, batch.Key.Kind, forGroup: true);
            await MemberReminderSender.SendAsync(db, _channels, [.. members.Where(r => expected.Contains(r.RecipientId))], forMembers with { DuplicateCheck = true }, now, cancellationToken);
            await SendGroupsAsync(forGroups, [.. batch.Where(r => r.RecipientType == ReminderRecipientType.Group)], now, cancellationToken);
            await db.SaveChangesAsync(CancellationToken.None);
            if (!uninvited && meeting!.AnnouncedStartsAt is null && batch.Any(r => r.Status == ReminderDeliveryStatus.Sent))
            {
                await MarkAnnouncedAsync(meeting, cancellationToken);
            }
        }

        await db.SaveChangesAsync(CancellationToken.None);
        var summary = ReminderRunSummary.Of(claimed);
        LogRun(logger, summary.Claimed, summary.Sent, summary.Invalid, summary.NoChannel, summary.Failed, summary.Obsolete);
        metrics.RemindersRun("meeting", summary.Claimed, summary.Sent, summary.Failed, summary.Invalid + summary.NoChannel);
        return summary;
    }

    /// <summary>
    /// Records each move of a meeting whose members were told: a start or place that differs from what was told becomes a
    /// <see cref="MeetingChange"/> (whose notices the planner then plans) and the new values become what was told. One
    /// conditional UPDATE decides between hosts, so a move is recorded once.
    /// </summary>
    private async Task DetectMovesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var moved = (await db.Meetings.AsNoTracking()
                .Where(m => m.Status == MeetingStatus.Published && m.AnnouncedStartsAt != null && m.StartsAt > now)
                .ToListAsync(cancellationToken))
            .Where(m => m.AnnouncedStartsAt != m.StartsAt || !string.Equals(m.AnnouncedLocation, m.Location, StringComparison.Ordinal))
            .ToList();
        foreach (var meeting in moved)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var (oldStart, oldEnd, oldLocation) = (meeting.AnnouncedStartsAt!.Value, meeting.AnnouncedEndsAt ?? meeting.AnnouncedStartsAt!.Value, meeting.AnnouncedLocation);
            var taken = await db.Meetings
                .Where(m => m.Id == meeting.Id && m.AnnouncedStartsAt == oldStart && m.AnnouncedLocation == oldLocation
                    && m.StartsAt == meeting.StartsAt && m.Location == meeting.Location)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(m => m.AnnouncedStartsAt, meeting.StartsAt)
                        .SetProperty(m => m.AnnouncedEndsAt, meeting.EndsAt)
                        .SetProperty(m => m.AnnouncedLocation, meeting.Location),
                    cancellationToken);
            if (taken == 0)
            {
                // Another host recorded it first, or the meeting changed again meanwhile (the next run looks again).
                continue;
            }

            db.MeetingChanges.Add(new MeetingChange
            {
                MeetingId = meeting.Id,
                OldStartsAt = oldStart,
                OldEndsAt = oldEnd,
                OldLocation = oldLocation,
                NewStartsAt = meeting.StartsAt,
                NewEndsAt = meeting.EndsAt,
                NewLocation = meeting.Location,
                DetectedAt = now,
            });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
            LogMoveRecorded(logger, meeting.Id);
        }
    }

    /// <summary>
    /// Claims the notice of each change an import kept and nobody announced yet, for this run to send: to the meeting's
    /// invitees, those taking part and its groups, as the staff API's change notice goes. The ledger's unique key lets one
    /// host claim each; the change is marked announced after, so a run that stopped in between is completed by the next.
    /// </summary>
    private async Task ClaimChangeNoticesAsync(DateTimeOffset now, string token, CancellationToken cancellationToken)
    {
        var waiting = await db.MeetingChanges.AsNoTracking()
            .Where(c => c.AnnouncedAt == null && c.Aspects != MeetingAspects.None)
            .OrderBy(c => c.Id)
            .ToListAsync(cancellationToken);
        foreach (var change in waiting)
        {
            var meeting = await db.Meetings.AsNoTracking().Include(m => m.Invitees).Include(m => m.Groups).AsSplitQuery()
                .FirstOrDefaultAsync(m => m.Id == change.MeetingId, cancellationToken);

            // Cancelled or begun since: the cancellation notice or nobody is told, as for the staff API.
            if (meeting is { Status: MeetingStatus.Published } && meeting.StartsAt > now && !await planner.IsFullAfterSeatsChangeAsync(meeting, change.Aspects, cancellationToken))
            {
                var kind = ReminderDelivery.ChangedKind(change);
                var recipients = (await planner.AudienceAsync(meeting, cancellationToken))
                    .Select(m => new DueReminder(meeting.Id, kind, meeting.StartsAt, ReminderRecipientType.Member, m))
                    .Concat((await planner.GroupChatsAsync(meeting, cancellationToken))
                        .Select(g => new DueReminder(meeting.Id, kind, meeting.StartsAt, ReminderRecipientType.Group, g.GroupId, g.Chat)));
                await ReminderLedger.ClaimAsync(db, recipients, now, token, cancellationToken);
                LogChangeNoticePlanned(logger, meeting.Id);
            }

            await db.MeetingChanges.Where(c => c.Id == change.Id && c.AnnouncedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.AnnouncedAt, now), cancellationToken);
        }
    }

    /// <summary>Remembers what members were first told of <paramref name="meeting"/> (the values this run sent).</summary>
    private async Task MarkAnnouncedAsync(Meeting meeting, CancellationToken cancellationToken) =>
        await db.Meetings
            .Where(m => m.Id == meeting.Id && m.AnnouncedStartsAt == null)
            .ExecuteUpdateAsync(
                s => s.SetProperty(m => m.AnnouncedStartsAt, meeting.StartsAt)
                    .SetProperty(m => m.AnnouncedEndsAt, meeting.EndsAt)
                    .SetProperty(m => m.AnnouncedLocation, meeting.Location),
                cancellationToken);

    private async Task ClaimDueAsync(DateTimeOffset now, string token, CancellationToken cancellationToken)
    {
        var due = await planner.DueAsync(now, cancellationToken);
        if (due.Count == 0)
        {
            return;
        }

        var lost = await ReminderLedger.ClaimAsync(db, due, now, token, cancellationToken);
        LogClaimsLost(logger, lost);
    }

    /// <summary>Meeting rows to try again (the proposal news and members' notices take theirs).</summary>
    private Task<int> ClaimRetriesAsync(DateTimeOffset now, string token, CancellationToken cancellationToken) =>
        ReminderLedger.ClaimRetriesAsync(
            db,
            r => !r.MeetingId.StartsWith(ProposalNewsDispatcher.SubjectPrefix) && !r.MeetingId.StartsWith(NoticeDispatcher.SubjectPrefix),
            now,
            options.Value.ClaimLease,
            token,
            cancellationToken);

    private async Task SendGroupsAsync(ReminderMessage message, List<ReminderDelivery> rows, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var ids = rows.Select(r => r.RecipientId).ToList();
        var groups = await db.Groups.AsNoTracking()
            .Where(g => ids.Contains(g.Id))
            .Select(g => new GroupAddress(g.Id, g.WeComWebhookKey, g.DingTalkAccessToken, g.DingTalkSecret))
            .ToDictionaryAsync(g => g.GroupId, cancellationToken);
        var minuteAgo = now - TimeSpan.FromMinutes(1);
        foreach (var row in rows)
        {
            // Each row is one chat: the group in the app named by Chat (empty for a group that had no robot when planned).
            var group = groups.GetValueOrDefault(row.RecipientId);
            var channel = group is null ? null
                : row.Chat.Length > 0 ? _channels.FirstOrDefault(c => c.Name == row.Chat && c.CanReach(group))
                : _channels.FirstOrDefault(c => c.CanReach(group));
            if (channel is null)
            {
                Settle(row, now, new DeliveryOutcome(ReminderDeliveryStatus.NoChannel));
                continue;
            }

            // A group robot takes a limited number of messages a minute: what would exceed it waits for the next run.
            var sentLastMinute = await db.ReminderDeliveries.CountAsync(
                r => r.RecipientType == ReminderRecipientType.Group && r.RecipientId == row.RecipientId && r.Chat == row.Chat && r.Status == ReminderDeliveryStatus.Sent && r.SentAt > minuteAgo,
                cancellationToken);
            if (sentLastMinute >= channel.GroupMessagesPerMinute)
            {
                row.Attempts--;
                Settle(row, now, new DeliveryOutcome(ReminderDeliveryStatus.Failed, Error: "Deferred", RateLimited: true));
                continue;
            }

            row.Channel = channel.Name;
            var rest = row.UnsentText is { } unsent ? message with { Text = unsent, Card = null } : message;
            Settle(row, now, await channel.SendToGroupAsync(group!, rest, cancellationToken));
            await db.SaveChangesAsync(CancellationToken.None);
        }
    }

    internal static void Settle(ReminderDelivery row, DateTimeOffset now, DeliveryOutcome outcome)
    {
        row.Status = outcome.Status;
        row.ErrCode = outcome.ErrCode;
        row.Error = outcome.Error;
        row.ClaimToken = null;

        // A retry of a rest that again went out in part keeps what is still missing; one where none of it went out, all of it.
        row.UnsentText = outcome.Status == ReminderDeliveryStatus.Failed ? outcome.Unsent ?? row.UnsentText : null;
        if (outcome.Status == ReminderDeliveryStatus.Sent)
        {
            row.SentAt = now;
            row.NextAttemptAt = null;
        }
        else if (outcome.Status == ReminderDeliveryStatus.Failed)
        {
            // Rate limits are per minute (45009, the robot's 20 a minute): wait for the window; others back off faster.
            var first = outcome.RateLimited ? TimeSpan.FromMinutes(1) : TimeSpan.FromSeconds(30);
            var backoff = first * Math.Pow(2, Math.Clamp(row.Attempts - 1, 0, 10));
            row.NextAttemptAt = now + (backoff < MaxBackoff ? backoff : MaxBackoff);
        }
        else
        {
            row.NextAttemptAt = null;
        }
    }

    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Reminders: {Claimed} claimed, {Sent} sent, {Invalid} invalid recipients, {NoChannel} without a channel, {Failed} to retry, {Obsolete} obsolete")]
    private static partial void LogRun(ILogger logger, int claimed, int sent, int invalid, int noChannel, int failed, int obsolete);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Reminders: meeting {MeetingId} moved after members were told; a move notice is planned")]
    private static partial void LogMoveRecorded(ILogger logger, string meetingId);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Reminders: meeting {MeetingId} was changed by an import; its change notice is planned")]
    private static partial void LogChangeNoticePlanned(ILogger logger, string meetingId);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Reminders: {Lost} due reminders were claimed by another run")]
    private static partial void LogClaimsLost(ILogger logger, int lost);
}
