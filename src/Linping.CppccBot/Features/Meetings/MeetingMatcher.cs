using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Linping.CppccBot.Conversations.Recognition;
using Linping.CppccBot.Persistence.Entities;

namespace Linping.CppccBot.Features.Meetings;

/// <summary>
/// Finds the meeting a member means by words of its title. Chinese has no spaces, so the words are covered greedily by
/// the longest fragments (two characters or more) that occur in the title or type: "第二十六次常委会" is covered by
/// "第二十六次" and "常委会". A full cover is a sure match; a cover of half or more is only a candidate to ask about.
/// </summary>
public static partial class MeetingMatcher
{
    public const double Sure = 1.0;

    public const double Candidate = 0.5;

    /// <summary>How far below the best candidate another is still offered with it.</summary>
    private const double CloseScore = 0.1;

    /// <summary>Words that name no meeting in particular ("那个", "会议").</summary>
    private static readonly string[] Fillers = ["那个", "这个", "那场", "这场", "一下", "的", "会议", "活动"];

    /// <summary>"2", "第二个", "2号", "第2场" → 2; null when the text is not a list number.</summary>
    public static int? ListNumber(string text)
    {
        var match = ListNumberPattern().Match(TextNormalizer.Normalize(text));
        if (!match.Success)
        {
            return null;
        }

        var digits = match.Groups["digits"];
        return digits.Success
            ? int.Parse(digits.Value, CultureInfo.InvariantCulture)
            : TextNormalizer.ParseChineseNumber(match.Groups["chinese"].Value);
    }

    /// <summary>"1、2", "1和3", "2 4": the list numbers of a message that is only list numbers; empty otherwise.</summary>
    public static IReadOnlyList<int> ListNumbers(string text)
    {
        var match = ListNumbersPattern().Match(TextNormalizer.Normalize(text));
        return match.Success ? [.. match.Groups["n"].Captures.Select(c => int.Parse(c.Value, CultureInfo.InvariantCulture))] : [];
    }

    [GeneratedRegex("^第?(?<n>\\d{1,3})(?:个|号|场)?(?:(?:[、,，和及与/]|\\s)+第?(?<n>\\d{1,3})(?:个|号|场)?)+$")]
    private static partial Regex ListNumbersPattern();

    /// <summary>The words with fillers, punctuation and spaces removed.</summary>
    public static string Clean(string words)
    {
        var text = TextNormalizer.Normalize(words);
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Where(char.IsLetterOrDigit))
        {
            builder.Append(c);
        }

        var cleaned = builder.ToString();
        foreach (var filler in Fillers)
        {
            cleaned = cleaned.Replace(filler, string.Empty, StringComparison.Ordinal);
        }

        return cleaned.ToUpperInvariant();
    }

    /// <summary>How much of <paramref name="words"/> the meeting's title and type cover, from 0 to 1.</summary>
    public static double Score(string words, Meeting meeting)
    {
        var query = Clean(words);

        // A trailing "会" names no meeting in particular: "协商会" fits a 请你来协商 as well as a 专题协商会.
        if (query.Length > 2 && query.EndsWith('会'))
        {
            query = query[..^1];
        }

        if (query.Length < 2)
        {
            return 0;
        }

        var haystack = Clean(meeting.Title + meeting.Type.ToLabel());
        var covered = 0;
        var i = 0;
        while (i < query.Length)
        {
            var length = 0;
            for (var candidate = query.Length - i; candidate >= 2; candidate--)
            {
                if (haystack.Contains(query.AsSpan(i, candidate), StringComparison.Ordinal))
                {
                    length = candidate;
                    break;
                }
            }

            if (length == 0)
            {
                i++;
            }
            else
            {
                covered += length;
                i += length;
            }
        }

        return (double)covered / query.Length;
    }

    /// <summary>
    /// The meetings the words may mean, best first: all sure matches when there is one or more, otherwise the candidates.
    /// </summary>
    public static IReadOnlyList<Meeting> Match(string words, IEnumerable<Meeting> meetings)
    {
        var scored = meetings.Select(m => (Meeting: m, Score: Score(words, m))).Where(s => s.Score >= Candidate).OrderByDescending(s => s.Score).ToList();

        // "二十七次常委会": a session's number tells numbered meetings apart, however much of the rest they share.
        if (Ordinal(words) is { } ordinal && scored.Where(s => Ordinal(s.Meeting.Title) == ordinal).ToList() is { Count: > 0 } sameNumber)
        {
            scored = sameNumber;
        }

        var sure = scored.Where(s => s.Score >= Sure).Select(s => s.Meeting).ToList();

        // Of the candidates, those about as good as the best: "二十七次常委会还是想" covers the 27th's title by 0.7 and
        // the 26th's by 0.5 only (the member still confirms).
        return sure.Count > 0 ? sure : [.. scored.Where(s => s.Score >= scored[0].Score - CloseScore).Select(s => s.Meeting)];
    }

    /// <summary>
    /// For words that say more than a meeting's name ("学习会身体不好", "大运河的视察活动，不知道还有没有名额"): the
    /// meetings fully named by the longest part of them (two characters or more), or none. Only a candidate: the member
    /// is asked to confirm.
    /// </summary>
    public static IReadOnlyList<Meeting> MatchPart(string words, IReadOnlyList<Meeting> meetings) => MatchPart(words, meetings, out _);

    /// <inheritdoc cref="MatchPart(string, IReadOnlyList{Meeting})"/>
    /// <param name="partLength">How many characters of the words the part that named them has (0 when none).</param>
    public static IReadOnlyList<Meeting> MatchPart(string words, IReadOnlyList<Meeting> meetings, out int partLength)
    {
        partLength = 0;
        var query = Clean(words);
        if (query.Length > MaxPartQuery)
        {
            query = query[..MaxPartQuery];
        }

        // The longest part any title holds, found for all titles in one pass each (longest common substring), so a
        // meeting named late in a long message ("…医生说要多休息，所以第二十六次常委会我想请个假") is found as well
        // as one named first; then the first part of that length names the meetings that hold it.
        var titles = meetings.Select(m => (Meeting: m, Haystack: Clean(m.Title + m.Type.ToLabel()))).ToList();
        var longest = titles.Count == 0 ? 0 : titles.Max(t => LongestCommonPart(query, t.Haystack));
        for (var length = Math.Min(longest, query.Length - 1); length >= 2; length--)
        {
            for (var start = 0; start + length <= query.Length; start++)
            {
                var part = query.AsSpan(start, length);
                if (part.Length > 2 && part[^1] == '会')
                {
                    // "学习会" names a 学习会 as "学习" does; the 会 alone names nothing in particular.
                    part = part[..^1];
                }

                var found = new List<Meeting>();
                foreach (var (meeting, haystack) in titles)
                {
                    if (haystack.AsSpan().Contains(part, StringComparison.Ordinal))
                    {
                        found.Add(meeting);
                    }
                }

                if (found.Count > 0)
                {
                    partLength = length;
                    return found;
                }
            }
        }

        return [];
    }

    /// <summary>
    /// The length of the longest part of <paramref name="query"/> that <paramref name="haystack"/> holds, a 会 right
    /// after it counted too (as <see cref="MatchPart(string, IReadOnlyList{Meeting})"/> drops it when it looks).
    /// </summary>
    private static int LongestCommonPart(string query, string haystack)
    {
        var previous = new int[haystack.Length + 1];
        var current = new int[haystack.Length + 1];
        var longest = 0;
        for (var i = 0; i < query.Length; i++)
        {
            for (var j = 0; j < haystack.Length; j++)
            {
                current[j + 1] = query[i] == haystack[j] ? previous[j] + 1 : 0;
                var length = current[j + 1] + (current[j + 1] >= 2 && i + 1 < query.Length && query[i + 1] == '会' ? 1 : 0);
                longest = Math.Max(longest, length);
            }

            (previous, current) = (current, previous);
        }

        return longest;
    }

    /// <summary>The number of a numbered session ("第二十七次", "27次") in the words, or null.</summary>
    private static int? Ordinal(string words)
    {
        var match = OrdinalPattern().Match(TextNormalizer.Normalize(words));
        return !match.Success ? null
            : match.Groups["digits"].Success ? int.Parse(match.Groups["digits"].Value, CultureInfo.InvariantCulture)
            : TextNormalizer.ParseChineseNumber(match.Groups["chinese"].Value);
    }

    [GeneratedRegex("(?:(?<digits>\\d{1,3})|(?<chinese>[一二三四五六七八九十百零两]{1,5}))次")]
    private static partial Regex OrdinalPattern();

    /// <summary>True when the words name nothing once fillers are gone ("的会", "那个会议").</summary>
    public static bool NamesNothing(string? words) => words is null || Clean(words).TrimEnd('会').Length < 2;

    /// <summary>How much of a long message <see cref="MatchPart(string, IReadOnlyList{Meeting})"/> reads (a chat message is short; this bounds the work).</summary>
    private const int MaxPartQuery = 400;

    /// <summary>True when the match is certain: exactly one meeting covers every word.</summary>
    public static bool IsSure(string words, IReadOnlyList<Meeting> matches) => matches.Count == 1 && Score(words, matches[0]) >= Sure;

    [GeneratedRegex("^第?(?:(?<digits>\\d{1,3})|(?<chinese>[一二三四五六七八九十两]{1,3}))(?:个|号|场|项|条)?(?:会议|会|活动)?$")]
    private static partial Regex ListNumberPattern();
}
