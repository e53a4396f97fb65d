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

    /// <summary>"2027年3月18日".</summary>
    public string Date(DateTimeOffset value)
    {
        var local = ToLocal(value);
        return string.Create(CultureInfo.InvariantCulture, $"{local.Year}年{local.Month}月{local.Day}日");
    }
}
