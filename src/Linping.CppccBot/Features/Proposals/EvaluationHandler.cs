using System.Globalization;
using System.Text.RegularExpressions;
using Linping.CppccBot.Conversations;
using Linping.CppccBot.Conversations.Recognition;
using Linping.CppccBot.Persistence.Entities;

namespace Linping.CppccBot.Features.Proposals;

/// <summary>
/// "评价 12 满意 意见…" evaluates at once; "评价提案" (or a command missing the proposal or the level) starts
/// <see cref="EvaluationDialog"/>: which proposal, which level, an optional comment, then a confirmation.
/// </summary>
public sealed partial class EvaluationHandler(ProposalEvaluation evaluation) : IIntentHandler
{
    public IReadOnlyCollection<string> Intents { get; } = [IntentNames.EvaluateProposal];

    public async Task HandleAsync(TurnContext turn, Intent intent, CancellationToken cancellationToken)
    {
        if (turn.Caller.MemberId is not { } memberId)
        {
            turn.Reply(EvaluationTexts.MembersOnly);
            return;
        }

        var (serial, session, level, comment) = Parse(turn.Text);
        if (serial is { } number)
        {
            var found = await evaluation.FindForMemberAsync(number, session, memberId, cancellationToken);
            if (found is null)
            {
                turn.Reply(session is null ? ProposalTexts.NotFound(number) : ProposalTexts.NotFoundInSession(session, number));
                return;
            }

            var check = await evaluation.CheckAsync(found.Id, memberId, cancellationToken);
            if (check.Outcome != EvaluationOutcome.Evaluated)
            {
                turn.Reply(EvaluationTexts.Outcome(check));
                return;
            }

            if (level is not null && comment is { Length: > ProposalEvaluation.MaxCommentLength })
            {
                // Too long to keep: the level stays, and the comment is asked for again, shorter.
                await EvaluationDialog.AskShorterCommentAsync(turn, check.Proposal!, level.Value, cancellationToken);
                return;
            }

            if (level is EvaluationResult.Unsatisfied)
            {
                // 不满意 sends the proposal back to its unit (重新办理), which cannot be undone: asked first.
                await EvaluationDialog.ConfirmAsync(turn, check.Proposal!, EvaluationResult.Unsatisfied, comment, cancellationToken);
                return;
            }

            if (level is { } result)
            {
                turn.Reply(EvaluationTexts.Outcome(await evaluation.EvaluateAsync(found.Id, memberId, result, comment, cancellationToken)));
                return;
            }

            await EvaluationDialog.StartAsync(turn, [check.Proposal!], level, cancellationToken);
            return;
        }

        var pending = await evaluation.PendingAsync(memberId, cancellationToken);
        if (pending.Count == 0)
        {
            turn.Reply(EvaluationTexts.NothingToEvaluate(await evaluation.IsJointProposerOfRepliedAsync(memberId, cancellationToken)));
            return;
        }

        await EvaluationDialog.StartAsync(turn, pending, level, cancellationToken);
    }

    /// <summary>
    /// The proposal number (with its session when the member wrote one: 评价 一届五次第0012号 满意), the level and the
    /// comment (the raw words after the level) of a typed command.
    /// </summary>
    internal static (int? Serial, string? Session, EvaluationResult? Level, string? Comment) Parse(string text)
    {
        var normalized = TextNormalizer.Normalize(text);
        var number = NumberPattern().Match(normalized);
        int? serial = number.Success && int.TryParse(number.Groups["digits"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        var session = serial is null ? null : ProposalNumber.SessionIn(normalized);
        var level = Level(normalized);
        string? comment = null;
        var raw = LevelPattern().Match(text);
        if (raw.Success)
        {
            comment = CommentPrefixPattern().Replace(text[(raw.Index + raw.Length)..], string.Empty).Trim();
            comment = comment.Length == 0 ? null : comment;
        }

        return (serial, session, level, comment);
    }

    /// <summary>满意 / 基本满意 / 不满意 in a text, or null.</summary>
    internal static EvaluationResult? Level(string text)
    {
        var match = LevelPattern().Match(text);
        return !match.Success ? null : match.Value switch
        {
            "基本满意" => EvaluationResult.BasicallySatisfied,
            "不满意" or "不太满意" or "很不满意" => EvaluationResult.Unsatisfied,
            _ => EvaluationResult.Satisfied,
        };
    }

    [GeneratedRegex("(?<![0-9])(?<digits>[0-9]{1,9})(?![0-9])")]
    private static partial Regex NumberPattern();

    [GeneratedRegex("(基本满意|很不满意|不太满意|不满意|非常满意|很满意|满意)(?![度率])")]
    private static partial Regex LevelPattern();

    [GeneratedRegex(@"^[\s,，。.:：;；、!！]*(意见|建议|理由|原因)?[\s,，。.:：;；、]*")]
    private static partial Regex CommentPrefixPattern();
}

/// <summary>Which proposal (when several), which level, an optional comment, and a confirmation.</summary>
public sealed class EvaluationDialog(IServiceScopeFactory scopes) : IDialog
{
    public const string DialogName = "proposals.evaluate";
    // The proposals' ids (serials were kept under other keys before sessions; such a dialog finds no proposal).
    private const string IdsKey = "ids";
    private const string IdKey = "id";
    private const string LevelKey = "level";
    private const string CommentKey = "comment";
    private const int AskProposal = 0;
    private const int AskLevel = 1;
    private const int AskComment = 2;
    private const int AskConfirm = 3;

    private static readonly HashSet<string> Skip = new(["无", "没有", "不用", "不用了", "跳过", "不需要", "不需要了", "没了", "没有了", "no", "n"], StringComparer.OrdinalIgnoreCase);
    private static readonly HashSet<string> Yes = new(["确认", "确定", "是", "是的", "好", "好的", "对", "提交", "ok", "y", "yes"], StringComparer.OrdinalIgnoreCase);
    private static readonly HashSet<string> No = new(["不", "不是", "否", "不要", "不提交", "no"], StringComparer.OrdinalIgnoreCase);

    public string Name => DialogName;

    public TimeSpan Timeout => TimeSpan.FromMinutes(30);

    public string Title => "提案评价";

    /// <summary>"不用了" to the optional comment means no comment, not "stop evaluating".</summary>
    public bool TakesAsAnswer(DialogContext dialog) => dialog.Step == AskComment && Skip.Contains(TextNormalizer.Normalize(dialog.Text));

    public static async Task StartAsync(TurnContext turn, IReadOnlyList<Proposal> proposals, EvaluationResult? level, CancellationToken cancellationToken)
    {
        await turn.BeginDialogAsync(DialogName, Intent.None, cancellationToken);
        var values = turn.State.DialogValues;
        if (level is { } l)
        {
            values[LevelKey] = l.ToString();
        }

        if (proposals.Count > 1)
        {
            values[IdsKey] = string.Join(',', proposals.Select(p => p.Id.ToString(CultureInfo.InvariantCulture)));
            turn.State.DialogStep = AskProposal;
            turn.Reply(EvaluationTexts.Pick(proposals));
            return;
        }

        values[IdKey] = proposals[0].Id.ToString(CultureInfo.InvariantCulture);
        if (level is null)
        {
            turn.State.DialogStep = AskLevel;
            turn.Reply(EvaluationTexts.AskLevelFor(proposals[0]));
        }
        else
        {
            turn.State.DialogStep = AskComment;
            turn.Reply($"评价提案 {EvaluationTexts.Name(proposals[0])}：{level.Value.ToLabel()}。\n{EvaluationTexts.AskComment}");
        }
    }

    /// <summary>An evaluation given in one message with a comment over the limit: the level is kept, the comment asked again.</summary>
    public static async Task AskShorterCommentAsync(TurnContext turn, Proposal proposal, EvaluationResult level, CancellationToken cancellationToken)
    {
        await turn.BeginDialogAsync(DialogName, Intent.None, cancellationToken);
        var values = turn.State.DialogValues;
        values[IdKey] = proposal.Id.ToString(CultureInfo.InvariantCulture);
        values[LevelKey] = level.ToString();
        turn.State.DialogStep = AskComment;
        turn.Reply($"评价提案 {EvaluationTexts.Name(proposal)}：{level.ToLabel()}。\n{EvaluationTexts.CommentTooLong}");
    }

    /// <summary>An evaluation given in one message, to confirm before it is stored.</summary>
    public static async Task ConfirmAsync(TurnContext turn, Proposal proposal, EvaluationResult level, string? comment, CancellationToken cancellationToken)
    {
        await turn.BeginDialogAsync(DialogName, Intent.None, cancellationToken);
        var values = turn.State.DialogValues;
        values[IdKey] = proposal.Id.ToString(CultureInfo.InvariantCulture);
        values[LevelKey] = level.ToString();
        if (comment is not null)
        {
            values[CommentKey] = comment;
        }

        turn.State.DialogStep = AskConfirm;
        turn.Reply(EvaluationTexts.Confirm(proposal, level, comment));
    }

    public Task<DialogStatus> BeginAsync(DialogContext dialog, Intent intent, CancellationToken cancellationToken) => Task.FromResult(DialogStatus.Waiting);

    public string Help(DialogContext dialog) => dialog.Step switch
    {
        AskProposal => "请回复列表中的序号选择要评价的提案。",
        AskLevel => EvaluationTexts.AskLevel,
        AskComment => EvaluationTexts.AskComment,
        _ => EvaluationTexts.ConfirmAgain,
    };

    public async Task<DialogStatus> ContinueAsync(DialogContext dialog, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var evaluation = scope.ServiceProvider.GetRequiredService<ProposalEvaluation>();
        var memberId = dialog.Turn.Caller.MemberId!;
        var text = TextNormalizer.Normalize(dialog.Text);
        switch (dialog.Step)
        {
            case AskProposal:
                var ids = dialog.Values.GetValueOrDefault(IdsKey)?.Split(',') ?? [];
                var pick = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : TextNormalizer.ParseChineseNumber(text) ?? 0;
                if (ids.Length == 0)
                {
                    dialog.Reply(EvaluationTexts.Outcome(new EvaluationAttempt(EvaluationOutcome.NotFound, null)));
                    return DialogStatus.Complete;
                }

                if (pick < 1 || pick > ids.Length)
                {
                    dialog.Reply($"请回复 1 到 {ids.Length} 之间的序号，或发送“取消”。");
                    return DialogStatus.Waiting;
                }

                dialog.Values[IdKey] = ids[pick - 1];
                return await AfterProposalAsync(dialog, evaluation, memberId, cancellationToken);
            case AskLevel:
                var level = text switch
                {
                    "1" or "一" => EvaluationResult.Satisfied,
                    "2" or "二" => EvaluationResult.BasicallySatisfied,
                    "3" or "三" => EvaluationResult.Unsatisfied,
                    _ => EvaluationHandler.Level(text),
                };
                if (level is null)
                {
                    dialog.Reply(EvaluationTexts.AskLevelAgain);
                    return DialogStatus.Waiting;
                }

                dialog.Values[LevelKey] = level.Value.ToString();
                dialog.Step = AskComment;
                dialog.Reply($"评价：{level.Value.ToLabel()}。\n{EvaluationTexts.AskComment}");
                return DialogStatus.Waiting;
            case AskComment:
                var comment = Skip.Contains(text) ? null : dialog.Text;
                if (comment is { Length: > ProposalEvaluation.MaxCommentLength })
                {
                    dialog.Reply(EvaluationTexts.CommentTooLong);
                    return DialogStatus.Waiting;
                }

                if (comment is not null)
                {
                    dialog.Values[CommentKey] = comment;
                }

                var check = await evaluation.CheckAsync(Id(dialog), memberId, cancellationToken);
                if (check.Outcome != EvaluationOutcome.Evaluated)
                {
                    dialog.Reply(EvaluationTexts.Outcome(check));
                    return DialogStatus.Complete;
                }

                dialog.Step = AskConfirm;
                dialog.Reply(EvaluationTexts.Confirm(check.Proposal!, Enum.Parse<EvaluationResult>(dialog.Values[LevelKey]), comment));
                return DialogStatus.Waiting;
            default:
                if (No.Contains(text))
                {
                    dialog.Reply(EvaluationTexts.Declined);
                    return DialogStatus.Complete;
                }

                if (!Yes.Contains(text))
                {
                    // "不对，改成基本满意吧": the member changes the level before confirming.
                    if (EvaluationHandler.Level(text) is { } changed)
                    {
                        var proposal = await evaluation.CheckAsync(Id(dialog), memberId, cancellationToken);
                        if (proposal.Outcome == EvaluationOutcome.Evaluated)
                        {
                            dialog.Values[LevelKey] = changed.ToString();
                            dialog.Reply(EvaluationTexts.Confirm(proposal.Proposal!, changed, dialog.Values.GetValueOrDefault(CommentKey)));
                            return DialogStatus.Waiting;
                        }
                    }

                    dialog.Reply(EvaluationTexts.ConfirmAgain);
                    return DialogStatus.Waiting;
                }

                var result = await evaluation.EvaluateAsync(
                    Id(dialog), memberId, Enum.Parse<EvaluationResult>(dialog.Values[LevelKey]), dialog.Values.GetValueOrDefault(CommentKey), cancellationToken);
                dialog.Reply(EvaluationTexts.Outcome(result));
                return DialogStatus.Complete;
        }
    }

    private static int Id(DialogContext dialog) =>
        int.TryParse(dialog.Values.GetValueOrDefault(IdKey), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0;

    private static async Task<DialogStatus> AfterProposalAsync(DialogContext dialog, ProposalEvaluation evaluation, string memberId, CancellationToken cancellationToken)
    {
        var check = await evaluation.CheckAsync(Id(dialog), memberId, cancellationToken);
        if (check.Outcome != EvaluationOutcome.Evaluated)
        {
            dialog.Reply(EvaluationTexts.Outcome(check));
            return DialogStatus.Complete;
        }

        if (dialog.Values.TryGetValue(LevelKey, out var known))
        {
            dialog.Step = AskComment;
            dialog.Reply($"评价提案 {EvaluationTexts.Name(check.Proposal!)}：{Enum.Parse<EvaluationResult>(known).ToLabel()}。\n{EvaluationTexts.AskComment}");
        }
        else
        {
            dialog.Step = AskLevel;
            dialog.Reply(EvaluationTexts.AskLevelFor(check.Proposal!));
        }

        return DialogStatus.Waiting;
    }
}
