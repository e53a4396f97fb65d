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

    /// <summary>
    /// Parses CSV text (RFC 4180: quoted cells may hold commas, quotes as "" and line breaks) into the header row and
    /// the data rows, blank rows left out. With the limits of <see cref="ReadXlsx"/>: throws
    /// <see cref="SheetRefusedException"/> at the first data record beyond <see cref="ImportValidator.MaxRecordsPerList"/>,
    /// the first record beyond <see cref="MaxRowElements"/> blank ones included, or the first value beyond
    /// <see cref="MaxColumns"/> (blank cells further right are left out), so the rest of the file is not read.
    /// </summary>
    public static Sheet ParseCsv(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var delimiter = DetectDelimiter(text);
        List<string>? headers = null;
        var rows = new List<SheetRow>();
        var record = new List<string?>();
        var cell = new StringBuilder();
        var quoted = false;
        var number = 0;
        var columns = 0;

        void EndCell()
        {
            var value = cell.ToString();
            cell.Clear();
            if (columns < MaxColumns)
            {
                record.Add(value);
            }
            else if (!string.IsNullOrWhiteSpace(value))
            {
                throw ColumnOutOfRange(number + 1, ColumnLetters(columns));
            }

            columns++;
        }

        void EndRecord()
        {
            EndCell();
            columns = 0;
            cancellationToken.ThrowIfCancellationRequested();
            if (++number > MaxRowElements)
            {
                throw TooManyRows();
            }

            var row = new SheetRow(number, record);
            record = [];
            if (row.IsBlank)
            {
                return;
            }

            if (headers is null)
            {
                headers = [.. row.Cells.Select(h => h?.Trim() ?? "")];
                return;
            }

            if (rows.Count == ImportValidator.MaxRecordsPerList)
            {
                throw TooManyRecords();
            }

            rows.Add(row);
        }

        for (var i = 0; i < text.Length; i++)
        {
            if ((i & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

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
                EndCell();
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                EndRecord();
            }
            else
            {
                cell.Append(c);
            }
        }

        if (cell.Length > 0 || record.Count > 0)
        {
            EndRecord();
        }

        return headers is null ? new Sheet([], []) : new Sheet(headers, rows);
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
}
