namespace Linping.CppccBot.Channels.WeCom;

/// <summary>What a failure means for the caller: whether to back off and retry, fix configuration, or give up.</summary>
public enum WeComErrorKind
{
    /// <summary>No error (errcode 0).</summary>
    None,

    /// <summary>errcode -1, 系统繁忙: retry a little later, at most about 3 times.</summary>
    SystemBusy,

    /// <summary>errcode 45009/45033: frequency or concurrency limit; back off until the window ends (a minute, or an hour).</summary>
    RateLimited,

    /// <summary>errcode 40014/42001/41001: the access token was refused even after one refresh.</summary>
    InvalidToken,

    /// <summary>Wrong corp id, secret, agent id, trusted IP, permissions or webhook key: retrying will not help.</summary>
    Configuration,

    /// <summary>The request itself was refused (bad content, all recipients invalid, ...): retrying the same will not help.</summary>
    Rejected,

    /// <summary>No answer: connection failed or closed, timeout, or a non-2xx HTTP status. Safe to retry later.</summary>
    Network,

    /// <summary>An answer that is not WeCom's JSON shape.</summary>
    InvalidResponse,
}

/// <summary>The WeCom errcodes this client acts on (https://developer.work.weixin.qq.com/document/path/90455).</summary>
public static class WeComErrorCodes
{
    public const int SystemBusy = -1;
    public const int Ok = 0;
    public const int InvalidSecret = 40001;
    public const int InvalidCorpId = 40013;
    public const int InvalidAccessToken = 40014;
    public const int MissingAccessToken = 41001;
    public const int AccessTokenExpired = 42001;
    public const int ApiFrequencyLimit = 45009;
    public const int ApiConcurrencyLimit = 45033;
    public const int InvalidAgentId = 40056;
    public const int NoApiPermission = 48002;
    public const int RecipientNotPermitted = 60011;
    public const int UntrustedIp = 60020;
    public const int AllRecipientsInvalid = 81013;
    public const int WebhookInvalid = 93000;
    public const int WebhookDisabled = 93004;
    public const int WebhookNotInGroup = 93008;

    /// <summary>Sorts an errcode into what the caller should do about it.</summary>
    public static WeComErrorKind Classify(int errCode) => errCode switch
    {
        Ok => WeComErrorKind.None,
        SystemBusy => WeComErrorKind.SystemBusy,
        ApiFrequencyLimit or ApiConcurrencyLimit => WeComErrorKind.RateLimited,
        InvalidAccessToken or AccessTokenExpired or MissingAccessToken => WeComErrorKind.InvalidToken,
        InvalidSecret or InvalidCorpId or InvalidAgentId or NoApiPermission or RecipientNotPermitted or UntrustedIp
            or WebhookInvalid or WebhookDisabled or WebhookNotInGroup => WeComErrorKind.Configuration,
        _ => WeComErrorKind.Rejected,
    };

    /// <summary>True for failures that may pass when the same request is sent again later.</summary>
    public static bool IsTransient(WeComErrorKind kind) =>
        kind is WeComErrorKind.SystemBusy or WeComErrorKind.RateLimited or WeComErrorKind.Network;

    internal static bool IsTokenRefused(int errCode) => errCode is InvalidAccessToken or AccessTokenExpired;
}

/// <summary>
/// Thrown when a WeCom call got no usable answer (network, HTTP status, malformed body) or when <c>gettoken</c> failed,
/// so no message call could be made. Errcodes of <c>message/send</c> and <c>webhook/send</c> are not thrown: they are
/// returned in <see cref="WeComSendResult"/>, because a send is partly successful by nature (batches, parts, invalid users).
/// </summary>
public sealed class WeComApiException : Exception
{
    public WeComApiException()
    {
    }

    public WeComApiException(string message)
        : base(message)
    {
    }

    public WeComApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public WeComApiException(string message, WeComErrorKind kind, int? errCode, string apiPath, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        ErrCode = errCode;
        ApiPath = apiPath;
    }

    /// <summary>What went wrong; see <see cref="WeComErrorCodes.IsTransient"/>.</summary>
    public WeComErrorKind Kind { get; } = WeComErrorKind.Network;

    /// <summary>WeCom's errcode, or null when there was no WeCom answer (network failure, HTTP status, bad body).</summary>
    public int? ErrCode { get; }

    /// <summary>The API path, e.g. <c>/cgi-bin/gettoken</c>; never contains the token, secret or key.</summary>
    public string ApiPath { get; } = string.Empty;

    /// <summary>True when the same request may succeed later (system busy, rate limit, network).</summary>
    public bool IsTransient => WeComErrorCodes.IsTransient(Kind);

    /// <summary>
    /// True when the call got no answer after the request may have gone out (a timeout, the connection dropped; not an
    /// HTTP status, not a connection refused): WeCom may have taken the message.
    /// </summary>
    public bool Unanswered => Kind == WeComErrorKind.Network && TransportFailures.MayHaveArrived(InnerException);

    /// <summary>The calls of the interrupted send that were answered before this failure, if it happened mid-send.</summary>
    public WeComSendResult? PartialResult { get; init; }

    /// <summary>
    /// How many parts of a text split in several went out before this failure, to the recipients of the call that failed
    /// (see <see cref="WeComApiClient.Unsent"/>); 0 when none did or the failure was not mid-text.
    /// </summary>
    public int PartsSent { get; init; }

    /// <summary>
    /// The users of the call that failed (<see cref="PartsSent"/> is theirs): they may have the message when the call got
    /// no answer. The users of the calls in <see cref="PartialResult"/> got what those say; any other user of the send got
    /// nothing. Empty for a group robot's send.
    /// </summary>
    public IReadOnlyList<string> UserIdsInFlight { get; init; } = [];

    internal WeComApiException WithPartialResult(WeComSendResult partial, int partsSent = 0, IReadOnlyList<string>? inFlight = null) =>
        new(Message, Kind, ErrCode, ApiPath, this) { PartialResult = partial, PartsSent = partsSent, UserIdsInFlight = inFlight ?? [] };
}
