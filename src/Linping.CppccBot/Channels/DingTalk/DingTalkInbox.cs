using Linping.CppccBot.Conversations;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Channels.DingTalk;

/// <summary>
/// Where robot messages of both receiving modes arrive: each <c>msgId</c> is claimed once (DingTalk redelivers what was
/// not acknowledged in time), the turn runs off the caller's path, and its replies go back through
/// <see cref="DingTalkReplier"/>. The caller (HTTP callback or Stream frame) can answer DingTalk at once.
/// </summary>
public sealed partial class DingTalkInbox(
    IDeliveryDeduplicator deduplicator,
    IOptions<ConversationOptions> conversationOptions,
    TurnRunner turns,
    DingTalkReplier replier,
    TimeProvider time,
    ILogger<DingTalkInbox> logger)
{
    /// <summary>Claims and starts the turn of <paramref name="message"/>; false when it was handled already.</summary>
    public async Task<bool> AcceptAsync(DingTalkRobotMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var key = $"{ChannelNames.DingTalk}:{message.MsgId}";
        bool claimed;
        try
        {
            claimed = await deduplicator.TryClaimAsync(key, conversationOptions.Value.DeduplicationWindow, cancellationToken);
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            // No turn can run without the shared store; tell the member now instead of leaving DingTalk to redeliver.
            LogStoreUnavailable(logger, ex.GetType().Name);
            turns.Track(replier.ReplyAsync(message, new TurnResult([new Reply(BotTexts.Unavailable)]), CancellationToken.None));
            return true;
        }

        if (!claimed)
        {
            LogDuplicate(logger, message.MsgType);
            return false;
        }

        var turn = turns.Start(message.ToInboundMessage(time.GetUtcNow()));
        turns.Track(ReplyWhenDoneAsync(turn, message));
        return true;
    }

    private async Task ReplyWhenDoneAsync(Task<TurnResult> turn, DingTalkRobotMessage message)
    {
        var result = await turn;
        if (result.Replies.Count > 0)
        {
            await replier.ReplyAsync(message, result, CancellationToken.None);
        }
    }

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Conversation store unavailable ({ExceptionType}); the member was asked to try again later")]
    private static partial void LogStoreUnavailable(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "DingTalk redelivered a {MsgType} message already handled; ignored")]
    private static partial void LogDuplicate(ILogger logger, string msgType);
}
