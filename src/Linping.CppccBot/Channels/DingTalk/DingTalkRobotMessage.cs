using System.Globalization;
using System.Text;
using System.Text.Json;
using Linping.CppccBot.Conversations;

namespace Linping.CppccBot.Channels.DingTalk;

/// <summary>
/// A robot message as DingTalk delivers it (the HTTP callback body, or the <c>data</c> of a Stream frame on
/// <c>/v1.0/im/bot/messages/get</c>). Parsed leniently: unknown fields are ignored, numbers may come as strings. A
/// field written twice in one object is refused: which value DingTalk meant (whose staff id, which session webhook)
/// cannot be told, and readers disagree on it (the last one wins here, the first in others).
/// </summary>
public sealed record DingTalkRobotMessage
{
    /// <summary>How robot messages and Stream frames are read: a field twice in one object is not JSON we accept.</summary>
    internal static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false };

    public required string MsgId { get; init; }

    /// <summary>The robot the message was sent to (an internal app's robot code is its ClientID); null when absent.</summary>
    public string? RobotCode { get; init; }

    public required string MsgType { get; init; }

    /// <summary>The text (mention stripped for a group), the speech recognition of audio, or the text parts of rich text.</summary>
    public string? Text { get; init; }

    /// <summary>The sender's user id in the org; empty when the sender is outside it.</summary>
    public string? SenderStaffId { get; init; }

    /// <summary>The encrypted sender id, always present.</summary>
    public string? SenderId { get; init; }

    /// <summary>The sender's display name (<c>senderNick</c>), one line; null when absent.</summary>
    public string? SenderNick { get; init; }

    public required string ConversationId { get; init; }

    /// <summary>True for a group (<c>conversationType</c> "2").</summary>
    public bool IsGroup { get; init; }

    public bool IsInAtList { get; init; }

    public string? SessionWebhook { get; init; }

    public DateTimeOffset? SessionWebhookExpiresAt { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>The sender as the bot addresses them: the staff id, else the encrypted sender id.</summary>
    public string UserId => !string.IsNullOrEmpty(SenderStaffId) ? SenderStaffId : SenderId ?? string.Empty;

    /// <summary>Parses the robot message JSON; throws <see cref="FormatException"/> when it is not one.</summary>
    public static DingTalkRobotMessage Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, StrictJson);
            return Parse(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw new FormatException("The robot message is not JSON, or holds a field twice.", ex);
        }
    }

    public static DingTalkRobotMessage Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("The robot message is not a JSON object.");
        }

        var msgId = GetString(root, "msgId");
        var conversationId = GetString(root, "conversationId");
        var msgType = GetString(root, "msgtype");
        var senderStaffId = GetString(root, "senderStaffId");
        var senderId = GetString(root, "senderId");
        if (string.IsNullOrEmpty(msgId) || string.IsNullOrEmpty(conversationId) || string.IsNullOrEmpty(msgType)
            || (string.IsNullOrEmpty(senderStaffId) && string.IsNullOrEmpty(senderId)))
        {
            throw new FormatException("The robot message lacks msgId, conversationId, msgtype or a sender.");
        }

        var isGroup = GetString(root, "conversationType") == "2";
        var isInAtList = root.TryGetProperty("isInAtList", out var at) && at.ValueKind == JsonValueKind.True;
        var text = msgType switch
        {
            "text" => root.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.Object ? GetString(t, "content") : null,
            // A voice message DingTalk could not turn into words is one the bot cannot read, not an empty text.
            "audio" => root.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.Object && GetString(c, "recognition") is { } heard
                && !string.IsNullOrWhiteSpace(heard) ? heard : null,
            "richText" => RichText(root),
            _ => null,
        };

        return new DingTalkRobotMessage
        {
            MsgId = msgId,
            MsgType = msgType,
            Text = text is null ? null : isGroup ? StripMentions(text) : text.Trim(),
            SenderStaffId = senderStaffId,
            SenderId = senderId,
            SenderNick = Persistence.Import.TextInput.SingleLine(GetString(root, "senderNick")),
            ConversationId = conversationId,
            IsGroup = isGroup,
            IsInAtList = isInAtList,
            SessionWebhook = GetString(root, "sessionWebhook"),
            SessionWebhookExpiresAt = GetMilliseconds(root, "sessionWebhookExpiredTime"),
            CreatedAt = GetMilliseconds(root, "createAt"),
            RobotCode = GetString(root, "robotCode"),
        };
    }

    /// <summary>
    /// DingTalk removes the robot's own mention from a group text but leaves its space, and some clients keep the
    /// "@name" text. Leading "@..." words are mentions (the robot only hears group messages that @ it), not the request.
    /// </summary>
    public static string StripMentions(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rest = text.TrimStart();
        while (rest.Length > 0 && (rest[0] == '@' || rest[0] == '＠'))
        {
            var end = rest.IndexOfAny([' ', '\u00A0', '\u2005', '\u3000', '\n', '\t']);
            if (end < 0)
            {
                return string.Empty;
            }

            rest = rest[end..].TrimStart();
        }

        return rest.TrimEnd();
    }

    /// <summary>The channel-neutral message for the conversation core.</summary>
    public InboundMessage ToInboundMessage(DateTimeOffset receivedAt) => new()
    {
        Channel = ChannelNames.DingTalk,
        UserId = UserId,
        ConversationId = IsGroup ? ConversationId : UserId,
        DeliveryId = MsgId,
        Kind = Text is null ? InboundKind.Unsupported : InboundKind.Text,
        Text = Text,
        UnsupportedType = Text is null ? MsgType : null,
        IsGroup = IsGroup,
        SentAt = CreatedAt ?? receivedAt,
    };

    private static string? RichText(JsonElement root)
    {
        if (!root.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Object
            || !content.TryGetProperty("richText", out var parts) || parts.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var text = new StringBuilder();
        foreach (var part in parts.EnumerateArray())
        {
            if (part.ValueKind == JsonValueKind.Object && GetString(part, "text") is { } piece)
            {
                text.Append(piece);
            }
        }

        return text.Length == 0 ? null : text.ToString();
    }

    private static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    private static DateTimeOffset? GetMilliseconds(JsonElement element, string name)
    {
        var raw = GetString(element, name);
        return long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms < 253402300799999
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;
    }
}
