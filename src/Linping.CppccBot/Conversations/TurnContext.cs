namespace Linping.CppccBot.Conversations;

/// <summary>Everything one turn works with: the message, who sent it, the conversation state and the replies so far.</summary>
public sealed class TurnContext(InboundMessage message, Caller caller, ConversationState state, DateTimeOffset now, DialogSet dialogs)
{
    private readonly List<Reply> _replies = [];

    public InboundMessage Message { get; } = message;

    public Caller Caller { get; } = caller;

    public ConversationState State { get; } = state;

    /// <summary>The time the turn started, from the host's <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset Now { get; } = now;

    public IReadOnlyList<Reply> Replies => _replies;

    /// <summary>
    /// The member's text, cleaned of invisible characters (<see cref="MemberText"/>) and trimmed; empty for events. While
    /// one of several requests of a message is handled (<see cref="WithTextAsync"/>), that request's words.
    /// </summary>
    public string Text => _part ?? (field ??= MemberText.Clean(Message.Text).Trim());

    private string? _part;

    /// <summary>Runs <paramref name="handle"/> with <see cref="Text"/> being <paramref name="words"/>, one of several requests of the message.</summary>
    public async Task WithTextAsync(string words, Func<Task> handle)
    {
        var whole = _part;
        _part = words;
        try
        {
            await handle();
        }
        finally
        {
            _part = whole;
        }
    }

    /// <summary>The card to update once this turn is answered; see <see cref="UpdateCard"/>.</summary>
    public CardUpdate? CardUpdate { get; private set; }

    /// <summary>
    /// The code of the card click this turn (or the dialog it started) acts for: the click's own, or the one a dialog
    /// kept in <see cref="CardResponseKey"/>.
    /// </summary>
    public string? CardResponseCode =>
        Message.ResponseCode is { Length: > 0 } code ? code : State.DialogValues.GetValueOrDefault(CardResponseKey);

    /// <summary>The dialog value under which a dialog started by a card click keeps the click's response code.</summary>
    public const string CardResponseKey = "card.responseCode";

    /// <summary>Marks the clicked card as done ("已取消报名"), when this turn acts for a card click; otherwise nothing.</summary>
    public void UpdateCard(string replaceName)
    {
        if (CardResponseCode is { } code)
        {
            CardUpdate = new CardUpdate(code, replaceName);
        }
    }

    public void Reply(string text)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            _replies.Add(new Reply(text));
        }
    }

    /// <summary>Starts <paramref name="dialogName"/>, replacing any dialog in progress.</summary>
    public Task BeginDialogAsync(string dialogName, Intent intent, CancellationToken cancellationToken)
    {
        var dialog = dialogs.Find(dialogName)
            ?? throw new InvalidOperationException($"No dialog named '{dialogName}' is registered.");
        State.EndDialog();
        State.DialogName = dialog.Name;
        if (Message.ResponseCode is { Length: > 0 } code)
        {
            // A dialog started by a card click updates that card when it completes, turns later.
            State.DialogValues[CardResponseKey] = code;
        }

        State.DialogUpdatedAt = Now;
        return RunAsync(dialog, d => d.BeginAsync(new DialogContext(this), intent, cancellationToken));
    }

    /// <summary>
    /// Takes up the dialog <paramref name="dialogName"/> where it was put aside (<see cref="ConversationState.Suspended"/>),
    /// telling the member where they are; false when no such dialog was put aside.
    /// </summary>
    /// <param name="dialogName">The dialog put aside.</param>
    /// <param name="quietly">True when the message that takes it up is also its next answer, which the dialog answers.</param>
    public bool TryResumeDialog(string dialogName, bool quietly = false)
    {
        if (State.Suspended?.Name != dialogName || dialogs.Find(dialogName) is not { } dialog || !State.ResumeDialog(Now))
        {
            return false;
        }

        if (!quietly)
        {
            Reply(BotTexts.DialogResumed(dialog.Title) + "\n" + dialog.Help(new DialogContext(this)));
        }

        return true;
    }

    internal Task ContinueDialogAsync(IDialog dialog, CancellationToken cancellationToken)
    {
        State.DialogUpdatedAt = Now;
        return RunAsync(dialog, d => d.ContinueAsync(new DialogContext(this), cancellationToken));
    }

    private async Task RunAsync(IDialog dialog, Func<IDialog, Task<DialogStatus>> step)
    {
        var status = await step(dialog);
        if (status == DialogStatus.Complete && State.DialogName == dialog.Name)
        {
            State.EndDialog();
        }
    }
}
