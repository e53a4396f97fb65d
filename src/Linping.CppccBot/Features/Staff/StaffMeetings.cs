using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Linping.CppccBot.Features.Common;
using Linping.CppccBot.Features.Meetings;
using Linping.CppccBot.Features.Reminders;
using Linping.CppccBot.Persistence;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Persistence.Import;
using Microsoft.EntityFrameworkCore;

namespace Linping.CppccBot.Features.Staff;

/// <summary>A meeting as staff see it in lists, with how many participations are in each state (by Chinese label).</summary>
public sealed record StaffMeetingView(
    string Id,
    string Title,
    string Type,
    string TypeLabel,
    string Status,
    string StatusLabel,
    string? Location,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    int? Capacity,
    string Participation,
    DateTimeOffset? SignupDeadline,
    IReadOnlyList<string> Invitees,
    IReadOnlyList<string> Groups,
    IReadOnlyDictionary<string, int> Counts);

/// <summary>One member's sign-up, leave request or attendance, for staff (leave notes are shown to staff only).</summary>
public sealed record StaffParticipationView(
    string MemberId,
    string? MemberName,
    string Status,
    string StatusLabel,
    int? WaitlistPosition,
    string? LeaveReason,
    string? LeaveNote,
    string? LeaveDecisionNote,
    DateTimeOffset? CheckedInAt,
    DateTimeOffset UpdatedAt);

public sealed record StaffMeetingDetail(StaffMeetingView Meeting, IReadOnlyList<StaffParticipationView> Participations);

/// <summary>What a notice achieved: how many recipients got it now, and how many the reminder job will retry.</summary>
public sealed record NoticeSummary(int Sent, int Failed, int NoChannel, int Invalid)
{
    public static NoticeSummary From(ReminderRunSummary run) => new(run.Sent, run.Failed, run.NoChannel, run.Invalid);
}

public sealed record CheckInRequest(string? MemberId);

public sealed record LeaveDecisionRequest(string? Reason);

/// <summary>
/// The meeting lifecycle for staff: create (draft), change, publish (notice to invitees and groups, once), cancel
/// (the reminder job's one cancellation notice), leave decisions (through <see cref="MeetingService"/>) and check-in.
/// Every status change writes a <see cref="StateChange"/> with actor <see cref="StateChangeActors.StaffApi"/>.
/// </summary>
public sealed partial class StaffMeetings(
    BotDbContext db,
    DataImporter importer,
    MeetingService meetings,
    ReminderPlanner planner,
    ReminderDispatcher dispatcher,
    ChineseTime chineseTime,
    TimeProvider time,
    ILogger<StaffMeetings> logger)
{
    private const string Actor = StateChangeActors.StaffApi;
    private const int MaxChangeAttempts = 5;

    public async Task<IReadOnlyList<StaffMeetingView>> ListAsync(CancellationToken cancellationToken)
    {
        var all = await db.Meetings.AsNoTracking().Include(m => m.Invitees).Include(m => m.Groups).AsSplitQuery()
            .OrderBy(m => m.StartsAt).ToListAsync(cancellationToken);
        var counts = (await db.Participations.AsNoTracking()
                .GroupBy(p => new { p.MeetingId, p.Status })
                .Select(g => new { g.Key.MeetingId, g.Key.Status, Count = g.Count() })
                .ToListAsync(cancellationToken))
            .ToLookup(c => c.MeetingId);
        return [.. all.Select(m => View(m, counts[m.Id].ToDictionary(c => c.Status, c => c.Count)))];
    }

    public async Task<IResult> GetAsync(string id, CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings.AsNoTracking().Include(m => m.Invitees).Include(m => m.Groups).AsSplitQuery()
            .FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (meeting is null)
        {
            return StaffResults.NotFound($"会议 {id}");
        }

        var rows = await (from p in db.Participations.AsNoTracking()
                          join member in db.Members.AsNoTracking() on p.MemberId equals member.Id into named
                          from member in named.DefaultIfEmpty()
                          where p.MeetingId == id
                          orderby p.Status, p.WaitlistPosition, p.CreatedAt, p.Id
                          select new { p, Name = member == null ? null : member.Name })
            .ToListAsync(cancellationToken);
        // Leave details only on a leave row, as in the exports: a member who came after all reads 已签到 alone.
        var participations = rows.Select(r => MeetingExportService.IsLeave(r.p)
            ? new StaffParticipationView(
                r.p.MemberId, r.Name, StatusValue(r.p.Status, meeting.Status), r.p.Status.ToLabel(meeting.Status), r.p.WaitlistPosition, r.p.LeaveReason?.ToLabel(), r.p.LeaveNote,
                r.p.LeaveDecisionNote, r.p.CheckedInAt, r.p.UpdatedAt)
            : new StaffParticipationView(
                r.p.MemberId, r.Name, r.p.Status.ToString(), r.p.Status.ToLabel(), r.p.WaitlistPosition, null, null, null, r.p.CheckedInAt, r.p.UpdatedAt)).ToList();
        var counts = rows.GroupBy(r => r.p.Status).ToDictionary(g => g.Key, g => g.Count());
        return Results.Ok(new StaffMeetingDetail(View(meeting, counts), participations));
    }

    /// <summary>Creates a draft: members see nothing until it is published.</summary>
    public async Task<IResult> CreateAsync(JsonObject body, CancellationToken cancellationToken)
    {
        if (StaffResults.UnknownFields(body, typeof(MeetingRecord)) is { } unknown)
        {
            return unknown;
        }

        var id = body["id"] is JsonValue value && value.TryGetValue<string>(out var given) && !string.IsNullOrWhiteSpace(given)
            ? given.Trim()
            : await NextIdAsync(cancellationToken);
        if (await db.Meetings.AnyAsync(m => m.Id == id, cancellationToken))
        {
            return StaffResults.Conflict($"会议编号 {id} 已存在；修改请用 PUT /api/admin/meetings/{id}。");
        }

        body["id"] = id;
        var (valid, error) = await ValidateAsync(body, null, cancellationToken);
        if (valid is null)
        {
            return error!;
        }

        var now = time.GetUtcNow();
        var meeting = new Meeting { Id = id, Title = valid.Title, Status = MeetingStatus.Draft };
        Apply(meeting, valid, now);
        db.Meetings.Add(meeting);
        Record(id, null, MeetingStatus.Draft, now);
        await db.SaveChangesAsync(cancellationToken);
        return Results.Created($"/api/admin/meetings/{id}", View(meeting, []));
    }

    /// <summary>
    /// Changes the fields the body has (absent fields keep their value). A published meeting's members and groups are
    /// told of a change to its title, time, place or terms; newly invited members get the notice of publication.
    /// The reminder plan follows by itself (it is derived from the meeting at each run).
    /// </summary>
    public async Task<IResult> ChangeAsync(string id, JsonObject body, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            if (await TryChangeAsync(id, body, cancellationToken) is { } result)
            {
                return result;
            }

            if (attempt == MaxChangeAttempts)
            {
                return StaffResults.Conflict("会议的报名情况刚刚有变化，修改未保存，请稍后重新提交。");
            }

            LogChangeRetried(logger, id, attempt);
        }
    }

    /// <summary>
    /// One attempt of <see cref="ChangeAsync"/>; null when a member signed up, cancelled or asked for leave between its
    /// read and its save (the meeting's version moved on): nothing of it was kept, and it is checked and applied again
    /// on what is stored now (seats below the sign-ups are then refused as usual).
    /// </summary>
    private async Task<IResult?> TryChangeAsync(string id, JsonObject body, CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings.Include(m => m.Invitees).Include(m => m.Groups).AsSplitQuery()
            .FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (meeting is null)
        {
            return StaffResults.NotFound($"会议 {id}");
        }

        var now = time.GetUtcNow();
        if (meeting.Status == MeetingStatus.Cancelled)
        {
            return StaffResults.Conflict("会议已取消，不能再修改。");
        }

        if (meeting.EndsAt <= now)
        {
            return StaffResults.Conflict("会议已结束，不能再修改。");
        }

        var merged = Snapshot(meeting);
        if (StaffResults.UnknownFields(body, [.. merged.Select(p => p.Key)]) is { } unknown)
        {
            return unknown;
        }

        foreach (var (key, node) in body)
        {
            if (!string.Equals(key, "id", StringComparison.OrdinalIgnoreCase))
            {
                merged[char.ToLowerInvariant(key[0]) + key[1..]] = node?.DeepClone();
            }
        }

        var (valid, error) = await ValidateAsync(merged, meeting, cancellationToken);
        if (valid is null)
        {
            return error!;
        }

        if (meeting.Status == MeetingStatus.Published && meeting.StartsAt <= now
            && (valid.StartsAt != meeting.StartsAt || !string.Equals(valid.Location, meeting.Location, StringComparison.Ordinal)))
        {
            // Members are on their way or in the room: a notice now would come too late, and a change nobody hears of
            // would leave them at the old time and place. Its end may still change (a meeting that runs over).
            return StaffResults.Conflict("会议已开始，不能再修改开始时间或地点；如需临时调整，请直接通知参会委员。");
        }

        // Under way, other changes (its end, title, seats, terms, invitees) are kept for the record but announced to
        // nobody: a notice would come too late, as for start and place, and nobody goes to the wrong time or place for
        // want of it. The answer says so rather than reporting a notice sent to no one.
        var underWay = meeting.Status == MeetingStatus.Published && meeting.StartsAt <= now;
        var before = (meeting.Title, meeting.Type, meeting.Location, meeting.StartsAt, meeting.EndsAt, meeting.Capacity, meeting.Participation, meeting.SignupDeadline);
        var was = MeetingChange.AsMembersSeeIt(meeting);

        // Who already knows of the meeting: only those this change adds hear of its publication (an imported meeting's
        // members were never sent one, and an unrelated change must not send it to all of them now).
        var audienceBefore = meeting.Status == MeetingStatus.Published && !underWay
            ? (await planner.AudienceAsync(meeting, cancellationToken)).ToHashSet(StringComparer.Ordinal)
            : [];
        var groupsBefore = meeting.Groups.Select(g => g.GroupId).ToHashSet(StringComparer.Ordinal);

        // The meeting, the record of its change and the notices it brings are saved together (one transaction): a host
        // that stops in between loses neither the change's notice nor leaves a notice of a change not made. They are
        // sent once saved; what a stop keeps from going out, the reminder job retries from the ledger.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        Apply(meeting, valid, now);
        var after = (meeting.Title, meeting.Type, meeting.Location, meeting.StartsAt, meeting.EndsAt, meeting.Capacity, meeting.Participation, meeting.SignupDeadline);
        if (meeting.Status == MeetingStatus.Published && meeting.AnnouncedStartsAt is not null)
        {
            // The change notice below tells members the new time and place; the reminder job's move detection must not tell them again.
            (meeting.AnnouncedStartsAt, meeting.AnnouncedEndsAt, meeting.AnnouncedLocation) = (meeting.StartsAt, meeting.EndsAt, meeting.Location);
        }

        // A member's sign-up, cancellation or leave request that read the meeting before this change saves against the
        // old version and is checked again on the new seats, deadline and terms; one saved since this change read the
        // meeting makes this save fail instead, and the change is tried again (the transaction rolls back unsaved).
        meeting.Version++;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return null;
        }

        NoticeSummary? notice = null;
        string? noticeClaim = null;
        if (meeting.Status == MeetingStatus.Published && !underWay)
        {
            if (before != after)
            {
                var aspects = MeetingChange.Compare(was, meeting);

                // Seats alone are news only while some are left once the waitlist has moved up (below).
                if (await planner.IsFullAfterSeatsChangeAsync(meeting, aspects, cancellationToken))
                {
                    notice = new NoticeSummary(0, 0, 0, 0);
                }
                else
                {
                    // The change is kept with its old values: its notice (and any retry of it) says what it changed.
                    var change = MeetingChange.Between(id, aspects, Actor, now, was, meeting);
                    change.AnnouncedAt = now;
                    db.MeetingChanges.Add(change);
                    await db.SaveChangesAsync(cancellationToken);
                    noticeClaim = await ClaimAnnouncementAsync(meeting, ReminderDelivery.ChangedKind(change), now, cancellationToken);
                }
            }
            else
            {
                noticeClaim = await ClaimAnnouncementAsync(meeting, ReminderDelivery.PublishedKind, now, cancellationToken, (audienceBefore, groupsBefore));
            }
        }

        // Members the change took off the meeting (no longer invited, and not signed up) who were told of it (a notice or
        // a reminder reached them) hear that they need not come.
        string? uninvitedClaim = null;
        if (meeting.Status == MeetingStatus.Published && audienceBefore.Count > 0)
        {
            var audienceAfter = (await planner.AudienceAsync(meeting, cancellationToken)).ToHashSet(StringComparer.Ordinal);
            var removed = audienceBefore.Where(m => !audienceAfter.Contains(m)).ToList();
            var told = removed.Count == 0
                ? []
                : await db.ReminderDeliveries.AsNoTracking()
                    .Where(r => r.MeetingId == id && r.RecipientType == ReminderRecipientType.Member && r.Status == ReminderDeliveryStatus.Sent && removed.Contains(r.RecipientId))
                    .Select(r => r.RecipientId).Distinct().ToListAsync(cancellationToken);
            uninvitedClaim = await ClaimAsync(
                meeting,
                ReminderDelivery.UninvitedKind(now),
                [.. told.Order(StringComparer.Ordinal).Select(m => (ReminderRecipientType.Member, m, string.Empty))],
                now,
                cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);

        // More seats, or no limit any more: the waitlist moves up now (each member promoted is told), before the notice,
        // which then says whether seats are left. A seat is news only before the meeting.
        var promoted = meeting.Status == MeetingStatus.Published && !underWay && (after.Capacity is null ? before.Capacity is not null : after.Capacity > before.Capacity)
            ? await meetings.FillFromWaitlistAsync(id, Actor, cancellationToken)
            : 0;
        notice ??= noticeClaim is null ? null : await SendClaimedAsync(noticeClaim, now, cancellationToken);
        NoticeSummary? uninvited = audienceBefore.Count == 0 || meeting.Status != MeetingStatus.Published
            ? null
            : uninvitedClaim is null ? new NoticeSummary(0, 0, 0, 0) : await SendClaimedAsync(uninvitedClaim, now, cancellationToken);

        LogChanged(logger, id, before != after);
        var noticeWithheld = underWay ? "会议已开始，修改已保存，但不再通知委员和群；如需告知，请直接联系参会委员。" : null;
        return Results.Ok(new { meeting = await ViewAsync(id, cancellationToken), notice, uninvited, promotedFromWaitlist = promoted, noticeWithheld });
    }

    /// <summary>Publishes a draft: members can see it and sign up, and invitees and the meeting's groups get the notice once.</summary>
    public async Task<IResult> PublishAsync(string id, CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings.AsNoTracking().Include(m => m.Invitees).Include(m => m.Groups).AsSplitQuery()
            .FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (meeting is null)
        {
            return StaffResults.NotFound($"会议 {id}");
        }

        var now = time.GetUtcNow();
        if (meeting.Status != MeetingStatus.Draft)
        {
            return StaffResults.Conflict(meeting.Status == MeetingStatus.Published ? "会议已经发布过了，通知不会重复发送。" : "会议已取消，不能发布。");
        }

        if (meeting.StartsAt <= now)
        {
            return StaffResults.Conflict("会议开始时间已过，不能发布；请先修改时间。");
        }

        if (meeting.Participation == ParticipationMode.OpenSignup && meeting.SignupDeadline is { } deadline && deadline <= now)
        {
            return StaffResults.Conflict("报名截止时间已过，发布后委员无法报名；请先修改报名截止时间。");
        }

        // One UPDATE decides: of two publish requests at once, only one finds the draft.
        var won = await db.Meetings.Where(m => m.Id == id && m.Status == MeetingStatus.Draft)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MeetingStatus.Published), cancellationToken);
        if (won == 0)
        {
            return StaffResults.Conflict("会议已经发布过了，通知不会重复发送。");
        }

        Record(id, MeetingStatus.Draft, MeetingStatus.Published, now);
        await db.SaveChangesAsync(cancellationToken);
        meeting.Status = MeetingStatus.Published;
        var notice = await AnnounceAsync(meeting, ReminderDelivery.PublishedKind, now, cancellationToken);
        LogPublished(logger, id, notice.Sent, notice.Failed, notice.NoChannel);
        return Results.Ok(new { meeting = await ViewAsync(id, cancellationToken), notice });
    }

    /// <summary>Cancels a published meeting; the reminder job's cancellation notice goes out now (once, by its ledger).</summary>
    public async Task<IResult> CancelAsync(string id, CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (meeting is null)
        {
            return StaffResults.NotFound($"会议 {id}");
        }

        var now = time.GetUtcNow();
        var refusal = meeting switch
        {
            { Status: MeetingStatus.Draft } => "会议还是草稿，尚未通知任何人，无需取消；可直接修改。",
            { Status: MeetingStatus.Cancelled } => "会议已经取消过了，取消通知不会重复发送。",
            _ when meeting.StartsAt <= now => "会议已开始，不能取消。",
            _ => null,
        };
        if (refusal is not null)
        {
            return StaffResults.Conflict(refusal);
        }

        var won = await db.Meetings.Where(m => m.Id == id && m.Status == MeetingStatus.Published)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MeetingStatus.Cancelled), cancellationToken);
        if (won == 0)
        {
            return StaffResults.Conflict("会议已经取消过了，取消通知不会重复发送。");
        }

        Record(id, MeetingStatus.Published, MeetingStatus.Cancelled, now);
        await db.SaveChangesAsync(cancellationToken);
        var run = await dispatcher.RunAsync(cancellationToken);
        LogCancelled(logger, id);
        return Results.Ok(new { meeting = await ViewAsync(id, cancellationToken), notice = NoticeSummary.From(run) });
    }

    public async Task<IResult> DecideLeaveAsync(string id, string memberId, bool approve, string? reason, CancellationToken cancellationToken)
    {
        var participation = await db.Participations.AsNoTracking().FirstOrDefaultAsync(p => p.MeetingId == id && p.MemberId == memberId, cancellationToken);
        if (participation is null || participation.Status is not (ParticipationStatus.LeavePending or ParticipationStatus.LeaveApproved or ParticipationStatus.LeaveRejected))
        {
            return StaffResults.NotFound($"委员 {memberId} 对会议 {id} 的请假申请");
        }

        var result = await meetings.DecideLeaveAsync(participation.Id, Actor, approve, TextInput.MultiLine(reason), cancellationToken);
        return result.Outcome switch
        {
            LeaveDecisionOutcome.Decided => Results.Ok(new { memberId, status = result.Status.ToString(), statusLabel = result.Status!.Value.ToLabel(), memberTold = result.MemberTold?.ToString() }),
            LeaveDecisionOutcome.AlreadyDecided => StaffResults.Conflict($"该请假申请已处理（{result.Status?.ToLabel() ?? "已处理"}）。"),
            LeaveDecisionOutcome.MeetingCancelled => StaffResults.Conflict("会议已取消，这条请假无需再审批。"),
            _ => StaffResults.NotFound($"委员 {memberId} 对会议 {id} 的请假申请"),
        };
    }

    /// <summary>
    /// Records that a member came (已签到), from the meeting's day on (afterwards too: the paper list entered later).
    /// Recording it again changes nothing.
    /// </summary>
    public async Task<IResult> CheckInAsync(string id, string? memberId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(memberId))
        {
            return StaffResults.Invalid("memberId", "缺少必填值：签到委员的编号");
        }

        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            try
            {
                return await TryCheckInAsync(id, memberId.Trim(), cancellationToken);
            }
            catch (DbUpdateException ex) when (MeetingService.IsConflict(ex))
            {
                if (attempt == MaxChangeAttempts)
                {
                    return StaffResults.Conflict("会议的报名情况刚刚有变化，签到未保存，请稍后重新提交。");
                }

                // The member signed up, cancelled or asked for leave at the same moment: checked again on what is stored now.
                LogChangeRetried(logger, id, attempt);
            }
        }
    }

    private async Task<IResult> TryCheckInAsync(string id, string memberId, CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings.Include(m => m.Invitees).FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (meeting is null)
        {
            return StaffResults.NotFound($"会议 {id}");
        }

        if (!await db.Members.AnyAsync(m => m.Id == memberId, cancellationToken))
        {
            return StaffResults.Invalid("memberId", $"没有编号为 {memberId} 的委员");
        }

        if (meeting.Status != MeetingStatus.Published)
        {
            return StaffResults.Conflict(meeting.Status == MeetingStatus.Draft ? "会议尚未发布，不能签到。" : "会议已取消，不能签到。");
        }

        var now = time.GetUtcNow();
        if (chineseTime.ToLocal(now).Date < chineseTime.ToLocal(meeting.StartsAt).Date)
        {
            // Attendance is taken on the day (or entered afterwards from the paper list), never ahead of it.
            return StaffResults.Conflict($"会议在{chineseTime.Date(meeting.StartsAt)}举行，当天才能签到。");
        }

        var own = await db.Participations.FirstOrDefaultAsync(p => p.MeetingId == id && p.MemberId == memberId, cancellationToken);
        if (own is null && !MeetingService.IsInvited(meeting, memberId))
        {
            return StaffResults.Conflict($"委员 {memberId} 不在本次会议的邀请范围内。");
        }

        if (own?.Status == ParticipationStatus.CheckedIn)
        {
            return Results.Ok(new { memberId, status = own.Status.ToString(), statusLabel = own.Status.ToLabel(), checkedInAt = own.CheckedInAt });
        }

        var from = own?.Status;
        if (own is null)
        {
            own = new Participation { MeetingId = id, MemberId = memberId, CreatedAt = now };
            db.Participations.Add(own);
        }

        var wasWaitlisted = own.Status == ParticipationStatus.Waitlisted && from is not null;
        own.Status = ParticipationStatus.CheckedIn;
        own.CheckedInAt = now;
        own.WaitlistPosition = null;
        own.UpdatedAt = now;
        meeting.Version++;
        if (wasWaitlisted)
        {
            var waitlist = await db.Participations.Where(p => p.MeetingId == id && p.Status == ParticipationStatus.Waitlisted && p.Id != own.Id)
                .OrderBy(p => p.WaitlistPosition).ThenBy(p => p.Id).ToListAsync(cancellationToken);
            for (var i = 0; i < waitlist.Count; i++)
            {
                waitlist[i].WaitlistPosition = i + 1;
            }
        }

        db.StateChanges.Add(new StateChange
        {
            EntityType = StateChangeEntityTypes.Participation,
            EntityId = MeetingService.ParticipationKey(id, memberId),
            From = from?.ToString(),
            To = ParticipationStatus.CheckedIn.ToString(),
            Actor = Actor,
            At = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        return Results.Ok(new { memberId, status = own.Status.ToString(), statusLabel = own.Status.ToLabel(), checkedInAt = own.CheckedInAt });
    }

    /// <summary>Claims the notice for the meeting's audience and groups on the reminder ledger and sends it now.</summary>
    private async Task<NoticeSummary> AnnounceAsync(Meeting meeting, string kind, DateTimeOffset now, CancellationToken cancellationToken) =>
        await ClaimAnnouncementAsync(meeting, kind, now, cancellationToken) is { } claim ? await SendClaimedAsync(claim, now, cancellationToken) : new NoticeSummary(0, 0, 0, 0);

    /// <summary>Claims the notice for the meeting's audience and groups on the reminder ledger, to send with the claim returned (null: nobody to tell).</summary>
    /// <param name="known">When given, the members and groups that knew of the meeting before: they are left out.</param>
    private async Task<string?> ClaimAnnouncementAsync(
        Meeting meeting, string kind, DateTimeOffset now, CancellationToken cancellationToken, (HashSet<string> Members, HashSet<string> Groups)? known = null)
    {
        var members = await planner.AudienceAsync(meeting, cancellationToken);
        var recipients = members.Select(m => (Type: ReminderRecipientType.Member, Id: m, Chat: string.Empty))
            .Concat((await planner.GroupChatsAsync(meeting, cancellationToken)).Select(g => (Type: ReminderRecipientType.Group, Id: g.GroupId, g.Chat)))
            .ToList();
        if (known is var (knownMembers, knownGroups))
        {
            recipients = [.. recipients.Where(r => !(r.Type == ReminderRecipientType.Member ? knownMembers : knownGroups).Contains(r.Id))];
        }

        return await ClaimAsync(meeting, kind, recipients, now, cancellationToken);
    }

    /// <summary>
    /// Puts the notice of <paramref name="kind"/> to <paramref name="recipients"/> in the ledger (in the transaction under
    /// way, if any) and returns the claim to send it with, or null when there is nobody to tell.
    /// </summary>
    private async Task<string?> ClaimAsync(
        Meeting meeting, string kind, List<(ReminderRecipientType Type, string Id, string Chat)> recipients, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (recipients.Count == 0)
        {
            return null;
        }

        var token = Guid.NewGuid().ToString("N");
        db.ChangeTracker.Clear();
        await ReminderLedger.ClaimAsync(
            db, recipients.Select(r => new DueReminder(meeting.Id, kind, meeting.StartsAt, r.Type, r.Id, r.Chat)), now, token, cancellationToken);
        return token;
    }

    /// <summary>Sends the notices claimed with <paramref name="token"/> now.</summary>
    private async Task<NoticeSummary> SendClaimedAsync(string token, DateTimeOffset now, CancellationToken cancellationToken) =>
        NoticeSummary.From(await dispatcher.SendClaimedAsync(token, now, cancellationToken));

    private async Task<(ValidMeeting? Valid, IResult? Error)> ValidateAsync(JsonObject body, Meeting? existing, CancellationToken cancellationToken)
    {
        MeetingRecord? record;
        try
        {
            record = body.Deserialize<MeetingRecord>(ImportDocument.JsonOptions);
        }
        catch (JsonException ex)
        {
            return (null, StaffResults.BadRequest($"字段类型不符（{ex.Path ?? "$"}）。"));
        }

        var validator = new ImportValidator(await importer.LoadExistingKeysAsync(cancellationToken));
        var data = validator.Validate(new ImportDocument(null, null, null, null, [record], null, null));
        if (data is null)
        {
            return (null, StaffResults.Invalid(validator.Errors));
        }

        var valid = data.Meetings[0];
        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        if (valid.StartsAt <= now && (existing is null || existing.StartsAt != valid.StartsAt))
        {
            errors["startsAt"] = ["开始时间不能早于现在"];
        }

        // Fewer seats than sign-ups is the validator's to refuse, as for files.
        return errors.Count > 0 ? (null, StaffResults.Invalid(errors)) : (valid, null);
    }

    private static void Apply(Meeting meeting, ValidMeeting valid, DateTimeOffset now)
    {
        meeting.Title = valid.Title;
        meeting.Type = valid.Type;
        meeting.Location = valid.Location;
        meeting.StartsAt = valid.StartsAt;
        meeting.EndsAt = valid.EndsAt;
        meeting.Capacity = valid.Capacity;
        meeting.Participation = valid.Participation;
        meeting.SignupDeadline = valid.SignupDeadline;
        meeting.InviteAllMembers = valid.InviteAllMembers;
        meeting.Invitees.RemoveAll(i => !valid.Invitees.Contains(i.MemberId, StringComparer.Ordinal));
        meeting.Invitees.AddRange(valid.Invitees.Where(m => !meeting.Invitees.Any(i => i.MemberId == m)).Select(m => new MeetingInvitee { MeetingId = meeting.Id, MemberId = m, InvitedAt = now }));
        meeting.Groups.RemoveAll(g => !valid.Groups.Contains(g.GroupId, StringComparer.Ordinal));
        meeting.Groups.AddRange(valid.Groups.Where(id => !meeting.Groups.Any(g => g.GroupId == id)).Select(id => new MeetingGroup { MeetingId = meeting.Id, GroupId = id }));
    }

    /// <summary>The meeting in the body's shape, for a change to overlay.</summary>
    private static JsonObject Snapshot(Meeting meeting)
    {
        static string Time(DateTimeOffset value) => value.ToString("o", CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["id"] = meeting.Id,
            ["title"] = meeting.Title,
            ["type"] = meeting.Type.ToString(),
            ["location"] = meeting.Location,
            ["startsAt"] = Time(meeting.StartsAt),
            ["endsAt"] = Time(meeting.EndsAt),
            ["capacity"] = meeting.Capacity,
            ["participation"] = meeting.Participation.ToString(),
            ["signupDeadline"] = meeting.SignupDeadline is { } deadline ? Time(deadline) : null,
            ["invitees"] = meeting.InviteAllMembers ? new JsonArray("*") : new JsonArray([.. meeting.Invitees.Select(i => JsonValue.Create(i.MemberId))]),
            ["groups"] = new JsonArray([.. meeting.Groups.Select(g => JsonValue.Create(g.GroupId))]),
        };
    }

    private async Task<string> NextIdAsync(CancellationToken cancellationToken)
    {
        var year = chineseTime.ToLocal(time.GetUtcNow()).Year;
        var prefix = string.Create(CultureInfo.InvariantCulture, $"MT-{year}-");
        var ids = await db.Meetings.AsNoTracking().Where(m => m.Id.StartsWith(prefix)).Select(m => m.Id).ToListAsync(cancellationToken);
        var next = 1 + ids.Select(i => int.TryParse(i.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0).DefaultIfEmpty().Max();
        return prefix + next.ToString("D2", CultureInfo.InvariantCulture);
    }

    private async Task<StaffMeetingView> ViewAsync(string id, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var meeting = await db.Meetings.AsNoTracking().Include(m => m.Invitees).Include(m => m.Groups).AsSplitQuery().FirstAsync(m => m.Id == id, cancellationToken);
        var counts = await db.Participations.AsNoTracking().Where(p => p.MeetingId == id).GroupBy(p => p.Status)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return View(meeting, counts);
    }

    private static StaffMeetingView View(Meeting m, Dictionary<ParticipationStatus, int> counts) => new(
        m.Id,
        m.Title,
        m.Type.ToString(),
        m.Type.ToLabel(),
        m.Status.ToString(),
        m.Status.ToLabel(),
        m.Location,
        m.StartsAt,
        m.EndsAt,
        m.Capacity,
        m.Participation.ToString(),
        m.SignupDeadline,
        m.InviteAllMembers ? ["*"] : [.. m.Invitees.Select(i => i.MemberId).Order(StringComparer.Ordinal)],
        [.. m.Groups.Select(g => g.GroupId).Order(StringComparer.Ordinal)],
        Enum.GetValues<ParticipationStatus>().ToDictionary(s => s.ToLabel(), s => Labels.IsVoidLeave(s, m.Status) ? 0 : counts.GetValueOrDefault(s)));

    /// <summary>
    /// A participation's <c>status</c> in the staff API: its stored state, except that a leave request still undecided when
    /// its meeting was cancelled reads <see cref="VoidLeaveStatus"/>, as its label reads 会议已取消: a tool that looks for
    /// <c>LeavePending</c> to decide would otherwise be refused (409) on a request nobody is to decide.
    /// </summary>
    internal static string StatusValue(ParticipationStatus status, MeetingStatus meeting) =>
        Labels.IsVoidLeave(status, meeting) ? VoidLeaveStatus : status.ToString();

    /// <summary>The <c>status</c> of a leave request its meeting's cancellation left without a decision to make.</summary>
    internal const string VoidLeaveStatus = "MeetingCancelled";

    private void Record(string id, MeetingStatus? from, MeetingStatus to, DateTimeOffset now) =>
        db.StateChanges.Add(new StateChange
        {
            EntityType = StateChangeEntityTypes.Meeting,
            EntityId = id,
            From = from?.ToString(),
            To = to.ToString(),
            Actor = Actor,
            At = now,
        });

    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "Staff published meeting {MeetingId}: notice sent to {Sent}, {Failed} to retry, {NoChannel} without a channel")]
    private static partial void LogPublished(ILogger logger, string meetingId, int sent, int failed, int noChannel);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Staff changed meeting {MeetingId} (details announced: {Announced})")]
    private static partial void LogChanged(ILogger logger, string meetingId, bool announced);

    [LoggerMessage(EventId = 4600, Level = LogLevel.Information, Message = "Meeting {MeetingId} changed (a sign-up, cancellation or leave request) while staff changed it; attempt {Attempt} of the staff change is retried")]
    private static partial void LogChangeRetried(ILogger logger, string meetingId, int attempt);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Staff cancelled meeting {MeetingId}")]
    private static partial void LogCancelled(ILogger logger, string meetingId);
}
