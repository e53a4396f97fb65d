namespace Linping.CppccBot.Persistence.Entities;

/// <summary>
/// Append-only audit row: who moved which record from which state to which, and when. Written for every state change
/// of proposals, opinions, meetings and participations, whatever caused it (a member in chat, staff, an import).
/// </summary>
public sealed class StateChange
{
    public long Id { get; set; }

    /// <summary>See <see cref="StateChangeEntityTypes"/>.</summary>
    public required string EntityType { get; set; }

    public required string EntityId { get; set; }

    /// <summary>The state before; null when the record was created.</summary>
    public string? From { get; set; }

    public required string To { get; set; }

    /// <summary>A member or staff id, or a system actor such as <see cref="StateChangeActors.Import"/>.</summary>
    public required string Actor { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>Short, non-personal note (no leave reasons, phone numbers or report texts).</summary>
    public string? Note { get; set; }
}

public static class StateChangeEntityTypes
{
    public const string Proposal = nameof(Entities.Proposal);
    public const string Opinion = nameof(Entities.Opinion);
    public const string Meeting = nameof(Entities.Meeting);
    public const string Participation = nameof(Entities.Participation);

    /// <summary>A member taken off the roster or put back (<c>Active</c>/<c>Inactive</c>).</summary>
    public const string Member = nameof(Entities.Member);

    /// <summary>A seed file (<c>Seed:Path</c>) imported at start; the entity id is the SHA-256 of its content.</summary>
    public const string SeedFile = "SeedFile";
}

public static class StateChangeActors
{
    public const string Import = "import";
    public const string System = "system";

    /// <summary>A change made through the staff API (<c>/api/admin</c>).</summary>
    public const string StaffApi = "staff-api";
}
