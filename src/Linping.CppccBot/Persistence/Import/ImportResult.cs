namespace Linping.CppccBot.Persistence.Import;

/// <summary>One problem in a data file: which record (collection, index and id) and which field.</summary>
public sealed record ImportError(string Record, string Field, string Message)
{
    /// <summary>The spreadsheet row (as Excel numbers it, the header is row 1) for errors in a CSV or XLSX file; then
    /// <see cref="Field"/> is the column's header as written in the file.</summary>
    public int? Row { get; init; }

    /// <summary>An error in a spreadsheet cell (or in the header row when <paramref name="row"/> is 1).</summary>
    public static ImportError Cell(int row, string column, string message) =>
        new(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"第 {row} 行"), column, message) { Row = row };

    /// <summary>What is wrong with a CSV or XLSX file as a whole (too many rows), not with one of its rows.</summary>
    public static ImportError Sheet(string message) => new(WholeSheet, "", message);

    private const string WholeSheet = "整个表格";

    /// <summary>
    /// Where the error is, as <see cref="ToString"/> names it before the message: <c>第 3 行「企业微信账号」</c>,
    /// <c>第 3 行</c>, <c>整个表格</c>, <c>meetings[2] (MT-2027-03).startsAt</c>, or <c>$</c> for the file as a whole.
    /// </summary>
    public string Where => (Row, Field.Length) switch
    {
        (not null, > 0) => $"{Record}「{Field}」",
        (_, 0) => Record,
        _ => $"{Record}.{Field}",
    };

    /// <summary>e.g. <c>meetings[2] (MT-2027-03).startsAt: 不是有效的时间</c>, or <c>第 3 行「企业微信账号」：账号重复</c>.</summary>
    public override string ToString() => (Row, Field.Length) switch
    {
        (null, 0) when Record == WholeSheet => $"{Record}：{Message}",
        (not null, 0) => $"{Record}：{Message}",
        (not null, _) => $"{Record}「{Field}」：{Message}",
        (null, 0) => $"{Record}: {Message}",
        _ => $"{Record}.{Field}: {Message}",
    };
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

/// <summary>
/// A published meeting, not ended, that an import changed in what its members see (title, time, place, seats, sign-up
/// deadline, type or way of taking part), and what they are told of it (<see cref="Notice"/>).
/// </summary>
public sealed record ImportedMeetingChange(string MeetingId, string Title, IReadOnlyList<string> Changed, string Notice)
{
    /// <summary>The change notice goes to the meeting's invitees and groups (the reminder job sends it when the import did not).</summary>
    public const string Announced = "已发出会议变更通知";

    /// <summary>Time or place alone, of a meeting members were told of: the reminder job's 「会议时间/地点调整」 goes to them.</summary>
    public const string Moved = "已发出会议时间/地点调整通知";

    /// <summary>Time or place alone, of a meeting nobody was sent a notice or reminder of yet: they will get the new one.</summary>
    public const string NobodyToldYet = "尚未向委员发过该会议的通知或提醒，不另行通知";

    /// <summary>Seats alone, of a meeting they leave full (the waitlist takes them): as the staff API, nobody is told.</summary>
    public const string FullNotTold = "调整后名额已满，不通知委员和群";

    /// <summary>As the staff API does: a change to a meeting under way is kept for the record and announced to nobody.</summary>
    public const string UnderWay = "会议已开始，修改已保存，但不再通知委员和群";
}

/// <summary>
/// A member the import moved up from a meeting's waitlist (the file gave it more seats), and whether they heard of it
/// (<see cref="MemberTold"/>: Sent, Queued for the reminder job to retry, NoChannel or Failed, as a staff change says).
/// </summary>
public sealed record ImportedPromotion(string MeetingId, string Title, string MemberId, string? MemberName, string MemberTold);

/// <summary>The outcome of an import: all records applied (no errors) or nothing applied (errors).</summary>
public sealed record ImportResult(ImportCounts Counts, IReadOnlyList<ImportError> Errors)
{
    public bool Succeeded => Errors.Count == 0;

    /// <summary>The meetings whose members are told of what the import changed, or deliberately not told (under way).</summary>
    public IReadOnlyList<ImportedMeetingChange> MeetingNotices { get; init; } = [];

    /// <summary>
    /// What was imported otherwise than the file has it, by record (the start and place of a meeting under way stay as
    /// they were); the rest of the record and of the file is imported.
    /// </summary>
    public IReadOnlyList<ImportError> Warnings { get; init; } = [];

    /// <summary>The members moved up from a waitlist into the seats the file added, meeting by meeting in waitlist order.</summary>
    public IReadOnlyList<ImportedPromotion> Promotions { get; init; } = [];

    public static ImportResult Failed(IReadOnlyList<ImportError> errors) => new(ImportCounts.None, errors);

    public static ImportResult Failed(ImportError error) => new(ImportCounts.None, [error]);
}
