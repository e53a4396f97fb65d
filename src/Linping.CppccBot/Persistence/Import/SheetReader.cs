using System.Globalization;
using System.Text;

namespace Linping.CppccBot.Persistence.Import;

/// <summary>One row of a spreadsheet: its row number as Excel shows it (the header is row 1) and its cells as text.</summary>
internal sealed record SheetRow(int Number, IReadOnlyList<string?> Cells)
{
    public string? this[int column] => column >= 0 && column < Cells.Count ? Cells[column] : null;

    public bool IsBlank => Cells.All(string.IsNullOrWhiteSpace);
}

/// <summary>A spreadsheet as read from a file: the header row and the data rows (blank rows left out).</summary>
internal sealed record Sheet(IReadOnlyList<string> Headers, IReadOnlyList<SheetRow> Rows);

/// <summary>
/// Reads the files staff really have into a <see cref="Sheet"/>: CSV in UTF-8 (with or without BOM), UTF-16 with BOM,
/// or GBK/GB18030 as Excel on Chinese Windows saves it; and XLSX (first worksheet, SheetReader.Xlsx.cs).
/// </summary>
internal static partial class SheetReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    static SheetReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Decodes CSV bytes: a BOM decides; else strict UTF-8; else GB18030 (a superset of GBK).</summary>
    public static string DecodeText(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes is [0xEF, 0xBB, 0xBF, ..])
        {
            return StrictUtf8.GetString(bytes, 3, bytes.Length - 3);
        }

        if (bytes is [0xFF, 0xFE, ..])
        {
            return Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2);
        }

        if (bytes is [0xFE, 0xFF, ..])
        {
            return Encoding.BigEndianUnicode.GetString(bytes, 2, bytes.Length - 2);
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding("GB18030").GetString(bytes);
        }
    }

    /// <summary>Parses CSV text (RFC 4180: quoted cells may hold commas, quotes as "" and line breaks).</summary>
    public static Sheet ParseCsv(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var records = new List<List<string>>();
        var record = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        var delimiter = DetectDelimiter(text);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"' && cell.Length == 0)
            {
                quoted = true;
            }
            else if (c == delimiter)
            {
                record.Add(cell.ToString());
                cell.Clear();
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                record.Add(cell.ToString());
                cell.Clear();
                records.Add(record);
                record = [];
            }
            else
            {
                cell.Append(c);
            }
        }

        if (cell.Length > 0 || record.Count > 0)
        {
            record.Add(cell.ToString());
            records.Add(record);
        }

        return ToSheet(records.Select(r => (IReadOnlyList<string?>)r).ToList());
    }

    private static string? CellText(object? value) => value switch
    {
        null => null,
        string s => s,
        DateTime d => d.TimeOfDay == TimeSpan.Zero
            ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : d.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        double n when n == Math.Floor(n) && Math.Abs(n) < 1e15 => ((long)n).ToString(CultureInfo.InvariantCulture),
        bool b => b ? "是" : "否",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    // Excel saves "CSV" with the list separator of the machine's locale; a header line without commas but with tabs
    // or semicolons is read with those.
    private static char DetectDelimiter(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        var header = end < 0 ? text : text[..end];
        return header.Contains(',', StringComparison.Ordinal) ? ','
            : header.Contains('\t', StringComparison.Ordinal) ? '\t'
            : header.Contains(';', StringComparison.Ordinal) ? ';'
            : ',';
    }

    private static Sheet ToSheet(List<IReadOnlyList<string?>> records)
    {
        var headerIndex = records.FindIndex(r => r.Any(c => !string.IsNullOrWhiteSpace(c)));
        if (headerIndex < 0)
        {
            return new Sheet([], []);
        }

        var headers = records[headerIndex].Select(h => h?.Trim() ?? "").ToList();
        var rows = new List<SheetRow>();
        for (var i = headerIndex + 1; i < records.Count; i++)
        {
            var row = new SheetRow(i + 1, records[i]);
            if (!row.IsBlank)
            {
                rows.Add(row);
            }
        }

        return new Sheet(headers, rows);
    }
}
