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
        if (!await deduplicator.TryClaimAsync(key, conversationOptions.Value.DeduplicationWindow, cancellationToken))
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

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "DingTalk redelivered a {MsgType} message already handled; ignored")]
    private static partial void LogDuplicate(ILogger logger, string msgType);
}
