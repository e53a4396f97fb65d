namespace Linping.CppccBot.Conversations;

/// <summary>
/// What the bot remembers about one conversation between turns. Kept small and serialisable: it lives in Redis
/// when several hosts share the work.
/// </summary>
public sealed class ConversationState
{
    /// <summary>The dialog in progress, or null when the member is not in the middle of anything.</summary>
    public string? DialogName { get; set; }

    /// <summary>The step of <see cref="DialogName"/> waiting for the member's next message.</summary>
    public int DialogStep { get; set; }

    /// <summary>Values the active dialog has collected so far.</summary>
    public Dictionary<string, string> DialogValues { get; set; } = [];

    /// <summary>When the active dialog last heard from the member; a dialog left longer than its timeout expires.</summary>
    public DateTimeOffset? DialogUpdatedAt { get; set; }

    /// <summary>Things remembered across turns outside any dialog, e.g. the numbered list the member saw last.</summary>
    public Dictionary<string, string> Memory { get; set; } = [];

    public DateTimeOffset? LastSeenAt { get; set; }

    /// <summary>
    /// Set while the bot asks whether to throw away the active dialog's draft (the member said "取消" in the middle of a
    /// report); the next message answers it.
    /// </summary>
    public bool ConfirmingCancel { get; set; }

    /// <summary>
    /// A dialog with a draft, put aside when the member turned to something else or left it past its timeout; "继续"
    /// (or starting the same dialog again) takes it up where it was.
    /// </summary>
    public SuspendedDialog? Suspended { get; set; }

    public bool InDialog => DialogName is not null;

    public void EndDialog()
    {
        DialogName = null;
        DialogStep = 0;
        DialogValues.Clear();
        DialogUpdatedAt = null;
        ConfirmingCancel = false;
    }

    /// <summary>Puts the active dialog aside (replacing one put aside before) and leaves the conversation free.</summary>
    public void SuspendDialog(DateTimeOffset now)
    {
        if (DialogName is not null)
        {
            Suspended = new SuspendedDialog { Name = DialogName, Step = DialogStep, Values = new(DialogValues), SuspendedAt = now };
        }

        EndDialog();
    }

    /// <summary>Makes the dialog put aside the active one again, as it was; false when there is none.</summary>
    public bool ResumeDialog(DateTimeOffset now)
    {
        if (Suspended is not { } suspended)
        {
            return false;
        }

        EndDialog();
        DialogName = suspended.Name;
        DialogStep = suspended.Step;
        DialogValues = new(suspended.Values);
        DialogUpdatedAt = now;
        Suspended = null;
        return true;
    }
}

/// <summary>A dialog put aside with its draft (<see cref="ConversationState.Suspended"/>).</summary>
public sealed class SuspendedDialog
{
    public required string Name { get; set; }

    public int Step { get; set; }

    public Dictionary<string, string> Values { get; set; } = [];

    public DateTimeOffset SuspendedAt { get; set; }
}

/// <summary>A state read from a store, with the version to pass back when saving it.</summary>
/// <param name="State">The state; a fresh one when nothing was stored.</param>
/// <param name="Version">0 when nothing was stored; otherwise the stored version.</param>
public sealed record StoredState(ConversationState State, long Version);

/// <summary>
/// Conversation state storage with optimistic concurrency: a save succeeds only when the stored version is still the
/// one that was read, so two hosts handling two messages of the same member cannot overwrite each other unnoticed.
/// </summary>
public interface IConversationStore
{
    Task<StoredState> LoadAsync(string key, CancellationToken cancellationToken);

    /// <returns>False when someone else saved the key since it was read with <paramref name="expectedVersion"/>.</returns>
    Task<bool> TrySaveAsync(string key, ConversationState state, long expectedVersion, TimeSpan timeToLive, CancellationToken cancellationToken);

    Task DeleteAsync(string key, CancellationToken cancellationToken);
}

/// <summary>
/// One delivery of a message, to be claimed once: a message the platform sends more than once (its retries) takes
/// effect once. Remembered per conversation (<paramref name="ConversationKey"/>, the turn's state key) for
/// <paramref name="Window"/>.
/// </summary>
/// <param name="ConversationKey">The conversation the message belongs to: <see cref="TurnHandler.StateKey"/>.</param>
/// <param name="DeliveryId">The platform's id of the message, equal for its redeliveries.</param>
/// <param name="Window">How long the claim is remembered.</param>
public sealed record DeliveryClaim(string ConversationKey, string DeliveryId, TimeSpan Window);

/// <summary>
/// Claims deliveries on their own, for a turn that takes no conversation lock (a sender not on the roster); a turn
/// that does claims its delivery with the lock (<see cref="IConversationLock.AcquireAsync"/>).
/// </summary>
public interface IDeliveryDeduplicator
{
    /// <returns>True for the first claim of the delivery within its window, false for every later one.</returns>
    Task<bool> TryClaimAsync(DeliveryClaim claim, CancellationToken cancellationToken);
}
