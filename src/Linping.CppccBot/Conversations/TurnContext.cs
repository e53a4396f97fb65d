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

    /// <summary>The member's text, cleaned of invisible characters (<see cref="MemberText"/>) and trimmed; empty for events.</summary>
    public string Text => field ??= MemberText.Clean(Message.Text).Trim();

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
        State.DialogUpdatedAt = Now;
        return RunAsync(dialog, d => d.BeginAsync(new DialogContext(this), intent, cancellationToken));
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
