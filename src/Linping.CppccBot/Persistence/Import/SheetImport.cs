using System.Globalization;
using System.Text.RegularExpressions;
using Linping.CppccBot.Persistence.Entities;

namespace Linping.CppccBot.Persistence.Import;

/// <summary>What a spreadsheet holds, told by its headers.</summary>
public enum SheetKind
{
    Roster,
    Proposals,
}

/// <summary>What the sheet conversion needs from the database: members by id and by name, and the office's time zone.</summary>
internal sealed record SheetContext(IReadOnlySet<string> MemberIds, IReadOnlyDictionary<string, List<string>> MemberIdsByName, TimeZoneInfo Zone);

/// <summary>
/// A spreadsheet turned into an import document, or the reasons it cannot be. <see cref="Translate"/> turns the
/// validator's errors (<c>members[2] (M103).wecomUserId</c>) into the sheet's row and column (<c>第 4 行「企业微信账号」</c>).
/// </summary>
internal sealed record SheetConversion(SheetKind? Kind, ImportDocument? Document, IReadOnlyList<ImportError> Errors, Func<ImportError, ImportError?> Translate);

/// <summary>
/// Converts the roster and the proposal list, as the office keeps them in Excel (fixtures/README.md "Spreadsheets staff
/// really have"), into the JSON import's records. Headers are matched by name, not position, with their common variants;
/// cells are checked here for what only a sheet has (是/否, dates, Chinese status labels); the rest is the
/// <see cref="ImportValidator"/>'s job, whose errors are translated back to rows and columns.
/// </summary>
internal static partial class SheetImport
{
    private sealed record Column(string Field, string Header, bool Required, string[] Variants);

    private static readonly Column[] RosterColumns =
    [
        new("id", "编号", true, ["编号", "委员编号", "id"]),
        new("name", "姓名", true, ["姓名", "委员姓名", "名字"]),
        new("sector", "界别", false, ["界别", "所属界别"]),
        new("committees", "专委会", false, ["专委会", "专门委员会", "所属专委会"]),
        new("studio", "委员工作室", false, ["委员工作室", "工作室"]),
        new("isStandingMember", "是否常委", false, ["是否常委", "常委"]),
        new("wecomUserId", "企业微信账号", false, ["企业微信账号", "企业微信", "企微id", "企微账号", "企业微信id", "企业微信userid"]),
        new("dingtalkUserId", "钉钉账号", false, ["钉钉账号", "钉钉", "钉钉id", "钉钉userid"]),
        new("mobile", "手机号码", false, ["手机号码", "手机号", "手机", "联系电话"]),
        new("preferredApp", "首选应用", false, ["首选应用", "常用应用", "提醒方式", "首选"]),
    ];

    private static readonly Column[] ProposalColumns =
    [
        new("number", "案号", true, ["案号", "提案号", "提案案号"]),
        new("title", "标题", true, ["标题", "案由", "提案标题", "题目"]),
        new("proposers", "提案人", true, ["提案人", "提案者"]),
        new("category", "类别", false, ["类别", "提案类别", "分类"]),
        new("isKey", "是否重点", false, ["是否重点", "重点提案", "重点"]),
        new("status", "办理状态", true, ["办理状态", "状态", "提案状态"]),
        new("lead", "主办单位", false, ["主办单位", "主办"]),
        new("co", "协办单位", false, ["协办单位", "协办", "会办单位"]),
        new("assignedAt", "交办日期", false, ["交办日期", "交办时间"]),
        new("repliedAt", "答复日期", false, ["答复日期", "答复时间"]),
        new("replyClass", "答复类别", false, ["答复类别", "答复分类"]),
        new("evaluation", "评价", false, ["评价", "委员评价", "满意度"]),
    ];

    private static readonly char[] ListSeparators = ['、', ',', '，', ';', '；', '\n'];

    private static readonly string[] DateFormats =
        ["yyyy-M-d", "yyyy/M/d", "yyyy.M.d", "yyyy年M月d日", "yyyy-M-d H:mm", "yyyy/M/d H:mm", "yyyy-M-d H:mm:ss", "yyyy/M/d H:mm:ss", "yyyyMMdd"];

    public static SheetConversion Convert(Sheet sheet, SheetContext context)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        ArgumentNullException.ThrowIfNull(context);
        if (sheet.Headers.Count == 0)
        {
            return Failed(null, ImportError.Cell(1, "", "文件是空的：第一行应为表头"));
        }

        var normalized = sheet.Headers.Select(Normalize).ToList();
        bool Has(Column column) => normalized.Any(h => column.Variants.Contains(h, StringComparer.Ordinal));
        SheetKind? kind = Has(ProposalColumns[0]) ? SheetKind.Proposals
            : Has(RosterColumns[0]) || Has(RosterColumns[1]) ? SheetKind.Roster
            : null;
        if (kind is null)
        {
            return Failed(null, ImportError.Cell(1, "", "无法识别表格：委员名单的表头应有“编号、姓名”，提案表的表头应有“案号、标题、提案人、办理状态”"));
        }

        var columns = kind == SheetKind.Roster ? RosterColumns : ProposalColumns;
        var errors = new List<ImportError>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var headerOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            var found = Enumerable.Range(0, normalized.Count).Where(i => column.Variants.Contains(normalized[i], StringComparer.Ordinal)).ToList();
            if (found.Count == 0)
            {
                if (column.Required)
                {
                    errors.Add(ImportError.Cell(1, column.Header, $"缺少必需的列“{column.Header}”（可用列名：{string.Join("、", column.Variants)}）"));
                }

                continue;
            }

            if (found.Count > 1)
            {
                errors.Add(ImportError.Cell(1, sheet.Headers[found[1]], $"与“{sheet.Headers[found[0]]}”是同一列，只能保留一个"));
                continue;
            }

            index[column.Field] = found[0];
            headerOf[column.Field] = sheet.Headers[found[0]];
        }

        if (errors.Count > 0)
        {
            return Failed(kind, [.. errors]);
        }

        if (sheet.Rows.Count == 0)
        {
            return Failed(kind, ImportError.Cell(1, "", "表格只有表头，没有数据行"));
        }

        var reader = new RowReader(index, headerOf, errors);
        ImportDocument document;
        var rowsWithBadNumber = new HashSet<int>();
        if (kind == SheetKind.Roster)
        {
            var members = sheet.Rows.Select(row => (MemberRecord?)ReadMember(reader, row)).ToList();
            document = new ImportDocument(null, members, null, null, null, null, null) { MemberFields = index.Keys.ToHashSet(StringComparer.Ordinal) };
        }
        else
        {
            var proposals = sheet.Rows.Select(row => (ProposalRecord?)ReadProposal(reader, row, context, rowsWithBadNumber)).ToList();
            document = new ImportDocument(null, null, null, null, null, proposals, null) { ProposalFields = index.Keys.ToHashSet(StringComparer.Ordinal) };
        }

        var collection = kind == SheetKind.Roster ? "members" : "proposals";
        var rowNumbers = sheet.Rows.Select(r => r.Number).ToList();
        var units = kind == SheetKind.Proposals ? document.Proposals!.Select(p => p?.Units ?? []).ToList() : [];
        ImportError? Translate(ImportError error) => TranslateError(error, collection, rowNumbers, headerOf, units, rowsWithBadNumber);
        return new SheetConversion(kind, document, errors, Translate);
    }

    private static MemberRecord ReadMember(RowReader reader, SheetRow row) => new(
        reader.Text(row, "id"),
        reader.Text(row, "name"),
        reader.Text(row, "wecomUserId"),
        reader.Text(row, "dingtalkUserId"),
        reader.Text(row, "sector"),
        reader.List(row, "committees"),
        reader.Text(row, "studio"),
        reader.YesNo(row, "isStandingMember"),
        reader.Text(row, "preferredApp"),
        reader.Text(row, "mobile"));

    private static ProposalRecord ReadProposal(RowReader reader, SheetRow row, SheetContext context, HashSet<int> rowsWithBadNumber)
    {
        var number = reader.Text(row, "number");
        int? serial = null;
        if (number is not null && ProposalNumber().Match(number) is { Success: true } match)
        {
            serial = int.Parse(match.Groups["serial"].Value, CultureInfo.InvariantCulture);
        }
        else if (number is not null)
        {
            reader.Error(row, "number", "案号格式应为“一届五次第0012号”");
            rowsWithBadNumber.Add(row.Number);
        }
        else
        {
            rowsWithBadNumber.Add(row.Number);
        }

        var proposers = reader.List(row, "proposers")?.Select(p => ResolveMember(reader, row, p!, context)).ToList();
        var status = reader.Label(row, "status", "办理状态", Enum.GetValues<ProposalStatus>().Select(s => (s.ToLabel(), s.ToString())), null);
        var units = new List<UnitRecord?>();
        if (reader.Text(row, "lead") is { } lead)
        {
            units.Add(new UnitRecord(lead, nameof(UnitRole.Lead)));
        }

        units.AddRange((reader.List(row, "co") ?? []).Select(co => new UnitRecord(co, nameof(UnitRole.Co))));
        var assignedAt = reader.Date(row, "assignedAt", context.Zone);
        var repliedAt = reader.Date(row, "repliedAt", context.Zone);
        var history = new List<HistoryRecord?>();
        if (assignedAt is not null)
        {
            history.Add(new HistoryRecord(nameof(ProposalStatus.Assigned), assignedAt, null));
        }

        if (repliedAt is not null)
        {
            history.Add(new HistoryRecord(nameof(ProposalStatus.Replied), repliedAt, null));
        }

        var replyClass = reader.Label(row, "replyClass", "答复类别", Enum.GetValues<AnswerClass>().SelectMany(c => new[]
        {
            (c.ToString(), c.ToString()), (c.ToLabel(), c.ToString()), (c.ToString().ToLowerInvariant(), c.ToString()),
        }), "A、B、C");
        var evaluation = reader.Label(row, "evaluation", "评价", Enum.GetValues<EvaluationResult>().Select(e => (e.ToLabel(), e.ToString())), null);
        if (replyClass is not null && repliedAt is null)
        {
            reader.Error(row, "replyClass", "填写答复类别时，答复日期也必须填写");
        }

        if (evaluation is not null && repliedAt is null)
        {
            reader.Error(row, "evaluation", "填写评价时，答复日期也必须填写");
        }

        return new ProposalRecord(
            number,
            serial,
            reader.Text(row, "title"),
            proposers,
            reader.Text(row, "category"),
            reader.YesNo(row, "isKey"),
            status,
            units,
            history,
            null,
            replyClass is null ? null : new ReplyRecord(replyClass, null, repliedAt),
            evaluation is null ? null : new EvaluationRecord(evaluation, repliedAt));
    }

    // Proposers are written as roster ids (M101) or, as often, as names: a name that belongs to exactly one member is
    // taken as that member; anything else is left for the validator to report as an unknown member. Names are compared
    // as stored (TextInput.Name): "王　建国" in the cell or on the roster is 王建国.
    private static string ResolveMember(RowReader reader, SheetRow row, string value, SheetContext context)
    {
        if (context.MemberIds.Contains(value) || TextInput.Name(value) is not { } name || !context.MemberIdsByName.TryGetValue(name, out var ids))
        {
            return value;
        }

        if (ids.Count == 1)
        {
            return ids[0];
        }

        reader.Error(row, "proposers", $"姓名“{value}”对应多名委员，请改写编号");
        return value;
    }

    private static ImportError? TranslateError(
        ImportError error, string collection, List<int> rowNumbers, Dictionary<string, string> headerOf, List<IReadOnlyList<UnitRecord?>> units, HashSet<int> rowsWithBadNumber)
    {
        if (error.Record == collection && error.Field.Length == 0)
        {
            // The JSON list the sheet became (members: 一次最多导入…) is no word staff know.
            return ImportError.Sheet(error.Message);
        }

        var record = RecordIndex().Match(error.Record);
        if (!record.Success || record.Groups["collection"].Value != collection)
        {
            return error;
        }

        var i = int.Parse(record.Groups["index"].Value, CultureInfo.InvariantCulture);
        var row = rowNumbers[i];
        var field = error.Field;
        var root = FieldRoot().Match(field).Value;
        var column = root switch
        {
            "serial" => "number",
            "units" => UnitColumn(field, units[i]),
            "history" or "reply" when field.EndsWith("repliedAt", StringComparison.Ordinal) => "repliedAt",
            "reply" => "replyClass",
            "evaluation" => "evaluation",
            _ => root,
        };
        var message = RecordIndex().Replace(error.Message, m => m.Groups["collection"].Value == collection
            ? string.Create(CultureInfo.InvariantCulture, $"第 {rowNumbers[int.Parse(m.Groups["index"].Value, CultureInfo.InvariantCulture)]} 行")
            : m.Value);
        if (root == "serial" && rowsWithBadNumber.Contains(row))
        {
            // The serial comes from the 案号; its own error says what is wrong.
            return null;
        }

        return ImportError.Cell(row, headerOf.GetValueOrDefault(column, column), message);
    }

    private static string UnitColumn(string field, IReadOnlyList<UnitRecord?> units)
    {
        var k = UnitIndex().Match(field) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
        return k >= 0 && k < units.Count && units[k]?.Role == nameof(UnitRole.Lead) ? "lead" : "co";
    }

    /// <summary>"企微ID（必填）" → "企微id": no spaces, no bracketed note, no trailing colon, lower case.</summary>
    private static string Normalize(string header) =>
        BracketedNote().Replace(header, "").Replace(" ", "", StringComparison.Ordinal).Replace("\u3000", "", StringComparison.Ordinal)
            .TrimEnd(':', '：').Trim().ToLowerInvariant();

    private static SheetConversion Failed(SheetKind? kind, params ImportError[] errors) => new(kind, null, errors, e => e);

    /// <summary>Reads typed values out of a row, adding a cell error for what is not valid.</summary>
    private sealed class RowReader(Dictionary<string, int> index, Dictionary<string, string> headerOf, List<ImportError> errors)
    {
        public void Error(SheetRow row, string field, string message) => errors.Add(ImportError.Cell(row.Number, headerOf.GetValueOrDefault(field, field), message));

        public string? Text(SheetRow row, string field) =>
            index.TryGetValue(field, out var i) && row[i] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        public IReadOnlyList<string?>? List(SheetRow row, string field) =>
            Text(row, field) is { } text ? [.. text.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] : null;

        public bool? YesNo(SheetRow row, string field)
        {
            switch (Text(row, field)?.ToLowerInvariant())
            {
                case null:
                    return null;
                case "是" or "y" or "yes" or "true" or "1" or "√" or "✓":
                    return true;
                case "否" or "n" or "no" or "false" or "0" or "×":
                    return false;
                default:
                    Error(row, field, $"应填“是”或“否”，不是“{Text(row, field)}”");
                    return null;
            }
        }

        /// <summary>The enum name for a Chinese label (or the name itself); an error listing the labels otherwise.</summary>
        public string? Label(SheetRow row, string field, string what, IEnumerable<(string Label, string Name)> labels, string? choices)
        {
            var text = Text(row, field);
            if (text is null)
            {
                return null;
            }

            var options = labels.ToList();
            var compact = text.Replace(" ", "", StringComparison.Ordinal);
            var hit = options.FirstOrDefault(o => o.Label.Replace(" ", "", StringComparison.Ordinal) == compact || o.Name == text);
            if (hit.Name is not null)
            {
                return hit.Name;
            }

            Error(row, field, $"未知的{what}“{text}”，可选：{choices ?? string.Join("、", options.Select(o => o.Label))}");
            return null;
        }

        /// <summary>A date of the sheet as midnight in the office's time zone, in ISO 8601 with offset.</summary>
        public string? Date(SheetRow row, string field, TimeZoneInfo zone)
        {
            var text = Text(row, field);
            if (text is null)
            {
                return null;
            }

            if (!DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                Error(row, field, $"不是有效的日期“{text}”（如 2025-07-01）");
                return null;
            }

            var local = DateTime.SpecifyKind(date, DateTimeKind.Unspecified);
            var at = new DateTimeOffset(local, zone.GetUtcOffset(local));
            return at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        }
    }

    [GeneratedRegex(@"第(?<serial>\d{1,5})号$")]
    private static partial Regex ProposalNumber();

    [GeneratedRegex(@"(?<collection>members|proposals)\[(?<index>\d+)\]( \([^)]*\))?")]
    private static partial Regex RecordIndex();

    [GeneratedRegex(@"^[A-Za-z]+")]
    private static partial Regex FieldRoot();

    [GeneratedRegex(@"^units\[(\d+)\]")]
    private static partial Regex UnitIndex();

    [GeneratedRegex(@"[（(][^）)]*[）)]")]
    private static partial Regex BracketedNote();
}
