using Linping.CppccBot.Persistence.Entities;

namespace Linping.CppccBot.Persistence.Import;

// Values after validation: trimmed, parsed, times in UTC. The importer applies only these.

internal sealed record ValidMember(
    string Id, string Name, string? WeComUserId, string? DingTalkUserId, string? Sector, List<string> Committees, string? Studio, bool IsStandingMember, MessagingApp? PreferredApp, string? Mobile);

internal sealed record ValidStaff(string Id, string Name, string? WeComUserId, string? DingTalkUserId, List<string> Roles);

internal sealed record ValidGroup(string Id, string Name, string? WeComWebhookKey, string? DingTalkAccessToken, string? DingTalkSecret);

internal sealed record ValidMeeting(
    string Id,
    string Title,
    MeetingType Type,
    string? Location,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    int? Capacity,
    ParticipationMode Participation,
    DateTimeOffset? SignupDeadline,
    bool InviteAllMembers,
    List<string> Invitees,
    List<string> Groups)
{
    /// <summary>Which record of the file it is (<c>meetings[2] (MT-2027-03)</c>), for what the import says of it.</summary>
    public string Record { get; init; } = Id;
}

internal sealed record ValidUnit(string Name, UnitRole Role);

internal sealed record ValidHistoryEntry(ProposalStatus Status, DateTimeOffset At, string? Note);

internal sealed record ValidProposal(
    string Session,
    int Serial,
    string Number,
    string Title,
    List<string> Proposers,
    string? Category,
    bool IsKey,
    ProposalStatus Status,
    List<ValidUnit> Units,
    List<ValidHistoryEntry> History,
    DateTimeOffset? DueAt,
    AnswerClass? ReplyClass,
    string? ReplySummary,
    DateTimeOffset? RepliedAt,
    EvaluationResult? Evaluation,
    DateTimeOffset? EvaluatedAt);

internal sealed record ValidOpinion(
    string Id, string Title, string Content, string? Category, string SubmittedById, DateTimeOffset SubmittedAt, OpinionStatus Status);

internal sealed record ValidData(
    List<ValidMember> Members,
    List<ValidStaff> Staff,
    List<ValidGroup> Groups,
    List<ValidMeeting> Meetings,
    List<ValidProposal> Proposals,
    List<ValidOpinion> Opinions);

/// <summary>What is already in the database that file records may refer to or collide with.</summary>
internal sealed record ExistingKeys(
    IReadOnlySet<string> MemberIds,
    IReadOnlyDictionary<string, string> MemberIdByWeCom,
    IReadOnlyDictionary<string, string> MemberIdByDingTalk,
    IReadOnlyDictionary<string, string> StaffIdByWeCom,
    IReadOnlyDictionary<string, string> StaffIdByDingTalk,
    IReadOnlySet<string> GroupIds,
    IReadOnlyDictionary<string, StoredProposal> ProposalsByKey,
    IReadOnlyDictionary<string, StoredMeeting> MeetingsById)
{
    public static readonly ExistingKeys Empty = new(
        new HashSet<string>(), new Dictionary<string, string>(), new Dictionary<string, string>(),
        new Dictionary<string, string>(), new Dictionary<string, string>(), new HashSet<string>(), new Dictionary<string, StoredProposal>(),
        new Dictionary<string, StoredMeeting>());
}

/// <summary>A stored proposal, by its <see cref="Proposal.Key"/>: its display number and status.</summary>
internal sealed record StoredProposal(string Number, ProposalStatus Status);

/// <summary>A stored meeting as a file record may change it: its status, its seats taken and its own fields.</summary>
internal sealed record StoredMeeting(
    MeetingStatus Status,
    int SeatsTaken,
    string Title,
    MeetingType Type,
    string? Location,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    int? Capacity,
    ParticipationMode Participation,
    DateTimeOffset? SignupDeadline)
{
    /// <summary>True when <paramref name="record"/> would leave the meeting's own fields as they are.</summary>
    public bool SameFields(ValidMeeting record) =>
        record.Title == Title && record.Type == Type && record.Location == Location && record.StartsAt == StartsAt && record.EndsAt == EndsAt
        && record.Capacity == Capacity && record.Participation == Participation && record.SignupDeadline == SignupDeadline;
}
