using System.Globalization;
using System.Text;
using Linping.CppccBot.Features.Common;
using Linping.CppccBot.Features.Notifications;
using Linping.CppccBot.Persistence.Entities;

namespace Linping.CppccBot.Features.Meetings;

/// <summary>What members and staff read about meetings. A meeting is always named by its title and start time (CONTRACT.md).</summary>
public sealed class MeetingTexts(ChineseTime time)
{
    public const string NoUpcoming = "近期暂无您可参加的会议活动。有新的安排时会通知您。";

    public const string NoUpcomingForStaff = "近期没有已发布的会议活动。";

    public const string MembersOnly = "报名、取消报名和请假仅面向政协委员。发送“最近有什么会议”可查看近期会议安排。";

    public const string StaffOnly = "这是机关工作人员审批请假的功能，您没有使用权限。发送“帮助”查看我能做什么。";

    /// <summary>"签到" from office staff who are not members: they check members in, nobody checks them in.</summary>
    public static string CheckInForStaff(bool organiser) =>
        "签到由会务工作人员在会场为到会委员登记，工作人员本人无需签到。" + (organiser ? "查看某个会议的签到情况，请发送“报名情况 会议名称”，如“报名情况 常委会”。" : string.Empty);

    public const string RosterStaffOnly = "报名情况仅供会议组织人员查看。您可以发送“我的会议”查看自己的报名和请假情况。";

    /// <summary>What a reminder card's button turns into once leave was asked for through it.</summary>
    public const string CardLeaveRequested = "已请假（待审批）";

    /// <summary>What a reminder card's button turns into once the sign-up was cancelled through it.</summary>
    public const string CardCancelled = "已取消报名";

    public const string ListHint = "发送“最近有什么会议”可查看您能参加的会议。";

    /// <summary>Under the list shown in a group chat, where signing up and leave are not done.</summary>
    public const string GroupListHint = "报名、取消报名或请假，请私聊我办理（点击我的头像发消息）。";

    public const string NoLeavePending = "目前没有待审批的请假申请。";

    public const string NoNumberedLeaveList = "请先发送“请假审批”查看待审批列表，再按序号“批准 1”或“不批准 1 原因”。";

    public const string AskLeaveReason = "请问请假事由是哪一类？请回复：1 因病　2 因事　3 公务";

    public const string AskLeaveReasonAgain = "没有看懂请假事由，请回复 1、2、3 或“因病”“因事”“公务”。";

    public const string LeaveDropped = "好的，没有提交请假申请，请按时出席。";

    public const string LeaveNotSubmitted = "（刚才的请假申请还没有提交。需要请假时请重新发送，如“常委会请假”。）";

    public const string AskLeaveNote = "如需补充说明（仅审批人员可见），请直接回复；不需要请回复“无”。";

    /// <summary>The category read from the member's words, with how to correct it.</summary>
    public static string LeaveReasonTaken(LeaveReason reason) => $"事由：{reason.ToLabel()}（如不对，请回复“因病”“因事”或“公务”更正）。";

    public const string WaitlistDeclined = "好的，没有加入候补。";

    public static string WithdrawLeave(string contact) =>
        $"请假申请由区政协办公室审批，提交后不能在这里撤回。如能按时出席，请联系{contact}说明，我们会为您更新。发送“我的会议”可查看请假情况。";

    public const string NoLeaveToWithdraw = "您目前没有待审批或已批准的请假申请，无需撤回。发送“我的会议”可查看参会情况。";

    public const string OneAtATime = "这几项需要逐个办理，请先回复其中一个会议的序号。";

    public const string ChoiceNotUnderstood = "没有对上您说的会议。请回复列表中的序号；不需要请回复“不是”。";

    public const string ChoiceDeclined = "好的，没有办理。" + ListHint;

    public string Name(Meeting meeting) => $"【{meeting.Title}】（{time.DateTime(meeting.StartsAt)}）";

    /// <summary>"不是" to the leave reason: not this meeting, or no leave after all; nothing was submitted.</summary>
    public string LeaveNotWanted(Meeting meeting) => $"好的，没有提交{Name(meeting)}的请假申请。要为其他会议请假，请重新发送并说明是哪个会议，如“常委会请假”。";

    public TimeZoneInfo Zone => time.Zone;

    public static string NoneInPeriod(string period, bool forMember) => $"{period}没有{(forMember ? "您的" : "")}会议活动。";

    /// <param name="period">The time asked about ("今天（11月28日）"), or null for every upcoming meeting.</param>
    public string List(IReadOnlyList<MeetingView> views, bool forMember, DateTimeOffset now, string? period = null)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{(period is null ? "近期" : period + "的")}会议活动（共{views.Count}场）：");
        for (var i = 0; i < views.Count; i++)
        {
            var (meeting, own) = (views[i].Meeting, views[i].Own);
            text.Append(CultureInfo.InvariantCulture, $"\n\n{i + 1}. {meeting.Title}");
            text.Append(CultureInfo.InvariantCulture, $"\n类型：{meeting.Type.ToLabel()}｜{meeting.Participation.ToLabel()}");
            text.Append(CultureInfo.InvariantCulture, $"\n时间：{time.Range(meeting.StartsAt, meeting.EndsAt)}");
            if (!string.IsNullOrWhiteSpace(meeting.Location))
            {
                text.Append(CultureInfo.InvariantCulture, $"\n地点：{meeting.Location}");
            }

            if (meeting.StartsAt <= now)
            {
                // Under way: neither sign-up nor leave can be asked for any more, so neither is offered.
                text.Append("\n会议进行中");
            }
            else if (meeting.Participation == ParticipationMode.Mandatory)
            {
                text.Append("\n无需报名，请按时出席；不能出席请请假");
            }
            else if (MeetingService.SignupClosesAt(meeting) <= now)
            {
                text.Append("\n报名已截止");
            }
            else
            {
                var seats = views[i].SeatsLeft switch
                {
                    null => "不限",
                    <= 0 => $"已满（共{meeting.Capacity}个），可报名候补",
                    { } left => $"剩余{left}个（共{meeting.Capacity}个）",
                };
                text.Append(CultureInfo.InvariantCulture, $"\n名额：{seats}");
                text.Append(CultureInfo.InvariantCulture, $"\n报名截止：{time.DateTime(MeetingService.SignupClosesAt(meeting))}");
            }

            if (forMember && own is not null && own.Status != ParticipationStatus.Cancelled)
            {
                text.Append(CultureInfo.InvariantCulture, $"\n您的状态：{State(own)}");
            }
        }

        if (forMember)
        {
            text.Append("\n\n报名请回复“报名 序号”，如“报名 1”；请假回复“请假 序号”。");
        }

        return text.ToString();
    }

    /// <summary>
    /// The answer to a question about one meeting ("大运河视察还有名额吗"): whether it takes sign-ups, its seats and
    /// deadline and, for a member, their own state or how to sign up (the meeting is number 1 of the list remembered).
    /// </summary>
    public string About(MeetingView view, bool forMember, DateTimeOffset now)
    {
        var (meeting, own) = (view.Meeting, view.Own);
        var open = false;
        var text = new StringBuilder(Name(meeting));
        if (meeting.StartsAt <= now)
        {
            text.Append("已经开始，不能再报名。");
        }
        else if (meeting.Participation == ParticipationMode.Mandatory)
        {
            text.Append("是指定出席的会议，无需报名，请按时出席；不能出席请请假。");
        }
        else if (MeetingService.SignupClosesAt(meeting) <= now)
        {
            text.Append(CultureInfo.InvariantCulture, $"的报名已于{time.DateTime(MeetingService.SignupClosesAt(meeting))}截止。");
        }
        else
        {
            open = true;
            var deadline = time.DateTime(MeetingService.SignupClosesAt(meeting));
            text.Append(view.SeatsLeft switch
            {
                null => $"名额不限，报名截止{deadline}。",
                <= 0 => $"名额已满（共{meeting.Capacity}个），可以报名候补，有人取消时按顺序递补。报名截止{deadline}。",
                { } left => $"还有{left}个名额（共{meeting.Capacity}个），报名截止{deadline}。",
            });
        }

        if (!forMember)
        {
            return text.ToString();
        }

        text.Append('\n').Append(own?.Status switch
        {
            ParticipationStatus.SignedUp => "您已报名。",
            ParticipationStatus.CheckedIn => "您已签到。",
            null or ParticipationStatus.Cancelled when open => view.SeatsLeft is <= 0 ? "您还没有报名，需要候补请回复“报名 1”。" : "您还没有报名，需要报名请回复“报名 1”。",
            null or ParticipationStatus.Cancelled => string.Empty,
            _ => $"您的状态：{State(own)}。",
        });
        return text.ToString().TrimEnd('\n');
    }

    /// <summary>"您近期没有…": asked when or where "my" meeting is, with none the member is expected at.</summary>
    public const string NoMeetingExpected = "您近期没有已报名或需要出席的会议。" + ListHint;

    /// <summary>
    /// The answer to when and where one meeting is ("大运河视察几点集合", "常委会在哪里开"): its time and place and, for
    /// a member, their own state or how to sign up (the meeting is number 1 of the list remembered).
    /// </summary>
    /// <param name="next">The meeting was not named: it is the member's next one, and the answer says so.</param>
    public string Details(MeetingView view, bool forMember, DateTimeOffset now, bool next = false)
    {
        var (meeting, own) = (view.Meeting, view.Own);
        var text = new StringBuilder(next ? "您接下来要参加的会议是：\n" : string.Empty);
        text.Append(CultureInfo.InvariantCulture, $"【{meeting.Title}】\n时间：{time.Range(meeting.StartsAt, meeting.EndsAt)}");
        if (!string.IsNullOrWhiteSpace(meeting.Location))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n地点：{meeting.Location}");
        }

        if (meeting.StartsAt <= now)
        {
            text.Append("\n会议进行中");
        }

        if (!forMember)
        {
            return text.ToString();
        }

        var open = meeting.StartsAt > now && meeting.Participation == ParticipationMode.OpenSignup && MeetingService.SignupClosesAt(meeting) > now;
        var line = own?.Status switch
        {
            ParticipationStatus.SignedUp => "您已报名。",
            ParticipationStatus.CheckedIn => "您已签到。",
            null or ParticipationStatus.Cancelled when meeting.Participation == ParticipationMode.Mandatory =>
                meeting.StartsAt > now ? "这是指定出席的会议，请按时出席；不能出席请请假。" : string.Empty,
            null or ParticipationStatus.Cancelled when open => "您还没有报名，需要报名请回复“报名 1”。",
            null or ParticipationStatus.Cancelled => meeting.StartsAt > now ? "报名已截止，您没有报名。" : string.Empty,
            _ => $"您的状态：{State(own)}。",
        };
        return line.Length == 0 ? text.ToString() : text.Append('\n').Append(line).ToString();
    }

    public string Mine(IReadOnlyList<MeetingView> views)
    {
        if (views.Count == 0)
        {
            return "您目前没有报名近期的会议活动，也没有请假申请。" + ListHint;
        }

        var text = new StringBuilder("您近期的会议活动：");
        foreach (var view in views)
        {
            var state = view.Own is { Status: not ParticipationStatus.Cancelled } own ? State(own) : "指定出席";
            text.Append(CultureInfo.InvariantCulture, $"\n· {Name(view.Meeting)}：{state}");
            if (view.Own is { Status: ParticipationStatus.LeaveRejected, LeaveDecisionNote: { } reason })
            {
                text.Append(CultureInfo.InvariantCulture, $"，原因：{reason}");
            }
        }

        return text.ToString();
    }

    public const string CheckInAtTheDoor = "签到在会场办理：请到签到处，由会务工作人员为您登记。";

    /// <summary>The answer to "签到": today's meetings of the member with their check-in, and where check-in is done.</summary>
    public string CheckIn(IReadOnlyList<MeetingView> today)
    {
        if (today.Count == 0)
        {
            return "今天没有您要参加的会议。" + CheckInAtTheDoor;
        }

        var text = new StringBuilder("您今天的会议：");
        foreach (var view in today)
        {
            var state = view.Own switch
            {
                { Status: ParticipationStatus.CheckedIn, CheckedInAt: { } at } => string.Create(CultureInfo.InvariantCulture, $"已签到（{time.ToLocal(at):HH:mm}）"),
                { Status: ParticipationStatus.CheckedIn } => "已签到",
                { Status: ParticipationStatus.LeaveApproved } => "已准假，无需签到",
                _ => "未签到",
            };
            text.Append(CultureInfo.InvariantCulture, $"\n· {Name(view.Meeting)}：{state}");
        }

        if (today.Any(v => v.Own?.Status is not (ParticipationStatus.CheckedIn or ParticipationStatus.LeaveApproved)))
        {
            text.Append('\n').Append(CheckInAtTheDoor);
        }

        return text.ToString();
    }

    /// <summary>"已报名", "候补第2位", "请假待批（因病）".</summary>
    public static string State(Participation own) => own.Status switch
    {
        ParticipationStatus.Waitlisted when own.WaitlistPosition is { } position => $"候补第{position}位",
        ParticipationStatus.LeavePending or ParticipationStatus.LeaveApproved or ParticipationStatus.LeaveRejected when own.LeaveReason is { } reason =>
            $"{own.Status.ToLabel()}（{reason.ToLabel()}）",
        _ => own.Status.ToLabel(),
    };

    public string SignUp(SignUpResult result)
    {
        var meeting = result.Meeting!;
        var name = Name(meeting);
        return result.Outcome switch
        {
            SignUpOutcome.SignedUp => $"报名成功！{name}，地点：{meeting.Location ?? "另行通知"}。如不能参加，请发送“取消报名”。",
            SignUpOutcome.Waitlisted => $"已加入{name}的候补，您是候补第{result.WaitlistPosition}位。有人取消时将按顺序递补，并会通知您。",
            SignUpOutcome.Full => $"{name}名额已满（共{meeting.Capacity}个）。需要加入候补吗？有人取消时按候补顺序递补。请回复“是”加入候补，或回复“不用”。",
            SignUpOutcome.AlreadySignedUp => $"您已报名{name}，无需重复报名。",
            SignUpOutcome.AlreadyWaitlisted => $"您已在{name}的候补名单中（第{result.WaitlistPosition}位），有名额时会通知您。",
            SignUpOutcome.DeadlinePassed when meeting.StartsAt <= time.Now => $"{name}已经开始，无法再报名。如有特殊情况请联系区政协办公室。",
            SignUpOutcome.DeadlinePassed => $"{name}的报名已于{time.DateTime(MeetingService.SignupClosesAt(meeting))}截止，无法再报名。如有特殊情况请联系区政协办公室。",
            SignUpOutcome.OnLeave when result.Status == ParticipationStatus.LeaveApproved => $"您{name}的请假已获批准。如能出席，请联系区政协办公室说明，我们会为您更新。",
            SignUpOutcome.OnLeave => $"您已提交{name}的请假申请，正在审批。如能出席，请联系区政协办公室说明，我们会为您更新。",
            // Not named: a meeting the member is not invited to (a 主席会议, say) is not theirs to learn of from the bot.
            SignUpOutcome.NotInvited => "您说的会议不在您的参会范围内，无法报名。如有疑问请联系区政协办公室。" + ListHint,
            SignUpOutcome.MandatoryMeeting => $"{name}是指定出席的会议，无需报名，请按时出席。如不能出席，请发送“请假”说明事由。",
            SignUpOutcome.MeetingCancelled => $"{name}已取消，无法报名。",
            SignUpOutcome.MeetingOver => $"{name}已经结束，无法报名。" + ListHint,
            _ => ListHint,
        };
    }

    public string Cancel(CancelResult result)
    {
        var name = Name(result.Meeting!);
        return result.Outcome switch
        {
            CancelOutcome.Cancelled => $"已取消您对{name}的报名。",
            CancelOutcome.LeftWaitlist => $"已将您移出{name}的候补名单。",
            CancelOutcome.NotSignedUp => $"您没有报名{name}，无需取消。",
            CancelOutcome.NotOnWaitlist => $"您已是{name}的正式报名，不在候补名单中，报名保留。如不能参加，请发送“取消报名”。",
            CancelOutcome.MandatoryMeeting => $"{name}是指定出席的会议，不能取消。如不能出席，请发送“请假”说明事由。",
            CancelOutcome.MeetingCancelled => $"{name}已取消，无需再取消报名。",
            CancelOutcome.MeetingStarted => $"{name}已经开始或结束，不能再取消报名。",
            _ => ListHint,
        };
    }

    public string Leave(LeaveResult result)
    {
        var name = Name(result.Meeting!);
        return result.Outcome switch
        {
            LeaveOutcome.Requested => $"已提交{name}的请假申请（{result.Participation!.LeaveReason!.Value.ToLabel()}），状态：请假待批。审批后会通知您。",
            LeaveOutcome.AlreadyPending => $"您已提交{name}的请假申请，正在等待审批，审批后会通知您。",
            LeaveOutcome.AlreadyApproved => $"您{name}的请假已获批准，无需再次申请。",
            LeaveOutcome.AlreadyRejected => $"您{name}的{LeaveRefused(result.Participation!)}。同一事由不再重复提交，请按时出席；如情况有变，请直接联系区政协办公室。",
            LeaveOutcome.AlreadyCheckedIn => $"您已在{name}签到，无需请假。如需提前离会，请告知会务工作人员。",
            LeaveOutcome.NotMandatory => $"{name}是自愿报名的活动，不需要请假。如已报名但不能参加，请发送“取消报名”，名额会让给候补的委员。",
            LeaveOutcome.NotInvited => "您说的会议不在您的参会范围内，无需请假。" + ListHint,
            LeaveOutcome.MeetingCancelled => $"{name}已取消，无需请假。",
            LeaveOutcome.MeetingStarted => $"{name}已经开始或结束，无法再请假。如有特殊情况请联系区政协办公室。",
            _ => ListHint,
        };
    }

    /// <summary>"请假申请（因病）未获批准，原因：…": a refused request, as a member asking leave again reads it.</summary>
    public static string LeaveRefused(Participation refused) =>
        $"请假申请（{refused.LeaveReason?.ToLabel() ?? "未说明事由"}）未获批准" + (refused.LeaveDecisionNote is { } reason ? $"，原因：{reason}" : string.Empty);

    /// <summary>What a leave dialog begins with for a member whose earlier request was refused: only another reason is asked for.</summary>
    public static string LeaveRefusedBefore(Participation refused) => $"您此前的{LeaveRefused(refused)}。如有其他事由，可以重新申请。\n";

    public string ConfirmCancel(Meeting meeting) => $"确认取消您对{Name(meeting)}的报名吗？回复“是”确认取消，回复“否”保留报名。";

    public string AskLeaveReasonFor(Meeting meeting) => $"为{Name(meeting)}请假。" + AskLeaveReason;

    public string PromotedFromWaitlist(Meeting meeting) =>
        $"好消息：{Name(meeting)}有名额空出，您已由候补转为“已报名”。地点：{meeting.Location ?? "另行通知"}。如不能参加，请发送“取消报名”。";

    /// <param name="afterRefusal">The office approved it on review, after the member was told it was refused.</param>
    public string LeaveApprovedNotice(Meeting meeting, bool afterRefusal = false) =>
        afterRefusal ? $"您{Name(meeting)}的请假申请经区政协办公室重新审核，现已批准，此前的不准假通知作废。" : $"您{Name(meeting)}的请假申请已批准。";

    /// <summary>
    /// What the member's next words after a refused leave request ("因病", "那怎么办", "为什么") are answered with: what
    /// can be done instead. Null when the refusal said all there is.
    /// </summary>
    public string? LeaveFollowUp(LeaveResult result)
    {
        var name = Name(result.Meeting!);
        var line = result.Outcome switch
        {
            LeaveOutcome.MeetingStarted => $"{name}已经开始或结束，请假无法在这里办理了。确有特殊情况，请直接联系区政协办公室说明。",
            LeaveOutcome.NotMandatory when result.Participation?.Status is ParticipationStatus.SignedUp or ParticipationStatus.Waitlisted =>
                $"{name}不需要请假。不能参加的话，请发送“取消报名”，名额会让给候补的委员。",
            LeaveOutcome.NotMandatory => $"{name}是自愿报名的活动，您没有报名，不参加也无需办理任何手续。",
            LeaveOutcome.AlreadyPending => $"您{name}的请假申请正在等待审批，不需要再提交，结果会通知您。如需补充说明，请联系区政协办公室。",
            LeaveOutcome.AlreadyApproved => $"您{name}的请假已获批准，不需要再办理。如情况有变、能够出席，请联系区政协办公室。",
            LeaveOutcome.AlreadyRejected => $"您{name}同一事由的请假已审批过，不需要再提交。如情况有变，请直接联系区政协办公室。",
            LeaveOutcome.AlreadyCheckedIn => $"您已在{name}签到，无需请假。如需提前离会，请告知会务工作人员。",
            LeaveOutcome.MeetingCancelled => $"{name}已取消，无需请假，也不用再办理什么。",
            _ => null,
        };
        return line is null ? null : "关于刚才的请假：" + line;
    }

    /// <param name="started">The meeting has started (leave decided after the fact): no "请按时出席".</param>
    public string LeaveRejectedNotice(Meeting meeting, string? reason, bool started) =>
        $"您{Name(meeting)}的请假申请未获批准" + (reason is null ? "" : $"，原因：{reason}") + (started ? "。" : "。请按时出席，") + "如有疑问请联系区政协办公室。";

    /// <summary>How staff see a leave request still undecided when its meeting began: 会议已开始, 会议已结束, or null before the start.</summary>
    public static string? LateLeave(Meeting meeting, DateTimeOffset now) =>
        meeting.EndsAt <= now ? "会议已结束" : meeting.StartsAt <= now ? "会议已开始" : null;

    /// <summary>"无" (no note) where the bot asked which meeting the leave is for: that question comes first.</summary>
    public const string ConfirmLeaveMeetingFirst = "先确认一下会议：是这个会议请回复“是”，接着办理请假；不是请回复“不是”。";

    /// <summary>The answers to a question about one meeting.</summary>
    public const string ConfirmOne = "请回复“是”确认，回复“不是”放弃。";

    /// <summary>"取消" where the bot asks to confirm leave for a meeting the member is called to: there is no sign-up to cancel.</summary>
    public const string NoSignUpToCancelAskLeave = "这个会议是指定出席的，没有报名可以取消，不能参加需要请假。要为它请假请回复“是”；不请假请回复“不是”。";

    /// <param name="byNumber">The meetings are offered, not found: even one is picked by its number.</param>
    public string Choose(string question, IReadOnlyList<Meeting> meetings, bool byNumber = false)
    {
        var text = new StringBuilder(question);
        for (var i = 0; i < meetings.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n{i + 1}. {Name(meetings[i])}");
        }

        text.Append(meetings.Count == 1 && !byNumber ? "\n" + ConfirmOne : "\n请回复序号；不需要请回复“不是”。");
        return text.ToString();
    }

    private static readonly ParticipationStatus[] RosterStates =
        [ParticipationStatus.SignedUp, ParticipationStatus.Waitlisted, ParticipationStatus.LeavePending, ParticipationStatus.LeaveApproved, ParticipationStatus.CheckedIn];

    /// <summary>Counts and names per state: 已报名 / 候补 / 请假待批 / 已准假 / 已签到 (and 请假未准 when there are any).</summary>
    public string Roster(MeetingRoster roster)
    {
        // A meeting members must attend has no sign-ups or waitlist: its attendance only (出席情况).
        var mandatory = roster.Expected is not null;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Name(roster.Meeting)}{(mandatory ? "出席情况" : "报名情况")}");
        if (roster.Meeting.Status == MeetingStatus.Cancelled)
        {
            text.Append("（会议已取消）");
        }

        text.Append('：');
        if (roster.Expected is { } expected)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n指定出席，应出席{expected}人（已扣除准假）");
        }
        else if (roster.Meeting.Capacity is { } capacity)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n名额{capacity}个");
        }

        var states = roster.Names.ContainsKey(ParticipationStatus.LeaveRejected) ? [.. RosterStates, ParticipationStatus.LeaveRejected] : RosterStates;
        foreach (var state in states)
        {
            var names = roster.Names.GetValueOrDefault(state) ?? [];
            if (mandatory && names.Count == 0 && state is ParticipationStatus.SignedUp or ParticipationStatus.Waitlisted)
            {
                continue;
            }

            if (Labels.IsVoidLeave(state, roster.Meeting.Status))
            {
                // Cancelled: its leave requests wait for no decision (the heading says why).
                continue;
            }

            text.Append(CultureInfo.InvariantCulture, $"\n{state.ToLabel()}：{names.Count}人");
            if (names.Count > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"（{string.Join("、", names)}）");
            }
        }

        return text.ToString();
    }

    public string PendingLeave(IReadOnlyList<PendingLeave> pending)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"待审批的请假申请（共{pending.Count}条）：");
        for (var i = 0; i < pending.Count; i++)
        {
            var leave = pending[i];
            var late = LateLeave(leave.Meeting, time.Now) is { } label ? $"（{label}）" : string.Empty;
            text.Append(CultureInfo.InvariantCulture, $"\n{i + 1}. {leave.MemberName}　{Name(leave.Meeting)}{late}　{leave.Reason?.ToLabel() ?? "未说明"}");
            if (leave.Note is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $"　说明：{leave.Note}");
            }
        }

        text.Append(pending.Count > 1 ? "\n回复“批准 1”或“不批准 1 原因”；多条可一起，如“批准 1、2”“全部批准”。" : "\n回复“批准 1”或“不批准 1 原因”。");
        return text.ToString();
    }

    /// <summary>Whether the member heard of a staff decision, as the staff member is told it.</summary>
    public static string Told(NotificationOutcome? told) => told switch
    {
        NotificationOutcome.Sent => "已通知本人。",
        NotificationOutcome.NoChannel => "本人没有可用的企业微信或钉钉账号，请另行告知。",
        NotificationOutcome.Queued => "通知本人的消息暂未发出，稍后会自动重发；如需尽快告知，请另行联系。",
        _ => "但通知本人的消息没有发出，请另行告知。",
    };

    public string Decided(LeaveDecisionResult result, bool approve) => result.Outcome switch
    {
        LeaveDecisionOutcome.Decided => $"已{(approve ? "批准" : "不批准")}{result.Leave!.MemberName}{Name(result.Leave.Meeting)}的请假，{Told(result.MemberTold)}",
        LeaveDecisionOutcome.AlreadyDecided => $"{result.Leave?.MemberName}的这条请假已处理过" + (result.Status is { } status ? $"（{status.ToLabel()}）" : "") + "，没有改动。",
        LeaveDecisionOutcome.MeetingCancelled => $"{Name(result.Leave!.Meeting)}已取消，{result.Leave.MemberName}的这条请假无需再审批。",
        _ => "没有找到这条请假申请，请重新发送“请假审批”查看。",
    };
}
