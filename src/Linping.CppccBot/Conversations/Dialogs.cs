namespace Linping.CppccBot.Conversations;

public enum DialogStatus
{
    /// <summary>The dialog asked something and waits for the member's next message.</summary>
    Waiting,

    /// <summary>The dialog is done; the conversation returns to free intent recognition.</summary>
    Complete,
}

/// <summary>
/// A multi-turn conversation (e.g. submitting a 社情民意 report). "取消" and "帮助" never reach a dialog: the
/// <see cref="TurnHandler"/> handles them for every dialog, the way Bot Builder's CancelAndHelpDialog does.
/// </summary>
public interface IDialog
{
    string Name { get; }

    /// <summary>How long the dialog waits for the member before it expires.</summary>
    TimeSpan Timeout { get; }

    /// <summary>A short description of what the dialog is doing, used when it expires or is cancelled ("提交社情民意").</summary>
    string Title { get; }

    Task<DialogStatus> BeginAsync(DialogContext dialog, Intent intent, CancellationToken cancellationToken);

    Task<DialogStatus> ContinueAsync(DialogContext dialog, CancellationToken cancellationToken);

    /// <summary>What to tell a member who asks for help inside this dialog at its current step.</summary>
    string Help(DialogContext dialog);

    /// <summary>
    /// What the member has written that leaving now would lose, in words for "…将不会保存" ("已填写的标题和正文"), or null
    /// when nothing worth keeping (a choice, a yes or no). A dialog with a draft asks before it is cancelled, and is
    /// put aside rather than ended when the member turns to something else or lets it time out.
    /// </summary>
    string? Draft(DialogContext dialog) => null;

    /// <summary>
    /// True when the current step takes the message as its answer although it is also a cancel word: "不用了" to an
    /// optional question, "结束" after the last paragraph. Checked before the message is taken as "取消".
    /// </summary>
    bool TakesAsAnswer(DialogContext dialog) => false;

    /// <summary>
    /// True when the current step waits for a choice or a yes/no (not free text), so that a new request of any kind
    /// ("报名大运河", "常委会请假", "我要提交社情民意") leaves the dialog for it. Free-text steps leave only for look-ups.
    /// </summary>
    bool AwaitsShortAnswer(DialogContext dialog) => false;

    /// <summary>
    /// What the member should know when they turn to something else before the dialog finished and nothing is kept
    /// ("请假申请还没有提交…"), or null when leaving needs no word.
    /// </summary>
    string? Unfinished(DialogContext dialog) => null;
}

/// <summary>A dialog's view of the turn: the step, the values collected so far, and the turn itself.</summary>
public sealed class DialogContext(TurnContext turn)
{
    public TurnContext Turn { get; } = turn;

    public int Step
    {
        get => Turn.State.DialogStep;
        set => Turn.State.DialogStep = value;
    }

    public Dictionary<string, string> Values => Turn.State.DialogValues;

    public string Text => Turn.Text;

    public void Reply(string text) => Turn.Reply(text);
}

/// <summary>The dialogs the bot knows, by name.</summary>
public sealed class DialogSet(IEnumerable<IDialog> dialogs)
{
    private readonly Dictionary<string, IDialog> _dialogs = dialogs.ToDictionary(d => d.Name, StringComparer.Ordinal);

    public IDialog? Find(string name) => _dialogs.GetValueOrDefault(name);
}
