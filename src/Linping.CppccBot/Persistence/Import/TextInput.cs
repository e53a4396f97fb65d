using System.Globalization;
using System.Text;

namespace Linping.CppccBot.Persistence.Import;

/// <summary>
/// Text staff send (a data file, the staff API) as it is stored: trimmed, null when blank, and without control
/// characters (a NUL or a line break has no place in a name and breaks CSV exports and log lines), Unicode bidi
/// controls (U+202E and the like make a name read backwards in members' chats and the console), or characters that
/// show nothing at all (zero-width space U+200B, word joiner and invisible operators U+2060–U+2064, soft hyphen
/// U+00AD, U+180E, byte-order mark U+FEFF, the noncharacters U+FFFE/U+FFFF): pasted from the web or Word they make
/// "王建国" a different name, account or number from the one typed. Multi-line texts (a report's content, notes, a
/// reply's summary) keep their line breaks, as <c>\n</c>. The zero-width (non-)joiners U+200C/U+200D stay in titles and
/// free texts, where emoji sequences (👨‍👩‍👧) and some scripts need them, and go from names, ids, accounts and numbers.
/// </summary>
internal static class TextInput
{
    /// <summary>A title, place or other label: one line.</summary>
    public static string? SingleLine(string? value) => Clean(value, keepLineBreaks: false, keepJoiners: true);

    /// <summary>Free text that may run over several lines.</summary>
    public static string? MultiLine(string? value) => Clean(value, keepLineBreaks: true, keepJoiners: true);

    /// <summary>An id, account, proposal number or phone number as written: one line, no joiners.</summary>
    public static string? Identifier(string? value) => Clean(value, keepLineBreaks: false, keepJoiners: false);

    /// <summary>
    /// A person's, sector's, committee's or unit's name: one line, no joiners, and no space between two Chinese
    /// characters (rosters align two-character names with an ideographic space, "王　建", and a member types 王建);
    /// other runs of spaces (U+3000, no-break spaces …) are one ordinary space ("John Smith").
    /// </summary>
    public static string? Name(string? value)
    {
        var text = Identifier(value);
        if (text is null || !text.Any(char.IsWhiteSpace))
        {
            return text;
        }

        var name = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsWhiteSpace(text[i]))
            {
                name.Append(text[i]);
                continue;
            }

            var end = i;
            while (end + 1 < text.Length && char.IsWhiteSpace(text[end + 1]))
            {
                end++;
            }

            if (!(IsHan(text, i - 1, before: true) && IsHan(text, end + 1, before: false)))
            {
                name.Append(' ');
            }

            i = end;
        }

        return name.ToString();
    }

    private static string? Clean(string? value, bool keepLineBreaks, bool keepJoiners)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!value.Any(c => IsRemoved(c, keepJoiners)))
        {
            return value.Trim();
        }

        var text = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (keepLineBreaks && c is '\n' or '\r' or '\u2028' or '\u2029')
            {
                if (c != '\r' || i + 1 >= value.Length || value[i + 1] != '\n')
                {
                    text.Append('\n');
                }
            }
            else if (!IsRemoved(c, keepJoiners))
            {
                text.Append(c);
            }
        }

        var cleaned = text.ToString();
        return string.IsNullOrWhiteSpace(cleaned) ? null : cleaned.Trim();
    }

    /// <summary>
    /// C0 and C1 controls, line and paragraph separators, the bidi marks, embeddings, overrides and isolates, the
    /// characters that show nothing, and (unless kept) the zero-width non-joiner and joiner.
    /// </summary>
    private static bool IsRemoved(char c, bool keepJoiners) =>
        char.IsControl(c)
        || c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u2028' or '\u2029'
        || c is '\u200B' or (>= '\u2060' and <= '\u2064') or '\u00AD' or '\u180E' or '\uFEFF' or '\uFFFE' or '\uFFFF'
        || (!keepJoiners && c is '\u200C' or '\u200D');

    /// <summary>Whether the character ending (<paramref name="before"/>) or starting at <paramref name="index"/> is a Chinese character.</summary>
    private static bool IsHan(string text, int index, bool before)
    {
        if (index < 0 || index >= text.Length)
        {
            return false;
        }

        if (before && char.IsLowSurrogate(text[index]) && index > 0)
        {
            index--;
        }

        return Rune.TryGetRuneAt(text, index, out var rune) && Rune.GetUnicodeCategory(rune) == UnicodeCategory.OtherLetter
            && rune.Value is (>= 0x3400 and <= 0x4DBF) or (>= 0x4E00 and <= 0x9FFF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x20000 and <= 0x3FFFF);
    }
}
