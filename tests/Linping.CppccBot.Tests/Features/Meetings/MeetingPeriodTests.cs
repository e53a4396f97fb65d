using Linping.CppccBot.Features.Meetings;

namespace Linping.CppccBot.Tests.Features.Meetings;

/// <summary>The time words of a meeting question, as windows of Beijing days; "now" is Saturday 2026-11-28 12:40.</summary>
public sealed class MeetingPeriodTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-28T04:40:00Z", System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("今天有会吗", "2026-11-28", "2026-11-29", "今天（11月28日）")]
    [InlineData("明天有什么会议", "2026-11-29", "2026-11-30", "明天（11月29日）")]
    [InlineData("这周有会吗", "2026-11-23", "2026-11-30", "本周")]
    [InlineData("下周有什么会", "2026-11-30", "2026-12-07", "下周")]
    [InlineData("这个月的会议安排", "2026-11-01", "2026-12-01", "本月（11月）")]
    [InlineData("下个月有哪些活动", "2026-12-01", "2027-01-01", "下个月（12月）")]
    [InlineData("12月有什么活动", "2026-12-01", "2027-01-01", "2026年12月")]
    [InlineData("十二月份的会", "2026-12-01", "2027-01-01", "2026年12月")]
    [InlineData("明年3月的会", "2027-03-01", "2027-04-01", "2027年3月")]
    [InlineData("3月18日有什么会", "2027-03-18", "2027-03-19", "2027年3月18日")]
    [InlineData("12月5号的会", "2026-12-05", "2026-12-06", "12月5日")]
    public void TimeWords_NameAWindowOfBeijingDays(string text, string from, string to, string label)
    {
        var period = MeetingPeriod.Find(text, Now, Shanghai);

        Assert.NotNull(period);
        Assert.Equal(DateTimeOffset.Parse(from + "T00:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture), period.From);
        Assert.Equal(DateTimeOffset.Parse(to + "T00:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture), period.To);
        Assert.Equal(label, period.Label);
    }

    [Theory]
    [InlineData("明天上午的会", "2026-11-29T00:00:00+08:00", "2026-11-29T12:00:00+08:00", "明天（11月29日）上午")]
    [InlineData("周四下午那个会我去不了", "2026-12-03T12:00:00+08:00", "2026-12-03T18:00:00+08:00", "周四（12月3日）下午")]
    [InlineData("今天晚上有会吗", "2026-11-28T17:00:00+08:00", "2026-11-29T00:00:00+08:00", "今天（11月28日）晚上")]
    [InlineData("下周下午的会", "2026-11-30T00:00:00+08:00", "2026-12-07T00:00:00+08:00", "下周")]
    public void APartOfTheDay_NarrowsADay_ButNotAWeek(string text, string from, string to, string label)
    {
        var period = MeetingPeriod.Find(text, Now, Shanghai);

        Assert.NotNull(period);
        Assert.Equal((DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(to, System.Globalization.CultureInfo.InvariantCulture), label), (period.From, period.To, period.Label));
    }

    [Theory]
    [InlineData("上午那个", "2026-11-29T09:00:00+08:00", true)]
    [InlineData("上午那个", "2026-11-29T14:30:00+08:00", false)]
    [InlineData("下午的", "2026-11-29T14:30:00+08:00", true)]
    [InlineData("第一个", "2026-11-29T14:30:00+08:00", null)]
    public void APartOfTheDay_Alone_TellsMeetingsApart(string text, string start, bool? expected) =>
        Assert.Equal(expected, MeetingPeriod.InPartOfDay(text, DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture), Shanghai));

    [Theory]
    [InlineData("最近有什么会议")]
    [InlineData("第二十六次常委会")]
    [InlineData("有哪些活动可以报名")]
    [InlineData("13月的会")]
    public void WordsWithoutATime_NameNone(string text) => Assert.Null(MeetingPeriod.Find(text, Now, Shanghai));
}
