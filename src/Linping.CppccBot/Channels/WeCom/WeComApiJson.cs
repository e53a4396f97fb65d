using System.Text.Json.Serialization;

namespace Linping.CppccBot.Channels.WeCom;

/// <summary>The <c>gettoken</c> answer.</summary>
internal sealed class WeComTokenResponse
{
    [JsonPropertyName("errcode")]
    public int ErrCode { get; set; }

    [JsonPropertyName("errmsg")]
    public string? ErrMsg { get; set; }

    [JsonPropertyName("access_token")]
    public string? AccessToken { get; set; }

    [JsonPropertyName("expires_in")]
    public int ExpiresIn { get; set; }
}

/// <summary>The <c>message/send</c> and <c>webhook/send</c> answer.</summary>
internal sealed class WeComSendResponse
{
    [JsonPropertyName("errcode")]
    public int ErrCode { get; set; }

    [JsonPropertyName("errmsg")]
    public string? ErrMsg { get; set; }

    [JsonPropertyName("invaliduser")]
    public string? InvalidUser { get; set; }

    [JsonPropertyName("msgid")]
    public string? MsgId { get; set; }

    /// <summary>For interactive template cards: the code for one <c>update_template_card</c> (72 h).</summary>
    [JsonPropertyName("response_code")]
    public string? ResponseCode { get; set; }
}

/// <summary>The <c>message/update_template_card</c> answer; <c>invaliduser</c> is a list here, unlike <c>message/send</c>.</summary>
internal sealed class WeComUpdateCardResponse
{
    [JsonPropertyName("errcode")]
    public int ErrCode { get; set; }

    [JsonPropertyName("errmsg")]
    public string? ErrMsg { get; set; }
}

/// <summary>The <c>message/update_template_card</c> body that replaces the clicked button (doc 94888).</summary>
internal sealed class WeComUpdateCardRequest
{
    [JsonPropertyName("userids")]
    public required IReadOnlyList<string> UserIds { get; init; }

    [JsonPropertyName("agentid")]
    public required int AgentId { get; init; }

    [JsonPropertyName("response_code")]
    public required string ResponseCode { get; init; }

    [JsonPropertyName("button")]
    public required WeComReplaceButton Button { get; init; }
}

internal sealed record WeComReplaceButton([property: JsonPropertyName("replace_name")] string ReplaceName);

internal sealed record WeComContent([property: JsonPropertyName("content")] string Content);

/// <summary>The <c>message/send</c> body for text and markdown.</summary>
internal sealed class WeComMessageRequest
{
    [JsonPropertyName("touser")]
    public required string ToUser { get; init; }

    [JsonPropertyName("msgtype")]
    public required string MsgType { get; init; }

    [JsonPropertyName("agentid")]
    public required int AgentId { get; init; }

    [JsonPropertyName("text")]
    public WeComContent? Text { get; init; }

    [JsonPropertyName("markdown")]
    public WeComContent? Markdown { get; init; }

    [JsonPropertyName("template_card")]
    public WeComTemplateCard? TemplateCard { get; init; }

    /// <summary>1: WeCom drops the same request JSON sent again within <see cref="DuplicateCheckInterval"/>.</summary>
    [JsonPropertyName("enable_duplicate_check")]
    public int? EnableDuplicateCheck { get; init; }

    /// <summary>Seconds, at most 4 hours (WeCom's default 1800).</summary>
    [JsonPropertyName("duplicate_check_interval")]
    public int? DuplicateCheckInterval { get; init; }
}

/// <summary>A <c>button_interaction</c> template card (doc 90236, wecom.md §8.1).</summary>
public sealed class WeComTemplateCard
{
    [JsonPropertyName("card_type")]
    public string CardType { get; init; } = "button_interaction";

    [JsonPropertyName("source")]
    public WeComCardSource? Source { get; init; }

    [JsonPropertyName("main_title")]
    public required WeComCardTitle MainTitle { get; init; }

    [JsonPropertyName("sub_title_text")]
    public string? SubTitleText { get; init; }

    [JsonPropertyName("horizontal_content_list")]
    public IReadOnlyList<WeComCardField>? HorizontalContentList { get; init; }

    [JsonPropertyName("button_list")]
    public required IReadOnlyList<WeComCardButton> ButtonList { get; init; }

    /// <summary>
    /// Unique per app and send: digits, letters and <c>_-@</c>, at most 128 bytes. The client sets a fresh one per call, or,
    /// for a send with WeCom's duplicate check, one derived from the request, so that the same request sent again is the same.
    /// </summary>
    [JsonPropertyName("task_id")]
    public string? TaskId { get; init; }
}

public sealed record WeComCardSource([property: JsonPropertyName("desc")] string Desc);

public sealed record WeComCardTitle([property: JsonPropertyName("title")] string Title, [property: JsonPropertyName("desc")] string? Desc = null);

public sealed record WeComCardField([property: JsonPropertyName("keyname")] string KeyName, [property: JsonPropertyName("value")] string Value);

/// <summary>A callback button: <see cref="Key"/> comes back as the click's EventKey. Style 1–4.</summary>
public sealed record WeComCardButton(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("style")] int Style = 1);

/// <summary>The <c>webhook/send</c> body for text.</summary>
internal sealed class WeComWebhookRequest
{
    [JsonPropertyName("msgtype")]
    public required string MsgType { get; init; }

    [JsonPropertyName("text")]
    public WeComContent? Text { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WeComTokenResponse))]
[JsonSerializable(typeof(WeComSendResponse))]
[JsonSerializable(typeof(WeComMessageRequest))]
[JsonSerializable(typeof(WeComWebhookRequest))]
[JsonSerializable(typeof(WeComUpdateCardRequest))]
[JsonSerializable(typeof(WeComUpdateCardResponse))]
internal sealed partial class WeComApiJsonContext : JsonSerializerContext;
