using System.Globalization;
using System.Text;

namespace Linping.CppccBot.Conversations.Recognition;

/// <summary>
/// Brings what members type to one form before recognition: full-width letters, digits and punctuation to
/// half-width (NFKC), no spaces, no trailing punctuation or filler particles.
/// </summary>
public static class TextNormalizer
{
    private static readonly string[] TrailingParticles = ["吧", "呢", "啊", "呀", "哈", "嘛", "了吗", "吗", "了"];

    /// <summary>True when <paramref name="text"/> holds any of <paramref name="words"/> (ordinal).</summary>
    public static bool ContainsAny(string text, params string[] words) => words.Any(w => text.Contains(w, StringComparison.Ordinal));

    public static string Normalize(string text)
    {
        var normalized = text.Normalize(NormalizationForm.FormKC);
        var builder = new StringBuilder(normalized.Length);
        foreach (var rune in normalized.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (Rune.IsWhiteSpace(rune) || Rune.IsControl(rune) || category is UnicodeCategory.Format)
            {
                continue;
            }

            builder.Append(rune.ToString());
        }

        var result = builder.ToString();
        // Trailing punctuation and soft particles carry no meaning for intent: "帮助！" = "帮助", "取消吧" = "取消".
        var changed = true;
        while (changed && result.Length > 0)
        {
            changed = false;
            var last = Rune.GetRuneAt(result, result.Length - 1 - (char.IsLowSurrogate(result[^1]) ? 1 : 0));
            if (Rune.IsPunctuation(last) || Rune.IsSymbol(last))
            {
                result = result[..^last.Utf16SequenceLength];
                changed = true;
                continue;
            }

            foreach (var particle in TrailingParticles)
            {
                if (result.Length > particle.Length && result.EndsWith(particle, StringComparison.Ordinal))
                {
                    result = result[..^particle.Length];
                    changed = true;
                    break;
                }
            }
        }

        return result;
    }

    /// <summary>Converts Chinese numerals up to 9999 ("十二", "二十六", "一百零五", "两") to a number.</summary>
    public static int? ParseChineseNumber(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        // Said digit by digit, as numbers are read out ("一二" = 12, "零零二七" = 27): no unit words at all.
        if (text.Length > 1 && text.All(c => "零〇一二三四五六七八九两".Contains(c, StringComparison.Ordinal)))
        {
            var number = 0;
            foreach (var c in text)
            {
                number = (number * 10) + (c is '两' ? 2 : c is '〇' ? 0 : "零一二三四五六七八九".IndexOf(c, StringComparison.Ordinal));
                if (number > 99999)
                {
                    return null;
                }
            }

            return number;
        }

        int total = 0, section = 0, digit = -1;
        foreach (var c in text)
        {
            var value = "零一二三四五六七八九".IndexOf(c, StringComparison.Ordinal);
            if (c == '两')
            {
                value = 2;
            }

            if (value >= 0)
            {
                digit = value;
                continue;
            }

            var unit = c switch { '十' => 10, '百' => 100, '千' => 1000, _ => 0 };
            if (unit == 0)
            {
                return null;
            }

            section += (digit < 0 ? 1 : digit) * unit;
            digit = -1;
        }

        total += section + Math.Max(digit, 0);
        return total;
    }
}
