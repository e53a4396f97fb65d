using System.Security.Cryptography;
using System.Text;
using Linping.CppccBot.Hosting;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Conversations;

/// <summary>
/// Runs one turn: who is this, what do they want, which dialog or handler answers, and what is remembered.
/// The error boundary tells the member something went wrong and resets the conversation, so a broken dialog
/// cannot trap anyone in an error loop.
/// </summary>
public sealed partial class TurnHandler(
    ICallerDirectory callers,
    IConversationStore store,
    IConversationLock locks,
    IDeliveryDeduplicator deduplicator,
    IIntentRecognizer recognizer,
    IntentHandlers handlers,
    IServiceProvider services,
    DialogSet dialogs,
    IOptions<ConversationOptions> options,
    IOptions<BotOptions> botOptions,
    TimeProvider time,
    BotMetrics metrics,
    ILogger<TurnHandler> logger)
{
    /// <summary>How long a turn waits for the previous turn of the same conversation to finish.</summary>
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(10);

    public async Task<TurnResult> HandleAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var user = Pseudonym(message.Channel, message.UserId);
        string? stateKey = null;
        var outcome = "Error";
        try
        {
            var caller = await callers.FindAsync(message.Channel, message.UserId, cancellationToken);
            stateKey = StateKey(message);
            var claim = new DeliveryClaim(stateKey, message.DeliveryId, options.Value.DeduplicationWindow);
            LockAttempt attempt;
            try
            {
                // A member's turn claims its delivery with the conversation lock, in one step; a sender on no roster
                // takes no lock, so the claim is made alone.
                attempt = caller is null
                    ? new LockAttempt(Lease: null, IsDuplicate: !await deduplicator.TryClaimAsync(claim, cancellationToken))
                    : await locks.AcquireAsync(stateKey, LockWait, claim, cancellationToken);
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
            {
                // Without the shared store no turn can run safely: say so now rather than fail, which the platform
                // would answer by redelivering the message while the member hears nothing.
                outcome = "Unavailable";
                LogStoreUnavailable(logger, message.Channel, ex.GetType().Name);
                return Single(BotTexts.Unavailable);
            }

            if (attempt.IsDuplicate)
            {
                outcome = "Duplicate";
                LogDuplicate(logger, message.Channel, message.Kind);
                return TurnResult.Duplicate;
            }

            if (caller is null)
            {
                outcome = "NotOnRoster";
                LogUnknownUser(logger, message.Channel, user);
                return Single(BotTexts.NotOnRoster(botOptions.Value.SupportContact));
            }

            await using var turnLock = attempt.Lease;
            if (turnLock is null)
            {
                outcome = "Busy";
                LogLockTimeout(logger, message.Channel, user);
                return Single(BotTexts.Busy);
            }

            var stored = turnLock.State ?? await store.LoadAsync(stateKey, cancellationToken);
            var turn = new TurnContext(message, caller, stored.State, time.GetUtcNow(), dialogs);
            var intent = await RunAsync(turn, cancellationToken);

            turn.State.LastSeenAt = turn.Now;
            if (!await turnLock.TrySaveAndReleaseAsync(store, stateKey, turn.State, stored.Version, options.Value.StateTimeToLive, cancellationToken))
            {
                outcome = "Busy";
                LogStateConflict(logger, message.Channel, user);
                return Single(BotTexts.Busy);
            }

            outcome = intent;
            var elapsedMs = time.GetElapsedTime(started).TotalMilliseconds;
            LogTurn(logger, message.Channel, user, intent, turn.State.DialogName ?? "-", turn.Replies.Count, elapsedMs);
            return new TurnResult(turn.Replies) { CardUpdate = turn.CardUpdate };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = "Cancelled";
            throw;
        }
        catch (Exception ex)
        {
            // The exception type and the place are enough to find the bug; the message may quote member input.
            LogTurnFailed(logger, ex, message.Channel, user, ex.GetType().Name);
            await ResetAsync(stateKey);
            return Single(IsInfrastructure(ex) ? BotTexts.Unavailable : BotTexts.SomethingWentWrong);
        }
        finally
        {
            // The intent label is a code-defined name (feature, dialog step or outcome), never member text.
            metrics.MessageHandled(message.Channel, outcome, time.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    /// <summary>The state key of a conversation: per channel, per chat, per member (a group chat has one per member).</summary>
    public static string StateKey(InboundMessage message) => $"{message.Channel}:{message.ConversationId}:{message.UserId}";

    private async Task<string> RunAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var state = turn.State;
        var dialog = state.DialogName is null ? null : dialogs.Find(state.DialogName);
        if (state.InDialog && dialog is null)
        {
            state.EndDialog();
        }

        if (dialog is not null && turn.Now - (state.DialogUpdatedAt ?? turn.Now) > dialog.Timeout)
        {
            state.EndDialog();
            turn.Reply(BotTexts.DialogExpired(dialog.Title, dialog.Timeout));
            dialog = null;
        }

        if (turn.Message.Kind == InboundKind.Unsupported)
        {
            turn.Reply(BotTexts.UnsupportedMessage);
            if (dialog is not null)
            {
                turn.Reply(dialog.Help(new DialogContext(turn)));
            }

            return "Unsupported";
        }

        if (dialog is not null)
        {
            if (turn.Message.Kind == InboundKind.Text)
            {
                var interrupt = recognizer.RecognizeInterrupt(turn.Text);
                switch (interrupt.Name)
                {
                    case IntentNames.Cancel:
                        state.EndDialog();
                        turn.Reply(BotTexts.DialogCancelled(dialog.Title));
                        return $"{dialog.Name}.Cancel";
                    case IntentNames.Help:
                        turn.Reply(dialog.Help(new DialogContext(turn)) + "\n" + BotTexts.DialogHelpSuffix);
                        return $"{dialog.Name}.Help";
                    default:
                        await turn.ContinueDialogAsync(dialog, cancellationToken);
                        return dialog.Name;
                }
            }

            var eventIntent = recognizer.RecognizeEvent(turn.Message);
            if (eventIntent.Name == IntentNames.None)
            {
                return "Event";
            }

            // A menu click or a card button is a deliberate new request: it leaves the dialog.
            state.EndDialog();
            turn.Reply(BotTexts.DialogCancelled(dialog.Title));
            await DispatchAsync(turn, eventIntent, cancellationToken);
            return eventIntent.Name;
        }

        var intent = turn.Message.Kind == InboundKind.Text
            ? recognizer.Recognize(turn.Text)
            : recognizer.RecognizeEvent(turn.Message);
        if (turn.Message.Kind == InboundKind.Event && intent.Name == IntentNames.None)
        {
            return "Event";
        }

        await DispatchAsync(turn, intent, cancellationToken);
        return intent.Name;
    }

    private Task DispatchAsync(TurnContext turn, Intent intent, CancellationToken cancellationToken)
    {
        var handler = handlers.Find(intent.Name, services)
            ?? handlers.Find(IntentNames.None, services)
            ?? throw new InvalidOperationException("No handler for unrecognised text is registered.");
        return handler.HandleAsync(turn, intent, cancellationToken);
    }

    private async Task ResetAsync(string? stateKey)
    {
        if (stateKey is null)
        {
            return;
        }

        try
        {
            await store.DeleteAsync(stateKey, CancellationToken.None);
        }
        catch (Exception ex) when (IsInfrastructure(ex))
        {
            LogResetFailed(logger, ex.GetType().Name);
        }
    }

    private static bool IsInfrastructure(Exception ex) =>
        ex is StackExchange.Redis.RedisException or TimeoutException or System.Data.Common.DbException
            or Microsoft.EntityFrameworkCore.DbUpdateException
        || (ex.InnerException is not null && IsInfrastructure(ex.InnerException));

    private static TurnResult Single(string text) => new([new Reply(text)]);

    /// <summary>A stable, short pseudonym of a user id for logs: correlates one member's turns without naming them.</summary>
    internal static string Pseudonym(string channel, string userId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{channel}:{userId}"));
        return Convert.ToHexStringLower(hash.AsSpan(0, 6));
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Turn on {Channel} from {User}: intent {Intent}, dialog {Dialog}, {ReplyCount} replies in {ElapsedMs:0.0} ms")]
    private static partial void LogTurn(ILogger logger, string channel, string user, string intent, string dialog, int replyCount, double elapsedMs);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Message on {Channel} from {User}, who is on no roster")]
    private static partial void LogUnknownUser(ILogger logger, string channel, string user);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Conversation state of {User} on {Channel} changed during the turn; the member was asked to resend")]
    private static partial void LogStateConflict(ILogger logger, string channel, string user);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "The previous turn of {User} on {Channel} did not finish in time; the member was asked to resend")]
    private static partial void LogLockTimeout(ILogger logger, string channel, string user);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "A {Kind} on {Channel} was delivered again and is already handled; ignored")]
    private static partial void LogDuplicate(ILogger logger, string channel, InboundKind kind);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "Conversation store unavailable on {Channel} ({ExceptionType}); the member was asked to try again later")]
    private static partial void LogStoreUnavailable(ILogger logger, string channel, string exceptionType);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "Turn on {Channel} from {User} failed with {ExceptionType}; the conversation was reset")]
    private static partial void LogTurnFailed(ILogger logger, Exception exception, string channel, string user, string exceptionType);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Resetting a conversation after a failed turn failed too ({ExceptionType})")]
    private static partial void LogResetFailed(ILogger logger, string exceptionType);
}
