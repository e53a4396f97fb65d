namespace Linping.CppccBot.Persistence.Entities;

/// <summary>Meeting and activity types, as named in the import format.</summary>
public enum MeetingType
{
    PlenarySession,
    StandingCommittee,
    ChairCouncil,
    ThematicConsultation,
    QingNiLaiXieShang,
    Inspection,
    Research,
    DemocraticSupervision,
    StudioActivity,
    ProposalConsultation,
    Training,
    Other,
}

/// <summary>How members take part: they sign up, or they are expected and ask for leave to stay away.</summary>
public enum ParticipationMode
{
    OpenSignup,
    Mandatory,
}

public enum MeetingStatus
{
    Published,
    Cancelled,

    /// <summary>Created by staff and not yet published: members do not see it and nothing is sent for it.</summary>
    Draft,
}

/// <summary>A meeting or activity (会议/活动).</summary>
public sealed class Meeting
{
    /// <summary>The id from the data file, e.g. <c>MT-2027-03</c>.</summary>
    public required string Id { get; set; }

    public required string Title { get; set; }

    public MeetingType Type { get; set; }

    public string? Location { get; set; }

    public DateTimeOffset StartsAt { get; set; }

    public DateTimeOffset EndsAt { get; set; }

    /// <summary>Seats for open sign-up; null means no limit.</summary>
    public int? Capacity { get; set; }

    public ParticipationMode Participation { get; set; }

    public DateTimeOffset? SignupDeadline { get; set; }

    public MeetingStatus Status { get; set; } = MeetingStatus.Published;

    /// <summary>True when every member is invited (<c>"*"</c> in the file); <see cref="Invitees"/> is then empty.</summary>
    public bool InviteAllMembers { get; set; }

    public List<MeetingInvitee> Invitees { get; set; } = [];

    public List<MeetingGroup> Groups { get; set; } = [];

    /// <summary>
    /// Optimistic concurrency token over the meeting's seats. Every change that takes or frees a seat (sign-up, waitlist,
    /// cancellation, promotion) bumps it in the same save, so two members taking the last seat at once cannot both win:
    /// a new sign-up is an insert, which a participation's own token cannot guard.
    /// </summary>
    public int Version { get; set; }

    /// <summary>
    /// The start members were last told (by a reminder, a cancellation or a move notice); null while nobody was told.
    /// A start or place that differs from what was told is a move: it gets one <see cref="MeetingChange"/> and its notice.
    /// </summary>
    public DateTimeOffset? AnnouncedStartsAt { get; set; }

    /// <summary>The end members were last told, with <see cref="AnnouncedStartsAt"/>.</summary>
    public DateTimeOffset? AnnouncedEndsAt { get; set; }

    /// <summary>The place members were last told, with <see cref="AnnouncedStartsAt"/>.</summary>
    public string? AnnouncedLocation { get; set; }
}

/// <summary>
/// A meeting moved (start or place) after members were told: what they were told and what it is now. Its notices go
/// through the reminder ledger with the kind <c>moved:{Id}</c>, so each recipient hears of one move once.
/// </summary>
public sealed class MeetingChange
{
    public long Id { get; set; }

    public required string MeetingId { get; set; }

    public DateTimeOffset OldStartsAt { get; set; }

    public DateTimeOffset OldEndsAt { get; set; }

    public string? OldLocation { get; set; }

    public DateTimeOffset NewStartsAt { get; set; }

    public DateTimeOffset NewEndsAt { get; set; }

    public string? NewLocation { get; set; }

    public DateTimeOffset DetectedAt { get; set; }
}

/// <summary>A member invited to a meeting that is not open to all members.</summary>
public sealed class MeetingInvitee
{
    public required string MeetingId { get; set; }

    public required string MemberId { get; set; }
}

/// <summary>A group that gets the meeting's notices.</summary>
public sealed class MeetingGroup
{
    public required string MeetingId { get; set; }

    public required string GroupId { get; set; }
}
