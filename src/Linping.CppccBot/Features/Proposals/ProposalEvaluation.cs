using System.Globalization;
using System.Text;
using Linping.CppccBot.Features.Notifications;
using Linping.CppccBot.Persistence;
using Linping.CppccBot.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Linping.CppccBot.Features.Proposals;

public enum EvaluationOutcome
{
    Evaluated,
    NotFound,

    /// <summary>The member is not among the proposers.</summary>
    NotProposer,

    /// <summary>A joint proposer: the lead proposer evaluates.</summary>
    NotLead,

    /// <summary>The proposal is not in 已答复.</summary>
    NotReplied,
    AlreadyEvaluated,
}

public sealed record EvaluationAttempt(EvaluationOutcome Outcome, Proposal? Proposal);

/// <summary>
/// The lead proposer's evaluation of a replied proposal (满意 / 基本满意 / 不满意). It is stored on the proposal with
/// a <see cref="StateChange"/>; 不满意 sends the proposal to 重新办理 (domain.md §1.9), and the ProposalOffice staff are told.
/// </summary>
public sealed partial class ProposalEvaluation(BotDbContext db, NoticeDispatcher notices, TimeProvider time, ILogger<ProposalEvaluation> logger)
{
    /// <summary>The longest comment kept with an evaluation.</summary>
    public const int MaxCommentLength = 500;

    /// <summary>Replied, not yet evaluated proposals the member leads, oldest reply first.</summary>
    public async Task<IReadOnlyList<Proposal>> PendingAsync(string memberId, CancellationToken cancellationToken) =>
        await db.Proposals.AsNoTracking()
            .Where(p => p.Status == ProposalStatus.Replied && p.Evaluation == null && p.Proposers.Any(x => x.MemberId == memberId && x.Position == 0))
            .OrderBy(p => p.RepliedAt).ThenBy(p => p.Serial)
            .ToListAsync(cancellationToken);

    /// <summary>True when the member is a joint (not lead) proposer of a replied, unevaluated proposal.</summary>
    public Task<bool> IsJointProposerOfRepliedAsync(string memberId, CancellationToken cancellationToken) =>
        db.Proposals.AnyAsync(p => p.Status == ProposalStatus.Replied && p.Evaluation == null && p.Proposers.Any(x => x.MemberId == memberId && x.Position > 0), cancellationToken);

    /// <summary>
    /// The proposal a member means by "评价 12": of the proposals numbered 12 (in <paramref name="session"/> when named),
    /// one the member proposed if there is one, of those one they may evaluate now (一届五次第0012号, replied, rather
    /// than their 二届一次第0012号 still under review), in the latest session.
    /// </summary>
    public async Task<Proposal?> FindForMemberAsync(int serial, string? session, string memberId, CancellationToken cancellationToken)
    {
        var candidates = await db.Proposals.AsNoTracking().Include(p => p.Proposers)
            .Where(p => p.Serial == serial && (session == null || p.Session == session)).ToListAsync(cancellationToken);
        return candidates
            .OrderByDescending(p => p.Proposers.Any(x => x.MemberId == memberId))
            .ThenByDescending(p => Block(p, memberId) is null)
            .ThenByDescending(p => ProposalNumber.Rank(p.Session))
            .FirstOrDefault();
    }

    /// <summary>Whether <paramref name="memberId"/> may evaluate the proposal with <paramref name="id"/> now.</summary>
    public async Task<EvaluationAttempt> CheckAsync(int id, string memberId, CancellationToken cancellationToken)
    {
        var proposal = await db.Proposals.AsNoTracking().Include(p => p.Proposers).FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        return new EvaluationAttempt(Block(proposal, memberId) ?? EvaluationOutcome.Evaluated, proposal);
    }

    public async Task<EvaluationAttempt> EvaluateAsync(int id, string memberId, EvaluationResult result, string? comment, CancellationToken cancellationToken)
    {
        var proposal = await db.Proposals.AsNoTracking().Include(p => p.Proposers).FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (Block(proposal, memberId) is { } blocked)
        {
            return new EvaluationAttempt(blocked, proposal);
        }

        var now = time.GetUtcNow();
        var from = proposal!.Status;
        var status = result == EvaluationResult.Unsatisfied ? ProposalStatus.Rehandling : from;
        comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        string token;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // One statement decides: a second evaluation arriving at the same time finds Evaluation set and changes nothing.
            var changed = await db.Proposals
                .Where(p => p.Id == proposal.Id && p.Status == from && p.Evaluation == null)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(p => p.Evaluation, result)
                        .SetProperty(p => p.EvaluatedAt, now)
                        .SetProperty(p => p.EvaluationComment, comment)
                        .SetProperty(p => p.Status, status),
                    cancellationToken);
            if (changed == 0)
            {
                return new EvaluationAttempt(EvaluationOutcome.AlreadyEvaluated, proposal);
            }

            var entityId = proposal.Key;
            db.StateChanges.Add(new StateChange
            {
                EntityType = StateChangeEntityTypes.Proposal,
                EntityId = entityId,
                From = from.ToString(),
                To = result == EvaluationResult.Unsatisfied ? nameof(ProposalStatus.Rehandling) : EvaluatedState,
                Actor = memberId,
                At = now,
                Note = "evaluation " + result,
            });
            if (result == EvaluationResult.Unsatisfied)
            {
                db.ProposalHistory.Add(new ProposalStatusEntry { ProposalId = proposal!.Id, Status = ProposalStatus.Rehandling, At = now, Note = "委员评价不满意" });
            }

            var staff = (await db.Staff.AsNoTracking().Where(s => s.IsActive).ToListAsync(cancellationToken))
                .Where(s => s.Roles.Contains(StaffRoles.ProposalOffice))
                .Select(s => s.Id);
            token = notices.Enqueue(staff.Select(staffId => Notice.ProposalEvaluated(proposal!.Id, now, staffId)));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        proposal!.Evaluation = result;
        proposal.EvaluatedAt = now;
        proposal.EvaluationComment = comment;
        proposal.Status = status;

        // Stored with the evaluation; a send WeCom or DingTalk did not take is retried by the minute job.
        foreach (var outcome in await notices.SendAllAsync(token, CancellationToken.None))
        {
            LogOfficeNotified(logger, proposal.Number, outcome);
        }

        return new EvaluationAttempt(EvaluationOutcome.Evaluated, proposal);
    }

    /// <summary>The <see cref="StateChange.To"/> of a 满意 or 基本满意 evaluation, which leaves the status at 已答复.</summary>
    public const string EvaluatedState = "Evaluated";

    private static EvaluationOutcome? Block(Proposal? proposal, string memberId)
    {
        if (proposal is null)
        {
            return EvaluationOutcome.NotFound;
        }

        var own = proposal.Proposers.FirstOrDefault(p => p.MemberId == memberId);
        return own switch
        {
            null => EvaluationOutcome.NotProposer,
            _ when proposal.Status == ProposalStatus.Rehandling => EvaluationOutcome.NotReplied,
            _ when proposal.Evaluation is not null => EvaluationOutcome.AlreadyEvaluated,

            // A proposal closed before its lead proposer evaluated the reply can still be evaluated.
            _ when proposal.Status is not (ProposalStatus.Replied or ProposalStatus.Closed) || proposal.RepliedAt is null => EvaluationOutcome.NotReplied,
            { Position: not 0 } => EvaluationOutcome.NotLead,
            _ => null,
        };
    }

    [LoggerMessage(EventId = 4300, Level = LogLevel.Information, Message = "The evaluation of proposal {Number} was told to the proposal office: {Outcome}")]
    private static partial void LogOfficeNotified(ILogger logger, string number, NotificationOutcome outcome);
}

/// <summary>The texts of proposal evaluation.</summary>
public static class EvaluationTexts
{
    public const string MembersOnly = "提案评价由领衔提案的政协委员作出。";

    /// <summary>The proposal an evaluation under way was about is not found any more.</summary>
    public const string NotFound = "没有找到要评价的提案，请重新发送“评价提案”。";

    public const string AskLevel = "请评价办理情况，回复：1 满意　2 基本满意　3 不满意";

    public const string AskLevelAgain = "没有看懂您的评价，请回复 1、2、3 或“满意”“基本满意”“不满意”。";

    public const string AskComment = "有什么意见或建议吗？请直接回复（将转给区政协提案委）；没有请回复“无”。";

    public static readonly string CommentTooLong =
        string.Create(CultureInfo.InvariantCulture, $"意见请控制在{ProposalEvaluation.MaxCommentLength}字以内，请精简后重新发送，或回复“无”。");

    public const string Declined = "好的，没有提交评价。需要时请发送“评价提案”。";

    public const string ConfirmAgain = "请回复“确认”提交评价，或回复“取消”放弃。";

    public static string Name(Proposal proposal) => $"{proposal.Number}《{proposal.Title}》";

    public static string NothingToEvaluate(bool joint) => joint
        ? "您目前没有需要评价的提案。联名提案的评价由领衔提案人作出，如有意见可与领衔提案人沟通。"
        : "您目前没有需要评价的提案。提案答复后，领衔提案人可发送“评价 提案号 满意”进行评价。";

    public static string Pick(IReadOnlyList<Proposal> proposals)
    {
        var text = new StringBuilder($"您有{proposals.Count}件已答复待评价的提案，请问评价哪一件？");
        for (var i = 0; i < proposals.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n{i + 1}. {Name(proposals[i])}");
        }

        return text.Append("\n请回复序号，或发送“取消”。").ToString();
    }

    public static string AskLevelFor(Proposal proposal) => $"评价提案 {Name(proposal)}。\n{AskLevel}";

    public static string Confirm(Proposal proposal, EvaluationResult result, string? comment)
    {
        var text = new StringBuilder($"请确认：对提案 {Name(proposal)}的办理评价为“{result.ToLabel()}”");
        if (comment is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"，意见：{comment}");
        }

        text.Append('。');
        if (result == EvaluationResult.Unsatisfied)
        {
            text.Append("提交后提案将转为“重新办理”。");
        }

        return text.Append("\n回复“确认”提交，回复“取消”放弃。").ToString();
    }

    public static string Outcome(EvaluationAttempt attempt)
    {
        if (attempt.Proposal is not { } proposal)
        {
            return NotFound;
        }

        var name = Name(proposal);
        return attempt.Outcome switch
        {
            EvaluationOutcome.Evaluated when proposal.Evaluation == EvaluationResult.Unsatisfied =>
                $"已收到您对提案 {name}的评价：不满意。提案已转为“重新办理”，区政协提案委将督促承办单位重新办理并与您沟通。",
            EvaluationOutcome.Evaluated => $"已收到您对提案 {name}的评价：{proposal.Evaluation!.Value.ToLabel()}。感谢您的反馈！",
            // Another member's unfiled proposal is not public: not even its title.
            EvaluationOutcome.NotProposer when !ProposalViewer.IsFiled(proposal.Status) => ProposalTexts.NotPublic(proposal),
            EvaluationOutcome.NotProposer => $"您不是提案 {name}的提案人，不能评价。",
            EvaluationOutcome.NotLead => $"提案 {name}的办理评价由领衔提案人作出。如有意见，可与领衔提案人沟通或告知区政协提案委。",
            EvaluationOutcome.AlreadyEvaluated => $"提案 {name}已评价过（{proposal.Evaluation?.ToLabel()}），无需重复评价。如需补充意见请联系区政协提案委。",
            EvaluationOutcome.NotReplied when proposal.Status == ProposalStatus.NotFiled => $"提案 {name}经审查不予立案，没有办理答复，无需评价。",
            EvaluationOutcome.NotReplied when proposal.Status == ProposalStatus.Rehandling => $"提案 {name}正在重新办理，重新答复后可再作评价。",
            EvaluationOutcome.NotReplied => $"提案 {name}目前状态为“{proposal.Status.ToLabel()}”，答复后才能评价。",
            _ => NotFound,
        };
    }

    public static string OfficeNotice(Proposal proposal, string memberName)
    {
        var text = new StringBuilder($"【提案评价】{memberName}对提案 {Name(proposal)}的办理评价：{proposal.Evaluation!.Value.ToLabel()}。");
        if (proposal.EvaluationComment is { } comment)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n意见：{comment}");
        }

        if (proposal.Evaluation == EvaluationResult.Unsatisfied)
        {
            text.Append("\n提案已转为“重新办理”，请商请承办单位重新办理。");
        }

        return text.ToString();
    }
}
