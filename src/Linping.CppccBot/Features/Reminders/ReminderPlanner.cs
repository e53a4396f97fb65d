using System.Globalization;
using Linping.CppccBot.Persistence;
using Linping.CppccBot.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Features.Reminders;

/// <summary>One reminder to one recipient that is due and not yet in the ledger.</summary>
/// <param name="Chat">For a group, the app whose group chat gets it (<see cref="ReminderDelivery.Chat"/>); empty for a member.</param>
public sealed record DueReminder(string MeetingId, string Kind, DateTimeOffset MeetingStartsAt, ReminderRecipientType RecipientType, string RecipientId, string Chat = "");

/// <summary>
/// Derives the due reminders from the database at a given time. Nothing is scheduled per meeting: created, moved,
/// re-timed and cancelled meetings and new sign-ups change the plan by themselves, and a host start reconciles.
/// <para>
/// A published meeting that has not started is in the window of its smallest offset already reached; only that
/// window's reminder is due (a host that was down during the 1-day window sends the 2-hour one, not both), and not to
/// those the publication notice (or the notice of a new time) reached when that window had already begun.
/// A cancelled meeting that has not started gets one cancellation notice, to the same people and groups.
/// </para>
/// </summary>
public sealed class ReminderPlanner(BotDbContext db, IOptions<ReminderOptions> options, IEnumerable<IReminderChannel> channels)
{
    private readonly IReadOnlyList<IReminderChannel> _channels = [.. channels];

    public static string KindOf(TimeSpan offset) => offset.ToString("c", CultureInfo.InvariantCulture);

    /// <summary>The reminder kind due for <paramref name="meeting"/> at <paramref name="now"/>, or null.</summary>
    public string? DueKind(Meeting meeting, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        if (meeting.StartsAt <= now || meeting.Status == MeetingStatus.Draft)
        {
            return null;
        }

        if (meeting.Status == MeetingStatus.Cancelled)
        {
            return ReminderDelivery.CancelledKind;
        }

        foreach (var offset in options.Value.OffsetsFor(meeting.Type))
        {
            if (meeting.StartsAt - offset <= now)
            {
                return KindOf(offset);
            }
        }

        return null;
    }

    public async Task<IReadOnlyList<DueReminder>> DueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var longest = Enum.GetValues<MeetingType>().Max(t => options.Value.OffsetsFor(t).DefaultIfEmpty().Max());
        var horizon = now + longest;
        var meetings = await db.Meetings.AsNoTracking()
            .Include(m => m.Invitees).Include(m => m.Groups)
            .Where(m => m.StartsAt > now && (m.Status == MeetingStatus.Cancelled || m.StartsAt <= horizon))
            .AsSplitQuery()
            .ToListAsync(cancellationToken);

        var due = meetings.Select(m => (Meeting: m, Kind: DueKind(m, now))).Where(x => x.Kind is not null).ToList();
        var moves = (await DueMovesAsync(now, cancellationToken)).ToList();
        due.AddRange(moves.Select(m => (m.Meeting, (string?)ReminderDelivery.MovedKind(m.Change.Id))));
        var movedAt = moves.ToDictionary(m => ReminderDelivery.MovedKind(m.Change.Id), m => m.Change.DetectedAt, StringComparer.Ordinal);

        // Before any ledger or roster read: a stale window's meeting is looked at every minute until the next window.
        due.RemoveAll(x => OffsetOf(x.Kind!) is { } offset && IsStale(x.Meeting, offset, now));
        if (due.Count == 0)
        {
            return [];
        }

        var ids = due.Select(x => x.Meeting.Id).ToList();
        var rows = await db.ReminderDeliveries.AsNoTracking()
            .Where(r => ids.Contains(r.MeetingId))
            .Select(r => new { r.MeetingId, r.Kind, r.MeetingStartsAt, r.RecipientType, r.RecipientId, r.Chat, r.Status, r.SentAt, r.CreatedAt })
            .ToListAsync(cancellationToken);
        var ledger = rows.Select(r => (r.MeetingId, r.Kind, r.MeetingStartsAt.UtcTicks, r.RecipientType, r.RecipientId, r.Chat)).ToHashSet();

        // When each recipient last got each timed reminder of a meeting, whatever start it was planned for.
        var lastSent = rows.Where(r => r.Status == ReminderDeliveryStatus.Sent && r.SentAt is not null)
            .GroupBy(r => (r.MeetingId, r.Kind, r.RecipientType, r.RecipientId, r.Chat))
            .ToDictionary(g => g.Key, g => g.Max(r => r.SentAt!.Value));

        // When each recipient was last told the meeting's time by a notice: its publication, a staff change of its time, or
        // the notice of a new start found by a run (a meeting re-timed by an import or outside the staff API).
        var retimed = (await db.MeetingChanges.AsNoTracking()
                .Where(c => ids.Contains(c.MeetingId) && c.OldStartsAt != c.NewStartsAt)
                .Select(c => c.Id)
                .ToListAsync(cancellationToken))
            .ToHashSet();
        bool TellsTime(string kind) =>
            kind == ReminderDelivery.PublishedKind || ReminderDelivery.ChangedAspects(kind).HasFlag(MeetingAspects.Time)
            || (ReminderDelivery.MovedChangeId(kind) is { } changeId && retimed.Contains(changeId));
        var toldAt = rows.Where(r => TellsTime(r.Kind))
            .GroupBy(r => (r.MeetingId, r.RecipientType, r.RecipientId, r.Chat))
            .ToDictionary(g => g.Key, g => g.Max(r => r.CreatedAt));

        // A group with robots in both apps is two chats, each reminded once.
        var groupIds = due.SelectMany(x => x.Meeting.Groups.Select(g => g.GroupId)).Distinct().ToList();
        var groups = await db.Groups.AsNoTracking()
            .Where(g => groupIds.Contains(g.Id))
            .Select(g => new GroupAddress(g.Id, g.WeComWebhookKey, g.DingTalkAccessToken, g.DingTalkSecret))
            .ToDictionaryAsync(g => g.GroupId, cancellationToken);

        var result = new List<DueReminder>();

        // Notices of a new start first: one planned in this run tells the time now, so that window's reminder is not
        // planned beside it.
        foreach (var (meeting, kind) in due.OrderBy(x => ReminderDelivery.MovedChangeId(x.Kind!) is null))
        {
            var members = await RecipientsAsync(meeting, cancellationToken);
            var recipients = members.Select(id => (ReminderRecipientType.Member, id, Chat: string.Empty))
                .Concat(meeting.Groups.SelectMany(g => ReminderRouting.ChatsOf(groups.GetValueOrDefault(g.GroupId), _channels)
                    .Select(chat => (ReminderRecipientType.Group, g.GroupId, chat))));
            var offset = OffsetOf(kind!);
            HashSet<string>? joinedSince = null;
            foreach (var (type, id, chat) in recipients)
            {
                if (ledger.Contains((meeting.Id, kind!, meeting.StartsAt.UtcTicks, type, id, chat)))
                {
                    continue;
                }

                if (movedAt.TryGetValue(kind!, out var changedAt))
                {
                    // The notice of a new time or place is for those told of the old: not for who joined the meeting
                    // since, nor for who a notice told the time since (invited later); both saw the new time and place.
                    if (toldAt.TryGetValue((meeting.Id, type, id, chat), out var toldSince) && toldSince > changedAt)
                    {
                        continue;
                    }

                    joinedSince ??= type == ReminderRecipientType.Member ? await JoinedSinceAsync(meeting, changedAt, cancellationToken) : null;
                    if (type == ReminderRecipientType.Member && joinedSince!.Contains(id))
                    {
                        continue;
                    }
                }

                if (offset is { } o && lastSent.TryGetValue((meeting.Id, kind!, type, id, chat), out var sentAt) && sentAt >= meeting.StartsAt - (o * 1.5))
                {
                    // Reminded for this window before the meeting moved a little: the change notice told the new time.
                    continue;
                }

                if (offset is { } window && toldAt.TryGetValue((meeting.Id, type, id, chat), out var told) && told >= meeting.StartsAt - window)
                {
                    // Told of the meeting (published, or re-timed) when this reminder's time had already come: the
                    // notice a minute ago was the reminder; a second card on top of it would only repeat it.
                    continue;
                }

                result.Add(new DueReminder(meeting.Id, kind!, meeting.StartsAt, type, id, chat));
                if (TellsTime(kind!))
                {
                    toldAt[(meeting.Id, type, id, chat)] = now;
                }
            }
        }

        return result;
    }

    /// <summary>The offset of a timed reminder's kind ("02:00:00"), or null for notices (cancelled, moved).</summary>
    private static TimeSpan? OffsetOf(string kind) =>
        TimeSpan.TryParseExact(kind, "c", CultureInfo.InvariantCulture, out var offset) ? offset : null;

    /// <summary>
    /// A reminder more than half its offset late is no reminder: the meeting was published, re-timed or the member
    /// signed up well inside the window (they were just told the time), or the job could not run for long. The next
    /// smaller offset reminds them; a "1 day before" reminder two hours before the start would only confuse.
    /// </summary>
    private static bool IsStale(Meeting meeting, TimeSpan offset, DateTimeOffset now) => now - (meeting.StartsAt - offset) > offset / 2;

    /// <summary>The meeting's group chats a configured channel can reach: a group with robots in both apps is two chats.</summary>
    public async Task<IReadOnlyList<(string GroupId, string Chat)>> GroupChatsAsync(Meeting meeting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        var groupIds = meeting.Groups.Select(g => g.GroupId).ToList();
        var groups = await db.Groups.AsNoTracking()
            .Where(g => groupIds.Contains(g.Id))
            .Select(g => new GroupAddress(g.Id, g.WeComWebhookKey, g.DingTalkAccessToken, g.DingTalkSecret))
            .ToListAsync(cancellationToken);
        return [.. groups.SelectMany(g => ReminderRouting.ChatsOf(g, _channels).Select(chat => (g.GroupId, chat)))];
    }

    /// <summary>
    /// Who hears of a meeting's publication and changes: every active invitee (all active members when everyone is
    /// invited) and anyone else who holds a participation that is not cancelled.
    /// </summary>
    public async Task<IReadOnlyList<string>> AudienceAsync(Meeting meeting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        var audience = (await RecipientsAsync(meeting, cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var invited = meeting.InviteAllMembers
            ? await db.Members.AsNoTracking().Where(m => m.IsActive).Select(m => m.Id).ToListAsync(cancellationToken)
            : meeting.Invitees.Select(i => i.MemberId).ToList();
        var others = await db.Participations.AsNoTracking()
            .Where(p => p.MeetingId == meeting.Id && p.Status != ParticipationStatus.Cancelled)
            .Select(p => p.MemberId).ToListAsync(cancellationToken);
        var wanted = invited.Concat(others).Where(id => !audience.Contains(id)).Distinct(StringComparer.Ordinal).ToList();
        audience.UnionWith(await db.Members.AsNoTracking().Where(m => m.IsActive && EF.Parameter(wanted).Contains(m.Id)).Select(m => m.Id).ToListAsync(cancellationToken));
        return [.. audience.Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// A change of seats alone that leaves none free is no news: the waitlist takes the new seats (before or after this
    /// is asked: those still waiting count as seated), and a notice to all would invite members to a meeting that is full again.
    /// </summary>
    public Task<bool> IsFullAfterSeatsChangeAsync(Meeting meeting, MeetingAspects aspects, CancellationToken cancellationToken) =>
        IsFullAfterSeatsChangeAsync(db, meeting, aspects, cancellationToken);

    /// <inheritdoc cref="IsFullAfterSeatsChangeAsync(Meeting, MeetingAspects, CancellationToken)"/>
    public static async Task<bool> IsFullAfterSeatsChangeAsync(BotDbContext db, Meeting meeting, MeetingAspects aspects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(meeting);
        return aspects == MeetingAspects.Seats && meeting.Capacity is { } seats
            && await db.Participations.CountAsync(
                p => p.MeetingId == meeting.Id
                    && (p.Status == ParticipationStatus.SignedUp || p.Status == ParticipationStatus.CheckedIn || p.Status == ParticipationStatus.Waitlisted),
                cancellationToken) >= seats;
    }

    /// <summary>True when <paramref name="change"/> still describes <paramref name="meeting"/> (no later move, not cancelled).</summary>
    public static bool IsCurrent(MeetingChange change, Meeting meeting) =>
        meeting.Status == MeetingStatus.Published && change.NewStartsAt == meeting.StartsAt && string.Equals(change.NewLocation, meeting.Location, StringComparison.Ordinal);

    /// <summary>The statuses of a member expected at a meeting by their own participation (see <see cref="RecipientsAsync"/>).</summary>
    private static readonly string[] ExpectedStatuses =
        [.. new[] { ParticipationStatus.SignedUp, ParticipationStatus.LeavePending, ParticipationStatus.LeaveRejected, ParticipationStatus.CheckedIn }.Select(s => s.ToString())];

    /// <summary>
    /// The members of <paramref name="meeting"/> expected by a participation they did not hold as expected at
    /// <paramref name="at"/>: one made later, or one cancelled, waitlisted or excused then (its audit trail says which).
    /// Invitees of a Mandatory meeting were expected by their invitation, whatever they did since, unless it was made at
    /// or after <paramref name="at"/> (a later file or staff change; for a meeting open to all, a member not on the roster
    /// then): then they too are expected only since.
    /// </summary>
    private async Task<HashSet<string>> JoinedSinceAsync(Meeting meeting, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var participations = await db.Participations.AsNoTracking()
            .Where(p => p.MeetingId == meeting.Id)
            .Select(p => new { p.MemberId, p.CreatedAt })
            .ToListAsync(cancellationToken);
        var keys = participations.Select(p => Features.Meetings.MeetingService.ParticipationKey(meeting.Id, p.MemberId)).ToList();
        var before = (await db.StateChanges.AsNoTracking()
                .Where(c => c.EntityType == StateChangeEntityTypes.Participation && EF.Parameter(keys).Contains(c.EntityId) && c.At <= at)
                .Select(c => new { c.EntityId, c.To, c.At, c.Id })
                .ToListAsync(cancellationToken))
            .GroupBy(c => c.EntityId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(c => c.At).ThenBy(c => c.Id).Last().To, StringComparer.Ordinal);
        var mandatory = meeting.Participation == ParticipationMode.Mandatory;
        var invitedSince = !mandatory ? []
            : meeting.InviteAllMembers ? await OnRosterSinceAsync(at, cancellationToken)
            : meeting.Invitees.Where(i => i.InvitedAt >= at).Select(i => i.MemberId).ToHashSet(StringComparer.Ordinal);
        bool InvitedBefore(string memberId) =>
            mandatory && !invitedSince.Contains(memberId) && (meeting.InviteAllMembers || meeting.Invitees.Any(i => i.MemberId == memberId));
        var joined = participations
            .Where(p => !InvitedBefore(p.MemberId))
            .Where(p => p.CreatedAt > at
                || (before.TryGetValue(Features.Meetings.MeetingService.ParticipationKey(meeting.Id, p.MemberId), out var then) && !ExpectedStatuses.Contains(then)))
            .Select(p => p.MemberId)
            .ToHashSet(StringComparer.Ordinal);

        // Invited since without a participation of their own: expected by that invitation alone.
        joined.UnionWith(invitedSince.Where(id => !participations.Any(p => p.MemberId == id)));
        return joined;
    }

    /// <summary>
    /// The active members who were not on the roster at <paramref name="at"/>: added at or after it, or taken off before it
    /// and put back since. A meeting open to all members invites them only from then on. (A member taken off loses their
    /// named invitations, so for other meetings a new invitation's date says the same.)
    /// </summary>
    private async Task<HashSet<string>> OnRosterSinceAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        var since = (await db.Members.AsNoTracking().Where(m => m.IsActive && m.AddedAt >= at).Select(m => m.Id).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        var putBack = await db.StateChanges.AsNoTracking()
            .Where(c => c.EntityType == StateChangeEntityTypes.Member && c.To == MemberActive && c.At >= at)
            .Select(c => c.EntityId)
            .Distinct()
            .ToListAsync(cancellationToken);
        if (putBack.Count == 0)
        {
            return since;
        }

        var offThen = (await db.StateChanges.AsNoTracking()
                .Where(c => c.EntityType == StateChangeEntityTypes.Member && EF.Parameter(putBack).Contains(c.EntityId) && c.At < at)
                .Select(c => new { c.EntityId, c.To, c.At, c.Id })
                .ToListAsync(cancellationToken))
            .GroupBy(c => c.EntityId, StringComparer.Ordinal)
            .Where(g => g.OrderBy(c => c.At).ThenBy(c => c.Id).Last().To != MemberActive)
            .Select(g => g.Key)
            .ToList();
        since.UnionWith(await db.Members.AsNoTracking().Where(m => m.IsActive && EF.Parameter(offThen).Contains(m.Id)).Select(m => m.Id).ToListAsync(cancellationToken));
        return since;
    }

    /// <summary>The state a member put back on the roster moves to (<see cref="StateChangeEntityTypes.Member"/>).</summary>
    private const string MemberActive = "Active";

    /// <summary>The latest recorded move of each upcoming meeting, while it still describes the meeting.</summary>
    private async Task<IEnumerable<(Meeting Meeting, MeetingChange Change)>> DueMovesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var told = (await db.Meetings.AsNoTracking()
                .Include(m => m.Invitees).Include(m => m.Groups)
                .Where(m => m.Status == MeetingStatus.Published && m.AnnouncedStartsAt != null && m.StartsAt > now)
                .AsSplitQuery()
                .ToListAsync(cancellationToken))
            .ToDictionary(m => m.Id, StringComparer.Ordinal);
        if (told.Count == 0)
        {
            return [];
        }

        var ids = told.Keys.ToList();
        // Moves the job found; a staff change has its own notice, announced once (not to whoever joins later).
        var changes = await db.MeetingChanges.AsNoTracking().Where(c => ids.Contains(c.MeetingId) && c.Aspects == MeetingAspects.None).ToListAsync(cancellationToken);
        return changes
            .GroupBy(c => c.MeetingId)
            .Select(g => g.MaxBy(c => c.Id)!)
            .Where(c => IsCurrent(c, told[c.MeetingId]))
            .Select(c => (told[c.MeetingId], c));
    }

    /// <summary>
    /// Members expected at the meeting: everyone signed up (not waitlisted, cancelled or excused), and for a Mandatory
    /// meeting every invitee (all active members when everyone is invited) without approved leave. A cancelled meeting's
    /// notice also goes to its waitlist: they were told they would hear when a seat came free, and none will.
    /// </summary>
    public async Task<IReadOnlyList<string>> RecipientsAsync(Meeting meeting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        var participations = await db.Participations.AsNoTracking()
            .Where(p => p.MeetingId == meeting.Id)
            .Select(p => new { p.MemberId, p.Status })
            .ToListAsync(cancellationToken);
        var cancelled = meeting.Status == MeetingStatus.Cancelled;
        var expected = participations
            .Where(p => p.Status is ParticipationStatus.SignedUp or ParticipationStatus.LeavePending or ParticipationStatus.LeaveRejected or ParticipationStatus.CheckedIn
                || (cancelled && p.Status == ParticipationStatus.Waitlisted))
            .Select(p => p.MemberId)
            .ToHashSet(StringComparer.Ordinal);

        if (meeting.Participation == ParticipationMode.Mandatory)
        {
            var excused = participations.Where(p => p.Status == ParticipationStatus.LeaveApproved).Select(p => p.MemberId).ToHashSet(StringComparer.Ordinal);
            var invited = meeting.InviteAllMembers
                ? await db.Members.AsNoTracking().Where(m => m.IsActive).Select(m => m.Id).ToListAsync(cancellationToken)
                : meeting.Invitees.Select(i => i.MemberId).ToList();
            expected.UnionWith(invited.Where(id => !excused.Contains(id)));
        }

        var wanted = expected.ToList();
        var active = await db.Members.AsNoTracking().Where(m => m.IsActive && EF.Parameter(wanted).Contains(m.Id)).Select(m => m.Id).ToListAsync(cancellationToken);
        return [.. active.Order(StringComparer.Ordinal)];
    }
}
