using System.Globalization;
using System.Text.RegularExpressions;
using Linping.CppccBot.Conversations.Recognition;

namespace Linping.CppccBot.Persistence.Entities;

/// <summary>
/// The display number of a proposal, 一届五次第0012号: the session (届次, 一届五次) and the serial within it (12).
/// Proposals are numbered anew in each session, so a bare "12号" means the latest session that has a 12.
/// </summary>
public static partial class ProposalNumber
{
    /// <summary>Splits a display number as the import accepts it; false for anything else.</summary>
    public static bool TryParse(string? number, out string session, out int serial)
    {
        var match = number is null ? Match.Empty : Pattern().Match(number);
        session = match.Success ? match.Groups["session"].Value : "";
        serial = match.Success && int.TryParse(match.Groups["serial"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        return match.Success && serial > 0;
    }

    /// <summary>The key other records use for a proposal: <c>一届五次/12</c>.</summary>
    public static string Key(string session, int serial) => string.Create(CultureInfo.InvariantCulture, $"{session}/{serial}");

    /// <summary>The session and serial of a <see cref="Key"/>, or false.</summary>
    public static bool TryParseKey(string? key, out string session, out int serial)
    {
        var slash = key?.LastIndexOf('/') ?? -1;
        session = slash > 0 ? key![..slash] : "";
        serial = 0;
        return slash > 0 && int.TryParse(key.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out serial) && serial > 0;
    }

    /// <summary>
    /// Orders sessions in time: 一届五次 before 二届一次, 一届十次 after 一届九次. A session that does not read as 届/次 comes first.
    /// </summary>
    public static int Rank(string session)
    {
        var match = SessionPattern().Match(session);
        if (!match.Success || match.Length != session.Length)
        {
            return 0;
        }

        var term = TextNormalizer.ParseChineseNumber(match.Groups["term"].Value) ?? 0;
        var sitting = TextNormalizer.ParseChineseNumber(match.Groups["sitting"].Value) ?? 0;
        return (term * 1000) + sitting;
    }

    /// <summary>The first session named in <paramref name="text"/> ("一届五次" of "评价一届五次第0012号"), or null.</summary>
    public static string? SessionIn(string text) => SessionPattern().Match(text) is { Success: true } match ? match.Value : null;

    /// <summary>The latest of <paramref name="sessions"/>, or null when there are none.</summary>
    public static string? Latest(IEnumerable<string> sessions) =>
        sessions.OrderByDescending(Rank).ThenByDescending(s => s, StringComparer.Ordinal).FirstOrDefault();

    [GeneratedRegex(@"^(?<session>[一二三四五六七八九十]+届[一二三四五六七八九十]+次)第(?<serial>\d{3,5})号$")]
    private static partial Regex Pattern();

    [GeneratedRegex("(?<term>[一二三四五六七八九十]+)届(?<sitting>[一二三四五六七八九十]+)次")]
    private static partial Regex SessionPattern();
}
