using System.Globalization;
using System.Text;
using Linping.CppccBot.Conversations.Recognition;
using Linping.CppccBot.Features.Common;
using Linping.CppccBot.Persistence.Entities;

namespace Linping.CppccBot.Features.Reminders;

/// <summary>The member-facing texts of reminders and cancellation notices.</summary>
public sealed class ReminderTexts(ChineseTime time)
{
    public ReminderMessage For(Meeting meeting, string kind, bool forGroup)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        if (ReminderDelivery.IsUninvitedKind(kind))
        {
            return Uninvited(meeting);
        }

        if (ReminderDelivery.IsNoticeKind(kind))
        {
            return Notice(meeting, changed: kind != ReminderDelivery.PublishedKind, ReminderDelivery.ChangedAspects(kind), forGroup);
        }

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
            text.Append(CultureInfo.InvariantCulture, $"{time.Until(meeting.StartsAt)}开始，请准时参加。");
            if (!forGroup)
            {
                text.Append('\n').Append(meeting.Participation == ParticipationMode.Mandatory
                    ? $"如需请假，请直接回复“请假 {meeting.Id}”。"
                    : $"如不能参加，请直接回复“取消报名 {meeting.Id}”。");
            }
        }

        return new ReminderMessage(meeting.Id, heading, text.ToString(), cancelled || forGroup ? null : Card(meeting, heading));
    }

    /// <summary>The notice of a move: 「会议时间/地点调整」 with what changed, old and new.</summary>
    public ReminderMessage Moved(Meeting meeting, MeetingChange change, bool forGroup)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        ArgumentNullException.ThrowIfNull(change);
        const string heading = "会议时间/地点调整";
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"【{heading}】{meeting.Title}\n");
        var newTime = time.Range(change.NewStartsAt, change.NewEndsAt);
        text.Append(change.OldStartsAt != change.NewStartsAt
            ? $"时间：调整为{newTime}（原定{time.Range(change.OldStartsAt, change.OldEndsAt)}）\n"
            : $"时间：{newTime}（不变）\n");
        if (!string.Equals(change.OldLocation, change.NewLocation, StringComparison.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"地点：调整为{change.NewLocation ?? "另行通知"}（原定{change.OldLocation ?? "未定"}）\n");
        }
        else if (!string.IsNullOrWhiteSpace(change.NewLocation))
        {
            text.Append(CultureInfo.InvariantCulture, $"地点：{change.NewLocation}（不变）\n");
        }

        text.Append("请按调整后的安排参加。");
        if (!forGroup)
        {
            text.Append('\n').Append(meeting.Participation == ParticipationMode.Mandatory
                ? $"如需请假，请直接回复“请假 {meeting.Id}”。"
                : $"如不能参加，请直接回复“取消报名 {meeting.Id}”。");
        }

        return new ReminderMessage(meeting.Id, heading, text.ToString());
    }

    /// <summary>To a member taken off a meeting's invitees after being told of it: they need not come.</summary>
    private ReminderMessage Uninvited(Meeting meeting)
    {
        const string heading = "参会安排调整";
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"【{heading}】{meeting.Title}\n")
            .Append(CultureInfo.InvariantCulture, $"时间：{time.Range(meeting.StartsAt, meeting.EndsAt)}\n")
            .Append("参会名单已调整，您无需参加本次会议。如有疑问，请联系区政协办公室。");
        return new ReminderMessage(meeting.Id, heading, text.ToString());
    }

    /// <summary>
    /// The notice of a staff change: what it changed, old and new, from the stored <paramref name="change"/> (so a retry
    /// after later changes still says what this one did), then the meeting as it is now; when it has changed again
    /// since, the notice says so, and that what follows is the latest arrangement.
    /// </summary>
    public ReminderMessage Changed(Meeting meeting, MeetingChange change, bool forGroup)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        ArgumentNullException.ThrowIfNull(change);
        var aspects = change.Aspects;
        var lines = new List<string>();
        if (aspects.HasFlag(MeetingAspects.Title))
        {
            lines.Add($"会议名称由“{change.OldTitle}”改为“{change.NewTitle}”。");
        }

        if (aspects.HasFlag(MeetingAspects.Time))
        {
            lines.Add($"时间由{time.Range(change.OldStartsAt, change.OldEndsAt)}改为{time.Range(change.NewStartsAt, change.NewEndsAt)}。");
        }

        if (aspects.HasFlag(MeetingAspects.Place))
        {
            lines.Add($"地点由{Quoted(change.OldLocation) ?? "未定"}改为{Quoted(change.NewLocation) ?? "另行通知"}。");
        }

        if (aspects.HasFlag(MeetingAspects.Terms) && change.OldType != change.NewType && change is { OldType: { } oldType, NewType: { } newType })
        {
            lines.Add($"会议类型由“{oldType.ToLabel()}”改为“{newType.ToLabel()}”。");
        }

        if (aspects.HasFlag(MeetingAspects.Terms) && change.OldParticipation != change.NewParticipation && change is { OldParticipation: { } oldMode, NewParticipation: { } newMode })
        {
            lines.Add($"参会方式由“{oldMode.ToLabel()}”改为“{newMode.ToLabel()}”。");
        }

        if (aspects.HasFlag(MeetingAspects.Seats))
        {
            lines.Add($"名额由{Seats(change.OldCapacity)}改为{Seats(change.NewCapacity)}。");
        }

        if (aspects.HasFlag(MeetingAspects.Deadline))
        {
            lines.Add($"报名截止时间由{Deadline(change.OldSignupDeadline)}改为{Deadline(change.NewSignupDeadline)}。");
        }

        var since = meeting.Title != change.NewTitle || meeting.Type != change.NewType || meeting.Participation != change.NewParticipation
            || meeting.StartsAt != change.NewStartsAt || meeting.EndsAt != change.NewEndsAt || meeting.Location != change.NewLocation
            || meeting.Capacity != change.NewCapacity || meeting.SignupDeadline != change.NewSignupDeadline;
        lines.Add(since ? "此后会议安排又有调整，以下为最新安排：" : "变更后的安排如下：");
        return Notice(meeting, changed: true, MeetingAspects.None, forGroup, lines);

        static string? Quoted(string? place) => string.IsNullOrWhiteSpace(place) ? null : $"“{place}”";
        static string Seats(int? capacity) => capacity is { } seats ? string.Create(CultureInfo.InvariantCulture, $"{seats}人") : "不限";
        string Deadline(DateTimeOffset? deadline) => deadline is { } at ? time.DateTime(at) : "会议开始前";
    }

    /// <summary>The notice of a newly published meeting, or of a change to one (its current details).</summary>
    /// <param name="what">For a kept change, the lines that say what it changed (they replace the 变更内容 line).</param>
    private ReminderMessage Notice(Meeting meeting, bool changed, MeetingAspects aspects, bool forGroup, IReadOnlyList<string>? what = null)
    {
        var heading = changed ? "会议变更通知" : "会议通知";
        var lines = new List<string> { $"【{heading}】{meeting.Title}" };
        if (what is not null)
        {
            lines.AddRange(what);
        }
        else if (changed && aspects != MeetingAspects.None)
        {
            lines.Add($"变更内容：{string.Join("、", aspects.ToLabels())}（以下为变更后的安排）");
        }

        lines.Add($"类型：{meeting.Type.ToLabel()}｜{meeting.Participation.ToLabel()}");
        lines.Add($"时间：{time.Range(meeting.StartsAt, meeting.EndsAt)}");
        if (!string.IsNullOrWhiteSpace(meeting.Location))
        {
            lines.Add($"地点：{meeting.Location}");
        }

        var signupClosed = false;
        if (meeting.Participation == ParticipationMode.OpenSignup)
        {
            lines.Add(meeting.Capacity is { } capacity ? string.Create(CultureInfo.InvariantCulture, $"名额：{capacity}人") : "名额：不限");
            if (meeting.SignupDeadline is { } deadline)
            {
                signupClosed = deadline <= time.Now;
                lines.Add($"报名截止：{time.DateTime(deadline)}{(signupClosed ? "（已截止）" : string.Empty)}");
            }
        }

        if (changed)
        {
            lines.Add("会议安排有变动，请以本通知为准。");
        }

        var mandatory = meeting.Participation == ParticipationMode.Mandatory;
        lines.Add((forGroup, mandatory, changed, signupClosed) switch
        {
            (false, true, false, _) => $"请准时出席。如需请假，请直接回复“请假 {meeting.Id}”。",
            (false, true, true, _) => $"请准时出席（已获准假的无需出席）。如需请假，请直接回复“请假 {meeting.Id}”。",
            (false, false, _, true) => "报名已截止，已报名的委员请按以上安排参加。",
            (false, false, false, false) => $"如需参加，请直接回复“报名 {meeting.Id}”。",
            (false, false, true, false) => $"已报名的委员无需重新报名；如需参加，请直接回复“报名 {meeting.Id}”。",
            (true, true, _, _) => "请受邀委员准时出席，如需请假请私信机器人。",
            (true, false, _, true) => "报名已截止，已报名的委员请按以上安排参加。",
            (true, false, _, false) => "如需参加，请私信机器人报名。",
        });
        return new ReminderMessage(meeting.Id, heading, string.Join('\n', lines));
    }

    /// <summary>A member's reminder as a card: 请假 for a Mandatory meeting, 取消报名 for an open one.</summary>
    private ReminderCard Card(Meeting meeting, string heading)
    {
        var fields = new List<KeyValuePair<string, string>> { new("时间", time.Range(meeting.StartsAt, meeting.EndsAt)) };
        if (!string.IsNullOrWhiteSpace(meeting.Location))
        {
            fields.Add(new("地点", meeting.Location));
        }

        return meeting.Participation == ParticipationMode.Mandatory
            ? new ReminderCard(heading, meeting.Title, $"{time.Until(meeting.StartsAt)}开始", fields, "请准时出席。如需请假，请点击下方“请假”按钮。", [new ReminderButton("请假", CardKeys.Leave(meeting.Id))])
            : new ReminderCard(heading, meeting.Title, $"{time.Until(meeting.StartsAt)}开始", fields, "请准时参加。如不能参加，请点击下方“取消报名”按钮。", [new ReminderButton("取消报名", CardKeys.Cancel(meeting.Id))]);
    }
}
