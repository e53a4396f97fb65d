namespace Linping.CppccBot.Features.Notifications;

/// <summary>What a notification achieved, for the caller to record or report.</summary>
public enum NotificationOutcome
{
    Sent,

    /// <summary>The person has no user id on any channel the bot can send on.</summary>
    NoChannel,

    /// <summary>The channel refused or could not be reached; the text was not delivered.</summary>
    Failed,

    /// <summary>Not delivered yet (rate limit, busy, network): kept in the ledger and sent again automatically.</summary>
    Queued,
}
