using System.Linq.Expressions;
using Linping.CppccBot.Features.Notifications;
using Linping.CppccBot.Persistence;
using Linping.CppccBot.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Linping.CppccBot.Features.Meetings;

public enum SignUpOutcome
{
    SignedUp,
    Waitlisted,
    Full,
    AlreadySignedUp,
    AlreadyWaitlisted,
    DeadlinePassed,
    NotInvited,
    MandatoryMeeting,

    /// <summary>A meeting the member must attend and has asked leave for (pending or approved).</summary>
    OnLeave,
    MeetingCancelled,
    MeetingOver,
    NotFound,
}

public enum CancelOutcome
{
    Cancelled,
    LeftWaitlist,
    NotSignedUp,

    /// <summary>Asked to leave the waitlist (取消候补) by a member who holds a seat: the seat is kept.</summary>
    NotOnWaitlist,
    MandatoryMeeting,
    MeetingCancelled,
    MeetingStarted,
    NotFound,
}

public enum LeaveOutcome
{
    /// <summary>The member may ask for leave (returned by the check before the reason is asked).</summary>
    Allowed,
    Requested,
    AlreadyPending,
    AlreadyApproved,

    /// <summary>
    /// The office refused the member's leave for this same reason category: asked again, the request would only repeat
    /// what was decided; a new reason category is a new request.
    /// </summary>
    AlreadyRejected,

    /// <summary>Checked in at the door (staff record it from the meeting's day on): there, so no leave.</summary>
    AlreadyCheckedIn,
    NotMandatory,
    NotInvited,
    MeetingCancelled,
    MeetingStarted,
    NotFound,
}

public enum LeaveDecisionOutcome
{
    Decided,
    AlreadyDecided,

    /// <summary>The meeting was cancelled: there is nothing to excuse the member from, and they were told of the cancellation.</summary>
    MeetingCancelled,
    NotFound,
}

/// <summary>A meeting with its seats taken and, for a member, their own participation.</summary>
public sealed record MeetingView(Meeting Meeting, int SeatsTaken, Participation? Own)
{
    /// <summary>Null when the meeting has no seat limit.</summary>
    public int? SeatsLeft => Meeting.Capacity is { } capacity ? Math.Max(0, capacity - SeatsTaken) : null;
}

/// <param name="Status">The member's participation before the attempt, when it was refused (null when none).</param>
public sealed record SignUpResult(SignUpOutcome Outcome, Meeting? Meeting, int? WaitlistPosition = null, ParticipationStatus? Status = null);

/// <param name="PromotionNotice">The claim token of the notice to the member promoted from the waitlist, if any.</param>
public sealed record CancelResult(CancelOutcome Outcome, Meeting? Meeting, string? PromotionNotice = null);

public sealed record LeaveResult(LeaveOutcome Outcome, Meeting? Meeting, Participation? Participation = null);

/// <summary>A leave request waiting for staff, with what the approver needs to decide.</summary>
public sealed record PendingLeave(long ParticipationId, Meeting Meeting, string MemberId, string MemberName, LeaveReason? Reason, string? Note, DateTimeOffset RequestedAt);

/// <summary>A leave request the office refused (<paramref name="RefusedAt"/>, with its reason if given), which it may still approve.</summary>
public sealed record RefusedLeave(PendingLeave Leave, string? RefusalReason, DateTimeOffset RefusedAt);

/// <summary>A meeting's participants by state (names), and for a Mandatory meeting how many are expected (invited, not excused).</summary>
public sealed record MeetingRoster(Meeting Meeting, IReadOnlyDictionary<ParticipationStatus, IReadOnlyList<string>> Names, int? Expected);

/// <param name="MemberTold">For a decision made now: whether the member was told on their channel.</param>
public sealed record LeaveDecisionResult(LeaveDecisionOutcome Outcome, PendingLeave? Leave = null, ParticipationStatus? Status = null, NotificationOutcome? MemberTold = null);

/// <summary>
/// The meeting rules in one place: who may sign up, seats and the waitlist, cancellation with promotion, leave and its
/// approval. Chat handlers call it today, the staff API later. Every status change writes a <see cref="StateChange"/>
/// (actor = member or staff id) in the same save as the change itself.
/// </summary>
public sealed partial class MeetingService(BotDbContext db, NoticeDispatcher notices, TimeProvider time, ILogger<MeetingService> logger)
{
    private const int MaxAttempts = 5;

    /// <summary>
    /// Participations that hold a seat. Written out rather than as <c>array.Contains</c>: a collection parameter makes
    /// EF Core generate the SQL again at every execution.
    /// </summary>
    internal static readonly Expression<Func<Participation, bool>> HoldsSeat =
        p => p.Status == ParticipationStatus.SignedUp || p.Status == ParticipationStatus.CheckedIn;

    private DateTimeOffset Now => time.GetUtcNow();

    public static bool IsInvited(Meeting meeting, string memberId) =>
        meeting.InviteAllMembers || meeting.Invitees.Any(i => i.MemberId == memberId);

    /// <summary>The sign-up deadline; a meeting without one closes sign-up when it starts.</summary>
    public static DateTimeOffset SignupClosesAt(Meeting meeting) => meeting.SignupDeadline ?? meeting.StartsAt;

    /// <summary>
    /// Upcoming (not ended, not cancelled) meetings, ordered by start; for a member only those they are invited to,
    /// each with only that member's own invitation in <see cref="Meeting.Invitees"/> (a district meeting may invite
    /// hundreds). This runs for every 会议 a member sends, so its queries are compiled (<see cref="UpcomingQueries"/>).
    /// </summary>
    public async Task<IReadOnlyList<MeetingView>> UpcomingAsync(string? memberId, CancellationToken cancellationToken)
    {
        var now = Now;
        var queries = CompiledQueries.For<UpcomingQueries>(db);
        if (memberId is null)
        {
            return [.. (await CompiledQueries.ToListAsync(queries.All(db, now), cancellationToken)).Select(r =>
            {
                r.Meeting.Invitees = r.Invitations!;
                return new MeetingView(r.Meeting, r.SeatsTaken, null);
            })];
        }

        var rows = await CompiledQueries.ToListAsync(queries.ForMember(db, now, memberId), cancellationToken);
        return [.. rows.Select(r =>
        {
            // Only meetings the member is invited to come back, so their own invitation exists unless everyone is
            // invited (and then a meeting has no invitation rows at all): it need not be read.
            r.Meeting.Invitees = r.Meeting.InviteAllMembers ? [] : [new MeetingInvitee { MeetingId = r.Meeting.Id, MemberId = memberId }];
            return new MeetingView(r.Meeting, r.SeatsTaken, r.Own);
        })];
    }

    /// <summary>Meetings not ended where the member has a sign-up, waitlist place or leave request, or is expected (Mandatory).</summary>
    public async Task<IReadOnlyList<MeetingView>> MineAsync(string memberId, CancellationToken cancellationToken)
    {
        var upcoming = await UpcomingAsync(memberId, cancellationToken);
        return [.. upcoming.Where(v => (v.Own is not null && v.Own.Status != ParticipationStatus.Cancelled) || v.Meeting.Participation == ParticipationMode.Mandatory)];
    }

    /// <summary>Every meeting (for matching words of a title), with invitees.</summary>
    public async Task<IReadOnlyList<Meeting>> AllAsync(CancellationToken cancellationToken) =>
        await db.Meetings.AsNoTracking().Include(m => m.Invitees).Where(m => m.Status != MeetingStatus.Draft).OrderBy(m => m.StartsAt).ToListAsync(cancellationToken);

    /// <summary>The meeting with this id, compared without case ("mt-2027-02").</summary>
    public async Task<Meeting?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var trimmed = id.Trim();
        var ids = await db.Meetings.AsNoTracking().Where(m => m.Status != MeetingStatus.Draft).Select(m => m.Id).ToListAsync(cancellationToken);
        var match = ids.FirstOrDefault(i => string.Equals(i, trimmed, StringComparison.OrdinalIgnoreCase));
        return match is null ? null : await db.Meetings.AsNoTracking().Include(m => m.Invitees).FirstAsync(m => m.Id == match, cancellationToken);
    }

    /// <summary>
    /// Signs the member up, or puts them on the waitlist when <paramref name="joinWaitlist"/> and the meeting is full.
    /// Retries when another sign-up changed the seats between reading and saving, so the last seat goes to one member only.
    /// </summary>
    public async Task<SignUpResult> SignUpAsync(string meetingId, string memberId, bool joinWaitlist, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            try
            {
                return await TrySignUpAsync(meetingId, memberId, joinWaitlist, cancellationToken);
            }
            catch (DbUpdateException ex) when (attempt < MaxAttempts && IsConflict(ex))
            {
                LogSeatConflict(logger, meetingId, attempt);
            }
        }
    }

    private async Task<SignUpResult> TrySignUpAsync(string meetingId, string memberId, bool joinWaitlist, CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings.Include(m => m.Invitees).FirstOrDefaultAsync(m => m.Id == meetingId, cancellationToken);
        if (meeting is null || meeting.Status == MeetingStatus.Draft)
        {
            return new SignUpResult(SignUpOutcome.NotFound, null);
        }

        var now = Now;
        var own = await db.Participations.FirstOrDefaultAsync(p => p.MeetingId == meetingId && p.MemberId == memberId, cancellationToken);
        var blocked = meeting switch
        {
            { Status: MeetingStatus.Cancelled } => SignUpOutcome.MeetingCancelled,
            _ when meeting.EndsAt <= now => SignUpOutcome.MeetingOver,
            _ when !IsInvited(meeting, memberId) => SignUpOutcome.NotInvited,
            { Participation: ParticipationMode.Mandatory } when own?.Status is ParticipationStatus.LeavePending or ParticipationStatus.LeaveApproved => SignUpOutcome.OnLeave,
            { Participation: ParticipationMode.Mandatory } => SignUpOutcome.MandatoryMeeting,
            _ when own?.Status is ParticipationStatus.SignedUp or ParticipationStatus.CheckedIn => SignUpOutcome.AlreadySignedUp,
            _ when own?.Status is ParticipationStatus.Waitlisted => SignUpOutcome.AlreadyWaitlisted,
            _ when SignupClosesAt(meeting) <= now => SignUpOutcome.DeadlinePassed,
            _ => (SignUpOutcome?)null,
        };
        if (blocked is { } outcome)
        {
            return new SignUpResult(outcome, meeting, own?.WaitlistPosition, own?.Status);
        }

        // A seat that came free while others wait (staff just added seats and the waitlist is being moved up) is theirs:
        // a newcomer queues behind them.
        var taken = await db.Participations.Where(HoldsSeat).CountAsync(p => p.MeetingId == meetingId, cancellationToken);
        var full = meeting.Capacity is { } capacity
            && (taken >= capacity || await db.Participations.AnyAsync(p => p.MeetingId == meetingId && p.Status == ParticipationStatus.Waitlisted, cancellationToken));
        if (full && !joinWaitlist)
        {
            return new SignUpResult(SignUpOutcome.Full, meeting);
        }

        int? position = null;
        if (full)
        {
            position = 1 + (await db.Participations.Where(p => p.MeetingId == meetingId && p.Status == ParticipationStatus.Waitlisted)
                .MaxAsync(p => p.WaitlistPosition, cancellationToken) ?? 0);
        }

        var from = own?.Status;
        if (own is null)
        {
            own = new Participation { MeetingId = meetingId, MemberId = memberId, CreatedAt = now };
            db.Participations.Add(own);
        }

        own.Status = full ? ParticipationStatus.Waitlisted : ParticipationStatus.SignedUp;
        own.WaitlistPosition = position;
        own.WaitlistedAt = full ? now : null;
        own.UpdatedAt = now;
        meeting.Version++;
        Record(own, from, memberId, now, null);
        await db.SaveChangesAsync(cancellationToken);
        return new SignUpResult(full ? SignUpOutcome.Waitlisted : SignUpOutcome.SignedUp, meeting, position);
    }

    /// <summary>
    /// Cancels a sign-up or leaves the waitlist. A freed seat goes to the first on the waitlist, who is told.
    /// </summary>
    public Task<CancelResult> CancelAsync(string meetingId, string memberId, CancellationToken cancellationToken) =>
        CancelAsync(meetingId, memberId, withdrawnBy: null, waitlistOnly: false, cancellationToken);

    /// <summary>Leaves the waitlist (取消候补); a member who holds a seat meanwhile keeps it (<see cref="CancelOutcome.NotOnWaitlist"/>).</summary>
    public Task<CancelResult> LeaveWaitlistAsync(string meetingId, string memberId, CancellationToken cancellationToken) =>
        CancelAsync(meetingId, memberId, withdrawnBy: null, waitlistOnly: true, cancellationToken);

    /// <summary>
    /// Withdraws a member who is no longer on the roster from the meetings to come: their sign-ups, waitlist places and
    /// leave requests become 已取消 (recorded as <paramref name="actor"/>'s), each freed seat goes to the first on the
    /// waitlist, who is told, and their named invitations are removed. Returns the meetings they were withdrawn from.
    /// </summary>
    public async Task<IReadOnlyList<string>> WithdrawFromUpcomingAsync(string memberId, string actor, CancellationToken cancellationToken)
    {
        var now = Now;
        var meetingIds = await (from p in db.Participations.AsNoTracking()
                                join m in db.Meetings.AsNoTracking() on p.MeetingId equals m.Id
                                where p.MemberId == memberId && m.StartsAt > now && m.Status == MeetingStatus.Published
                                    && (p.Status == ParticipationStatus.SignedUp || p.Status == ParticipationStatus.Waitlisted || p.Status == ParticipationStatus.LeavePending)
                                orderby m.StartsAt
                                select m.Id)
            .ToListAsync(cancellationToken);
        var withdrawn = new List<string>();
        foreach (var meetingId in meetingIds)
        {
            if ((await CancelAsync(meetingId, memberId, actor, waitlistOnly: false, cancellationToken)).Outcome is CancelOutcome.Cancelled or CancelOutcome.LeftWaitlist)
            {
                withdrawn.Add(meetingId);
            }
        }

        // Named invitations to meetings to come go too: an attendance list would count them absent.
        var invited = db.Set<MeetingInvitee>().Where(i => i.MemberId == memberId && db.Meetings.Any(m => m.Id == i.MeetingId && m.StartsAt > now));
        withdrawn.AddRange((await invited.Select(i => i.MeetingId).ToListAsync(cancellationToken)).Except(withdrawn, StringComparer.Ordinal));
        await invited.ExecuteDeleteAsync(cancellationToken);
        return withdrawn;
    }

    /// <summary>
    /// Gives the seats a meeting gained (staff raised the number of seats, or lifted the limit) to its waitlist, in
    /// order; each member promoted is told. Returns how many were promoted.
    /// </summary>
    public async Task<int> FillFromWaitlistAsync(string meetingId, string actor, CancellationToken cancellationToken)
    {
        List<string> promotions;
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            try
            {
                promotions = await TryFillFromWaitlistAsync(meetingId, actor, cancellationToken);
                break;
            }
            catch (DbUpdateException ex) when (attempt < MaxAttempts && IsConflict(ex))
            {
                LogSeatConflict(logger, meetingId, attempt);
            }
        }

        foreach (var notice in promotions)
        {
            await SendPromotionNoticeAsync(meetingId, notice, cancellationToken);
        }

        return promotions.Count;
    }

    /// <summary>
    /// The minute job's sweep: meetings to come that have free seats and members waiting (seats changed in the database
    /// directly, a promotion a crash interrupted) move their waitlist up. Returns how many were promoted.
    /// </summary>
    public async Task<int> FillFreeSeatsAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        var waiting = await db.Meetings.AsNoTracking()
            .Where(m => m.Status == MeetingStatus.Published && m.StartsAt > now
                && db.Participations.Any(p => p.MeetingId == m.Id && p.Status == ParticipationStatus.Waitlisted)
                && (m.Capacity == null || db.Participations.Count(p => p.MeetingId == m.Id && (p.Status == ParticipationStatus.SignedUp || p.Status == ParticipationStatus.CheckedIn)) < m.Capacity))
            .Select(m => m.Id)
            .ToListAsync(cancellationToken);
        var promoted = 0;
        foreach (var id in waiting)
        {
            promoted += await FillFromWaitlistAsync(id, StateChangeActors.System, cancellationToken);
        }

        return promoted;
    }

    private async Task<List<string>> TryFillFromWaitlistAsync(string meetingId, string actor, CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings.FirstOrDefaultAsync(m => m.Id == meetingId, cancellationToken);
        var promotions = meeting is null ? [] : await PromoteIntoFreeSeatsAsync(meeting, actor, cancellationToken);
        if (promotions.Count == 0)
        {
            return [];
        }

        meeting!.Version++;
        await db.SaveChangesAsync(cancellationToken);
        return [.. promotions.Select(p => p.Notice)];
    }

    /// <summary>
    /// Gives the free seats of <paramref name="meeting"/> (tracked, with the seats the caller just set) to its waitlist in
    /// order, in the caller's unit of work: the promotions, their audit and their notices are stored by the caller's next
    /// save, which must also bump the meeting's version. A meeting not published or already started promotes nobody.
    /// Returns each member promoted with the claim of their notice, to send once saved (<see cref="SendPromotionNoticeAsync"/>).
    /// </summary>
    internal async Task<List<(Participation Promoted, string Notice)>> PromoteIntoFreeSeatsAsync(Meeting meeting, string actor, CancellationToken cancellationToken)
    {
        var now = Now;
        if (meeting.Status != MeetingStatus.Published || meeting.StartsAt <= now)
        {
            return [];
        }

        var waitlist = await db.Participations
            .Where(p => p.MeetingId == meeting.Id && p.Status == ParticipationStatus.Waitlisted)
            .OrderBy(p => p.WaitlistPosition).ThenBy(p => p.Id)
            .ToListAsync(cancellationToken);
        if (waitlist.Count == 0)
        {
            return [];
        }

        var taken = await db.Participations.Where(p => p.MeetingId == meeting.Id).CountAsync(HoldsSeat, cancellationToken);
        var free = meeting.Capacity is { } capacity ? Math.Max(0, capacity - taken) : waitlist.Count;
        if (free == 0)
        {
            return [];
        }

        var promotions = waitlist.Take(free).Select(first => (first, Promote(first, actor, now))).ToList();
        Renumber(waitlist.Skip(free));
        return promotions;
    }

    /// <summary>Sends the notice of a promotion saved with the claim <paramref name="notice"/> (see <see cref="PromoteIntoFreeSeatsAsync"/>).</summary>
    internal async Task<NotificationOutcome> SendPromotionNoticeAsync(string meetingId, string notice, CancellationToken cancellationToken)
    {
        var outcome = await notices.SendAsync(notice, cancellationToken);
        LogPromotionNotified(logger, meetingId, outcome);
        return outcome;
    }

    /// <param name="withdrawnBy">Null when the member cancels; else the staff actor withdrawing a member who left.</param>
    private async Task<CancelResult> CancelAsync(string meetingId, string memberId, string? withdrawnBy, bool waitlistOnly, CancellationToken cancellationToken)
    {
        CancelResult result;
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            try
            {
                result = await TryCancelAsync(meetingId, memberId, withdrawnBy, waitlistOnly, cancellationToken);
                break;
            }
            catch (DbUpdateException ex) when (attempt < MaxAttempts && IsConflict(ex))
            {
                LogSeatConflict(logger, meetingId, attempt);
            }
        }

        if (result.PromotionNotice is { } notice)
        {
            var outcome = await notices.SendAsync(notice, cancellationToken);
            LogPromotionNotified(logger, meetingId, outcome);
        }

        return result;
    }

    /// <summary>Whether the member could cancel now: <see cref="CancelOutcome.Cancelled"/> when they could, else why not.</summary>
    public async Task<CancelResult> CheckCancelAsync(string meetingId, string memberId, CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings.AsNoTracking().FirstOrDefaultAsync(m => m.Id == meetingId, cancellationToken);
        if (meeting is null)
        {
            return new CancelResult(CancelOutcome.NotFound, null);
        }

        var own = await db.Participations.AsNoTracking().FirstOrDefaultAsync(p => p.MeetingId == meetingId && p.MemberId == memberId, cancellationToken);
        return new CancelResult(CancelBlock(meeting, own) ?? CancelOutcome.Cancelled, meeting);
    }

    private CancelOutcome? CancelBlock(Meeting meeting, Participation? own) => meeting switch
    {
        { Status: MeetingStatus.Cancelled } => CancelOutcome.MeetingCancelled,
        _ when meeting.StartsAt <= Now => CancelOutcome.MeetingStarted,
        _ when own?.Status is not (ParticipationStatus.SignedUp or ParticipationStatus.Waitlisted) =>
            meeting.Participation == ParticipationMode.Mandatory ? CancelOutcome.MandatoryMeeting : CancelOutcome.NotSignedUp,
        _ => null,
    };

    /// <summary>Why a withdrawal has nothing to do: the meeting is over or cancelled, or the member holds nothing in it.</summary>
    private CancelOutcome? WithdrawBlock(Meeting meeting, Participation? own) => meeting switch
    {
        { Status: MeetingStatus.Cancelled } => CancelOutcome.MeetingCancelled,
        _ when meeting.StartsAt <= Now => CancelOutcome.MeetingStarted,
        _ when own?.Status is not (ParticipationStatus.SignedUp or ParticipationStatus.Waitlisted or ParticipationStatus.LeavePending) => CancelOutcome.NotSignedUp,
        _ => null,
    };

    private async Task<CancelResult> TryCancelAsync(string meetingId, string memberId, string? withdrawnBy, bool waitlistOnly, CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings.FirstOrDefaultAsync(m => m.Id == meetingId, cancellationToken);
        if (meeting is null || meeting.Status == MeetingStatus.Draft)
        {
            return new CancelResult(CancelOutcome.NotFound, null);
        }

        var now = Now;
        var own = await db.Participations.FirstOrDefaultAsync(p => p.MeetingId == meetingId && p.MemberId == memberId, cancellationToken);
        var block = withdrawnBy is null ? CancelBlock(meeting, own) : WithdrawBlock(meeting, own);
        if (block is null && waitlistOnly && own!.Status != ParticipationStatus.Waitlisted)
        {
            // Checked in the same unit of work as the change: a seat given meanwhile (staff added seats) is not lost.
            block = CancelOutcome.NotOnWaitlist;
        }

        if (block is { } outcome)
        {
            return new CancelResult(outcome, meeting);
        }

        var wasWaitlisted = own!.Status == ParticipationStatus.Waitlisted;
        var from = own.Status;
        own.Status = ParticipationStatus.Cancelled;
        Record(own, from, withdrawnBy ?? memberId, now, withdrawnBy is not null ? "no longer on the roster" : wasWaitlisted ? "left the waitlist" : null);
        own.WaitlistPosition = null;
        own.WaitlistedAt = null;
        own.UpdatedAt = now;
        meeting.Version++;

        var waitlist = await db.Participations
            .Where(p => p.MeetingId == meetingId && p.Status == ParticipationStatus.Waitlisted && p.Id != own.Id)
            .OrderBy(p => p.WaitlistPosition).ThenBy(p => p.Id)
            .ToListAsync(cancellationToken);
        string? promotionNotice = null;
        if (from == ParticipationStatus.SignedUp && waitlist.Count > 0)
        {
            promotionNotice = Promote(waitlist[0], withdrawnBy ?? memberId, now);
            waitlist.RemoveAt(0);
        }

        Renumber(waitlist);

        await db.SaveChangesAsync(cancellationToken);
        return new CancelResult(wasWaitlisted ? CancelOutcome.LeftWaitlist : CancelOutcome.Cancelled, meeting, promotionNotice);
    }

    /// <summary>
    /// Whether the member may ask for leave from this meeting, before the dialog asks for the reason (null while the
    /// member has not said it) or submits it.
    /// </summary>
    public async Task<LeaveResult> CheckLeaveAsync(string meetingId, string memberId, LeaveReason? reason, CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings.AsNoTracking().Include(m => m.Invitees).FirstOrDefaultAsync(m => m.Id == meetingId, cancellationToken);
        var own = await db.Participations.AsNoTracking().FirstOrDefaultAsync(p => p.MeetingId == meetingId && p.MemberId == memberId, cancellationToken);
        return new LeaveResult(LeaveBlock(meeting, own, memberId, reason) ?? LeaveOutcome.Allowed, meeting, own);
    }

    /// <summary>
    /// Asks for leave from a Mandatory meeting. Voluntary (OpenSignup) meetings need no leave: the member cancels the
    /// sign-up instead, which frees the seat for the waitlist.
    /// </summary>
    public async Task<LeaveResult> RequestLeaveAsync(string meetingId, string memberId, LeaveReason reason, string? note, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            try
            {
                return await TryRequestLeaveAsync(meetingId, memberId, reason, note, cancellationToken);
            }
            catch (DbUpdateException ex) when (attempt < MaxAttempts && IsConflict(ex))
            {
                LogSeatConflict(logger, meetingId, attempt);
            }
        }
    }

    /// <summary>
    /// One attempt of <see cref="RequestLeaveAsync"/>. It bumps the meeting's version as a sign-up does, so a staff change
    /// of the meeting saved meanwhile (its terms or invitees) makes it check again on what is stored now.
    /// </summary>
    private async Task<LeaveResult> TryRequestLeaveAsync(string meetingId, string memberId, LeaveReason reason, string? note, CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings.Include(m => m.Invitees).FirstOrDefaultAsync(m => m.Id == meetingId, cancellationToken);
        var own = await db.Participations.FirstOrDefaultAsync(p => p.MeetingId == meetingId && p.MemberId == memberId, cancellationToken);
        if (LeaveBlock(meeting, own, memberId, reason) is { } blocked)
        {
            return new LeaveResult(blocked, meeting, own);
        }

        var now = Now;
        var from = own?.Status;
        if (own is null)
        {
            own = new Participation { MeetingId = meetingId, MemberId = memberId, CreatedAt = now };
            db.Participations.Add(own);
        }

        own.Status = ParticipationStatus.LeavePending;
        own.LeaveReason = reason;
        own.LeaveNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        own.LeaveDecisionNote = null;
        own.UpdatedAt = now;
        meeting!.Version++;
        Record(own, from, memberId, now, null);
        await db.SaveChangesAsync(cancellationToken);
        return new LeaveResult(LeaveOutcome.Requested, meeting, own);
    }

    private LeaveOutcome? LeaveBlock(Meeting? meeting, Participation? own, string memberId, LeaveReason? reason) => meeting switch
    {
        null or { Status: MeetingStatus.Draft } => LeaveOutcome.NotFound,
        { Status: MeetingStatus.Cancelled } => LeaveOutcome.MeetingCancelled,
        _ when meeting.StartsAt <= Now => LeaveOutcome.MeetingStarted,
        _ when !IsInvited(meeting, memberId) => LeaveOutcome.NotInvited,
        { Participation: ParticipationMode.OpenSignup } => LeaveOutcome.NotMandatory,
        _ when own?.Status is ParticipationStatus.LeavePending => LeaveOutcome.AlreadyPending,
        _ when own?.Status is ParticipationStatus.LeaveApproved => LeaveOutcome.AlreadyApproved,
        _ when own?.Status is ParticipationStatus.LeaveRejected && reason is not null && own.LeaveReason == reason => LeaveOutcome.AlreadyRejected,
        _ when own?.Status is ParticipationStatus.CheckedIn => LeaveOutcome.AlreadyCheckedIn,
        _ => null,
    };

    /// <summary>
    /// Leave requests waiting for a decision, in the order they came in per meeting. A meeting that has started or ended
    /// keeps its undecided requests here: leave is often decided after the fact, and the member waits for the answer.
    /// </summary>
    public async Task<IReadOnlyList<PendingLeave>> PendingLeaveAsync(CancellationToken cancellationToken)
    {
        var rows = await (from p in db.Participations.AsNoTracking()
                          join m in db.Meetings.AsNoTracking() on p.MeetingId equals m.Id
                          join member in db.Members.AsNoTracking() on p.MemberId equals member.Id
                          where p.Status == ParticipationStatus.LeavePending && m.Status == MeetingStatus.Published
                          orderby m.StartsAt, p.UpdatedAt, p.Id
                          select new { p, m, member.Name })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new PendingLeave(r.p.Id, r.m, r.p.MemberId, r.Name, r.p.LeaveReason, r.p.LeaveNote, r.p.UpdatedAt))];
    }

    /// <summary>
    /// Refused leave of published meetings not ended more than <see cref="RefusedLeaveShownFor"/> ago, by meeting
    /// date: the office may approve one on review (a member's call, a new fact), also after the meeting.
    /// </summary>
    public async Task<IReadOnlyList<RefusedLeave>> RefusedLeaveAsync(CancellationToken cancellationToken)
    {
        var since = Now - RefusedLeaveShownFor;
        var rows = await (from p in db.Participations.AsNoTracking()
                          join m in db.Meetings.AsNoTracking() on p.MeetingId equals m.Id
                          join member in db.Members.AsNoTracking() on p.MemberId equals member.Id
                          where p.Status == ParticipationStatus.LeaveRejected && m.Status == MeetingStatus.Published && m.EndsAt > since
                          orderby m.StartsAt, p.UpdatedAt, p.Id
                          select new { p, m, member.Name })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new RefusedLeave(
            new PendingLeave(r.p.Id, r.m, r.p.MemberId, r.Name, r.p.LeaveReason, r.p.LeaveNote, r.p.UpdatedAt), r.p.LeaveDecisionNote, r.p.UpdatedAt))];
    }

    /// <summary>How long after its meeting ended a refused leave is still offered for review.</summary>
    public static readonly TimeSpan RefusedLeaveShownFor = TimeSpan.FromDays(30);

    /// <summary>
    /// Approves or rejects a leave request, also once the meeting has started or ended (the office decides leave after
    /// the fact too); the member is told the outcome on their channel. A cancelled meeting's request is left undecided.
    /// A refused request can still be approved (not the other way round).
    /// </summary>
    public async Task<LeaveDecisionResult> DecideLeaveAsync(long participationId, string staffId, bool approve, string? reason, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var participation = await db.Participations.FirstOrDefaultAsync(p => p.Id == participationId, cancellationToken);
        var meeting = participation is null ? null : await db.Meetings.FirstOrDefaultAsync(m => m.Id == participation.MeetingId, cancellationToken);
        if (participation is null || meeting is null)
        {
            return new LeaveDecisionResult(LeaveDecisionOutcome.NotFound);
        }

        var memberName = await db.Members.AsNoTracking().Where(m => m.Id == participation.MemberId).Select(m => m.Name).FirstAsync(cancellationToken);
        var leave = new PendingLeave(participation.Id, meeting, participation.MemberId, memberName, participation.LeaveReason, participation.LeaveNote, participation.UpdatedAt);
        // A refused request may be approved after all (the member called the office, or new facts came); an approval is
        // final: the member may already have planned around it.
        var reconsidered = approve && participation.Status == ParticipationStatus.LeaveRejected;
        if (participation.Status != ParticipationStatus.LeavePending && !reconsidered)
        {
            return new LeaveDecisionResult(LeaveDecisionOutcome.AlreadyDecided, leave, participation.Status);
        }

        if (meeting.Status == MeetingStatus.Cancelled)
        {
            return new LeaveDecisionResult(LeaveDecisionOutcome.MeetingCancelled, leave, participation.Status);
        }

        var now = Now;
        var from = participation.Status;
        var to = approve ? ParticipationStatus.LeaveApproved : ParticipationStatus.LeaveRejected;
        participation.Status = to;
        Record(participation, from, staffId, now, reconsidered ? "refused leave approved on review" : null);
        participation.LeaveDecisionNote = approve || string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        participation.UpdatedAt = now;
        var notice = notices.Enqueue(Notice.LeaveDecided(participation));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another staff member decided the same request a moment earlier; nothing of this attempt (its notice) stays.
            db.ChangeTracker.Clear();
            return new LeaveDecisionResult(LeaveDecisionOutcome.AlreadyDecided, leave, null);
        }

        var outcome = await notices.SendAsync(notice, cancellationToken);
        LogLeaveDecisionNotified(logger, meeting.Id, to, outcome);
        return new LeaveDecisionResult(LeaveDecisionOutcome.Decided, leave, to, outcome);
    }

    /// <summary>Gives a waitlisted member a seat (recorded as <paramref name="actor"/>'s); returns the claim of their notice.</summary>
    private string Promote(Participation waitlisted, string actor, DateTimeOffset now)
    {
        waitlisted.Status = ParticipationStatus.SignedUp;
        Record(waitlisted, ParticipationStatus.Waitlisted, actor, now, "promoted from the waitlist");
        waitlisted.WaitlistPosition = null;
        waitlisted.UpdatedAt = now;
        return notices.Enqueue(Notice.Promoted(waitlisted));
    }

    /// <summary>Numbers the waitlist 1, 2, … in its order.</summary>
    private static void Renumber(IEnumerable<Participation> waitlist)
    {
        var position = 0;
        foreach (var waiting in waitlist)
        {
            waiting.WaitlistPosition = ++position;
        }
    }

    /// <summary>Audits a change already applied to <paramref name="participation"/> (its status is the new one).</summary>
    private void Record(Participation participation, ParticipationStatus? from, string actor, DateTimeOffset at, string? note) =>
        db.StateChanges.Add(new StateChange
        {
            EntityType = StateChangeEntityTypes.Participation,
            EntityId = ParticipationKey(participation.MeetingId, participation.MemberId),
            From = from?.ToString(),
            To = participation.Status.ToString(),
            Actor = actor,
            At = at,
            Note = note,
        });

    /// <summary>
    /// The audit id of a participation: meeting and member, unique by the table's index and known before the row is
    /// inserted, so the audit row goes in the same save.
    /// </summary>
    /// <summary>Who is in which state for a meeting, for staff: names per state, waitlist in its order.</summary>
    public async Task<MeetingRoster?> RosterAsync(string meetingId, CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings.AsNoTracking().Include(m => m.Invitees).FirstOrDefaultAsync(m => m.Id == meetingId, cancellationToken);
        if (meeting is null)
        {
            return null;
        }

        var rows = await db.Participations.AsNoTracking()
            .Where(p => p.MeetingId == meetingId && p.Status != ParticipationStatus.Cancelled)
            .Join(db.Members, p => p.MemberId, m => m.Id, (p, m) => new { p.Status, p.WaitlistPosition, p.CreatedAt, m.Name, m.IsActive })
            .ToListAsync(cancellationToken);
        var upcoming = meeting.StartsAt > Now;
        var byState = rows
            .Where(r => r.IsActive || !upcoming)
            .OrderBy(r => r.WaitlistPosition ?? 0).ThenBy(r => r.CreatedAt)
            .GroupBy(r => r.Status)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(r => r.Name)]);
        int? expected = null;
        if (meeting.Participation == ParticipationMode.Mandatory)
        {
            // Members off the roster are not expected (a meeting that took place keeps those it expected then).
            var inviteeIds = meeting.Invitees.Select(i => i.MemberId).ToList();
            var invited = meeting.InviteAllMembers
                ? await db.Members.AsNoTracking().CountAsync(m => m.IsActive, cancellationToken)
                : upcoming
                ? await db.Members.AsNoTracking().CountAsync(m => m.IsActive && inviteeIds.Contains(m.Id), cancellationToken)
                : inviteeIds.Count;
            expected = invited - (byState.GetValueOrDefault(ParticipationStatus.LeaveApproved)?.Count ?? 0);
        }

        return new MeetingRoster(meeting, byState, expected);
    }

    public static string ParticipationKey(string meetingId, string memberId) => $"{meetingId}/{memberId}";

    // A concurrency conflict, or SQLite's unique index when two sign-ups of the same member insert at once.
    internal static bool IsConflict(DbUpdateException ex) =>
        ex is DbUpdateConcurrencyException
        || ex.InnerException is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 } or Npgsql.PostgresException { SqlState: "23505" };

    [LoggerMessage(EventId = 4200, Level = LogLevel.Information, Message = "Meeting {MeetingId} changed during a sign-up, cancellation or leave request; attempt {Attempt} is retried")]
    private static partial void LogSeatConflict(ILogger logger, string meetingId, int attempt);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "A waitlisted member of meeting {MeetingId} moved up; notification {Outcome}")]
    private static partial void LogPromotionNotified(ILogger logger, string meetingId, NotificationOutcome outcome);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information, Message = "A leave request for meeting {MeetingId} was decided ({Status}); notification {Outcome}")]
    private static partial void LogLeaveDecisionNotified(ILogger logger, string meetingId, ParticipationStatus status, NotificationOutcome outcome);
}

/// <summary>
/// The query behind <see cref="MeetingService.UpcomingAsync"/>, compiled (<see cref="CompiledQueries"/>): one statement
/// per 会议 that brings each meeting with its seat count and, for a member, that member's own participation (none or
/// one row, a plain left join). SQLite prepares every statement anew (no statement cache in Microsoft.Data.Sqlite), and
/// preparing cost more than running: the statement is kept as plain as the answer allows (no derived tables, no
/// collections and the ordering keys they bring).
/// </summary>
internal sealed class UpcomingQueries
{
    public Func<BotDbContext, DateTimeOffset, IAsyncEnumerable<UpcomingRow>> All { get; } =
        EF.CompileAsyncQuery((BotDbContext db, DateTimeOffset now) => db.Meetings.AsNoTracking()
            .Where(m => m.Status == MeetingStatus.Published && m.EndsAt > now)
            .OrderBy(m => m.StartsAt).ThenBy(m => m.Id)
            .Select(m => new UpcomingRow(m, db.Participations.Where(MeetingService.HoldsSeat).Count(p => p.MeetingId == m.Id), null, m.Invitees.ToList())));

    public Func<BotDbContext, DateTimeOffset, string, IAsyncEnumerable<UpcomingRow>> ForMember { get; } =
        EF.CompileAsyncQuery((BotDbContext db, DateTimeOffset now, string memberId) =>
            from m in db.Meetings.AsNoTracking()
            where m.Status == MeetingStatus.Published && m.EndsAt > now
                && (m.InviteAllMembers || m.Invitees.Any(i => i.MemberId == memberId))
            join p in db.Participations.AsNoTracking() on new { MeetingId = m.Id, MemberId = memberId } equals new { p.MeetingId, p.MemberId } into own
            from p in own.DefaultIfEmpty()
            orderby m.StartsAt, m.Id
            select new UpcomingRow(m, db.Participations.Where(MeetingService.HoldsSeat).Count(s => s.MeetingId == m.Id), p, null));
}

/// <summary>
/// A row of <see cref="UpcomingQueries"/>: the meeting, seats taken, and either the member's own participation or (for
/// the office, no member) every invitation.
/// </summary>
internal sealed record UpcomingRow(Meeting Meeting, int SeatsTaken, Participation? Own, List<MeetingInvitee>? Invitations);
