namespace Linping.CppccBot.Persistence.Entities;

/// <summary>
/// The Chinese labels members and staff see, in one place (CONTRACT.md "What a member sees"). Chat replies call
/// <c>ToLabel()</c> rather than spelling labels themselves, so a wording change is one edit.
/// </summary>
public static class Labels
{
    /// <summary>企业微信 or 钉钉, as the roster's 首选应用 column writes it.</summary>
    public static string ToLabel(this MessagingApp app) => app switch
    {
        MessagingApp.WeCom => "企业微信",
        MessagingApp.DingTalk => "钉钉",
        _ => throw new ArgumentOutOfRangeException(nameof(app), app, null),
    };

    /// <summary>
    /// Reads a 首选应用 value: the names (<c>WeCom</c>, <c>DingTalk</c>) or the Chinese labels and their common variants
    /// (企业微信 / 企微 / 微信, 钉钉); false for anything else.
    /// </summary>
    public static bool TryParseMessagingApp(string? text, out MessagingApp app)
    {
        switch (text?.Trim())
        {
            case "WeCom" or "企业微信" or "企微" or "微信":
                app = MessagingApp.WeCom;
                return true;
            case "DingTalk" or "钉钉":
                app = MessagingApp.DingTalk;
                return true;
            default:
                app = default;
                return false;
        }
    }

    public static string ToLabel(this ProposalStatus status) => status switch
    {
        ProposalStatus.Submitted => "已提交",
        ProposalStatus.UnderReview => "审查中",
        ProposalStatus.Filed => "已立案",
        ProposalStatus.NotFiled => "不予立案",
        ProposalStatus.Assigned => "已交办",
        ProposalStatus.InHandling => "办理中",
        ProposalStatus.Replied => "已答复",
        ProposalStatus.Closed => "已办结",
        ProposalStatus.Rehandling => "重新办理",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>"A 类" etc.</summary>
    public static string ToLabel(this AnswerClass answerClass) => answerClass switch
    {
        AnswerClass.A => "A 类",
        AnswerClass.B => "B 类",
        AnswerClass.C => "C 类",
        _ => throw new ArgumentOutOfRangeException(nameof(answerClass), answerClass, null),
    };

    /// <summary>What the class means, as CONTRACT.md words it.</summary>
    public static string ToMeaning(this AnswerClass answerClass) => answerClass switch
    {
        AnswerClass.A => "所提问题已经解决或基本解决",
        AnswerClass.B => "所提问题正在解决或已列入计划解决",
        AnswerClass.C => "因条件限制或其他原因需留作参考",
        _ => throw new ArgumentOutOfRangeException(nameof(answerClass), answerClass, null),
    };

    public static string ToLabel(this EvaluationResult result) => result switch
    {
        EvaluationResult.Satisfied => "满意",
        EvaluationResult.BasicallySatisfied => "基本满意",
        EvaluationResult.Unsatisfied => "不满意",
        _ => throw new ArgumentOutOfRangeException(nameof(result), result, null),
    };

    public static string ToLabel(this ParticipationStatus status) => status switch
    {
        ParticipationStatus.SignedUp => "已报名",
        ParticipationStatus.Waitlisted => "候补",
        ParticipationStatus.Cancelled => "已取消",
        ParticipationStatus.LeavePending => "请假待批",
        ParticipationStatus.LeaveApproved => "已准假",
        ParticipationStatus.LeaveRejected => "请假未准",
        ParticipationStatus.CheckedIn => "已签到",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>What a leave request undecided when its meeting was cancelled reads: it waits for no decision any more.</summary>
    public const string MeetingCancelled = "会议已取消";

    /// <summary>
    /// A participation's label in its meeting: as <see cref="ToLabel(ParticipationStatus)"/>, except that a leave request
    /// still undecided when the meeting was cancelled reads <see cref="MeetingCancelled"/>, not 请假待批.
    /// </summary>
    public static string ToLabel(this ParticipationStatus status, MeetingStatus meeting) =>
        IsVoidLeave(status, meeting) ? MeetingCancelled : status.ToLabel();

    /// <summary>A leave request its meeting's cancellation left without a decision to make (counted as pending nowhere).</summary>
    public static bool IsVoidLeave(ParticipationStatus status, MeetingStatus meeting) =>
        status == ParticipationStatus.LeavePending && meeting == MeetingStatus.Cancelled;

    public static string ToLabel(this LeaveReason reason) => reason switch
    {
        LeaveReason.Illness => "因病",
        LeaveReason.Personal => "因事",
        LeaveReason.Official => "公务",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    public static string ToLabel(this MeetingType type) => type switch
    {
        MeetingType.PlenarySession => "全体会议",
        MeetingType.StandingCommittee => "常委会会议",
        MeetingType.ChairCouncil => "主席会议",
        MeetingType.ThematicConsultation => "专题协商会",
        MeetingType.QingNiLaiXieShang => "请你来协商",
        MeetingType.Inspection => "视察",
        MeetingType.Research => "专题调研",
        MeetingType.DemocraticSupervision => "民主监督",
        MeetingType.StudioActivity => "委员工作室活动",
        MeetingType.ProposalConsultation => "提案办理面商会",
        MeetingType.Training => "学习培训",
        MeetingType.Other => "其他",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>What a change notice names as changed, in this order: 名称, 时间, 地点, 名额, 报名截止时间, 类型或参会方式.</summary>
    public static IReadOnlyList<string> ToLabels(this MeetingAspects aspects) =>
        [.. AspectLabels.Where(a => aspects.HasFlag(a.Aspect)).Select(a => a.Label)];

    private static readonly (MeetingAspects Aspect, string Label)[] AspectLabels =
    [
        (MeetingAspects.Title, "名称"), (MeetingAspects.Time, "时间"), (MeetingAspects.Place, "地点"), (MeetingAspects.Seats, "名额"),
        (MeetingAspects.Deadline, "报名截止时间"), (MeetingAspects.Terms, "类型或参会方式"),
    ];

    public static string ToLabel(this ParticipationMode mode) => mode switch
    {
        ParticipationMode.OpenSignup => "自愿报名",
        ParticipationMode.Mandatory => "指定出席",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    public static string ToLabel(this MeetingStatus status) => status switch
    {
        MeetingStatus.Published => "已发布",
        MeetingStatus.Cancelled => "已取消",
        MeetingStatus.Draft => "草稿",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string ToLabel(this OpinionStatus status) => status switch
    {
        OpinionStatus.Submitted => "已报送",
        OpinionStatus.UnderReview => "审核中",
        OpinionStatus.Returned => "退回修改",
        OpinionStatus.Adopted => "已采用",
        OpinionStatus.ReportedUpward => "已上报",
        OpinionStatus.NotAdopted => "未采用",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string ToLabel(this UnitRole role) => role switch
    {
        UnitRole.Lead => "主办",
        UnitRole.Co => "协办",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };
}
