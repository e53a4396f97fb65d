using System.Globalization;
using Linping.CppccBot.Features.Meetings;
using Linping.CppccBot.Features.Notifications;
using Linping.CppccBot.Features.Reminders;
using Linping.CppccBot.Persistence;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Persistence.Import;
using Microsoft.EntityFrameworkCore;

namespace Linping.CppccBot.Features.Staff;

public sealed record StaffMemberView(
    string Id,
    string Name,
    string? Sector,
    IReadOnlyList<string> Committees,
    string? Studio,
    bool IsStandingMember,
    string? WecomUserId,
    string? DingtalkUserId,
    string? Mobile,
    bool IsActive);

public sealed record StaffUserView(string Id, string Name, string? WecomUserId, string? DingtalkUserId, IReadOnlyList<string> Roles, bool IsActive);

/// <summary>A group without its robots' secrets: only whether each robot is set.</summary>
public sealed record StaffGroupView(string Id, string Name, bool HasWecomRobot, bool HasDingtalkRobot);

public sealed record StaffProposalView(string Session, int Serial, string Number, string Title, string Status, string StatusLabel, IReadOnlyList<string> Proposers, string? Category, bool IsKey);

public sealed record StaffOpinionView(string Id, string Title, string SubmittedBy, DateTimeOffset SubmittedAt, string Status, string StatusLabel);

/// <summary>One 社情民意 report as staff read it: its text, who sent it and each status it went through.</summary>
public sealed record StaffOpinionDetail(
    string Id,
    string Title,
    string Content,
    string? Category,
    string SubmittedBy,
    string? SubmitterName,
    DateTimeOffset SubmittedAt,
    string Status,
    string StatusLabel,
    IReadOnlyList<StaffOpinionStatusView> History);

public sealed record StaffOpinionStatusView(string Status, string StatusLabel, DateTimeOffset At, string? Note);

/// <summary>A status move: the status by name (<c>Assigned</c>) or Chinese label (<c>已交办</c>), and an optional note for the history.</summary>
public sealed record StatusChangeRequest(string? Status, string? Note, string? ResultClass, string? Summary);

/// <summary>What an upsert did.</summary>
public sealed record UpsertResult(string Id, bool Created, bool Changed);

/// <summary>
/// Members, staff, groups and proposals as staff change them one at a time (the same validation and upsert as a file
/// import), and the status moves of proposals and 社情民意 reports. Proposal moves are told to the proposers by the
/// proposal news (once, through the ledger); an opinion adopted or reported upward is told to its submitter (a
/// <see cref="Notice"/>, also through the ledger).
/// </summary>
public sealed partial class StaffRecords(
    BotDbContext db,
    DataImporter importer,
    NoticeDispatcher notices,
    ProposalNewsDispatcher proposalNews,
    MeetingService meetings,
    TimeProvider time,
    ILogger<StaffRecords> logger)
{
    private const string Actor = StateChangeActors.StaffApi;

    /// <summary>Where each proposal status may go next (domain.md §1): forward through the process, or back for re-examination.</summary>
    private static readonly Dictionary<ProposalStatus, ProposalStatus[]> ProposalMoves = new()
    {
        [ProposalStatus.Submitted] = [ProposalStatus.UnderReview, ProposalStatus.Filed, ProposalStatus.NotFiled],
        [ProposalStatus.UnderReview] = [ProposalStatus.Filed, ProposalStatus.NotFiled, ProposalStatus.Submitted],
        [ProposalStatus.Filed] = [ProposalStatus.Assigned],
        [ProposalStatus.NotFiled] = [ProposalStatus.UnderReview],
        [ProposalStatus.Assigned] = [ProposalStatus.InHandling, ProposalStatus.Replied],
        [ProposalStatus.InHandling] = [ProposalStatus.Replied],
        [ProposalStatus.Replied] = [ProposalStatus.Closed, ProposalStatus.Rehandling],
        [ProposalStatus.Rehandling] = [ProposalStatus.InHandling, ProposalStatus.Replied],
        [ProposalStatus.Closed] = [ProposalStatus.Rehandling],
    };

    /// <summary>Where a 社情民意 report may go next (domain.md §8.4).</summary>
    private static readonly Dictionary<OpinionStatus, OpinionStatus[]> OpinionMoves = new()
    {
        [OpinionStatus.Submitted] = [OpinionStatus.UnderReview, OpinionStatus.Returned, OpinionStatus.Adopted, OpinionStatus.NotAdopted],
        [OpinionStatus.UnderReview] = [OpinionStatus.Returned, OpinionStatus.Adopted, OpinionStatus.NotAdopted, OpinionStatus.ReportedUpward],
        [OpinionStatus.Returned] = [OpinionStatus.Submitted, OpinionStatus.UnderReview],
        [OpinionStatus.Adopted] = [OpinionStatus.ReportedUpward],
        [OpinionStatus.NotAdopted] = [OpinionStatus.UnderReview],
        [OpinionStatus.ReportedUpward] = [],
    };

    public async Task<IReadOnlyList<StaffMemberView>> MembersAsync(CancellationToken cancellationToken) =>
        [.. (await db.Members.AsNoTracking().OrderBy(m => m.Id).ToListAsync(cancellationToken))
            .Select(m => new StaffMemberView(m.Id, m.Name, m.Sector, m.Committees, m.Studio, m.IsStandingMember, m.WeComUserId, m.DingTalkUserId, MaskMobile(m.Mobile), m.IsActive))];

    public async Task<IReadOnlyList<StaffUserView>> StaffAsync(CancellationToken cancellationToken) =>
        [.. (await db.Staff.AsNoTracking().OrderBy(s => s.Id).ToListAsync(cancellationToken))
            .Select(s => new StaffUserView(s.Id, s.Name, s.WeComUserId, s.DingTalkUserId, s.Roles, s.IsActive))];

    public async Task<IReadOnlyList<StaffGroupView>> GroupsAsync(CancellationToken cancellationToken) =>
        [.. (await db.Groups.AsNoTracking().OrderBy(g => g.Id).ToListAsync(cancellationToken))
            .Select(g => new StaffGroupView(g.Id, g.Name, !string.IsNullOrEmpty(g.WeComWebhookKey), !string.IsNullOrEmpty(g.DingTalkAccessToken)))];

    public async Task<IReadOnlyList<StaffProposalView>> ProposalsAsync(CancellationToken cancellationToken) =>
        [.. (await db.Proposals.AsNoTracking().Include(p => p.Proposers).OrderBy(p => p.Serial).ToListAsync(cancellationToken)).OrderByDescending(p => ProposalNumber.Rank(p.Session))
            .Select(p => new StaffProposalView(
                p.Session, p.Serial, p.Number, p.Title, p.Status.ToString(), p.Status.ToLabel(), [.. p.Proposers.OrderBy(x => x.Position).Select(x => x.MemberId)], p.Category, p.IsKey))];

    public async Task<IReadOnlyList<StaffOpinionView>> OpinionsAsync(CancellationToken cancellationToken) =>
        [.. (await db.Opinions.AsNoTracking().OrderByDescending(o => o.SubmittedAt).ToListAsync(cancellationToken))
            .Select(o => new StaffOpinionView(o.Id, o.Title, o.SubmittedById, o.SubmittedAt, o.Status.ToString(), o.Status.ToLabel()))];

    public async Task<IResult> OpinionAsync(string id, CancellationToken cancellationToken)
    {
        var opinion = await db.Opinions.AsNoTracking().Include(o => o.History).FirstOrDefaultAsync(o => o.Id == id, cancellationToken);
        if (opinion is null)
        {
            return StaffResults.NotFound($"编号为 {id} 的社情民意信息");
        }

        var submitter = await db.Members.AsNoTracking().Where(m => m.Id == opinion.SubmittedById).Select(m => m.Name).FirstOrDefaultAsync(cancellationToken);
        return Results.Ok(new StaffOpinionDetail(
            opinion.Id,
            opinion.Title,
            opinion.Content,
            opinion.Category,
            opinion.SubmittedById,
            submitter,
            opinion.SubmittedAt,
            opinion.Status.ToString(),
            opinion.Status.ToLabel(),
            [.. opinion.History.OrderBy(h => h.At).ThenBy(h => h.Id).Select(h => new StaffOpinionStatusView(h.Status.ToString(), h.Status.ToLabel(), h.At, h.Note))]));
    }

    public Task<IResult> UpsertMemberAsync(string id, MemberRecord record, CancellationToken cancellationToken) =>
        UpsertAsync(id, new ImportDocument(null, [record with { Id = id }], null, null, null, null, null), c => c.Members, cancellationToken);

    /// <summary>
    /// Takes a member off the roster (换届, 辞去委员) or puts them back. Off the roster the bot no longer knows them, they
    /// are no longer invited (全体委员), reminded or told proposal news, and their places in meetings to come are given up
    /// (a freed seat goes to the first on the waitlist, who is told). Their proposals, reports and history stay. Putting
    /// them back restores none of the places given up.
    /// </summary>
    public async Task<IResult> SetMemberActiveAsync(string id, bool active, CancellationToken cancellationToken)
    {
        var member = await db.Members.FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (member is null)
        {
            return StaffResults.NotFound($"编号为 {id} 的委员");
        }

        var changed = member.IsActive != active;
        if (changed)
        {
            member.IsActive = active;
            db.StateChanges.Add(new StateChange
            {
                EntityType = StateChangeEntityTypes.Member,
                EntityId = id,
                From = active ? "Inactive" : "Active",
                To = active ? "Active" : "Inactive",
                Actor = Actor,
                At = time.GetUtcNow(),
            });
            await db.SaveChangesAsync(cancellationToken);
        }

        // Also when already off the roster: a place taken meanwhile (an import, a race) is given up now.
        IReadOnlyList<string> withdrawnFrom;
        try
        {
            withdrawnFrom = active ? [] : await meetings.WithdrawFromUpcomingAsync(id, Actor, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A meeting kept changing under the withdrawal on every try (a sign-up rush). The member is off the roster;
            // sent again, the request gives up the places that are left (it is meant to be repeated).
            return StaffResults.Conflict("委员已移出名册，但部分会议的报名情况刚刚有变化，未能全部退出，请稍后重新提交一次。");
        }

        LogMemberActive(logger, active, withdrawnFrom.Count);
        return Results.Ok(new { id, isActive = active, changed, withdrawnFrom });
    }

    public Task<IResult> UpsertStaffAsync(string id, StaffRecord record, CancellationToken cancellationToken) =>
        UpsertAsync(id, new ImportDocument(null, null, [record with { Id = id }], null, null, null, null), c => c.Staff, cancellationToken);

    public Task<IResult> UpsertGroupAsync(string id, GroupRecord record, CancellationToken cancellationToken) =>
        UpsertAsync(id, new ImportDocument(null, null, null, [record with { Id = id }], null, null, null), c => c.Groups, cancellationToken);

    /// <summary>
    /// Upserts a proposal by session and serial (the route names the full number, or the serial with the session in the
    /// body's number); a stored proposal keeps its history (a body may repeat it, not change it). The status of a stored
    /// proposal is moved only through <see cref="MoveProposalAsync"/>, which keeps the order of the process, writes the
    /// history and tells the proposers: a body with another status is refused. So is a changed evaluation: the lead
    /// proposer evaluates, in the chat, and 不满意 sends the proposal back for handling.
    /// </summary>
    public async Task<IResult> UpsertProposalAsync(string reference, ProposalRecord record, CancellationToken cancellationToken)
    {
        int serial;
        if (ProposalNumber.TryParse(reference, out var routeSession, out var routeSerial))
        {
            serial = routeSerial;
            var bodyNumber = TextInput.Identifier(record.Number);
            if (bodyNumber is null)
            {
                record = record with { Number = reference };
            }
            else if (!ProposalNumber.TryParse(bodyNumber, out var bodySession, out var bodySerial) || bodySession != routeSession || bodySerial != routeSerial)
            {
                return StaffResults.Invalid("number", $"地址中的案号是 {reference}，与 number“{bodyNumber}”不一致");
            }
        }
        else if (!int.TryParse(reference, NumberStyles.None, CultureInfo.InvariantCulture, out serial) || serial <= 0)
        {
            return StaffResults.NotFound($"案号或序号为“{reference}”的提案（地址应为 /api/admin/proposals/一届五次第0012号 或 /api/admin/proposals/12）");
        }

        // The session is the number's (the validator reports a body without one); the key of the stored proposal, if any.
        var session = ProposalNumber.TryParse(TextInput.Identifier(record.Number), out var numbered, out _) ? numbered : null;
        var current = await db.Proposals.AsNoTracking().Where(p => p.Session == session && p.Serial == serial)
            .Select(p => new { p.Id, p.Number, p.Status, p.Evaluation, p.EvaluatedAt }).FirstOrDefaultAsync(cancellationToken);
        if (current is not null && Enum.TryParse<ProposalStatus>(record.Status?.Trim(), ignoreCase: false, out var wanted) && Enum.IsDefined(wanted) && wanted != current.Status)
        {
            return StaffResults.Conflict(
                $"提案当前为“{current.Status.ToLabel()}”。改状态请用 POST /api/admin/proposals/{current.Number}/status（记入办理过程并通知提案人），这里只改其他内容。");
        }

        if (current is not null && (record.Evaluation?.Result?.Trim() ?? current.Evaluation?.ToString()) != current.Evaluation?.ToString())
        {
            return StaffResults.Conflict("提案评价由领衔提案人在对话中作出（不满意时提案转为重新办理），这里不能修改。");
        }

        if (current?.Evaluation is { } evaluation && record.Evaluation is null)
        {
            // A body without the evaluation keeps it, as one without history keeps the history.
            record = record with { Evaluation = new EvaluationRecord(evaluation.ToString(), current.EvaluatedAt?.ToString("o", CultureInfo.InvariantCulture)) };
        }

        if (current is not null)
        {
            var stored = await db.ProposalHistory.AsNoTracking().Where(h => h.ProposalId == current.Id).OrderBy(h => h.Id).ToListAsync(cancellationToken);
            if (record.History is not null && !SameHistory(record.History, stored))
            {
                // The history is the record of the process: it grows only through the status route.
                return StaffResults.Conflict(
                    $"办理过程只能通过 POST /api/admin/proposals/{current.Number}/status 逐步记入，这里不能修改；不带 history 即保留原有记录。");
            }

            record = record with { History = [.. stored.Select(h => new HistoryRecord(h.Status.ToString(), h.At.ToString("o", CultureInfo.InvariantCulture), h.Note))] };
        }

        var id = ProposalNumber.TryParse(TextInput.Identifier(record.Number), out _, out _) ? TextInput.Identifier(record.Number)! : reference;
        return await UpsertAsync(id, new ImportDocument(null, null, null, null, null, [record with { Serial = serial }], null), c => c.Proposals, cancellationToken);
    }

    /// <summary>Whether a body's history says what is stored (as a GET or an earlier PUT gave it), entry by entry.</summary>
    private static bool SameHistory(IReadOnlyList<HistoryRecord?> sent, List<ProposalStatusEntry> stored) =>
        sent.Count == stored.Count
        && sent.Zip(stored).All(pair =>
            pair.First is { } entry
            && Enum.TryParse<ProposalStatus>(entry.Status?.Trim(), ignoreCase: false, out var status) && status == pair.Second.Status
            && DateTimeOffset.TryParse(entry.At, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) && at == pair.Second.At
            && string.Equals(Clean(entry.Note), pair.Second.Note, StringComparison.Ordinal));

    /// <summary>Moves a proposal to its next status; the proposers hear of 已交办 and 已答复 through the proposal news, once.</summary>
    public async Task<IResult> MoveProposalAsync(string reference, StatusChangeRequest request, CancellationToken cancellationToken)
    {
        var (proposal, missing) = await FindProposalAsync(reference, cancellationToken);
        if (proposal is null)
        {
            return missing!;
        }

        if (ParseStatus(request.Status, Enum.GetValues<ProposalStatus>(), s => s.ToLabel()) is not { } to)
        {
            return StaffResults.Invalid("status", $"未知的办理状态“{request.Status}”，可选：{string.Join("、", Enum.GetValues<ProposalStatus>().Select(s => $"{s}（{s.ToLabel()}）"))}");
        }

        var from = proposal.Status;
        if (!ProposalMoves[from].Contains(to))
        {
            return StaffResults.Conflict($"提案当前为“{from.ToLabel()}”，不能改为“{to.ToLabel()}”；可改为：{Choices(ProposalMoves[from], s => s.ToLabel())}。");
        }

        AnswerClass? answerClass = null;
        if (!string.IsNullOrWhiteSpace(request.ResultClass))
        {
            if (to != ProposalStatus.Replied)
            {
                return StaffResults.Invalid("resultClass", "答复类别只能在改为“已答复”时填写");
            }

            if (ParseStatus(request.ResultClass.Replace("类", "", StringComparison.Ordinal), Enum.GetValues<AnswerClass>(), c => c.ToString()) is not { } parsed)
            {
                return StaffResults.Invalid("resultClass", "答复类别应为 A、B 或 C");
            }

            answerClass = parsed;
        }

        if (to == ProposalStatus.Assigned && !proposal.Units.Any(u => u.Role == UnitRole.Lead))
        {
            // The proposers are told whom it went to; members see 承办单位 in the bot.
            return StaffResults.Invalid("units", $"交办前请先填写主办单位（PUT /api/admin/proposals/{proposal.Number} 的 units，或导入提案表的“主办单位”列）");
        }

        if (to == ProposalStatus.Replied && (answerClass ?? proposal.ReplyClass) is null)
        {
            // A reply always comes with its class; the proposers are told it (A: 已解决 …), and evaluate against it.
            return StaffResults.Invalid("resultClass", "改为“已答复”时请填写答复类别：A（已经解决或基本解决）、B（正在解决或已列入计划解决）或 C（留作参考）");
        }

        var now = time.GetUtcNow();
        var won = await db.Proposals.Where(p => p.Id == proposal.Id && p.Status == from)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, to), cancellationToken);
        if (won == 0)
        {
            return StaffResults.Conflict("提案状态刚被其他人修改，请刷新后再试。");
        }

        proposal.Status = to;
        if (to == ProposalStatus.Replied)
        {
            proposal.RepliedAt = now;
            proposal.ReplyClass = answerClass ?? proposal.ReplyClass;
            proposal.ReplySummary = Clean(request.Summary) ?? proposal.ReplySummary;

            // A new reply (after 重新办理) is evaluated anew; the earlier evaluation stays in the audit log.
            (proposal.Evaluation, proposal.EvaluatedAt, proposal.EvaluationComment) = (null, null, null);
        }

        db.ProposalHistory.Add(new ProposalStatusEntry { ProposalId = proposal.Id, Status = to, At = now, Note = Clean(request.Note) });
        db.StateChanges.Add(new StateChange
        {
            EntityType = StateChangeEntityTypes.Proposal,
            EntityId = proposal.Key,
            From = from.ToString(),
            To = to.ToString(),
            Actor = Actor,
            At = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();

        // The proposal news goes out now rather than at the next minute; its ledger keeps it to once per proposer.
        var news = await proposalNews.RunAsync(cancellationToken);
        LogProposalMoved(logger, proposal.Number, from, to);
        return Results.Ok(new { serial = proposal.Serial, number = proposal.Number, status = to.ToString(), statusLabel = to.ToLabel(), proposersTold = news.Sent });
    }

    /// <summary>
    /// The proposal a staff route names: by its full number (一届五次第0012号), or by its serial when only one session has
    /// it; a serial of several sessions is refused with their numbers, as moving the wrong one would tell its proposers.
    /// </summary>
    private async Task<(Proposal? Proposal, IResult? Error)> FindProposalAsync(string reference, CancellationToken cancellationToken)
    {
        var byNumber = ProposalNumber.TryParse(reference, out var session, out var serial);
        if (!byNumber && (!int.TryParse(reference, NumberStyles.None, CultureInfo.InvariantCulture, out serial) || serial <= 0))
        {
            return (null, StaffResults.NotFound($"案号或序号为“{reference}”的提案（地址应为 /api/admin/proposals/一届五次第0012号 或 /api/admin/proposals/12）"));
        }

        var found = await db.Proposals.Include(p => p.Units).Where(p => p.Serial == serial && (!byNumber || p.Session == session)).ToListAsync(cancellationToken);
        return found.Count switch
        {
            0 => (null, StaffResults.NotFound(byNumber ? $"案号为 {reference} 的提案" : $"序号为 {serial} 的提案")),
            1 => (found[0], null),
            _ => (null, StaffResults.Conflict(
                $"序号 {serial} 在几个届次都有（{string.Join("、", found.OrderBy(p => ProposalNumber.Rank(p.Session)).Select(p => p.Number))}），请在地址中写完整案号，如 /api/admin/proposals/{found.MaxBy(p => ProposalNumber.Rank(p.Session))!.Number}/status")),
        };
    }

    /// <summary>Moves a 社情民意 report; adopted, reported upward and returned (with the note saying what to revise) are told to the submitter.</summary>
    public async Task<IResult> MoveOpinionAsync(string id, StatusChangeRequest request, CancellationToken cancellationToken)
    {
        var opinion = await db.Opinions.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, cancellationToken);
        if (opinion is null)
        {
            return StaffResults.NotFound($"编号为 {id} 的社情民意信息");
        }

        if (ParseStatus(request.Status, Enum.GetValues<OpinionStatus>(), s => s.ToLabel()) is not { } to)
        {
            return StaffResults.Invalid("status", $"未知的状态“{request.Status}”，可选：{string.Join("、", Enum.GetValues<OpinionStatus>().Select(s => $"{s}（{s.ToLabel()}）"))}");
        }

        var from = opinion.Status;
        if (!OpinionMoves[from].Contains(to))
        {
            var choices = OpinionMoves[from].Length == 0 ? "无（已是最终状态）" : Choices(OpinionMoves[from], s => s.ToLabel());
            return StaffResults.Conflict($"该信息当前为“{from.ToLabel()}”，不能改为“{to.ToLabel()}”；可改为：{choices}。");
        }

        if (to == OpinionStatus.Returned && Clean(request.Note) is null)
        {
            // The member is told it, and revises by it.
            return StaffResults.Invalid("note", "退回修改时请在 note 中写明修改意见（会转告报送的委员）");
        }

        var now = time.GetUtcNow();
        var won = await db.Opinions.Where(o => o.Id == id && o.Status == from).ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, to), cancellationToken);
        if (won == 0)
        {
            return StaffResults.Conflict("该信息的状态刚被其他人修改，请刷新后再试。");
        }

        db.OpinionHistory.Add(new OpinionStatusEntry { OpinionId = id, Status = to, At = now, Note = Clean(request.Note) });
        db.StateChanges.Add(new StateChange
        {
            EntityType = StateChangeEntityTypes.Opinion,
            EntityId = id,
            From = from.ToString(),
            To = to.ToString(),
            Actor = Actor,
            At = now,
        });
        var notice = to is OpinionStatus.Adopted or OpinionStatus.ReportedUpward or OpinionStatus.Returned ? notices.Enqueue(Notice.OpinionMoved(opinion, to, now)) : null;
        await db.SaveChangesAsync(cancellationToken);

        var told = notice is null ? (NotificationOutcome?)null : await notices.SendAsync(notice, cancellationToken);

        LogOpinionMoved(logger, from, to, told);
        return Results.Ok(new { id, status = to.ToString(), statusLabel = to.ToLabel(), submitterTold = told?.ToString() });
    }

    private async Task<IResult> UpsertAsync(string id, ImportDocument document, Func<ImportCounts, KindCounts> pick, CancellationToken cancellationToken)
    {
        var result = await importer.ImportAsync(document, Actor, cancellationToken);
        if (!result.Succeeded)
        {
            return StaffResults.Invalid(result.Errors);
        }

        var counts = pick(result.Counts);
        return Results.Ok(new UpsertResult(id, counts.Created > 0, counts.Created + counts.Updated > 0));
    }

    private static TEnum? ParseStatus<TEnum>(string? text, TEnum[] values, Func<TEnum, string> label)
        where TEnum : struct, Enum
    {
        var value = text?.Trim();
        return string.IsNullOrEmpty(value) ? null : values.Cast<TEnum?>().FirstOrDefault(v => v.ToString() == value || label(v!.Value) == value);
    }

    private static string Choices<TEnum>(IEnumerable<TEnum> values, Func<TEnum, string> label) =>
        string.Join("、", values.Select(v => $"{v}（{label(v)}）"));

    /// <summary>A note or summary as the import stores it: line breaks kept, control and bidi characters not.</summary>
    private static string? Clean(string? value) => TextInput.MultiLine(value);

    /// <summary>"138****0101": staff lists show that a number is there, not the number.</summary>
    private static string? MaskMobile(string? mobile) =>
        mobile is { Length: >= 7 } ? string.Concat(mobile.AsSpan(0, 3), "****", mobile.AsSpan(mobile.Length - 4)) : mobile is null ? null : "****";

    [LoggerMessage(EventId = 6012, Level = LogLevel.Information, Message = "Staff set a member's roster state to active={Active}; withdrawn from {Meetings} meetings to come")]
    private static partial void LogMemberActive(ILogger logger, bool active, int meetings);

    [LoggerMessage(EventId = 6010, Level = LogLevel.Information, Message = "Staff moved proposal {Number} from {From} to {To}")]
    private static partial void LogProposalMoved(ILogger logger, string number, ProposalStatus from, ProposalStatus to);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Information, Message = "Staff moved a 社情民意 report from {From} to {To}; submitter notification {Outcome}")]
    private static partial void LogOpinionMoved(ILogger logger, OpinionStatus from, OpinionStatus to, NotificationOutcome? outcome);
}
