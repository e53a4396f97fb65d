namespace Linping.CppccBot.Persistence.Import;

/// <summary>One problem in a data file: which record (collection, index and id) and which field.</summary>
public sealed record ImportError(string Record, string Field, string Message)
{
    /// <summary>e.g. <c>meetings[2] (MT-2027-03).startsAt: 不是有效的时间</c>.</summary>
    public override string ToString() => Field.Length == 0 ? $"{Record}: {Message}" : $"{Record}.{Field}: {Message}";
}

/// <summary>What an import did to one kind of record.</summary>
public sealed record KindCounts(int Created, int Updated, int Unchanged)
{
    public int Total => Created + Updated + Unchanged;

    public override string ToString() => $"新增 {Created}，更新 {Updated}，未变 {Unchanged}";
}

public sealed record ImportCounts(
    KindCounts Members,
    KindCounts Staff,
    KindCounts Groups,
    KindCounts Meetings,
    KindCounts Proposals,
    KindCounts Opinions)
{
    public static readonly ImportCounts None = new(new(0, 0, 0), new(0, 0, 0), new(0, 0, 0), new(0, 0, 0), new(0, 0, 0), new(0, 0, 0));

    public override string ToString() =>
        $"委员 {Members}；工作人员 {Staff}；群 {Groups}；会议活动 {Meetings}；提案 {Proposals}；社情民意 {Opinions}";
}

/// <summary>The outcome of an import: all records applied (no errors) or nothing applied (errors).</summary>
public sealed record ImportResult(ImportCounts Counts, IReadOnlyList<ImportError> Errors)
{
    public bool Succeeded => Errors.Count == 0;

    public static ImportResult Failed(IReadOnlyList<ImportError> errors) => new(ImportCounts.None, errors);

    public static ImportResult Failed(ImportError error) => new(ImportCounts.None, [error]);
}
