namespace Linping.CppccBot.Persistence.Entities;

public enum ProposalStatus
{
    Submitted,
    UnderReview,
    Filed,
    NotFiled,
    Assigned,
    InHandling,
    Replied,
    Rehandling,
    Closed,
}

/// <summary>The handling unit's result class marked on the reply.</summary>
public enum AnswerClass
{
    A,
    B,
    C,
}

public enum EvaluationResult
{
    Satisfied,
    BasicallySatisfied,
    Unsatisfied,
}

public enum UnitRole
{
    Lead,
    Co,
}

/// <summary>
/// A proposal (提案), identified by its session and its serial within the session (proposals are numbered anew in each
/// session of each term: 一届五次第0012号, then 二届一次第0001号).
/// </summary>
public sealed class Proposal
{
    public int Id { get; set; }

    /// <summary>The session of the display number (一届五次 in 一届五次第0012号); with <see cref="Serial"/> the import key.</summary>
    public string Session { get; set; } = "";

    /// <summary>The serial of the display number (0012 in 一届五次第0012号); unique within <see cref="Session"/>.</summary>
    public int Serial { get; set; }

    /// <summary>
    /// How other records refer to this proposal (the reminder ledger's subject, the change log's entity id): session and
    /// serial, which the display number's padding cannot change.
    /// </summary>
    public string Key => ProposalNumber.Key(Session, Serial);

    /// <summary>The full display number, e.g. <c>一届五次第0012号</c>.</summary>
    public required string Number { get; set; }

    public required string Title { get; set; }

    public string? Category { get; set; }

    public bool IsKey { get; set; }

    public ProposalStatus Status { get; set; }

    public DateTimeOffset? DueAt { get; set; }

    /// <summary>Proposers in order; <see cref="ProposalProposer.Position"/> 0 is the lead proposer.</summary>
    public List<ProposalProposer> Proposers { get; set; } = [];

    public List<ProposalUnit> Units { get; set; } = [];

    public List<ProposalStatusEntry> History { get; set; } = [];

    // Reply and evaluation are flat nullable columns rather than owned types: one row, no optional-dependent rules.
    public AnswerClass? ReplyClass { get; set; }

    public string? ReplySummary { get; set; }

    public DateTimeOffset? RepliedAt { get; set; }

    public EvaluationResult? Evaluation { get; set; }

    public DateTimeOffset? EvaluatedAt { get; set; }

    /// <summary>The lead proposer's optional comment with the evaluation; shown to the proposal office only.</summary>
    public string? EvaluationComment { get; set; }
}

public sealed class ProposalProposer
{
    public int ProposalId { get; set; }

    public required string MemberId { get; set; }

    /// <summary>0 = lead proposer (第一提案人).</summary>
    public int Position { get; set; }
}

/// <summary>A handling unit (承办单位) of a proposal.</summary>
public sealed class ProposalUnit
{
    public int ProposalId { get; set; }

    public int Position { get; set; }

    public required string Name { get; set; }

    public UnitRole Role { get; set; }
}

/// <summary>One step of a proposal's status history, as the office records it.</summary>
public sealed class ProposalStatusEntry
{
    public long Id { get; set; }

    public int ProposalId { get; set; }

    public ProposalStatus Status { get; set; }

    public DateTimeOffset At { get; set; }

    public string? Note { get; set; }
}
