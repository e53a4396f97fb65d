using System.Text;
using Linping.CppccBot.Conversations.Recognition;

namespace Linping.CppccBot.Features.Proposals;

/// <summary>A title the search may return, with the key it is known by (the proposal's id).</summary>
public sealed record SearchableTitle(int Id, string Title);

/// <summary>How a search went: a clear winner, several close ones, near misses for a mistyped query, or nothing.</summary>
public enum SearchOutcome
{
    None,
    OneClearMatch,
    Several,
    Approximate,
}

public sealed record SearchResult(SearchOutcome Outcome, IReadOnlyList<int> Ids);

/// <summary>
/// Finds proposals by words of their title. Query and titles are segmented into words (jieba), generic words
/// (关于, 建议, 提案 ...) are dropped, and each title scores the words it shares with the query, weighted by length and
/// by how rare the word is among the titles, so "小微园区安全管理" prefers the 小微园区 proposal over another 安全管理 one.
/// When no word matches at all, titles that contain most of the query's characters are offered as near misses
/// (typos: "数只城" → 数智城), never shown as a sure answer.
/// </summary>
public sealed class ProposalSearch(TitleSegmenter segmenter)
{
    /// <summary>The best title must score this many times the second to be a clear winner.</summary>
    private const double WinnerMargin = 1.5;

    private const int MaxListed = 8;

    private static readonly string[] StopWords =
    [
        "关于", "建议", "提案", "的", "了", "那个", "这个", "哪个", "一个", "那件", "这件", "一步", "哪一步", "到哪", "有没有", "有关", "相关",
        "方面", "问题", "情况", "进度", "进展", "怎么样", "如何", "查询", "查找", "查", "搜索", "搜", "找", "看看", "看", "我", "想", "要",
        "知道", "一下", "和", "与", "及", "等", "吗", "呢", "啊", "吧", "是", "在", "什么", "办理", "办得", "到",
    ];

    private static readonly HashSet<string> StopWordSet = new(StopWords, StringComparer.Ordinal);

    /// <summary>Searches <paramref name="titles"/>; titles that score the same keep their order in the list.</summary>
    public SearchResult Search(string query, IReadOnlyList<SearchableTitle> titles)
    {
        var text = TextNormalizer.Normalize(query);
        var queryWords = segmenter.Words(text).Where(IsContentWord).Distinct(StringComparer.Ordinal).ToList();
        if (titles.Count == 0 || text.Length == 0)
        {
            return new SearchResult(SearchOutcome.None, []);
        }

        var titleWords = titles.ToDictionary(t => t.Id, t => new HashSet<string>(segmenter.Words(t.Title), StringComparer.Ordinal));
        bool Contains(SearchableTitle title, string word) =>
            titleWords[title.Id].Contains(word) || title.Title.Contains(word, StringComparison.Ordinal);

        var weights = queryWords.ToDictionary(
            w => w,
            w =>
            {
                var titlesWithWord = titles.Count(t => Contains(t, w));
                return titlesWithWord == 0 ? 0 : w.Length * Math.Log(1 + ((double)titles.Count / titlesWithWord));
            },
            StringComparer.Ordinal);

        var scored = titles
            .Select(t => (t.Id, Score: queryWords.Where(w => Contains(t, w)).Sum(w => weights[w])))
            .Where(s => s.Score > 0)
            .OrderByDescending(s => s.Score)
            .ToList();

        if (scored.Count == 0)
        {
            return Approximate(text, titles);
        }

        if (scored.Count == 1 || scored[0].Score >= WinnerMargin * scored[1].Score)
        {
            return new SearchResult(SearchOutcome.OneClearMatch, [scored[0].Id]);
        }

        // Only titles in the same league as the best: a title sharing one generic word does not crowd the list.
        var best = scored[0].Score;
        return new SearchResult(SearchOutcome.Several, [.. scored.Where(s => s.Score * WinnerMargin > best).Take(MaxListed).Select(s => s.Id)]);
    }

    /// <summary>Titles containing at least two and most of the query's characters, best first.</summary>
    private static SearchResult Approximate(string text, IReadOnlyList<SearchableTitle> titles)
    {
        var rest = StopWords.Where(w => w.Length > 1).Aggregate(text, (current, w) => current.Replace(w, string.Empty, StringComparison.Ordinal));
        var characters = rest.Where(char.IsLetterOrDigit).Distinct().ToList();
        if (characters.Count < 2)
        {
            return new SearchResult(SearchOutcome.None, []);
        }

        var near = titles
            .Select(t => (t.Id, Hits: characters.Count(c => t.Title.Contains(c, StringComparison.Ordinal))))
            .Where(s => s.Hits >= 2 && s.Hits >= 0.6 * characters.Count)
            .OrderByDescending(s => s.Hits)
            .Take(MaxListed)
            .Select(s => s.Id)
            .ToList();
        return near.Count == 0 ? new SearchResult(SearchOutcome.None, []) : new SearchResult(SearchOutcome.Approximate, near);
    }

    /// <summary>Words that can tell titles apart: not generic, not a single character (jieba's leftovers), not a number.</summary>
    private static bool IsContentWord(string word) =>
        word.Length >= 2 && !StopWordSet.Contains(word) && !word.All(c => char.IsDigit(c) || char.IsPunctuation(c) || char.IsWhiteSpace(c));

    /// <summary>The query as shown back to the member, without spaces and bounded in length.</summary>
    public static string Echo(string query)
    {
        var text = TextNormalizer.Normalize(query);
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes().Take(20))
        {
            builder.Append(rune.ToString());
        }

        return builder.ToString();
    }
}
