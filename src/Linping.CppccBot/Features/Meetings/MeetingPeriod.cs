using System.Globalization;
using System.Text.RegularExpressions;
using Linping.CppccBot.Conversations.Recognition;

namespace Linping.CppccBot.Features.Meetings;

/// <summary>
/// The time a member asks about meetings for ("今天有会吗", "下周有什么会", "12月有什么活动", "明年3月的会"), as a
/// window of days in the members' time zone. The list then shows only the meetings that start in it.
/// </summary>
/// <param name="From">The first local day of the window, at 00:00 in the members' time zone.</param>
/// <param name="To">The day after the window's last, at 00:00.</param>
/// <param name="Label">How the reply names it: "今天（11月28日）", "下周", "下个月（12月）", "2027年3月".</param>
public sealed partial record MeetingPeriod(DateTimeOffset From, DateTimeOffset To, string Label)
{
    /// <summary>
    /// The window <paramref name="text"/> names, relative to <paramref name="now"/>; null when it names none. A part of
    /// the day said with a day ("明天上午", "周四下午") narrows the window to it.
    /// </summary>
    public static MeetingPeriod? Find(string text, DateTimeOffset now, TimeZoneInfo zone)
    {
        var t = TextNormalizer.Normalize(text);
        var days = FindDays(t, now, zone);
        if (days is null || PartOfDay(t) is not { } part || days.To - days.From > TimeSpan.FromHours(25))
        {
            return days;
        }

        return days with { From = days.From.AddHours(part.From), To = days.From.AddHours(part.To), Label = days.Label + part.Word };
    }

    /// <summary>
    /// True or false when <paramref name="text"/> names a part of the day ("上午那个", "下午的") and the meeting starting
    /// at <paramref name="start"/> is in it or not; null when the text names none.
    /// </summary>
    public static bool? InPartOfDay(string text, DateTimeOffset start, TimeZoneInfo zone)
    {
        if (PartOfDay(TextNormalizer.Normalize(text)) is not { } part)
        {
            return null;
        }

        var hour = TimeZoneInfo.ConvertTime(start, zone).TimeOfDay.TotalHours;
        return hour >= part.From && hour < part.To;
    }

    /// <summary>The hours (local, from and before) a part of the day names, and the word for the reply.</summary>
    private static (int From, int To, string Word)? PartOfDay(string t) =>
        TextNormalizer.ContainsAny(t, "上午", "早上", "早晨", "上半天") ? (0, 12, "上午")
        : t.Contains("中午", StringComparison.Ordinal) ? (11, 14, "中午")
        : TextNormalizer.ContainsAny(t, "下午", "下半天") ? (12, 18, "下午")
        : TextNormalizer.ContainsAny(t, "晚上", "傍晚", "夜里") ? (17, 24, "晚上")
        : null;

    private static MeetingPeriod? FindDays(string t, DateTimeOffset now, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var today = new DateTime(local.Year, local.Month, local.Day, 0, 0, 0, DateTimeKind.Unspecified);
        MeetingPeriod Days(DateTime first, int count, string label) => new(At(first, zone), At(first.AddDays(count), zone), label);
        string DayLabel(DateTime day) => string.Create(CultureInfo.InvariantCulture, $"{day.Month}月{day.Day}日");

        if (TextNormalizer.ContainsAny(t, "今天", "今日"))
        {
            return Days(today, 1, $"今天（{DayLabel(today)}）");
        }

        if (TextNormalizer.ContainsAny(t, "明天", "明日"))
        {
            return Days(today.AddDays(1), 1, $"明天（{DayLabel(today.AddDays(1))}）");
        }

        if (t.Contains("后天", StringComparison.Ordinal))
        {
            return Days(today.AddDays(2), 1, $"后天（{DayLabel(today.AddDays(2))}）");
        }

        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));

        // "周五的会", "下周三", "星期天": the coming such day (today counts), or that day of next week.
        var weekday = Weekday().Match(t);
        if (weekday.Success)
        {
            var wanted = "一二三四五六日天".IndexOf(weekday.Groups["day"].Value[0], StringComparison.Ordinal) is var i and >= 0 ? Math.Min(i, 6) : int.Parse(weekday.Groups["day"].Value, CultureInfo.InvariantCulture) - 1;
            var date = weekday.Groups["next"].Success
                ? monday.AddDays(7 + wanted)
                : today.AddDays((wanted - (((int)today.DayOfWeek + 6) % 7) + 7) % 7);
            return Days(date, 1, $"{weekday.Value}（{DayLabel(date)}）");
        }

        if (TextNormalizer.ContainsAny(t, "下周", "下星期", "下个星期", "下礼拜", "下个礼拜"))
        {
            return Days(monday.AddDays(7), 7, "下周");
        }

        if (TextNormalizer.ContainsAny(t, "本周", "这周", "这星期", "这个星期", "本星期", "这礼拜", "这个礼拜"))
        {
            return Days(monday, 7, "本周");
        }

        var firstOfMonth = new DateTime(today.Year, today.Month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        if (TextNormalizer.ContainsAny(t, "下个月", "下月"))
        {
            var next = firstOfMonth.AddMonths(1);
            return Month(next, zone, string.Create(CultureInfo.InvariantCulture, $"下个月（{next.Month}月）"));
        }

        if (TextNormalizer.ContainsAny(t, "本月", "这个月", "这月"))
        {
            return Month(firstOfMonth, zone, string.Create(CultureInfo.InvariantCulture, $"本月（{firstOfMonth.Month}月）"));
        }

        var named = NamedMonth().Match(t);
        if (named.Success && ParseNumber(named.Groups["month"].Value) is { } month and >= 1 and <= 12)
        {
            var nextYear = named.Groups["next"].Success;
            var year = nextYear || month < today.Month ? today.Year + 1 : today.Year;
            var first = new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Unspecified);
            if (named.Groups["day"].Success && ParseNumber(named.Groups["day"].Value) is { } day and >= 1 && day <= DateTime.DaysInMonth(year, month))
            {
                var date = first.AddDays(day - 1);
                return Days(date, 1, year == today.Year ? DayLabel(date) : string.Create(CultureInfo.InvariantCulture, $"{year}年{DayLabel(date)}"));
            }

            return Month(first, zone, string.Create(CultureInfo.InvariantCulture, $"{year}年{month}月"));
        }

        // "25号的会": this month's 25th, or next month's when it has passed.
        var bare = BareDay().Match(t);
        if (bare.Success && ParseNumber(bare.Groups["day"].Value) is { } dayOfMonth and >= 1 and <= 31)
        {
            var inMonth = dayOfMonth >= today.Day ? firstOfMonth : firstOfMonth.AddMonths(1);
            if (dayOfMonth <= DateTime.DaysInMonth(inMonth.Year, inMonth.Month))
            {
                var date = inMonth.AddDays(dayOfMonth - 1);
                return Days(date, 1, DayLabel(date));
            }
        }

        return null;
    }

    /// <summary>The words with the time they name taken out ("明天的会" → "的会", "3月25号常委会" → "常委会").</summary>
    public static string Without(string text) =>
        BareDay().Replace(Weekday().Replace(NamedMonth().Replace(PeriodWords().Replace(TextNormalizer.Normalize(text), string.Empty), string.Empty), string.Empty), string.Empty);

    /// <summary>True when <paramref name="start"/> falls in the window.</summary>
    public bool Contains(DateTimeOffset start) => start >= From && start < To;

    private static MeetingPeriod Month(DateTime first, TimeZoneInfo zone, string label) => new(At(first, zone), At(first.AddMonths(1), zone), label);

    private static DateTimeOffset At(DateTime localMidnight, TimeZoneInfo zone) => new(localMidnight, zone.GetUtcOffset(localMidnight));

    private static int? ParseNumber(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : TextNormalizer.ParseChineseNumber(value);

    [GeneratedRegex("上午|早上|早晨|上半天|中午|下午|下半天|晚上|傍晚|夜里|今天|今日|明天|明日|后天|下个?星期(?![一二三四五六日天1-7])|下个?礼拜(?![一二三四五六日天1-7])|下周(?![一二三四五六日天1-7])|本周|这周|这个?星期(?![一二三四五六日天1-7])|本星期|这个?礼拜(?![一二三四五六日天1-7])|下个?月|本月|这个?月")]
    private static partial Regex PeriodWords();

    // "周五", "星期天", "下周三", "礼拜6"; not "周年" or "一周".
    [GeneratedRegex("(?<next>下个?)?(?:周|星期|礼拜)(?<day>[一二三四五六日天1-7])")]
    private static partial Regex Weekday();

    // "25号", "三号": a day without a month; not "第12号" (a proposal), "3月25号" (read as a month above) or "0012号".
    [GeneratedRegex("(?<![月第0-9一二三四五六七八九十])(?<day>[0-9]{1,2}|[一二三四五六七八九十]{1,3})(?:号|日)")]
    private static partial Regex BareDay();

    // "3月", "12月份", "明年3月", "3月18日", "三月十八号"; not "第二十六次常委会" or "3个月".
    [GeneratedRegex("(?<next>明年)?(?<month>\\d{1,2}|[一二三四五六七八九十]{1,3})月(?:份)?(?:(?<day>\\d{1,2}|[一二三四五六七八九十]{1,3})(?:日|号))?")]
    private static partial Regex NamedMonth();
}
