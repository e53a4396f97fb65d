using System.Text;

namespace Linping.CppccBot.Conversations;

/// <summary>
/// What is kept of a member's text. Characters that cannot be seen but change what is shown or stored are dropped:
/// control characters other than line breaks and tabs, bidirectional overrides, embeddings and isolates (which would turn
/// the rest of a reply, a stored title or an export around), byte-order marks, zero-width spaces, word joiners and
/// invisible operators (U+2060–U+2064), soft hyphens (U+00AD), U+180E, and lone surrogates. The zero-width (non-)joiners and variation selectors that emoji and some scripts need stay.
/// </summary>
public static class MemberText
{
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        if (!NeedsCleaning(text))
        {
            return text;
        }

        var clean = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                clean.Append(c).Append(text[++i]);
            }
            else if (!IsDropped(c))
            {
                clean.Append(c);
            }
        }

        return clean.ToString();
    }

    private static bool NeedsCleaning(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (IsDropped(c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsDropped(char c) =>
        (char.IsControl(c) && c is not '\n' and not '\t' and not '\r')
        || char.IsSurrogate(c)
        || c is '\u00AD' or '\u180E' or '\u200B' or '\u200E' or '\u200F' or '\u061C' or '\uFEFF' or '\uFFFE' or '\uFFFF'
        || c is >= '\u2060' and <= '\u2064'
        || c is >= '\u202A' and <= '\u202E'
        || c is >= '\u2066' and <= '\u2069';
}
