using System.Text.Json;

namespace Linping.CppccBot.Persistence.Import;

// The shape of a data file (fixtures/README.md). Every value is nullable and enums and times are strings, so a bad
// value becomes a validation error that names the record and field instead of one opaque deserialisation failure.

public sealed record ImportDocument(
    string? TimeZone,
    IReadOnlyList<MemberRecord?>? Members,
    IReadOnlyList<StaffRecord?>? Staff,
    IReadOnlyList<GroupRecord?>? Groups,
    IReadOnlyList<MeetingRecord?>? Meetings,
    IReadOnlyList<ProposalRecord?>? Proposals,
    IReadOnlyList<OpinionRecord?>? Opinions)
{
    /// <summary>
    /// The member fields (camelCase, as in the file) the source carries, or null when it carries them all. A roster
    /// sheet without a column leaves that field of the members it updates as it was: an office sheet of names and
    /// mobile numbers must not erase the members' WeCom and DingTalk accounts.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlySet<string>? MemberFields { get; init; }

    /// <summary>
    /// The proposal columns (sheet keys: <c>lead</c>, <c>repliedAt</c> …) a proposal sheet carries, or null for a JSON
    /// file, which carries every field. A sheet updates only those of a stored proposal, adds its dates to the history
    /// rather than replacing it, and cannot move a status back (a stale sheet would undo the office's progress).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlySet<string>? ProposalFields { get; init; }

    /// <summary>
    /// camelCase names as in the file; unknown properties are ignored so newer files still import. The resolver is set
    /// here, not left to the first (de)serialisation: the staff API reads these options' type metadata
    /// (<see cref="JsonSerializerOptions.GetTypeInfo"/>) before anything was deserialised with them in a host that
    /// imported no seed file.
    /// </summary>
    public static readonly JsonSerializerOptions JsonOptions = CreateJsonOptions();

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            AllowTrailingCommas = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return options;
    }
}

public sealed record MemberRecord(
    string? Id,
    string? Name,
    string? WecomUserId,
    string? DingtalkUserId,
    string? Sector,
    IReadOnlyList<string?>? Committees,
    string? Studio,
    bool? IsStandingMember,
    string? PreferredApp = null,
    string? Mobile = null);

public sealed record StaffRecord(
    string? Id,
    string? Name,
    string? WecomUserId,
    string? DingtalkUserId,
    IReadOnlyList<string?>? Roles);

public sealed record GroupRecord(
    string? Id,
    string? Name,
    string? WecomWebhookKey,
    DingTalkWebhookRecord? DingtalkWebhook);

public sealed record DingTalkWebhookRecord(string? AccessToken, string? Secret);

public sealed record MeetingRecord(
    string? Id,
    string? Title,
    string? Type,
    string? Location,
    string? StartsAt,
    string? EndsAt,
    int? Capacity,
    string? Participation,
    string? SignupDeadline,
    IReadOnlyList<string?>? Invitees,
    IReadOnlyList<string?>? Groups);

public sealed record ProposalRecord(
    string? Number,
    int? Serial,
    string? Title,
    IReadOnlyList<string?>? Proposers,
    string? Category,
    bool? IsKey,
    string? Status,
    IReadOnlyList<UnitRecord?>? Units,
    IReadOnlyList<HistoryRecord?>? History,
    string? DueAt,
    ReplyRecord? Reply,
    EvaluationRecord? Evaluation);

public sealed record UnitRecord(string? Name, string? Role);

public sealed record HistoryRecord(string? Status, string? At, string? Note);

public sealed record ReplyRecord(string? ResultClass, string? Summary, string? RepliedAt);

public sealed record EvaluationRecord(string? Result, string? At);

public sealed record OpinionRecord(
    string? Id,
    string? Title,
    string? SubmittedBy,
    string? Content,
    string? Category,
    string? Status,
    string? SubmittedAt);
