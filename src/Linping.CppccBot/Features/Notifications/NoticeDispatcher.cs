using System.Globalization;
using Linping.CppccBot.Features.Meetings;
using Linping.CppccBot.Features.Opinions;
using Linping.CppccBot.Features.Proposals;
using Linping.CppccBot.Features.Reminders;
using Linping.CppccBot.Features.Staff;
using Linping.CppccBot.Hosting;
using Linping.CppccBot.Persistence;
using Linping.CppccBot.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Features.Notifications;

/// <summary>
/// One person's news caused by someone else's action. For a member: a leave decision, a seat freed from the waitlist,
/// a 社情民意 report adopted or sent upward. For staff: a new 社情民意 report (the information office), a proposal's
/// evaluation (the proposal office). <see cref="Subject"/> names the record (<c>notice:participation:{id}</c>,
/// <c>notice:opinion:{id}</c>, <c>notice:proposal:{id}</c>), <see cref="At"/> the time of the change.
/// </summary>
public sealed record Notice(string Subject, string Kind, DateTimeOffset At, ReminderRecipientType RecipientType, string RecipientId)
{
    public static Notice LeaveDecided(Participation participation) => new(
        NoticeDispatcher.ParticipationSubject(participation.Id),
        participation.Status == ParticipationStatus.LeaveApproved ? NoticeDispatcher.LeaveApprovedKind : NoticeDispatcher.LeaveRejectedKind,
        participation.UpdatedAt,
        ReminderRecipientType.Member,
        participation.MemberId);

    public static Notice Promoted(Participation participation) => new(
        NoticeDispatcher.ParticipationSubject(participation.Id), NoticeDispatcher.PromotedKind, participation.UpdatedAt, ReminderRecipientType.Member, participation.MemberId);

    public static Notice OpinionMoved(Opinion opinion, OpinionStatus to, DateTimeOffset at) => new(
        NoticeDispatcher.OpinionSubject(opinion.Id),
        to switch
        {
            OpinionStatus.Adopted => NoticeDispatcher.OpinionAdoptedKind,
            OpinionStatus.Returned => NoticeDispatcher.OpinionReturnedKind,
            _ => NoticeDispatcher.OpinionReportedKind,
        },
        at,
        ReminderRecipientType.Member,
        opinion.SubmittedById);

    /// <summary>To an information office staff member: a member submitted report <paramref name="opinionId"/>.</summary>
    public static Notice OpinionSubmitted(string opinionId, DateTimeOffset at, string staffId) => new(
        NoticeDispatcher.OpinionSubject(opinionId), NoticeDispatcher.OpinionSubmittedKind, at, ReminderRecipientType.Staff, staffId);

    /// <summary>To a proposal office staff member: the lead proposer evaluated proposal <paramref name="proposalId"/>.</summary>
    public static Notice ProposalEvaluated(int proposalId, DateTimeOffset at, string staffId) => new(
        NoticeDispatcher.ProposalSubject(proposalId), NoticeDispatcher.ProposalEvaluatedKind, at, ReminderRecipientType.Staff, staffId);
}

/// <summary>
/// Sends <see cref="Notice"/>s through the reminder ledger, so a notice that WeCom or DingTalk did not take
/// (rate limit, busy, network) is sent again and none goes out twice. The caller puts the notice in the ledger with
/// its own change (<see cref="Enqueue"/>, one save: a crash after it leaves a Pending row the minute job takes over
/// after <see cref="ReminderOptions.ClaimLease"/>), then sends it at once (<see cref="SendAsync"/>) to tell staff
/// whether the member heard. Failed rows are retried by the minute job (<see cref="RunAsync"/>) with the reminders'
/// back-off while the news still holds: the text is written again from the record at each attempt, and a notice
/// whose record moved on (the meeting was cancelled, or started before a seat's news went out; the report's status
/// changed) is dropped (Obsolete).
/// </summary>
public sealed partial class NoticeDispatcher(
    BotDbContext db,
    MeetingTexts meetingTexts,
    IEnumerable<IReminderChannel> channels,
    IOptions<ReminderOptions> options,
    TimeProvider time,
    BotMetrics metrics,
    ILogger<NoticeDispatcher> logger)
{
    public const string SubjectPrefix = "notice:";
    public const string LeaveApprovedKind = "leave-approved";
    public const string LeaveRejectedKind = "leave-rejected";
    public const string PromotedKind = "waitlist-promoted";
    public const string OpinionAdoptedKind = "opinion-adopted";
    public const string OpinionReportedKind = "opinion-reported";
    public const string OpinionReturnedKind = "opinion-returned";
    public const string OpinionSubmittedKind = "opinion-submitted";
    public const string ProposalEvaluatedKind = "proposal-evaluated";

    private const string ParticipationPrefix = SubjectPrefix + "participation:";
    private const string OpinionPrefix = SubjectPrefix + "opinion:";
    private const string ProposalPrefix = SubjectPrefix + "proposal:";

    private readonly IReadOnlyList<IReminderChannel> _channels = [.. channels];

    public static string ParticipationSubject(long participationId) => ParticipationPrefix + participationId.ToString(CultureInfo.InvariantCulture);

    public static string OpinionSubject(string opinionId) => OpinionPrefix + opinionId;

    public static string ProposalSubject(int proposalId) => ProposalPrefix + proposalId.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Adds <paramref name="notice"/> to the ledger as a Pending row claimed by the returned token, in the caller's
    /// unit of work: it is stored by the caller's next save, with the change it tells of.
    /// </summary>
    public string Enqueue(Notice notice) => Enqueue([notice]);

    /// <summary>As <see cref="Enqueue(Notice)"/>, for several notices under one token (the staff of an office).</summary>
    public string Enqueue(IEnumerable<Notice> notices)
    {
        var token = Guid.NewGuid().ToString("N");
        foreach (var notice in notices)
        {
            db.ReminderDeliveries.Add(ReminderLedger.NewClaim(
                new DueReminder(notice.Subject, notice.Kind, notice.At, notice.RecipientType, notice.RecipientId), time.GetUtcNow(), token));
        }

        return token;
    }

    /// <summary>
    /// Sends the notice <see cref="Enqueue(Notice)"/> claimed with <paramref name="token"/> (after the caller saved it)
    /// and says whether the person heard: <see cref="NotificationOutcome.Queued"/> when it will be tried again.
    /// </summary>
    public async Task<NotificationOutcome> SendAsync(string token, CancellationToken cancellationToken) =>
        await SendAllAsync(token, cancellationToken) is [var outcome] ? outcome : NotificationOutcome.Failed;

    /// <summary>As <see cref="SendAsync"/>, for every notice claimed with <paramref name="token"/>.</summary>
    public async Task<IReadOnlyList<NotificationOutcome>> SendAllAsync(string token, CancellationToken cancellationToken)
    {
        try
        {
            return [.. (await SendClaimedAsync(token, time.GetUtcNow(), cancellationToken)).Select(r => Outcome(r.Status))];
        }
        catch (Exception ex)
        {
            // The change is saved and so are its notices (a timeout, a cancelled request, the database gone for a
            // moment): the minute job takes the rows over once their claim lapses.
            LogSendInterrupted(logger, ex.GetType().Name);
            return [NotificationOutcome.Queued];
        }
    }

    /// <summary>The minute job: notices whose retry time came, and Pending ones a crashed send left behind.</summary>
    public async Task<ReminderRunSummary> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var token = Guid.NewGuid().ToString("N");
        await ReminderLedger.ClaimRetriesAsync(db, r => r.MeetingId.StartsWith(SubjectPrefix), now, options.Value.ClaimLease, token, cancellationToken);
        var summary = ReminderRunSummary.Of(await SendClaimedAsync(token, now, cancellationToken));
        if (summary.Claimed > 0)
        {
            LogRun(logger, summary.Claimed, summary.Sent, summary.Invalid, summary.NoChannel, summary.Failed, summary.Obsolete);
        }

        return summary;
    }

    private static NotificationOutcome Outcome(ReminderDeliveryStatus status) => status switch
    {
        ReminderDeliveryStatus.Sent => NotificationOutcome.Sent,
        ReminderDeliveryStatus.NoChannel => NotificationOutcome.NoChannel,
        ReminderDeliveryStatus.Failed => NotificationOutcome.Queued,
        _ => NotificationOutcome.Failed,
    };

    /// <summary>Sends and settles the rows claimed with <paramref name="token"/>; returns them settled.</summary>
    private async Task<List<ReminderDelivery>> SendClaimedAsync(string token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var claimed = await db.ReminderDeliveries
            .Where(r => r.ClaimToken == token && r.Status == ReminderDeliveryStatus.Pending)
            .ToListAsync(cancellationToken);
        foreach (var row in claimed)
        {
            if (await MessageAsync(row, now, cancellationToken) is { } message)
            {
                await DeliverAsync(row, message, now, cancellationToken);
            }
            else
            {
                ReminderDispatcher.Settle(row, now, new DeliveryOutcome(ReminderDeliveryStatus.Obsolete));
            }

            await db.SaveChangesAsync(CancellationToken.None);
            metrics.RemindersRun(
                "member_notice", 1, row.Status == ReminderDeliveryStatus.Sent ? 1 : 0, row.Status == ReminderDeliveryStatus.Failed ? 1 : 0,
                row.Status is ReminderDeliveryStatus.Invalid or ReminderDeliveryStatus.NoChannel ? 1 : 0);
        }

        return claimed;
    }

    /// <summary>
    /// Sends on the member's preferred app, and when that one refuses it (busy, rate limit, or it does not know the
    /// member) on their other app at once: a notice goes out in one app, and is retried later only when neither took it.
    /// A call that got no answer (timeout, dropped connection) may have delivered it, and a long text whose first parts
    /// went out continues there: both are retried in that app only, so the member does not get it in both. A retry of
    /// such a text sends only its rest; so does the other app when the first refused the member after the first parts.
    /// </summary>
    private async Task DeliverAsync(ReminderDelivery row, ReminderMessage message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var address = row.RecipientType == ReminderRecipientType.Staff
            ? await db.Staff.AsNoTracking()
                .Where(s => s.Id == row.RecipientId)
                .Select(s => new MemberAddress(s.Id, s.WeComUserId, s.DingTalkUserId, MessagingApp.WeCom))
                .FirstOrDefaultAsync(cancellationToken)
            : await db.Members.AsNoTracking()
                .Where(m => m.Id == row.RecipientId)
                .Select(m => new MemberAddress(m.Id, m.WeComUserId, m.DingTalkUserId, m.PreferredApp))
                .FirstOrDefaultAsync(cancellationToken);
        DeliveryOutcome? outcome = null;
        var candidates = address is null ? [] : ReminderRouting.ChannelsFor(address, _channels);
        if (row.UnsentText is { } rest && candidates.FirstOrDefault(c => c.Name == row.Channel) is { } begun)
        {
            (candidates, message) = ([begun], message with { Text = rest, Card = null });
        }
        else
        {
            row.UnsentText = null;
        }

        foreach (var channel in candidates)
        {
            var attempt = (await channel.SendToMembersAsync([address!], message, cancellationToken)).GetValueOrDefault(address!.MemberId)
                ?? new DeliveryOutcome(ReminderDeliveryStatus.Failed, Error: "NoAnswer");

            // A failure to retry outweighs an app that does not know the member; sent ends the round.
            if (outcome is null || attempt.Status != ReminderDeliveryStatus.Invalid)
            {
                (outcome, row.Channel) = (attempt, channel.Name);
            }

            if (attempt.Status == ReminderDeliveryStatus.Sent || attempt.Unanswered || (attempt.Unsent is not null && attempt.Status != ReminderDeliveryStatus.Invalid))
            {
                break;
            }

            if (attempt.Unsent is { } unsent)
            {
                // This app took the first parts and then refused the member: the next one sends only the rest.
                (message, row.UnsentText) = (message with { Text = unsent, Card = null }, unsent);
            }
        }

        ReminderDispatcher.Settle(row, now, outcome ?? new DeliveryOutcome(ReminderDeliveryStatus.NoChannel));
    }

    /// <summary>The notice's text as of now, or null when the news no longer holds.</summary>
    private Task<ReminderMessage?> MessageAsync(ReminderDelivery row, DateTimeOffset now, CancellationToken cancellationToken) =>
        row.RecipientType == ReminderRecipientType.Staff ? StaffMessageAsync(row, cancellationToken) : MemberMessageAsync(row, now, cancellationToken);

    /// <summary>Whether the office approved this leave after refusing it (the member heard the refusal first).</summary>
    private Task<bool> WasRefusedAsync(Participation participation, CancellationToken cancellationToken)
    {
        var key = MeetingService.ParticipationKey(participation.MeetingId, participation.MemberId);
        var refused = nameof(ParticipationStatus.LeaveRejected);
        var approved = nameof(ParticipationStatus.LeaveApproved);
        return db.StateChanges.AnyAsync(
            c => c.EntityType == StateChangeEntityTypes.Participation && c.EntityId == key && c.From == refused && c.To == approved,
            cancellationToken);
    }

    private async Task<ReminderMessage?> MemberMessageAsync(ReminderDelivery row, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!await db.Members.AnyAsync(m => m.Id == row.RecipientId && m.IsActive, cancellationToken))
        {
            // Taken off the roster meanwhile: the bot no longer speaks to them.
            return null;
        }

        if (row.MeetingId.StartsWith(ParticipationPrefix, StringComparison.Ordinal))
        {
            if (!long.TryParse(row.MeetingId.AsSpan(ParticipationPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return null;
            }

            var participation = await db.Participations.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id && p.MemberId == row.RecipientId, cancellationToken);
            var meeting = participation is null ? null : await db.Meetings.AsNoTracking().FirstOrDefaultAsync(m => m.Id == participation.MeetingId, cancellationToken);
            if (participation is null || meeting is null || meeting.Status != MeetingStatus.Published)
            {
                return null;
            }

            // A seat is news only before the meeting; a leave decision is the member's answer also when it came after the start.
            var started = meeting.StartsAt <= now;
            var text = (row.Kind, participation.Status) switch
            {
                (LeaveApprovedKind, ParticipationStatus.LeaveApproved) => meetingTexts.LeaveApprovedNotice(meeting, await WasRefusedAsync(participation, cancellationToken)),
                (LeaveRejectedKind, ParticipationStatus.LeaveRejected) => meetingTexts.LeaveRejectedNotice(meeting, participation.LeaveDecisionNote, started),
                (PromotedKind, ParticipationStatus.SignedUp) when !started => meetingTexts.PromotedFromWaitlist(meeting),
                _ => null,
            };
            return text is null ? null : new ReminderMessage(row.MeetingId, meeting.Title, text);
        }

        if (row.MeetingId.StartsWith(OpinionPrefix, StringComparison.Ordinal))
        {
            var id = row.MeetingId[OpinionPrefix.Length..];
            var opinion = await db.Opinions.AsNoTracking().Include(o => o.History).FirstOrDefaultAsync(o => o.Id == id && o.SubmittedById == row.RecipientId, cancellationToken);
            var wanted = row.Kind switch
            {
                OpinionAdoptedKind => OpinionStatus.Adopted,
                OpinionReportedKind => OpinionStatus.ReportedUpward,
                OpinionReturnedKind => OpinionStatus.Returned,
                _ => (OpinionStatus?)null,
            };
            return opinion is null || wanted is null || opinion.Status != wanted
                ? null
                : new ReminderMessage(row.MeetingId, opinion.Title, StaffTexts.OpinionNews(opinion, wanted.Value));
        }

        return null;
    }

    /// <summary>
    /// A staff notice's text, or null when it is no longer news: the person left the office (inactive, or no longer in
    /// the role the notice is for), a new report was already taken up, an evaluation was withdrawn.
    /// </summary>
    private async Task<ReminderMessage?> StaffMessageAsync(ReminderDelivery row, CancellationToken cancellationToken)
    {
        var role = row.Kind switch
        {
            OpinionSubmittedKind => StaffRoles.InfoOffice,
            ProposalEvaluatedKind => StaffRoles.ProposalOffice,
            _ => null,
        };
        var roles = await db.Staff.AsNoTracking().Where(s => s.Id == row.RecipientId && s.IsActive).Select(s => s.Roles).FirstOrDefaultAsync(cancellationToken);
        if (role is null || roles is null || !roles.Contains(role))
        {
            return null;
        }

        if (row.Kind == OpinionSubmittedKind && row.MeetingId.StartsWith(OpinionPrefix, StringComparison.Ordinal))
        {
            var id = row.MeetingId[OpinionPrefix.Length..];
            var opinion = await db.Opinions.AsNoTracking()
                .Where(o => o.Id == id && o.Status == OpinionStatus.Submitted)
                .Select(o => new { o.Id, o.Title, Submitter = db.Members.Where(m => m.Id == o.SubmittedById).Select(m => m.Name).FirstOrDefault() })
                .FirstOrDefaultAsync(cancellationToken);
            return opinion is null ? null : new ReminderMessage(row.MeetingId, opinion.Title, OpinionTexts.StaffNotification(opinion.Id, opinion.Title, opinion.Submitter ?? string.Empty));
        }

        if (row.Kind == ProposalEvaluatedKind && row.MeetingId.StartsWith(ProposalPrefix, StringComparison.Ordinal)
            && int.TryParse(row.MeetingId.AsSpan(ProposalPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var proposalId))
        {
            var proposal = await db.Proposals.AsNoTracking().Include(p => p.Proposers).FirstOrDefaultAsync(p => p.Id == proposalId && p.Evaluation != null, cancellationToken);
            if (proposal is null)
            {
                return null;
            }

            var leadId = proposal.Proposers.Where(x => x.Position == 0).Select(x => x.MemberId).FirstOrDefault();
            var lead = await db.Members.AsNoTracking().Where(m => m.Id == leadId).Select(m => m.Name).FirstOrDefaultAsync(cancellationToken);
            return new ReminderMessage(row.MeetingId, proposal.Title, EvaluationTexts.OfficeNotice(proposal, lead ?? leadId ?? string.Empty));
        }

        return null;
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Notices: {Claimed} claimed, {Sent} sent, {Invalid} invalid recipients, {NoChannel} without a channel, {Failed} to retry, {Obsolete} obsolete")]
    private static partial void LogRun(ILogger logger, int claimed, int sent, int invalid, int noChannel, int failed, int obsolete);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "A notice was saved but its first send was interrupted ({ExceptionType}); the minute job sends it")]
    private static partial void LogSendInterrupted(ILogger logger, string exceptionType);
}
