using System.Text;

namespace Linping.CppccBot.Persistence.Import;

/// <summary>
/// Text staff send (a data file, the staff API) as it is stored: trimmed, null when blank, and without control
/// characters (a NUL or a line break has no place in a name and breaks CSV exports and log lines) or Unicode bidi
/// controls (U+202E and the like make a name read backwards in members' chats and the console). Multi-line texts (a
/// report's content, notes, a reply's summary) keep their line breaks, as <c>\n</c>.
/// </summary>
internal static class TextInput
{
    /// <summary>A name, title, place, id or account: one line.</summary>
    public static string? SingleLine(string? value) => Clean(value, keepLineBreaks: false);

    /// <summary>Free text that may run over several lines.</summary>
    public static string? MultiLine(string? value) => Clean(value, keepLineBreaks: true);

    private static string? Clean(string? value, bool keepLineBreaks)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!value.Any(IsRemoved))
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
            else if (!IsRemoved(c))
            {
                text.Append(c);
            }
        }

        var cleaned = text.ToString();
        return string.IsNullOrWhiteSpace(cleaned) ? null : cleaned.Trim();
    }

    /// <summary>C0 and C1 controls, line and paragraph separators, and the bidi marks, embeddings, overrides and isolates.</summary>
    private static bool IsRemoved(char c) =>
        char.IsControl(c) || c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u2028' or '\u2029';
}
