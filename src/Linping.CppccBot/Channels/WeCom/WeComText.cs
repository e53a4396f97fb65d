using System.Text;

namespace Linping.CppccBot.Channels.WeCom;

/// <summary>Byte-size rules for WeCom message content, which is limited in UTF-8 bytes, not characters.</summary>
public static class WeComText
{
    /// <summary>The largest <c>text</c>/<c>markdown</c> content of <c>message/send</c> and webhook <c>text</c>.</summary>
    public const int MaxContentBytes = 2048;

    /// <summary>The number of UTF-8 bytes WeCom counts for <paramref name="text"/>.</summary>
    public static int ByteCount(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Encoding.UTF8.GetByteCount(text);
    }

    /// <summary>
    /// Splits <paramref name="text"/> into parts of at most <paramref name="maxBytes"/> UTF-8 bytes that concatenate back
    /// to the original. A cut never falls inside a character (rune), and when a line break lies in the last quarter of a
    /// part the cut goes just after it so a paragraph is not torn in the middle. An empty text gives no parts.
    /// </summary>
    public static IReadOnlyList<string> Split(string text, int maxBytes = MaxContentBytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        // A rune takes up to 4 bytes in UTF-8; a smaller budget could not make progress.
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 4);

        var parts = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var bytes = 0;
            var index = start;
            var afterBreak = -1;
            var bytesAtBreak = 0;
            while (index < text.Length)
            {
                // A lone surrogate decodes as U+FFFD, which Encoding.UTF8 also writes as 3 bytes: the counts agree.
                Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out var consumed);
                var length = rune.Utf8SequenceLength;
                if (bytes + length > maxBytes)
                {
                    break;
                }

                bytes += length;
                index += consumed;
                if (rune.Value == '\n')
                {
                    afterBreak = index;
                    bytesAtBreak = bytes;
                }
            }

            var end = index;
            var nearLimit = maxBytes - (maxBytes / 4);
            if (index < text.Length && afterBreak > start && bytesAtBreak >= nearLimit)
            {
                end = afterBreak;
            }

            parts.Add(text[start..end]);
            start = end;
        }

        return parts;
    }

    /// <summary>
    /// The text if it fits in <paramref name="maxBytes"/> UTF-8 bytes, else its beginning cut on a character boundary
    /// and marked with "…", so WeCom never cuts it mid-character itself.
    /// </summary>
    public static string Truncate(string text, int maxBytes = MaxContentBytes)
    {
        const string Ellipsis = "…";
        if (ByteCount(text) <= maxBytes)
        {
            return text;
        }

        return Split(text, maxBytes - ByteCount(Ellipsis))[0] + Ellipsis;
    }
}
