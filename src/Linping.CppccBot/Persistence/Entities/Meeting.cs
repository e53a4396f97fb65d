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
/// A change of a meeting members hear of, with what it was and what it became. Two sources: a move (start or place)
/// the reminder job found after members were told (<see cref="Aspects"/> None; its notices have the kind
/// <c>moved:{Id}</c>), and a change staff made through the staff API or an import (<see cref="Aspects"/> says what;
/// its notices have the kind <c>changed:…:{Id}</c>). Each notice is written from this row, also when it is retried
/// after later changes, so members read what the change did, not only what the meeting is now.
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

    /// <summary>What a staff change changed; None for a move the reminder job found.</summary>
    public MeetingAspects Aspects { get; set; }

    /// <summary>Who made a staff change (<see cref="StateChangeActors"/>); null for a move the reminder job found.</summary>
    public string? Actor { get; set; }

    /// <summary>
    /// When the notice of a staff change was put in the reminder ledger; null while an import's change waits for the
    /// reminder job to announce it (once: a conditional update decides between hosts).
    /// </summary>
    public DateTimeOffset? AnnouncedAt { get; set; }

    public string? OldTitle { get; set; }

    public string? NewTitle { get; set; }

    public MeetingType? OldType { get; set; }

    public MeetingType? NewType { get; set; }

    public ParticipationMode? OldParticipation { get; set; }

    public ParticipationMode? NewParticipation { get; set; }

    /// <summary>The seats before a change of seats (null: no limit), with <see cref="NewCapacity"/>.</summary>
    public int? OldCapacity { get; set; }

    public int? NewCapacity { get; set; }

    /// <summary>The sign-up deadline before a change of it (null: none, sign-up closes at the start), with <see cref="NewSignupDeadline"/>.</summary>
    public DateTimeOffset? OldSignupDeadline { get; set; }

    public DateTimeOffset? NewSignupDeadline { get; set; }

    /// <summary>A staff change of <paramref name="before"/> into <paramref name="after"/> (both the meeting's fields as members see them).</summary>
    public static MeetingChange Between(string meetingId, MeetingAspects aspects, string actor, DateTimeOffset at, Meeting before, Meeting after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return new()
        {
            MeetingId = meetingId,
            Aspects = aspects,
            Actor = actor,
            DetectedAt = at,
            OldTitle = before.Title,
            NewTitle = after.Title,
            OldType = before.Type,
            NewType = after.Type,
            OldParticipation = before.Participation,
            NewParticipation = after.Participation,
            OldStartsAt = before.StartsAt,
            NewStartsAt = after.StartsAt,
            OldEndsAt = before.EndsAt,
            NewEndsAt = after.EndsAt,
            OldLocation = before.Location,
            NewLocation = after.Location,
            OldCapacity = before.Capacity,
            NewCapacity = after.Capacity,
            OldSignupDeadline = before.SignupDeadline,
            NewSignupDeadline = after.SignupDeadline,
        };
    }

    /// <summary>The fields of <paramref name="meeting"/> members see, as a detached copy (what a change is compared with).</summary>
    public static Meeting AsMembersSeeIt(Meeting meeting)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        return new()
        {
            Id = meeting.Id,
            Title = meeting.Title,
            Type = meeting.Type,
            Location = meeting.Location,
            StartsAt = meeting.StartsAt,
            EndsAt = meeting.EndsAt,
            Capacity = meeting.Capacity,
            Participation = meeting.Participation,
            SignupDeadline = meeting.SignupDeadline,
            Status = meeting.Status,
        };
    }

    /// <summary>What differs between two states of a meeting, as a change notice names it.</summary>
    public static MeetingAspects Compare(Meeting before, Meeting after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return (before.Title != after.Title ? MeetingAspects.Title : MeetingAspects.None)
            | (before.StartsAt != after.StartsAt || before.EndsAt != after.EndsAt ? MeetingAspects.Time : MeetingAspects.None)
            | (before.Location != after.Location ? MeetingAspects.Place : MeetingAspects.None)
            | (before.Capacity != after.Capacity ? MeetingAspects.Seats : MeetingAspects.None)
            | (before.SignupDeadline != after.SignupDeadline ? MeetingAspects.Deadline : MeetingAspects.None)
            | (before.Type != after.Type || before.Participation != after.Participation ? MeetingAspects.Terms : MeetingAspects.None);
    }
}

/// <summary>A member invited to a meeting that is not open to all members.</summary>
public sealed class MeetingInvitee
{
    public required string MeetingId { get; set; }

    public required string MemberId { get; set; }

    /// <summary>
    /// When the member was added to the meeting (by staff or a file): a move found before is no news to them, as they
    /// never knew the old time or place. Null for invitations older than this date was kept: taken as from the start.
    /// </summary>
    public DateTimeOffset? InvitedAt { get; set; }
}

/// <summary>A group that gets the meeting's notices.</summary>
public sealed class MeetingGroup
{
    public required string MeetingId { get; set; }

    public required string GroupId { get; set; }
}
