namespace Linping.CppccBot.Channels.WeCom;

/// <summary>
/// Log lines of the WeCom API client. They carry the API path and errcode only: never the access token, the secret,
/// a webhook key, a recipient list or message text, because logs leave the trust boundary of the server.
/// </summary>
internal static partial class WeComApiLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "WeCom access token fetched from {ApiPath}; valid for {ExpiresInSeconds} s")]
    public static partial void TokenFetched(ILogger logger, string apiPath, int expiresInSeconds);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "WeCom access token refresh failed ({Kind}, errcode {ErrCode}); the current token stays in use until it expires")]
    public static partial void TokenRefreshFailedKeepingCurrent(ILogger logger, WeComErrorKind kind, int? errCode);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "WeCom {ApiPath} refused the access token with errcode {ErrCode}; refreshing it and retrying once")]
    public static partial void TokenRefused(ILogger logger, string apiPath, int errCode);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "WeCom {ApiPath} answered errcode {ErrCode} ({Kind})")]
    public static partial void ApiError(ILogger logger, string apiPath, int errCode, WeComErrorKind kind);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "WeCom {ApiPath} call failed without an answer: {Failure}")]
    public static partial void TransportFailure(ILogger logger, string apiPath, string failure);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Debug, Message = "WeCom {ApiPath} accepted part {Part} of {PartCount} for {RecipientCount} recipients; {InvalidCount} invalid")]
    public static partial void Sent(ILogger logger, string apiPath, int part, int partCount, int recipientCount, int invalidCount);
}
