using System.Globalization;
using Linping.CppccBot.Conversations;

namespace Linping.CppccBot.Channels.WeCom;

/// <summary>
/// The outer XML of a WeCom callback POST (or of a passive reply). Only <see cref="Encrypt"/> is covered by the
/// signature; <see cref="ToUserName"/> and <see cref="AgentId"/> are unauthenticated hints.
/// </summary>
public sealed record WeComEnvelope
{
    /// <summary>The base64 ciphertext; the value the signature covers.</summary>
    public required string Encrypt { get; init; }

    /// <summary>The corp id (unauthenticated).</summary>
    public string? ToUserName { get; init; }

    /// <summary>The app's agent id (unauthenticated; only app callbacks carry it).</summary>
    public string? AgentId { get; init; }

    /// <summary>Only in a passive-reply envelope: the reply's signature.</summary>
    public string? MsgSignature { get; init; }

    /// <summary>Only in a passive-reply envelope: the reply's timestamp.</summary>
    public string? TimeStamp { get; init; }

    /// <summary>Only in a passive-reply envelope: the reply's nonce.</summary>
    public string? Nonce { get; init; }
}

/// <summary>One answered question of a vote or multiple-choice template card (<c>SelectedItems/SelectedItem</c>).</summary>
public sealed record WeComSelectedItem(string QuestionKey, IReadOnlyList<string> OptionIds);

/// <summary>
/// A decrypted WeCom app callback (message or event, docs 90239/90240). Strings are as sent, except
/// <see cref="MsgType"/> and <see cref="Event"/>, which are lower-cased because WeCom mixes cases
/// (<c>LOCATION</c> vs <c>click</c>).
/// </summary>
public sealed record WeComCallbackMessage
{
    /// <summary>The corp id.</summary>
    public string? ToUserName { get; init; }

    /// <summary>The member's UserID (<c>sys</c> for contact-change events).</summary>
    public required string FromUserName { get; init; }

    /// <summary>Unix seconds.</summary>
    public long CreateTime { get; init; }

    /// <summary>Lower case: text, image, voice, video, location, link, event ...</summary>
    public required string MsgType { get; init; }

    /// <summary>The text of a <c>text</c> message.</summary>
    public string? Content { get; init; }

    /// <summary>A 64-bit id kept as a string; present on messages, absent on events.</summary>
    public string? MsgId { get; init; }

    /// <summary>Lower case event name (enter_agent, click, template_card_event ...); null for messages.</summary>
    public string? Event { get; init; }

    /// <summary>Menu key or card button key.</summary>
    public string? EventKey { get; init; }

    /// <summary>The template card's task id.</summary>
    public string? TaskId { get; init; }

    /// <summary>The template card type (button_interaction, vote_interaction ...).</summary>
    public string? CardType { get; init; }

    /// <summary>The code for <c>update_template_card</c> (72 h, once).</summary>
    public string? ResponseCode { get; init; }

    /// <summary>The app's agent id as sent.</summary>
    public string? AgentId { get; init; }

    /// <summary>Media id of image, voice, video and file messages.</summary>
    public string? MediaId { get; init; }

    /// <summary>Picture URL of an image message.</summary>
    public string? PicUrl { get; init; }

    /// <summary>The answers of a vote or multiple-choice card click; empty otherwise.</summary>
    public IReadOnlyList<WeComSelectedItem> SelectedItems { get; init; } = [];

    /// <summary>
    /// The de-duplication key (doc 90238: MsgId for messages, FromUserName + CreateTime for events; Event, EventKey
    /// and TaskId are added so two different events in the same second stay apart).
    /// </summary>
    public string DeliveryId => !string.IsNullOrEmpty(MsgId)
        ? $"msg:{MsgId}"
        : string.Create(CultureInfo.InvariantCulture, $"evt:{FromUserName}|{CreateTime}|{Event}|{EventKey}|{TaskId}");

    /// <summary>Maps the callback to the channel-neutral message the conversation core reads.</summary>
    public InboundMessage ToInboundMessage()
    {
        var message = new InboundMessage
        {
            Channel = ChannelNames.WeCom,
            UserId = FromUserName,
            ConversationId = FromUserName,
            DeliveryId = DeliveryId,
            SentAt = DateTimeOffset.FromUnixTimeSeconds(CreateTime),
        };

        return MsgType switch
        {
            "text" => message with { Kind = InboundKind.Text, Text = Content ?? string.Empty },
            "event" => message with { Kind = InboundKind.Event, EventName = Event, EventKey = EventKey, TaskId = TaskId, ResponseCode = ResponseCode },
            _ => message with { Kind = InboundKind.Unsupported, UnsupportedType = MsgType },
        };
    }
}
