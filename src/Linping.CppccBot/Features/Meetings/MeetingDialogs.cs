using System.Text.RegularExpressions;
using Linping.CppccBot.Conversations;
using Linping.CppccBot.Conversations.Recognition;
using Linping.CppccBot.Persistence.Entities;

namespace Linping.CppccBot.Features.Meetings;

/// <summary>
/// Base of the meeting dialogs. The <see cref="DialogSet"/> is a singleton, so each step opens its own scope for the
/// scoped database and services. Callers start a dialog and then put its values in place: the core clears the values
/// when a dialog begins, and a dialog's begin step only sees an <see cref="Intent"/>.
/// </summary>
public abstract class MeetingDialog(IServiceScopeFactory scopes) : IDialog
{
    public abstract string Name { get; }

    public TimeSpan Timeout => TimeSpan.FromMinutes(30);

    public abstract string Title { get; }

    public Task<DialogStatus> BeginAsync(DialogContext dialog, Intent intent, CancellationToken cancellationToken) =>
        Task.FromResult(DialogStatus.Waiting);

    public async Task<DialogStatus> ContinueAsync(DialogContext dialog, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await ContinueAsync(dialog, scope.ServiceProvider.GetRequiredService<MeetingConversation>(), cancellationToken);
    }

    public abstract string Help(DialogContext dialog);

    /// <summary>A meeting dialog asks for a choice or a short answer: nothing to keep.</summary>
    public virtual string? Draft(DialogContext dialog) => null;

    public virtual bool TakesAsAnswer(DialogContext dialog) => false;

    /// <summary>Most steps wait for a choice or a yes/no; the leave note is free text.</summary>
    public virtual bool AwaitsShortAnswer(DialogContext dialog) => true;

    public virtual string? Unfinished(DialogContext dialog) => null;

    protected abstract Task<DialogStatus> ContinueAsync(DialogContext dialog, MeetingConversation conversation, CancellationToken cancellationToken);

    protected static bool IsYes(string text) => Yes.Contains(TextNormalizer.Normalize(text));

    protected static bool IsNo(string text) => No.Contains(TextNormalizer.Normalize(text));

    /// <summary>
    /// "我不请假了", "不请了", "我能去了", "那还是不请假了吧": the member no longer wants leave. "不能去", "能不能去" and
    /// a note such as "上午能参加，下午请假" are not this.
    /// </summary>
    public static bool DropsLeave(string text)
    {
        var t = TextNormalizer.Normalize(text);
        return t.Length <= 20
            && (TextNormalizer.ContainsAny(t, "不请假", "不请了", "不用请", "取消请假", "撤回请假", "撤销请假", "请假不请") || t.EndsWith("不请", StringComparison.Ordinal)
                || (t.Length <= 8 && TextNormalizer.ContainsAny(t, "能去", "能参加", "能来", "能出席", "可以去", "可以参加") && !TextNormalizer.ContainsAny(t, "不能", "能不能", "可不可以", "不可以", "但", "下午", "上午")));
    }

    private static readonly HashSet<string> Yes = new(
        ["是", "是的", "是这个", "就是", "就是这个", "没错", "好", "好的", "行", "可以", "要", "需要", "对", "对的", "对对", "嗯", "嗯嗯", "确认", "确定", "候补", "加入候补", "我要候补", "排队", "ok", "y", "yes", "1"],
        StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> No = new(
        ["不", "不是", "都不是", "否", "不用", "不用了", "不要", "不要了", "不需要", "不需要了", "不了", "不候补", "算了", "no", "n"],
        StringComparer.OrdinalIgnoreCase);
}

/// <summary>"Which meeting do you mean?": a numbered choice, answered with a number or more words.</summary>
public sealed partial class ChooseMeetingDialog(IServiceScopeFactory scopes, MeetingTexts texts) : MeetingDialog(scopes)
{
    public const string DialogName = "meetings.choose";
    private const string ActionKey = "action";
    private const string IdsKey = "ids";
    private const string ReasonKey = "reason";
    private const string OfferedKey = "offered";

    /// <summary>Set when every meeting offered for "去不了" is one the member is called to: not coming is leave, not a cancellation.</summary>
    private const string CalledKey = "called";

    public override string Name => DialogName;

    public override string Title => "选择会议";

    /// <param name="offered">The meetings were offered because the member's words named none: even one is picked by number.</param>
    public static async Task StartAsync(
        TurnContext turn, MeetingAction action, IReadOnlyList<Meeting> meetings, LeaveReason? reason, string question, CancellationToken cancellationToken, bool offered = false)
    {
        await turn.BeginDialogAsync(DialogName, Intent.None, cancellationToken);
        var values = turn.State.DialogValues;
        values[ActionKey] = action.ToString();
        if (offered)
        {
            values[OfferedKey] = "1";
        }

        values[IdsKey] = string.Join(',', meetings.Select(m => m.Id));
        if (action == MeetingAction.CannotAttend && meetings.All(m => m.Participation == ParticipationMode.Mandatory))
        {
            values[CalledKey] = "1";
        }
        if (reason is { } r)
        {
            values[ReasonKey] = r.ToString();
        }

        turn.Reply(question);
    }

    public override string Help(DialogContext dialog) =>
        dialog.Values.GetValueOrDefault(IdsKey)?.Contains(',', StringComparison.Ordinal) == false && !dialog.Values.ContainsKey(OfferedKey)
            ? MeetingTexts.ConfirmOne
            : "请回复列表中的序号选择会议。";

    /// <summary>What was left undone when the member turned to something else before choosing.</summary>
    public override string? Unfinished(DialogContext dialog) => Enum.TryParse<MeetingAction>(dialog.Values.GetValueOrDefault(ActionKey), out var action)
        ? action switch
        {
            MeetingAction.SignUp => "（刚才的报名还没有完成。需要时请重新发送，如“报名 1”。）",
            MeetingAction.CannotAttend when dialog.Values.ContainsKey(CalledKey) => MeetingTexts.LeaveNotSubmitted,
            MeetingAction.Cancel or MeetingAction.CannotAttend => "（刚才的取消报名还没有办理，报名仍然保留。）",
            MeetingAction.LeaveWaitlist => "（刚才没有退出候补，候补仍然保留。）",
            MeetingAction.Leave => MeetingTexts.LeaveNotSubmitted,
            _ => null,
        }
        : null;

    /// <summary>
    /// "不用了" declines the choice in its own words; "取消" asked which sign-up to cancel may mean "cancel it", so it
    /// is asked about rather than taken as leaving.
    /// </summary>
    public override bool TakesAsAnswer(DialogContext dialog) => IsNo(dialog.Text) || IsAmbiguousCancel(dialog) || SaysAll(dialog);

    /// <summary>"都取消", "两个都去不了", "全部": every meeting listed, for a choice of several.</summary>
    private static bool SaysAll(DialogContext dialog) =>
        dialog.Values.GetValueOrDefault(IdsKey)?.Contains(',', StringComparison.Ordinal) == true
        && AllWords().IsMatch(TextNormalizer.Normalize(dialog.Text));

    [GeneratedRegex("^(这?(两|几|三)(个|场)(会议?|活动)?都|都|全部|全都|所有的?)(吧|要|取消|取消吧|取消报名|去不了?|参加不了?|来不了?|不去|不能去|不参加|不能参加|退出|不候补)?$")]
    private static partial Regex AllWords();

    private static bool IsAmbiguousCancel(DialogContext dialog) =>
        TextNormalizer.Normalize(dialog.Text) is "取消" or "取消吧" or "取消掉"
        && dialog.Values.GetValueOrDefault(ActionKey) is nameof(MeetingAction.Cancel) or nameof(MeetingAction.CannotAttend) or nameof(MeetingAction.LeaveWaitlist);

    protected override async Task<DialogStatus> ContinueAsync(DialogContext dialog, MeetingConversation conversation, CancellationToken cancellationToken)
    {
        if (IsAmbiguousCancel(dialog))
        {
            var one = !dialog.Values[IdsKey].Contains(',', StringComparison.Ordinal) && !dialog.Values.ContainsKey(OfferedKey);
            // A meeting the member is called to (指定出席) has no sign-up to cancel: not coming is leave.
            var called = dialog.Values[ActionKey] == nameof(MeetingAction.CannotAttend)
                && (await conversation.MeetingsAsync(dialog.Values[IdsKey].Split(','), cancellationToken)).All(m => m.Participation == ParticipationMode.Mandatory);
            dialog.Reply((one, called) switch
            {
                (true, true) => MeetingTexts.NoSignUpToCancelAskLeave,
                (false, true) => "这些会议都是指定出席的，没有报名可以取消，不能参加需要请假。请回复要请假的会议序号；不请假请回复“不是”。",
                (true, false) => "是要取消这个会议的报名吗？" + MeetingTexts.ConfirmOne,
                _ => "请回复要取消的会议序号；不取消请回复“不是”。",
            });
            return DialogStatus.Waiting;
        }

        var action = Enum.Parse<MeetingAction>(dialog.Values[ActionKey]);
        var reason = dialog.Values.TryGetValue(ReasonKey, out var r) ? Enum.Parse<LeaveReason>(r) : (LeaveReason?)null;
        var ids = dialog.Values[IdsKey].Split(',');

        string? picked = null;
        if (action is MeetingAction.Leave or MeetingAction.CannotAttend && DropsLeave(dialog.Text))
        {
            dialog.Reply(action == MeetingAction.Leave ? MeetingTexts.LeaveDropped : MeetingTexts.ChoiceDeclined);
            return DialogStatus.Complete;
        }

        if (SaysAll(dialog))
        {
            return await ExecuteAllAsync(dialog, conversation, action, ids, cancellationToken);
        }

        if (ids.Length == 1 && IsYes(dialog.Text) && !dialog.Values.ContainsKey(OfferedKey))
        {
            picked = ids[0];
        }
        else if (ids.Length == 1 && !dialog.Values.ContainsKey(OfferedKey) && action is MeetingAction.Leave or MeetingAction.CannotAttend
            && LeaveReasons.FromCorrection(dialog.Text) is { } said)
        {
            // "请假 第二十六次常委会 …" asked "是这个会议吗？", answered "因事": the next question's answer is a yes.
            picked = ids[0];
            reason = said;
        }
        else if (IsNo(dialog.Text))
        {
            dialog.Reply(MeetingTexts.ChoiceDeclined);
            return DialogStatus.Complete;
        }
        else if (MeetingMatcher.ListNumber(dialog.Text) is { } number)
        {
            if (number < 1 || number > ids.Length)
            {
                dialog.Reply(ids.Length == 1 && !dialog.Values.ContainsKey(OfferedKey) ? MeetingTexts.ConfirmOne : $"请回复 1 到 {ids.Length} 之间的序号；不需要请回复“不是”。");
                return DialogStatus.Waiting;
            }

            picked = ids[number - 1];
        }
        else
        {
            var candidates = await conversation.MeetingsAsync(ids, cancellationToken);
            var matches = MeetingMatcher.Match(dialog.Text, candidates);
            if (matches.Count == 0 && MeetingMatcher.MatchPart(dialog.Text, candidates, out var partLength) is { Count: 1 } named && partLength >= 3)
            {
                // A sentence that names one of the listed meetings ("不好意思，我腰不好，第二十七次常委会请个假").
                matches = named;
            }

            if (matches.Count == 0 && candidates.Where(m => MeetingPeriod.InPartOfDay(dialog.Text, m.StartsAt, texts.Zone) == true).ToList() is { Count: > 0 } inPart
                && inPart.Count < candidates.Count)
            {
                // "上午那个", "下午的": the listed meetings in that part of the day.
                matches = inPart;
            }

            if (matches.Count == 1)
            {
                picked = matches[0].Id;
            }
            else if (matches.Count > 1)
            {
                dialog.Values[IdsKey] = string.Join(',', matches.Select(m => m.Id));
                dialog.Reply(texts.Choose("还有几个会议相符，请问是哪一个？", matches));
                return DialogStatus.Waiting;
            }
            else if (ids.Length == 1 && !dialog.Values.ContainsKey(OfferedKey) && action == MeetingAction.Leave && LeaveDialog.SaysNoNote(dialog.Text))
            {
                // "无" answers the note asked after this question: the member hears what is asked first.
                dialog.Reply(MeetingTexts.ConfirmLeaveMeetingFirst);
                return DialogStatus.Waiting;
            }
            else
            {
                dialog.Reply(ids.Length == 1 && !dialog.Values.ContainsKey(OfferedKey) ? MeetingTexts.ConfirmOne : MeetingTexts.ChoiceNotUnderstood);
                return DialogStatus.Waiting;
            }
        }

        await conversation.ExecuteAsync(dialog.Turn, action, picked, reason, cancellationToken);
        return DialogStatus.Complete;
    }

    /// <summary>
    /// Cancelling every sign-up or waitlist place listed is done at once, each answered. What goes on with a question
    /// of its own (a sign-up to a full meeting asks about the waitlist, leave asks the reason) is taken one at a time.
    /// </summary>
    private static async Task<DialogStatus> ExecuteAllAsync(
        DialogContext dialog, MeetingConversation conversation, MeetingAction action, string[] ids, CancellationToken cancellationToken)
    {
        var meetings = await conversation.MeetingsAsync(ids, cancellationToken);
        var oneByOne = action is not (MeetingAction.Cancel or MeetingAction.CannotAttend or MeetingAction.LeaveWaitlist)
            || (action == MeetingAction.CannotAttend && meetings.Any(m => m.Participation == ParticipationMode.Mandatory));
        if (oneByOne || meetings.Count != ids.Length)
        {
            dialog.Reply(MeetingTexts.OneAtATime);
            return DialogStatus.Waiting;
        }

        foreach (var id in ids)
        {
            await conversation.ExecuteAsync(dialog.Turn, action, id, reason: null, cancellationToken);
        }

        return DialogStatus.Complete;
    }
}

/// <summary>"Cancel your sign-up for …?" after a tap on a reminder card's 取消报名.</summary>
public sealed class ConfirmCancelDialog(IServiceScopeFactory scopes) : MeetingDialog(scopes)
{
    public const string DialogName = "meetings.confirmCancel";
    private const string MeetingKey = "meeting";

    public override string Name => DialogName;

    public override string Title => "取消报名确认";

    public static async Task StartAsync(TurnContext turn, Meeting meeting, MeetingTexts texts, CancellationToken cancellationToken)
    {
        await turn.BeginDialogAsync(DialogName, Intent.None, cancellationToken);
        turn.State.DialogValues[MeetingKey] = meeting.Id;
        turn.Reply(texts.ConfirmCancel(meeting));
    }

    public override string Help(DialogContext dialog) => "回复“是”确认取消报名，回复“否”保留报名。";

    /// <summary>Asked "取消报名吗？", "取消" means yes and "不用了" no, not leaving the question.</summary>
    public override bool TakesAsAnswer(DialogContext dialog) => IsCancelYes(dialog.Text) || IsNo(dialog.Text);

    private static bool IsCancelYes(string text) => TextNormalizer.Normalize(text) is "取消" or "确认取消" or "确定取消" or "取消报名" or "取消吧";

    protected override async Task<DialogStatus> ContinueAsync(DialogContext dialog, MeetingConversation conversation, CancellationToken cancellationToken)
    {
        if (IsYes(dialog.Text) || IsCancelYes(dialog.Text))
        {
            await conversation.CancelAsync(dialog.Turn, dialog.Values[MeetingKey], cancellationToken);
            return DialogStatus.Complete;
        }

        if (IsNo(dialog.Text))
        {
            dialog.Reply("好的，保留您的报名。");
            return DialogStatus.Complete;
        }

        dialog.Reply(Help(dialog));
        return DialogStatus.Waiting;
    }
}

/// <summary>"The meeting is full; join the waitlist?"</summary>
public sealed class WaitlistDialog(IServiceScopeFactory scopes) : MeetingDialog(scopes)
{
    public const string DialogName = "meetings.waitlist";
    private const string MeetingKey = "meeting";

    public override string Name => DialogName;

    public override string Title => "加入候补";

    public static async Task StartAsync(TurnContext turn, string meetingId, CancellationToken cancellationToken)
    {
        await turn.BeginDialogAsync(DialogName, Intent.None, cancellationToken);
        turn.State.DialogValues[MeetingKey] = meetingId;
    }

    public override string Help(DialogContext dialog) => "会议名额已满。回复“是”加入候补，有人取消时按顺序递补；回复“不用”放弃。";

    public override string? Unfinished(DialogContext dialog) => "（刚才没有加入候补。需要时请重新发送“报名”加会议名称。）";

    /// <summary>"不用了" declines the waitlist, in the waitlist's words, rather than cancelling a dialog.</summary>
    public override bool TakesAsAnswer(DialogContext dialog) => IsNo(dialog.Text);

    protected override async Task<DialogStatus> ContinueAsync(DialogContext dialog, MeetingConversation conversation, CancellationToken cancellationToken)
    {
        if (IsYes(dialog.Text))
        {
            await conversation.JoinWaitlistAsync(dialog.Turn, dialog.Values[MeetingKey], cancellationToken);
            return DialogStatus.Complete;
        }

        if (IsNo(dialog.Text))
        {
            dialog.Reply(MeetingTexts.WaitlistDeclined);
            return DialogStatus.Complete;
        }

        dialog.Reply("请回复“是”加入候补，或回复“不用”。");
        return DialogStatus.Waiting;
    }
}

/// <summary>Leave from a Mandatory meeting: the reason category (unless already said), then an optional note.</summary>
public sealed partial class LeaveDialog(IServiceScopeFactory scopes) : MeetingDialog(scopes)
{
    public const string DialogName = "meetings.leave";
    private const string MeetingKey = "meeting";
    private const string ReasonKey = "reason";
    private const int AskReason = 0;
    private const int AskNote = 1;
    private const int MaxNoteLength = 500;

    private static readonly HashSet<string> Skip = new(
        ["无", "没有", "不用", "不用了", "跳过", "不需要", "不需要了", "没了", "不补充", "无补充", "没有了", "没什么", "没啥", "no", "n",
            "好", "好的", "好了", "行", "可以", "嗯", "嗯嗯", "知道了", "ok"],
        StringComparer.OrdinalIgnoreCase);

    public override string Name => DialogName;

    public override string Title => "会议请假";

    /// <param name="instead">
    /// The member said they cannot come to a meeting they are called to (指定出席): the first answer says leave is
    /// asked for instead of a cancellation.
    /// </param>
    /// <param name="refused">The member's earlier request for this meeting, refused by the office: said first, as only another reason is taken.</param>
    public static async Task StartAsync(
        TurnContext turn, Meeting meeting, LeaveReason? reason, MeetingTexts texts, CancellationToken cancellationToken, bool instead = false, Participation? refused = null)
    {
        await turn.BeginDialogAsync(DialogName, Intent.None, cancellationToken);
        turn.State.DialogValues[MeetingKey] = meeting.Id;
        var before = refused is null ? string.Empty : MeetingTexts.LeaveRefusedBefore(refused);
        var lead = before + (instead ? $"{texts.Name(meeting)}是指定出席的会议，不能参加需要请假。" : $"为{texts.Name(meeting)}请假");
        if (reason is { } r)
        {
            turn.State.DialogValues[ReasonKey] = r.ToString();
            turn.State.DialogStep = AskNote;
            turn.Reply($"{lead}{(instead ? string.Empty : "，")}{MeetingTexts.LeaveReasonTaken(r)}\n{MeetingTexts.AskLeaveNote}");
        }
        else
        {
            turn.State.DialogStep = AskReason;
            turn.Reply(instead ? lead + MeetingTexts.AskLeaveReason : before + texts.AskLeaveReasonFor(meeting));
        }
    }

    public override string Help(DialogContext dialog) => dialog.Step == AskReason ? MeetingTexts.AskLeaveReason : MeetingTexts.AskLeaveNote;

    /// <summary>
    /// The category an answer to "which category" names: "2", "因病", "不是因病，是因事", "不对，公务"; null for one it
    /// only says no to ("不是因事").
    /// </summary>
    private static LeaveReason? ReasonAnswer(string text)
    {
        if (LeaveReasons.FromCorrection(text) is { } corrected)
        {
            return corrected;
        }

        var no = LeadingNoPattern().Match(TextNormalizer.Normalize(text));
        return !no.Success ? LeaveReasons.FromAnswer(text)
            : no.Groups["then"].Success ? LeaveReasons.FromAnswer(no.Groups["rest"].Value)
            : null;
    }

    [GeneratedRegex("^(?:不是|不对)(?<then>,+(?:而?是|应该是)?)?(?<rest>.*)$")]
    private static partial Regex LeadingNoPattern();

    /// <summary>True for an answer that declines the optional note ("无", "没有", "不用了").</summary>
    public static bool SaysNoNote(string text) => Skip.Contains(TextNormalizer.Normalize(text));

    public override bool AwaitsShortAnswer(DialogContext dialog) => dialog.Step == AskReason;

    public override string? Unfinished(DialogContext dialog) => MeetingTexts.LeaveNotSubmitted;

    /// <summary>
    /// "不用了" to the optional note means no note, not "cancel the leave request"; "不是这个会" to the reason is this
    /// dialog's answer, not a question about meetings.
    /// </summary>
    public override bool TakesAsAnswer(DialogContext dialog) =>
        dialog.Step == AskNote ? Skip.Contains(TextNormalizer.Normalize(dialog.Text)) : SaysNotThis(dialog.Text);

    /// <summary>"不是", "不对", "不是这个会", "搞错了": not the meeting meant, or no leave after all.</summary>
    private static bool SaysNotThis(string text) => NotThisPattern().IsMatch(TextNormalizer.Normalize(text).TrimEnd('。', '.', '!', '！', '~', '～'));

    [GeneratedRegex("^(?:不|否|不是|不对|都不是|不是的|不对不对|不是不是|(?:搞|弄|选|说)?错了?)(?:[,，\\s]*(?:不是)?(?:这个|这场|那个|这)?(?:会议?|活动)?)?(?:了|吧|啊|呀|哦)?$")]
    private static partial Regex NotThisPattern();

    protected override async Task<DialogStatus> ContinueAsync(DialogContext dialog, MeetingConversation conversation, CancellationToken cancellationToken)
    {
        if (DropsLeave(dialog.Text))
        {
            dialog.Reply(MeetingTexts.LeaveDropped);
            return DialogStatus.Complete;
        }

        if (dialog.Step == AskReason)
        {
            // "不是", "不是这个会": not this meeting, or no leave after all.
            if (SaysNotThis(dialog.Text))
            {
                await conversation.DeclineLeaveAsync(dialog.Turn, dialog.Values[MeetingKey], cancellationToken);
                return DialogStatus.Complete;
            }

            if (ReasonAnswer(dialog.Text) is not { } reason)
            {
                dialog.Reply(MeetingTexts.AskLeaveReasonAgain);
                return DialogStatus.Waiting;
            }

            if (!await conversation.MayAskLeaveForAsync(dialog.Turn, dialog.Values[MeetingKey], reason, cancellationToken))
            {
                return DialogStatus.Complete;
            }

            dialog.Values[ReasonKey] = reason.ToString();
            dialog.Step = AskNote;
            dialog.Reply($"事由：{reason.ToLabel()}。\n{MeetingTexts.AskLeaveNote}");
            return DialogStatus.Waiting;
        }

        if (LeaveReasons.FromCorrection(dialog.Text) is { } corrected)
        {
            var unchanged = dialog.Values[ReasonKey] == corrected.ToString();

            // Corrected to the category the office already refused: said now, as the choice of it is, not at submit.
            if (!unchanged && !await conversation.MayAskLeaveForAsync(dialog.Turn, dialog.Values[MeetingKey], corrected, cancellationToken))
            {
                return DialogStatus.Complete;
            }

            dialog.Values[ReasonKey] = corrected.ToString();
            dialog.Reply((unchanged ? $"事由已是：{corrected.ToLabel()}。" : $"好的，事由改为：{corrected.ToLabel()}。") + $"\n{MeetingTexts.AskLeaveNote}");
            return DialogStatus.Waiting;
        }

        var note = Skip.Contains(TextNormalizer.Normalize(dialog.Text)) ? null : dialog.Text;
        if (note is { Length: > MaxNoteLength })
        {
            dialog.Reply($"说明请控制在{MaxNoteLength}字以内，请精简后重新发送，或回复“无”。");
            return DialogStatus.Waiting;
        }

        await conversation.SubmitLeaveAsync(dialog.Turn, dialog.Values[MeetingKey], Enum.Parse<LeaveReason>(dialog.Values[ReasonKey]), note, cancellationToken);
        return DialogStatus.Complete;
    }
}
