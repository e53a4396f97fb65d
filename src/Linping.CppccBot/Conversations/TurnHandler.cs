using System.Security.Cryptography;
using System.Text;
using Linping.CppccBot.Conversations.Recognition;
using Linping.CppccBot.Hosting;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Conversations;

/// <summary>
/// Runs one turn: who is this, what do they want, which dialog or handler answers, and what is remembered.
/// The error boundary tells the member something went wrong and resets the conversation, so a broken dialog
/// cannot trap anyone in an error loop; when the database or Redis is away, or a change lost every try to others made
/// at the same moment, the member is asked to try again later and the conversation is kept.
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
    LogPseudonyms pseudonyms,
    ILogger<TurnHandler> logger)
{
    /// <summary>How long a turn waits for the previous turn of the same conversation to finish.</summary>
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(10);

    public async Task<TurnResult> HandleAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var user = pseudonyms.Of(message.Channel, message.UserId);
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

                // Told when they write; opening the app (an event each time) is not answered again and again.
                return message.Kind == InboundKind.Text
                    ? Single(BotTexts.NotOnRoster(botOptions.Value.SupportContact))
                    : TurnResult.Empty;
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
            if (IsInfrastructure(ex))
            {
                // The database or Redis is away: this turn's state was not stored and the member is told to try again
                // later. The conversation stays as it was (a draft, a list to choose from), so the same answer works
                // then; deleting it would lose a draft the member was just promised is safe.
                outcome = "Unavailable";
                LogTurnUnavailable(logger, message.Channel, user, ex.GetType().Name);
                return Single(BotTexts.Unavailable);
            }

            if (ex is Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException)
            {
                // A record the turn changes (a meeting's seats) kept changing under it, however often it was tried again
                // (a sign-up rush): nothing of it was stored. Not a bug: the member sends the same message again, and
                // the conversation is kept so a confirming 是 still works.
                outcome = "Contended";
                LogTurnContended(logger, message.Channel, user);
                return Single(BotTexts.TooManyAtOnce);
            }

            // The exception type and the place are enough to find the bug; the message may quote member input.
            LogTurnFailed(logger, message.Channel, user, ex.GetType().Name, ExceptionTrace.WithoutMessages(ex));
            await ResetAsync(stateKey);
            return Single(BotTexts.SomethingWentWrong);
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
        if (state.Suspended is { } suspended && (turn.Now - suspended.SuspendedAt > options.Value.StateTimeToLive || dialogs.Find(suspended.Name) is null))
        {
            state.Suspended = null;
        }

        var dialog = state.DialogName is null ? null : dialogs.Find(state.DialogName);
        if (state.InDialog && dialog is null)
        {
            state.EndDialog();
        }

        var draftPutAside = false;
        if (dialog is not null && turn.Now - (state.DialogUpdatedAt ?? turn.Now) > dialog.Timeout)
        {
            // A draft is kept for "继续"; a choice or a yes-or-no question just ends.
            draftPutAside = dialog.Draft(new DialogContext(turn)) is not null;
            if (draftPutAside)
            {
                state.SuspendDialog(turn.Now);
                turn.Reply(BotTexts.DialogExpiredDraftKept(dialog.Title, dialog.Timeout));
            }
            else
            {
                state.EndDialog();
                turn.Reply(BotTexts.DialogExpired(dialog.Title, dialog.Timeout));
            }

            dialog = null;
        }

        if (turn.Message.Kind == InboundKind.Unsupported)
        {
            if (dialog is not null)
            {
                turn.Reply(BotTexts.UnsupportedInDialog + "\n" + dialog.Help(new DialogContext(turn)));
            }
            else
            {
                turn.Reply(BotTexts.UnsupportedMessage);
            }

            return "Unsupported";
        }

        if (turn.Message.IsGroup)
        {
            return await RunGroupTurnAsync(turn, cancellationToken);
        }

        if (dialog is not null)
        {
            return await RunDialogTurnAsync(turn, dialog, cancellationToken);
        }

        if (turn.Message.Kind == InboundKind.Text && state.Suspended is { } kept && dialogs.Find(kept.Name) is { } keptDialog)
        {
            var words = TextNormalizer.Normalize(turn.Text);
            if (ResumeWords.Contains(words))
            {
                turn.TryResumeDialog(keptDialog.Name);
                return $"{keptDialog.Name}.Resume";
            }

            if (DiscardDraftWords.Contains(words))
            {
                state.Suspended = null;
                turn.Reply(BotTexts.DraftDiscarded(keptDialog.Title));
                return $"{keptDialog.Name}.Discard";
            }
        }

        if (turn.Message.Kind == InboundKind.Text && state.Suspended is null && ResumeWords.Contains(TextNormalizer.Normalize(turn.Text)))
        {
            // "继续" with nothing put aside (a report already sent, or never begun): say so and how to begin one.
            turn.Reply(BotTexts.NoDraftToResume);
            return "Resume.NoDraft";
        }

        var intent = turn.Message.Kind == InboundKind.Text
            ? recognizer.Recognize(turn.Text)
            : recognizer.RecognizeEvent(turn.Message);
        if (turn.Message.Kind == InboundKind.Event && intent.Name == IntentNames.None)
        {
            return "Event";
        }

        if (draftPutAside && intent.Name == IntentNames.None)
        {
            // Most likely more of the draft, sent after a long pause: the notice says how to go on, not "没太明白".
            return "DialogExpired";
        }

        // A draft put aside a moment ago for a look-up ("查提案12号"), then "完成" or the next paragraph: the draft
        // takes it up again. Shorter words nobody understood get a reminder of the draft with the usual answer.
        var aside = intent.Name == IntentNames.None && turn.Message.Kind == InboundKind.Text && state.Suspended is { } s && dialogs.Find(s.Name) is { } d
            && turn.Now - s.SuspendedAt <= d.Timeout
                ? d
                : null;
        if (aside is not null && DraftGoesOnWords.Contains(TextNormalizer.Normalize(turn.Text)) && turn.TryResumeDialog(aside.Name, quietly: true))
        {
            await turn.ContinueDialogAsync(aside, cancellationToken);
            return $"{aside.Name}.Resume";
        }

        var requests = turn.Message.Kind == InboundKind.Text && state.Suspended is null ? recognizer.RecognizeRequests(turn.Text) : [];
        if (requests.Count > 1)
        {
            return await DispatchSeveralAsync(turn, requests, cancellationToken);
        }

        await DispatchAsync(turn, intent, cancellationToken);
        if (aside is not null)
        {
            turn.Reply(BotTexts.DraftKept(aside.Title));
        }

        return intent.Name;
    }

    /// <summary>
    /// "报名明天的协商会，顺便看下我的提案": each request in the order said, as if sent one after the other, until one
    /// asks the member something (which meeting, 是否确认, the leave reason). The requests left then are named, so the
    /// member knows they were not done and what to send, rather than finding out later that half the message was lost.
    /// </summary>
    private async Task<string> DispatchSeveralAsync(TurnContext turn, IReadOnlyList<Request> requests, CancellationToken cancellationToken)
    {
        for (var i = 0; i < requests.Count; i++)
        {
            if (turn.State.InDialog)
            {
                turn.Reply(BotTexts.RequestsNotDone(requests.Skip(i).Select(r => r.Words)));
                break;
            }

            var request = requests[i];
            await turn.WithTextAsync(request.Words, () => DispatchAsync(turn, request.Intent, cancellationToken));
        }

        return requests[0].Intent.Name;
    }

    /// <summary>
    /// A message @-ing the bot in a group chat is answered in the group, for everyone to read: only what is the same
    /// for every member (the menu, the upcoming meetings) is answered there; the rest is asked for in a private chat,
    /// and no dialog starts in a group.
    /// </summary>
    private async Task<string> RunGroupTurnAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var intent = turn.Message.Kind == InboundKind.Text ? recognizer.Recognize(turn.Text) : recognizer.RecognizeEvent(turn.Message);
        if (intent.Name is IntentNames.Help or IntentNames.Greeting)
        {
            // The members' menu greets by name and offers what the group refuses.
            turn.Reply(BotTexts.GroupHelp);
            return intent.Name;
        }

        if (GroupIntents.Contains(intent.Name))
        {
            await DispatchAsync(turn, intent, cancellationToken);
            return intent.Name;
        }

        turn.Reply(intent.Name == IntentNames.None ? BotTexts.GroupNotUnderstood : BotTexts.GroupPrivateOnly);
        return "Group." + intent.Name;
    }

    private static readonly HashSet<string> GroupIntents = [IntentNames.Thanks, IntentNames.HumanAgent, IntentNames.ListMeetings, IntentNames.MeetingDetails];

    /// <summary>
    /// Words that only make sense as the next answer to a draft put aside: they take it up again. Anything else (a
    /// paragraph, or chat) is not added to the draft unasked: the member is reminded that "继续" takes it up.
    /// </summary>
    private static readonly HashSet<string> DraftGoesOnWords = Words("完成", "写完了", "填完了", "发完了", "好了", "就这些", "确认", "确认提交", "提交");

    private async Task<string> RunDialogTurnAsync(TurnContext turn, IDialog dialog, CancellationToken cancellationToken)
    {
        var state = turn.State;
        var context = new DialogContext(turn);
        if (turn.Message.Kind != InboundKind.Text)
        {
            var eventIntent = recognizer.RecognizeEvent(turn.Message);
            if (eventIntent.Name is IntentNames.None or IntentNames.Greeting)
            {
                // Opening the app (to copy a paragraph from elsewhere, say) leaves the dialog as it is.
                return "Event";
            }

            // A menu click or a card button is a deliberate new request.
            await TurnToAsync(turn, dialog, eventIntent, cancellationToken);
            return eventIntent.Name;
        }

        if (state.ConfirmingCancel)
        {
            state.ConfirmingCancel = false;
            var answer = TextNormalizer.Normalize(turn.Text);
            if (DiscardWords.Contains(answer) || recognizer.RecognizeInterrupt(turn.Text).Name == IntentNames.Cancel)
            {
                state.EndDialog();
                turn.Reply(BotTexts.DialogCancelled(dialog.Title));
                return $"{dialog.Name}.Cancel";
            }

            if (KeepWords.Contains(answer) || ResumeWords.Contains(answer))
            {
                turn.Reply(BotTexts.DialogGoesOn + "\n" + dialog.Help(context));
                return $"{dialog.Name}.Keep";
            }

            // Anything else is taken as usual: most likely the member simply went on writing.
        }

        if (!dialog.TakesAsAnswer(context))
        {
            switch (recognizer.RecognizeInterrupt(turn.Text).Name)
            {
                case IntentNames.Cancel when dialog.Draft(context) is { } draft:
                    state.ConfirmingCancel = true;
                    turn.Reply(BotTexts.ConfirmDiscard(dialog.Title, draft));
                    return $"{dialog.Name}.ConfirmCancel";
                case IntentNames.Cancel:
                    state.EndDialog();
                    turn.Reply(BotTexts.DialogLeft(dialog.Title));
                    return $"{dialog.Name}.Cancel";
                case IntentNames.Help:
                    turn.Reply(dialog.Help(context) + "\n" + BotTexts.DialogHelpSuffix);
                    return $"{dialog.Name}.Help";
            }

            if (TurnsAway(turn.Text, dialog.AwaitsShortAnswer(context)) is { } other)
            {
                await TurnToAsync(turn, dialog, other, cancellationToken);
                return other.Name;
            }
        }

        await turn.ContinueDialogAsync(dialog, cancellationToken);
        return dialog.Name;
    }

    /// <summary>
    /// A message that asks for something else in the middle of a dialog ("我的会议", "查提案12号", "最近有什么会"): one of
    /// the look-ups, short, and worded as a request or question of its own, so that an answer that merely contains such
    /// words ("社会" as a category, "常委会议" naming a meeting, a paragraph) stays an answer.
    /// </summary>
    /// <param name="anyRequest">
    /// The dialog waits for a choice or a yes/no: a new request of any kind ("报名大运河", "常委会请假") leaves it, as
    /// long as it is not a bare number or yes/no, which the dialog takes as its answer.
    /// </param>
    private Intent? TurnsAway(string text, bool anyRequest)
    {
        var words = TextNormalizer.Normalize(text);
        if (words.Length is 0 or > 16)
        {
            return null;
        }

        var intent = recognizer.Recognize(text);
        if (anyRequest && RequestIntents.Contains(intent.Name))
        {
            return intent;
        }

        // Worded as a command ("报名大运河", "取消报名1", "我要提交社情民意"): a new request at any step, free text too.
        if (CommandIntents.Contains(intent.Name) && CommandPrefixes.Any(p => words.StartsWith(p, StringComparison.Ordinal)))
        {
            return intent;
        }

        if (!LookUpIntents.Contains(intent.Name))
        {
            return null;
        }

        return RequestPrefixes.Any(p => words.StartsWith(p, StringComparison.Ordinal)) || QuestionWords.Any(q => words.Contains(q, StringComparison.Ordinal))
            ? intent
            : null;
    }

    /// <summary>Leaves the dialog for <paramref name="intent"/>: a draft is put aside for "继续", anything else just ends.</summary>
    private async Task TurnToAsync(TurnContext turn, IDialog dialog, Intent intent, CancellationToken cancellationToken)
    {
        var context = new DialogContext(turn);
        var keep = dialog.Draft(context) is not null;
        var unfinished = keep ? null : dialog.Unfinished(context);
        if (keep)
        {
            turn.State.SuspendDialog(turn.Now);
        }
        else
        {
            turn.State.EndDialog();
        }

        await DispatchAsync(turn, intent, cancellationToken);
        if (unfinished is not null && turn.State.DialogName != dialog.Name)
        {
            turn.Reply(unfinished);
        }
        if (keep && !turn.State.InDialog && turn.State.Suspended?.Name == dialog.Name)
        {
            turn.Reply(BotTexts.DraftKept(dialog.Title));
        }
    }

    /// <summary>New requests that leave a dialog waiting for a choice or a yes/no (besides the look-ups).</summary>
    private static readonly HashSet<string> RequestIntents =
    [
        IntentNames.ListMeetings, IntentNames.MeetingDetails, IntentNames.MySignUps, IntentNames.MyProposals, IntentNames.ProposalByNumber, IntentNames.ProposalSearch,
        IntentNames.MyOpinions, IntentNames.ReviewLeave, IntentNames.MeetingRoster, IntentNames.SignUp, IntentNames.CancelSignUp,
        IntentNames.RequestLeave, IntentNames.SubmitOpinion, IntentNames.EvaluateProposal, IntentNames.OpinionDetail, IntentNames.ReviseOpinion,
    ];

    private static readonly HashSet<string> CommandIntents = [IntentNames.SignUp, IntentNames.CancelSignUp, IntentNames.SubmitOpinion];

    private static readonly string[] CommandPrefixes = ["报名", "我要报名", "我想报名", "帮我报名", "取消报名", "我要提交社情民意", "提交社情民意", "我要报送社情民意", "我要反映社情民意"];

    private static readonly HashSet<string> LookUpIntents =
    [
        IntentNames.ListMeetings, IntentNames.MeetingDetails, IntentNames.MySignUps, IntentNames.MyProposals, IntentNames.ProposalByNumber,
        IntentNames.MyOpinions, IntentNames.ReviewLeave, IntentNames.MeetingRoster, IntentNames.OpinionDetail,
    ];

    private static readonly string[] RequestPrefixes = ["查", "看", "我的", "我报名", "我参加", "帮我", "请问", "最近", "近期", "有哪些", "有什么"];

    private static readonly string[] QuestionWords = ["吗", "呢", "?", "什么", "哪些", "哪个", "几", "多少", "怎么", "有没有", "是否"];

    private static readonly HashSet<string> ResumeWords = Words("继续", "继续填写", "继续写", "接着填", "接着写", "接着填写", "恢复", "继续填");

    private static readonly HashSet<string> DiscardWords = Words("确定", "确认", "是", "是的", "对", "好", "好的", "嗯", "放弃", "确定放弃", "确认放弃", "删除", "删掉", "不要了", "不填了", "不写了");

    private static readonly HashSet<string> DiscardDraftWords = Words("放弃", "放弃草稿", "删除草稿", "删除", "删掉", "不要了", "不填了", "不写了");

    private static readonly HashSet<string> KeepWords = Words("不", "不是", "否", "不放弃", "不要放弃", "保留", "留着", "先留着", "再想想");

    private static HashSet<string> Words(params string[] words) => new(words.Select(TextNormalizer.Normalize), StringComparer.OrdinalIgnoreCase);

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

    private static bool IsInfrastructure(Exception ex) => InfrastructureFailure.Is(ex);

    private static TurnResult Single(string text) => new([new Reply(text)]);

    /// <summary>A stable, short pseudonym of a user id for logs: correlates one member's turns without naming them.</summary>
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

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "Turn on {Channel} from {User} failed with {ExceptionType}; the conversation was reset. Trace (messages left out): {Trace}")]
    private static partial void LogTurnFailed(ILogger logger, string channel, string user, string exceptionType, string trace);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning, Message = "Turn on {Channel} from {User} stopped: the database or Redis is unavailable ({ExceptionType}); the member was asked to try again later, the conversation is kept")]
    private static partial void LogTurnUnavailable(ILogger logger, string channel, string user, string exceptionType);

    [LoggerMessage(EventId = 9011, Level = LogLevel.Warning, Message = "Turn on {Channel} from {User} lost a concurrent change of the same record on every try; nothing was stored, the member was asked to send again, the conversation is kept")]
    private static partial void LogTurnContended(ILogger logger, string channel, string user);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Resetting a conversation after a failed turn failed too ({ExceptionType})")]
    private static partial void LogResetFailed(ILogger logger, string exceptionType);
}
