namespace Linping.CppccBot.Conversations;

/// <summary>The channels the bot is reachable on. Values are stable: they appear in state keys and logs.</summary>
public static class ChannelNames
{
    public const string WeCom = "wecom";
    public const string DingTalk = "dingtalk";
    public const string Test = "test";
}

/// <summary>What kind of thing a member sent.</summary>
public enum InboundKind
{
    /// <summary>A text message; <see cref="InboundMessage.Text"/> holds it.</summary>
    Text,

    /// <summary>An event (entered the app, clicked a menu or a card button); see <see cref="InboundMessage.EventName"/>.</summary>
    Event,

    /// <summary>Something the bot does not read (image, voice, file, location ...); see <see cref="InboundMessage.UnsupportedType"/>.</summary>
    Unsupported,
}

/// <summary>
/// A channel-neutral inbound message: what a channel adapter hands to the <see cref="TurnHandler"/> after it has
/// verified, decrypted and parsed the platform's callback. Dialogs never see XML, signatures or platform tokens.
/// </summary>
public sealed record InboundMessage
{
    /// <summary>One of <see cref="ChannelNames"/>.</summary>
    public required string Channel { get; init; }

    /// <summary>The sender's user id on that channel (WeCom UserID, DingTalk staff id).</summary>
    public required string UserId { get; init; }

    /// <summary>The conversation the message belongs to (the user id for one-to-one chats, the chat id for groups).</summary>
    public required string ConversationId { get; init; }

    /// <summary>A key that is equal for redeliveries of the same message and different otherwise.</summary>
    public required string DeliveryId { get; init; }

    public InboundKind Kind { get; init; } = InboundKind.Text;

    public string? Text { get; init; }

    /// <summary>Event name in lower case, e.g. <c>enter_agent</c>, <c>click</c>, <c>template_card_event</c>.</summary>
    public string? EventName { get; init; }

    /// <summary>Menu key or card button key of a <c>click</c> or <c>template_card_event</c>.</summary>
    public string? EventKey { get; init; }

    /// <summary>The card's task id of a <c>template_card_event</c>.</summary>
    public string? TaskId { get; init; }

    /// <summary>The code a <c>template_card_event</c> carries for updating the clicked card once (WeCom: 72 h).</summary>
    public string? ResponseCode { get; init; }

    /// <summary>The platform's message type when <see cref="Kind"/> is <see cref="InboundKind.Unsupported"/>.</summary>
    public string? UnsupportedType { get; init; }

    public bool IsGroup { get; init; }

    /// <summary>When the platform says the message was sent.</summary>
    public DateTimeOffset SentAt { get; init; }

    public static InboundMessage FromText(string channel, string userId, string text, string deliveryId, DateTimeOffset sentAt) => new()
    {
        Channel = channel,
        UserId = userId,
        ConversationId = userId,
        DeliveryId = deliveryId,
        Kind = InboundKind.Text,
        Text = text,
        SentAt = sentAt,
    };
}
