namespace Linping.CppccBot.Channels.DingTalk;

/// <summary>
/// Log lines of the DingTalk channel's outbound calls. They carry API paths, HTTP statuses and error codes only: never the
/// access token, the secret, a session webhook URL (it is a credential), user ids or message text.
/// </summary>
internal static partial class DingTalkApiLog
{
    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "DingTalk access token fetched; valid for {ExpiresInSeconds} s")]
    public static partial void TokenFetched(ILogger logger, int expiresInSeconds);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "DingTalk {ApiPath} refused the access token (HTTP {Status}); refreshing it and retrying once")]
    public static partial void TokenRefused(ILogger logger, string apiPath, int status);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "DingTalk {ApiPath} answered HTTP {Status}, code {Code}")]
    public static partial void ApiError(ILogger logger, string apiPath, int status, string code);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Warning, Message = "DingTalk {ApiPath} call failed without an answer: {Failure}")]
    public static partial void TransportFailure(ILogger logger, string apiPath, string failure);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Warning, Message = "DingTalk {ApiPath} answered errcode {ErrCode}")]
    public static partial void WebhookError(ILogger logger, string apiPath, string errCode);

    [LoggerMessage(EventId = 5106, Level = LogLevel.Warning, Message = "DingTalk batchSend: {InvalidCount} invalid, {ThrottledCount} flow-controlled and {FilteredCount} filtered of {RecipientCount} users")]
    public static partial void BatchPartlyRefused(ILogger logger, int invalidCount, int throttledCount, int filteredCount, int recipientCount);

    [LoggerMessage(EventId = 5107, Level = LogLevel.Debug, Message = "DingTalk {ApiPath} accepted part {Part} of {PartCount}")]
    public static partial void Sent(ILogger logger, string apiPath, int part, int partCount);
}
