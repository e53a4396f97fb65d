using Linping.CppccBot.Conversations;

namespace Linping.CppccBot.Channels.DingTalk;

/// <summary>
/// Where robot messages of both receiving modes arrive: the turn runs off the caller's path (it claims the
/// <c>msgId</c> once, as DingTalk redelivers what was not acknowledged in time), and its replies go back through
/// <see cref="DingTalkReplier"/>. The caller (HTTP callback or Stream frame) can answer DingTalk at once.
/// </summary>
public sealed class DingTalkInbox(TurnRunner turns, DingTalkReplier replier, TimeProvider time)
{
    /// <summary>Starts the turn of <paramref name="message"/>; its replies are sent when it is done.</summary>
    public void Accept(DingTalkRobotMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var turn = turns.Start(message.ToInboundMessage(time.GetUtcNow()));
        turns.Track(ReplyWhenDoneAsync(turn, message));
    }

    private async Task ReplyWhenDoneAsync(Task<TurnResult> turn, DingTalkRobotMessage message)
    {
        var result = await turn;
        if (result.Replies.Count > 0)
        {
            await replier.ReplyAsync(message, result, CancellationToken.None);
        }
    }
}
