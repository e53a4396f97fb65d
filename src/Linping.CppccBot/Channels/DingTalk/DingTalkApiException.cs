namespace Linping.CppccBot.Channels.DingTalk;

/// <summary>A DingTalk call that failed: no answer, an HTTP error with DingTalk's <c>code</c>, or a webhook <c>errcode</c>.</summary>
public sealed class DingTalkApiException : Exception
{
    public DingTalkApiException()
    {
    }

    public DingTalkApiException(string message)
        : base(message)
    {
    }

    public DingTalkApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DingTalkApiException(string message, string apiPath, int? httpStatus, string? code, Exception? innerException = null)
        : base(message, innerException)
    {
        ApiPath = apiPath;
        HttpStatus = httpStatus;
        Code = code;
    }

    public string? ApiPath { get; }

    /// <summary>The HTTP status, or null when there was no answer.</summary>
    public int? HttpStatus { get; }

    /// <summary>DingTalk's error code (<c>Forbidden.AccessDenied.QpsLimitForApi</c>, a webhook errcode ...).</summary>
    public string? Code { get; }

    /// <summary>
    /// How many parts of a text split in several went out before this failure, to the recipients of the call that failed
    /// (see <see cref="DingTalkApiClient.Unsent"/>); 0 when none did or the failure was not mid-text.
    /// </summary>
    public int PartsSent { get; init; }

    /// <summary>
    /// True when the call got no answer after the request may have gone out (a timeout, the connection dropped; not an
    /// HTTP status, an errcode, a local limit or a connection refused): DingTalk may have taken the message.
    /// </summary>
    public bool Unanswered => HttpStatus is null && Code is null && TransportFailures.MayHaveArrived(InnerException);

    /// <summary>True when trying again later may work: no answer, throttling, 5xx.</summary>
    public bool IsRetryable =>
        HttpStatus is null or >= 500 or 429
        || (Code?.Contains("QpsLimit", StringComparison.Ordinal) ?? false)
        || Code == "130101";

    /// <summary>
    /// For a one-to-one send (<c>batchSend</c>) that failed: what was settled before the failure, for the users of the
    /// calls that were answered in full and those left out earlier in the failing call (<see cref="DingTalkUserSendResult.StaffIds"/>).
    /// <see cref="StaffIdsInFlight"/> were in the call that failed (<see cref="PartsSent"/> is theirs); any other user of
    /// the send got nothing. Null for the other sends.
    /// </summary>
    public DingTalkUserSendResult? PartialResult { get; init; }

    /// <summary>The users of the <c>batchSend</c> call that failed; empty for the other sends.</summary>
    public IReadOnlyList<string> StaffIdsInFlight { get; init; } = [];

    internal DingTalkApiException WithPartsSent(int partsSent) =>
        new(Message, ApiPath ?? string.Empty, HttpStatus, Code, this) { PartsSent = partsSent };

    internal DingTalkApiException WithPartialResult(DingTalkUserSendResult partial, IReadOnlyList<string> inFlight) =>
        new(Message, ApiPath ?? string.Empty, HttpStatus, Code, this) { PartsSent = PartsSent, PartialResult = partial, StaffIdsInFlight = inFlight };
}
