using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Linping.CppccBot.Conversations.Recognition;

namespace Linping.CppccBot.Features.Opinions;

/// <summary>The categories offered for a report: the "五位一体" fields most committees report by (domain.md §1.3), and 其他.</summary>
public static class OpinionCategories
{
    public static readonly IReadOnlyList<string> All = ["经济", "政治", "文化", "社会", "生态文明", "其他"];

    /// <summary>"3", "３", "文化", "文化建设", "第3个" → the category; null when the answer names none.</summary>
    public static string? Parse(string answer)
    {
        var t = TextNormalizer.Normalize(answer).Trim('第', '个', '类', '.', '、');
        if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number >= 1 && number <= All.Count ? All[number - 1] : null;
        }

        var chinese = TextNormalizer.ParseChineseNumber(t);
        if (chinese is >= 1 && chinese <= All.Count)
        {
            return All[chinese.Value - 1];
        }

        t = t.Replace("建设", string.Empty, StringComparison.Ordinal).Replace("类", string.Empty, StringComparison.Ordinal);
        if (All.FirstOrDefault(c => c == t) is { } exact)
        {
            return exact;
        }

        // In their own words ("社会民生", "选经济", "生态环境方面"): the one category the answer names.
        if (t.Length > 12)
        {
            return null;
        }

        var named = All.Where(c => c != "其他" && t.Contains(c, StringComparison.Ordinal)).ToList();
        if (Synonyms.FirstOrDefault(s => t.Contains(s.Word, StringComparison.Ordinal)) is { Word: not null } synonym && !named.Contains(synonym.Category))
        {
            named.Add(synonym.Category);
        }

        return named.Count == 1 ? named[0] : null;
    }

    private static readonly (string Word, string Category)[] Synonyms = [("民生", "社会"), ("生态", "生态文明"), ("环保", "生态文明"), ("环境", "生态文明")];
}

/// <summary>Length and shape of what members type, counted the way they count: one character per visible character.</summary>
public static partial class OpinionText
{
    /// <summary>
    /// Characters as a person counts them (字数): an emoji or a letter with an accent is one, a line break between
    /// paragraphs is none.
    /// </summary>
    public static int Length(string text)
    {
        var length = 0;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            if (elements.GetTextElement() is not ("\n" or "\r\n" or "\r"))
            {
                length++;
            }
        }

        return length;
    }

    /// <summary>The first <paramref name="max"/> characters, with "……" when there is more; line breaks shown as spaces.</summary>
    public static string Beginning(string text, int max)
    {
        var flat = Whitespace().Replace(text, " ").Trim();
        var info = new StringInfo(flat);
        return info.LengthInTextElements <= max ? flat : info.SubstringByTextElements(0, max) + "……";
    }

    /// <summary>A title as stored: on one line, without an "标题：" the member may have typed in front.</summary>
    public static string CleanTitle(string text)
    {
        var title = Whitespace().Replace(text, " ").Trim();
        title = TitlePrefix().Replace(title, string.Empty).Trim();
        return title;
    }

    /// <summary>True when the text has at least <paramref name="count"/> letters or digits (not only emoji or punctuation).</summary>
    public static bool HasWords(string text, int count)
    {
        var words = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune) && ++words >= count)
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^(标题|题目)\s*(是|为)?\s*[:：]?\s*")]
    private static partial Regex TitlePrefix();
}
