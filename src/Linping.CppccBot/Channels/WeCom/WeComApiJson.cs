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
}

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
}

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
internal sealed partial class WeComApiJsonContext : JsonSerializerContext;
