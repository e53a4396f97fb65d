namespace Linping.CppccBot.Persistence.Entities;

public enum OpinionStatus
{
    Submitted,
    UnderReview,
    Returned,
    Adopted,
    ReportedUpward,
    NotAdopted,
}

/// <summary>A piece of public-opinion information (社情民意信息) a member reported.</summary>
public sealed class Opinion
{
    /// <summary>The tracking number, e.g. <c>SQMY-2026-0007</c>.</summary>
    public required string Id { get; set; }

    public required string Title { get; set; }

    /// <summary>The report text; may hold personal data, never logged.</summary>
    public required string Content { get; set; }

    public string? Category { get; set; }

    public required string SubmittedById { get; set; }

    public DateTimeOffset SubmittedAt { get; set; }

    public OpinionStatus Status { get; set; }

    public List<OpinionStatusEntry> History { get; set; } = [];
}

public sealed class OpinionStatusEntry
{
    public long Id { get; set; }

    public required string OpinionId { get; set; }

    public OpinionStatus Status { get; set; }

    public DateTimeOffset At { get; set; }

    public string? Note { get; set; }
}
