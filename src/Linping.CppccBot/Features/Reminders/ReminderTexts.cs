using System.Globalization;
using System.Text;
using Linping.CppccBot.Features.Common;
using Linping.CppccBot.Persistence.Entities;

namespace Linping.CppccBot.Features.Reminders;

/// <summary>The member-facing texts of reminders and cancellation notices.</summary>
public sealed class ReminderTexts(ChineseTime time)
{
    public ReminderMessage For(Meeting meeting, string kind, bool forGroup)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        var cancelled = kind == ReminderDelivery.CancelledKind;
        var heading = cancelled ? "会议取消通知" : "会议提醒";
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"【{heading}】{meeting.Title}\n")
            .Append(CultureInfo.InvariantCulture, $"时间：{time.Range(meeting.StartsAt, meeting.EndsAt)}\n");
        if (!string.IsNullOrWhiteSpace(meeting.Location))
        {
            text.Append(CultureInfo.InvariantCulture, $"地点：{meeting.Location}\n");
        }

        if (cancelled)
        {
            text.Append("本次会议已取消，无需参加。如有变动将另行通知。");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"{Until(kind)}开始，请准时参加。");
            if (!forGroup)
            {
                text.Append('\n').Append(meeting.Participation == ParticipationMode.Mandatory
                    ? $"如需请假，请直接回复“请假 {meeting.Id}”。"
                    : $"如不能参加，请直接回复“取消报名 {meeting.Id}”。");
            }
        }

        return new ReminderMessage(meeting.Id, heading, text.ToString());
    }

    /// <summary>"1天后", "2小时后", "30分钟后", "1天2小时后".</summary>
    private static string Until(string kind)
    {
        var offset = TimeSpan.ParseExact(kind, "c", CultureInfo.InvariantCulture);
        var parts = new StringBuilder();
        if (offset.Days > 0)
        {
            parts.Append(CultureInfo.InvariantCulture, $"{offset.Days}天");
        }

        if (offset.Hours > 0)
        {
            parts.Append(CultureInfo.InvariantCulture, $"{offset.Hours}小时");
        }

        if (offset.Minutes > 0)
        {
            parts.Append(CultureInfo.InvariantCulture, $"{offset.Minutes}分钟");
        }

        return parts.Length == 0 ? "即将" : parts.Append('后').ToString();
    }
}
