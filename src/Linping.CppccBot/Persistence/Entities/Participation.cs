namespace Linping.CppccBot.Persistence.Entities;

public enum ParticipationStatus
{
    SignedUp,
    Waitlisted,
    Cancelled,
    LeavePending,
    LeaveApproved,
    LeaveRejected,
    CheckedIn,
}

public enum LeaveReason
{
    Illness,
    Personal,
    Official,
}

/// <summary>One member's sign-up, leave request or attendance for one meeting.</summary>
public sealed class Participation
{
    public long Id { get; set; }

    public required string MeetingId { get; set; }

    public required string MemberId { get; set; }

    public ParticipationStatus Status { get; set; }

    /// <summary>1-based place on the waitlist while <see cref="ParticipationStatus.Waitlisted"/>.</summary>
    public int? WaitlistPosition { get; set; }

    public DateTimeOffset? WaitlistedAt { get; set; }

    public LeaveReason? LeaveReason { get; set; }

    /// <summary>Free text given with a leave request; personal data, never logged.</summary>
    public string? LeaveNote { get; set; }

    /// <summary>What the staff member who rejected a leave request gave as the reason; shown to that member only.</summary>
    public string? LeaveDecisionNote { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? CheckedInAt { get; set; }

    /// <summary>
    /// Optimistic concurrency token, bumped by <see cref="BotDbContext"/> on every update, so two members taking the
    /// last seat at once cannot both win. A plain column rather than PostgreSQL's xmin keeps the model provider-neutral.
    /// </summary>
    public int Version { get; set; }
}
