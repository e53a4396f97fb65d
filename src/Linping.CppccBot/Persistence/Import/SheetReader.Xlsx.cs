using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;

namespace Linping.CppccBot.Persistence.Import;

/// <summary>A spreadsheet refused while it is read, before all of it is: what the staff are told is <see cref="Error"/>.</summary>
internal sealed class SheetRefusedException(ImportError error) : Exception(error.Message)
{
    public ImportError Error { get; } = error;
}

/// <summary>
/// The XLSX part of <see cref="SheetReader"/>: the first worksheet read as it streams out of the zip, with limits. A
/// small file can unpack to gigabytes of XML, hold millions of rows, or put a cell in Excel's last column (XFD) on every
/// row, which a reader that lays each row out to the widest column turns into hours of work; so the reading stops, and
/// the file is refused saying why, as soon as a limit is passed.
/// </summary>
internal static partial class SheetReader
{
    /// <summary>The columns read (A to CV); the import's sheets have about a dozen. A value further right refuses the file.</summary>
    public const int MaxColumns = 100;

    /// <summary>The XML an XLSX file may unpack to, all the parts read (workbook, shared strings, styles, the sheet) together.</summary>
    public const long MaxXmlBytes = 50L * 1024 * 1024;

    /// <summary>The rows of a sheet, blank ones too (a sheet formatted far below its data has rows without values).</summary>
    public const int MaxRowElements = 10 * ImportValidator.MaxRecordsPerList;

    /// <summary>The text of all cells read together; a shared string repeated in every cell counts every time.</summary>
    public const long MaxTextChars = 10_000_000;

    private static readonly XmlReaderSettings XlsxXmlSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CloseInput = true,
    };

    /// <summary>
    /// Reads the first worksheet of an XLSX file; dates become <c>yyyy-MM-dd</c>, whole numbers lose their ".0". Throws
    /// <see cref="SheetRefusedException"/> at the first data row beyond <see cref="ImportValidator.MaxRecordsPerList"/>,
    /// the first value beyond <see cref="MaxColumns"/>, or past the other limits above; a file that is no XLSX throws
    /// <see cref="InvalidDataException"/> or <see cref="XmlException"/>.
    /// </summary>
    public static Sheet ReadXlsx(Stream stream, CancellationToken cancellationToken)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        return new XlsxReader(zip, cancellationToken).Read();
    }

    /// <summary>More data rows than one import takes (the validator would refuse them too, after reading and keeping them all).</summary>
    private static SheetRefusedException TooManyRecords() => new(ImportError.Sheet(string.Create(
        CultureInfo.InvariantCulture,
        $"一次最多导入 {ImportValidator.MaxRecordsPerList} 条记录，这份表格的数据超过 {ImportValidator.MaxRecordsPerList} 行；请检查文件或分批导入")));

    /// <summary>More rows, blank ones included, than <see cref="MaxRowElements"/>.</summary>
    private static SheetRefusedException TooManyRows() => new(ImportError.Sheet(string.Create(
        CultureInfo.InvariantCulture,
        $"表格超过 {MaxRowElements} 行（含空行）；一次最多导入 {ImportValidator.MaxRecordsPerList} 条记录，请删去多余的行或分批导入")));

    /// <summary>A value in row <paramref name="row"/> right of <see cref="MaxColumns"/>, in column <paramref name="where"/>.</summary>
    private static SheetRefusedException ColumnOutOfRange(int row, string? where) => new(ImportError.Cell(row, "", string.Create(
        CultureInfo.InvariantCulture,
        $"第 {where} 列有内容，超出了可读取的范围：表格最多 {MaxColumns} 列（A 到 {ColumnLetters(MaxColumns - 1)} 列）；请删去多余的列后再导入")));

    /// <summary>"XFD" of column index 16383.</summary>
    private static string ColumnLetters(int index)
    {
        var letters = new StringBuilder();
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            letters.Insert(0, (char)('A' + ((n - 1) % 26)));
        }

        return letters.ToString();
    }

    /// <summary>The 0-based column of a cell reference ("B7" → 1); <see cref="int.MaxValue"/> beyond Excel's columns; null without letters.</summary>
    private static int? ColumnOf(string reference)
    {
        var index = 0;
        var letters = 0;
        foreach (var c in reference)
        {
            var upper = char.ToUpperInvariant(c);
            if (upper is < 'A' or > 'Z')
            {
                break;
            }

            if (++letters > 3)
            {
                return int.MaxValue;
            }

            index = (index * 26) + (upper - 'A' + 1);
        }

        return letters == 0 ? null : index - 1;
    }

    private enum CellFormat
    {
        General,
        Date,
        Time,
    }

    private sealed partial class XlsxReader(ZipArchive zip, CancellationToken cancellationToken)
    {
        private long _xmlBytes;
        private long _textChars;
        private bool _date1904;
        private List<string> _sharedStrings = [];
        private List<CellFormat> _cellFormats = [];

        public Sheet Read()
        {
            var workbookPath = Relationships("_rels/.rels", "").FirstOrDefault(r => r.Type.EndsWith("/officeDocument", StringComparison.Ordinal)).Target ?? "xl/workbook.xml";
            var folder = workbookPath[..(workbookPath.LastIndexOf('/') + 1)];
            var relationships = Relationships($"{folder}_rels/{workbookPath[folder.Length..]}.rels", folder);
            var firstSheet = ReadWorkbook(workbookPath);
            var sheetPath = relationships.FirstOrDefault(r => r.Id == firstSheet).Target ?? $"{folder}worksheets/sheet1.xml";
            _sharedStrings = ReadSharedStrings(relationships.FirstOrDefault(r => r.Type.EndsWith("/sharedStrings", StringComparison.Ordinal)).Target ?? $"{folder}sharedStrings.xml");
            _cellFormats = ReadStyles(relationships.FirstOrDefault(r => r.Type.EndsWith("/styles", StringComparison.Ordinal)).Target ?? $"{folder}styles.xml");
            return ReadSheet(sheetPath);
        }

        private Sheet ReadSheet(string path)
        {
            using var reader = Open(path) ?? throw new InvalidDataException($"No worksheet at {path}");
            List<string>? headers = null;
            var rows = new List<SheetRow>();
            var rowElements = 0;
            var number = 0;
            reader.MoveToContent();
            while (!reader.EOF)
            {
                if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "row")
                {
                    reader.Read();
                    continue;
                }

                cancellationToken.ThrowIfCancellationRequested();
                if (++rowElements > MaxRowElements)
                {
                    throw TooManyRows();
                }

                number = int.TryParse(reader.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var given) && given > 0 ? given : number + 1;
                var cells = ReadRow(reader, number);
                if (cells.All(string.IsNullOrWhiteSpace))
                {
                    continue;
                }

                if (headers is null)
                {
                    headers = [.. cells.Select(h => h?.Trim() ?? "")];
                    continue;
                }

                if (rows.Count == ImportValidator.MaxRecordsPerList)
                {
                    // The validator would refuse it too, after the whole sheet had been read and kept.
                    throw TooManyRecords();
                }

                rows.Add(new SheetRow(number, cells));
            }

            return headers is null ? new Sheet([], []) : new Sheet(headers, rows);
        }

        /// <summary>The cells of the row the reader is on, placed by their column; leaves the reader after the row.</summary>
        private List<string?> ReadRow(XmlReader reader, int number)
        {
            var cells = new List<string?>();
            if (reader.IsEmptyElement)
            {
                reader.Read();
                return cells;
            }

            var depth = reader.Depth;
            var column = -1;
            reader.Read();
            while (reader.Depth > depth)
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    reader.Read();
                    continue;
                }

                if (reader.LocalName != "c")
                {
                    reader.Skip();
                    continue;
                }

                var reference = reader.GetAttribute("r");
                column = (reference is null ? null : ColumnOf(reference)) ?? (column == int.MaxValue ? column : column + 1);
                var value = CellText(ReadCell(reader));
                if (string.IsNullOrEmpty(value))
                {
                    continue;
                }

                if (column >= MaxColumns)
                {
                    if (string.IsNullOrWhiteSpace(value))
                    {
                        continue;
                    }

                    throw ColumnOutOfRange(number, column == int.MaxValue ? reference : ColumnLetters(column));
                }

                _textChars += value.Length;
                if (_textChars > MaxTextChars)
                {
                    throw Refused(ImportError.Sheet(string.Create(
                        CultureInfo.InvariantCulture,
                        $"表格中的文字超过 {MaxTextChars / 10_000} 万字，无法读取；请检查文件或分批导入")));
                }

                while (cells.Count <= column)
                {
                    cells.Add(null);
                }

                cells[column] = value;
            }

            reader.Read();
            return cells;
        }

        /// <summary>The value of the cell (<c>c</c>) the reader is on, typed as Excel stored it; leaves the reader after the cell.</summary>
        private object? ReadCell(XmlReader reader)
        {
            var type = reader.GetAttribute("t");
            var format = int.TryParse(reader.GetAttribute("s"), NumberStyles.None, CultureInfo.InvariantCulture, out var style) && style < _cellFormats.Count
                ? _cellFormats[style]
                : CellFormat.General;
            if (reader.IsEmptyElement)
            {
                reader.Read();
                return null;
            }

            string? raw = null;
            var depth = reader.Depth;
            reader.Read();
            while (reader.Depth > depth)
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    reader.Read();
                }
                else if (reader.LocalName == "v")
                {
                    raw = reader.ReadElementContentAsString();
                }
                else if (reader.LocalName == "is")
                {
                    raw = ReadStringItem(reader);
                }
                else
                {
                    reader.Skip();
                }
            }

            reader.Read();
            return string.IsNullOrEmpty(raw) ? null : CellValue(raw, type, format);
        }

        private object? CellValue(string raw, string? type, CellFormat format)
        {
            switch (type)
            {
                case "s":
                    return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < _sharedStrings.Count ? _sharedStrings[index] : null;
                case "str" or "inlineStr":
                    return Unescape(raw);
                case "b":
                    return raw == "1";
                case "d":
                    return DateTime.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var stored) ? stored : raw;
                case "e":
                    return raw;
            }

            if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return raw;
            }

            // Excel keeps dates as days since 1899-12-30 (1904-01-01 in a workbook saved so on a Mac); the style tells.
            var days = _date1904 ? number + 1462 : number;
            return format switch
            {
                CellFormat.Date when days is >= 0 and < 2958466 => DateTime.FromOADate(days),
                CellFormat.Time when number is >= 0 and < 1_000_000 => TimeSpan.FromDays(number),
                _ => number,
            };
        }

        /// <summary>The first sheet's relationship id; notes a 1904 date system.</summary>
        private string? ReadWorkbook(string path)
        {
            using var reader = Open(path) ?? throw new InvalidDataException($"No workbook at {path}");
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                if (reader.LocalName == "workbookPr")
                {
                    _date1904 = reader.GetAttribute("date1904") is "1" or "true";
                }
                else if (reader.LocalName == "sheet")
                {
                    for (var i = 0; i < reader.AttributeCount; i++)
                    {
                        reader.MoveToAttribute(i);
                        if (reader.LocalName == "id" && reader.NamespaceURI.Length > 0)
                        {
                            return reader.Value;
                        }
                    }

                    return null;
                }
            }

            return null;
        }

        private List<string> ReadSharedStrings(string path)
        {
            var strings = new List<string>();
            using var reader = Open(path);
            if (reader is null)
            {
                return strings;
            }

            reader.MoveToContent();
            while (!reader.EOF)
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "si")
                {
                    strings.Add(Unescape(ReadStringItem(reader)));
                }
                else
                {
                    reader.Read();
                }
            }

            return strings;
        }

        /// <summary>
        /// The text of a string item (<c>si</c>, <c>is</c>): its <c>t</c> elements, those of rich-text runs too, without
        /// the phonetic guide (<c>rPh</c>). Leaves the reader after the item.
        /// </summary>
        private static string ReadStringItem(XmlReader reader)
        {
            if (reader.IsEmptyElement)
            {
                reader.Read();
                return "";
            }

            var text = new StringBuilder();
            var depth = reader.Depth;
            reader.Read();
            while (reader.Depth > depth)
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "t")
                {
                    text.Append(reader.ReadElementContentAsString());
                }
                else if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "rPh")
                {
                    reader.Skip();
                }
                else
                {
                    reader.Read();
                }
            }

            reader.Read();
            return text.ToString();
        }

        /// <summary>What each cell style (<c>s</c>, an index into <c>cellXfs</c>) makes of a number: a date, a time or a number.</summary>
        private List<CellFormat> ReadStyles(string path)
        {
            var formats = new List<CellFormat>();
            using var reader = Open(path);
            if (reader is null)
            {
                return formats;
            }

            var custom = new Dictionary<int, string>();
            var numberFormats = new List<int>();
            var inCellXfs = false;
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "cellXfs")
                {
                    inCellXfs = false;
                }
                else if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }
                else if (reader.LocalName == "numFmt" && int.TryParse(reader.GetAttribute("numFmtId"), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    custom[id] = reader.GetAttribute("formatCode") ?? "";
                }
                else if (reader.LocalName == "cellXfs")
                {
                    inCellXfs = !reader.IsEmptyElement;
                }
                else if (reader.LocalName == "xf" && inCellXfs)
                {
                    numberFormats.Add(int.TryParse(reader.GetAttribute("numFmtId"), NumberStyles.None, CultureInfo.InvariantCulture, out var format) ? format : 0);
                }
            }

            formats.AddRange(numberFormats.Select(id => custom.TryGetValue(id, out var code) ? FormatOf(code) : BuiltInFormat(id)));
            return formats;
        }

        /// <summary>Excel's built-in number formats that show a date or a time (27–36 and 50–58 are those of Chinese Excel).</summary>
        private static CellFormat BuiltInFormat(int id) => id switch
        {
            14 or 15 or 16 or 17 or 22 or (>= 27 and <= 31) or 36 or (>= 50 and <= 54) or (>= 57 and <= 58) => CellFormat.Date,
            (>= 18 and <= 21) or (>= 32 and <= 35) or (>= 45 and <= 47) or 55 or 56 => CellFormat.Time,
            _ => CellFormat.General,
        };

        /// <summary>A custom format code shows a date when it has y or d, a time when it has h or s (quoted text, escapes and [brackets] aside).</summary>
        private static CellFormat FormatOf(string code)
        {
            var bare = FormatNoise().Replace(code, "").ToLowerInvariant();
            return bare.Contains('y', StringComparison.Ordinal) || bare.Contains('d', StringComparison.Ordinal) ? CellFormat.Date
                : bare.Contains('h', StringComparison.Ordinal) || bare.Contains('s', StringComparison.Ordinal) ? CellFormat.Time
                : CellFormat.General;
        }

        /// <summary>The relationships of a part (<c>Id</c>, <c>Type</c>, <c>Target</c> as a path in the zip); none when it has none.</summary>
        private List<(string Id, string Type, string? Target)> Relationships(string path, string folder)
        {
            var relationships = new List<(string Id, string Type, string? Target)>();
            using var reader = Open(path);
            while (reader is not null && reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Relationship" && reader.GetAttribute("TargetMode") != "External"
                    && reader.GetAttribute("Target") is { } target)
                {
                    relationships.Add((reader.GetAttribute("Id") ?? "", reader.GetAttribute("Type") ?? "", Resolve(folder, target)));
                }
            }

            return relationships;
        }

        /// <summary>A relationship's target as a path in the zip: "/xl/x.xml" from the root, "worksheets/sheet1.xml" from <paramref name="folder"/>.</summary>
        private static string Resolve(string folder, string target)
        {
            var parts = new List<string>();
            foreach (var part in (target.StartsWith('/') ? target : folder + target).Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                if (part == "..")
                {
                    if (parts.Count > 0)
                    {
                        parts.RemoveAt(parts.Count - 1);
                    }
                }
                else if (part != ".")
                {
                    parts.Add(part);
                }
            }

            return string.Join('/', parts);
        }

        /// <summary>
        /// An XML reader over a part of the zip, or null when there is none. What it unpacks counts against
        /// <see cref="MaxXmlBytes"/> as it is read: the size the zip declares is checked first, the bytes really
        /// unpacked as they come (a declared size can lie).
        /// </summary>
        private XmlReader? Open(string path)
        {
            var entry = zip.GetEntry(path) ?? zip.Entries.FirstOrDefault(e => string.Equals(e.FullName, path, StringComparison.OrdinalIgnoreCase));
            if (entry is null)
            {
                return null;
            }

            if (entry.Length > MaxXmlBytes - _xmlBytes)
            {
                throw TooMuchXml();
            }

            return XmlReader.Create(new CountingStream(entry.Open(), this), XlsxXmlSettings);
        }

        private void Unpacked(int bytes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _xmlBytes += bytes;
            if (_xmlBytes > MaxXmlBytes)
            {
                throw TooMuchXml();
            }
        }

        private static SheetRefusedException TooMuchXml() => Refused(ImportError.Sheet(string.Create(
            CultureInfo.InvariantCulture,
            $"表格解压后超过 {MaxXmlBytes / 1024 / 1024} MB，无法读取；请检查文件（如大量空行或多余内容）或分批导入")));

        private static SheetRefusedException Refused(ImportError error) => new(error);

        /// <summary>"_x000D_" is how a sheet writes a character XML cannot carry; "_x005F_" escapes the underscore.</summary>
        private static string Unescape(string text) =>
            text.Contains("_x", StringComparison.Ordinal)
                ? EscapedCharacter().Replace(text, m => ((char)int.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString())
                : text;

        [GeneratedRegex("_x([0-9A-Fa-f]{4})_")]
        private static partial Regex EscapedCharacter();

        [GeneratedRegex(@"""[^""]*""|\\.|\[[^\]]*\]|[_*].")]
        private static partial Regex FormatNoise();

        /// <summary>A part's unpacked bytes, counted as the XML reader takes them; the import's cancellation is checked at each read.</summary>
        private sealed class CountingStream(Stream inner, XlsxReader owner) : Stream
        {
            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => false;

            public override long Length => throw new NotSupportedException();

            public override long Position
            {
                get => throw new NotSupportedException();
                set => throw new NotSupportedException();
            }

            public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

            public override int Read(Span<byte> buffer)
            {
                var read = inner.Read(buffer);
                owner.Unpacked(read);
                return read;
            }

            public override void Flush()
            {
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    inner.Dispose();
                }

                base.Dispose(disposing);
            }
        }
    }
}
