using System.Globalization;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Features.Common;

/// <summary>
/// Times as members read them: Beijing time (<c>Bot:TimeZone</c>) in Chinese, e.g. "2027年3月18日（周四）14:30".
/// Every time shown in chat goes through here, so no reply shows UTC or a server's local time.
/// </summary>
public sealed class ChineseTime(IOptions<BotOptions> options, TimeProvider time)
{
    private static readonly string[] WeekDays = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"];

    private readonly TimeZoneInfo _zone = options.Value.ResolveTimeZone();

    public TimeZoneInfo Zone => _zone;

    /// <summary>Now, in the members' time zone.</summary>
    public DateTimeOffset Now => ToLocal(time.GetUtcNow());

    public DateTimeOffset ToLocal(DateTimeOffset value) => TimeZoneInfo.ConvertTime(value, _zone);

    /// <summary>"2027年3月18日（周四）14:30".</summary>
    public string DateTime(DateTimeOffset value)
    {
        var local = ToLocal(value);
        return string.Create(CultureInfo.InvariantCulture, $"{local.Year}年{local.Month}月{local.Day}日（{WeekDays[(int)local.DayOfWeek]}）{local:HH:mm}");
    }

    /// <summary>"2027年3月18日（周四）14:30—17:00", or both full times when the end is on another day.</summary>
    public string Range(DateTimeOffset start, DateTimeOffset end)
    {
        var (localStart, localEnd) = (ToLocal(start), ToLocal(end));
        return localStart.Date == localEnd.Date
            ? string.Create(CultureInfo.InvariantCulture, $"{DateTime(start)}—{localEnd:HH:mm}")
            : $"{DateTime(start)}—{DateTime(end)}";
    }

    /// <summary>
    /// When something starts, as a reminder says it, from the time actually left: "40分钟后", "2小时后", "1小时50分钟后"
    /// (to 5 minutes from half an hour on), then by day and clock: "今天19:30", "明天09:00", "后天14:30", "3月18日14:30".
    /// </summary>
    public string Until(DateTimeOffset start)
    {
        var left = start - time.GetUtcNow();
        if (left < TimeSpan.FromHours(6))
        {
            var minutes = (int)Math.Round(left.TotalMinutes);
            if (minutes < 1)
            {
                return "即将";
            }

            if (minutes >= 30)
            {
                minutes = (int)Math.Round(minutes / 5.0) * 5;
            }

            var (hours, rest) = (minutes / 60, minutes % 60);
            return (hours, rest) switch
            {
                (0, _) => string.Create(CultureInfo.InvariantCulture, $"{rest}分钟后"),
                (_, 0) => string.Create(CultureInfo.InvariantCulture, $"{hours}小时后"),
                _ => string.Create(CultureInfo.InvariantCulture, $"{hours}小时{rest}分钟后"),
            };
        }

        var local = ToLocal(start);
        var days = (local.Date - Now.Date).Days;
        var day = days switch
        {
            0 => "今天",
            1 => "明天",
            2 => "后天",
            _ => string.Create(CultureInfo.InvariantCulture, $"{local.Month}月{local.Day}日"),
        };
        return string.Create(CultureInfo.InvariantCulture, $"{day}{local:HH:mm}");
    }

    /// <summary>"2027年3月18日".</summary>
    public string Date(DateTimeOffset value)
    {
        var local = ToLocal(value);
        return string.Create(CultureInfo.InvariantCulture, $"{local.Year}年{local.Month}月{local.Day}日");
    }
}
