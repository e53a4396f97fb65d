using System.Globalization;
using Linping.CppccBot.Conversations;
using Linping.CppccBot.Conversations.Recognition;
using Linping.CppccBot.Features.Help;
using Linping.CppccBot.Features.Meetings;
using Linping.CppccBot.Features.Opinions;
using Linping.CppccBot.Features.Proposals;
using Linping.CppccBot.Persistence;
using Linping.CppccBot.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Linping.CppccBot.Features.Common;

/// <summary>
/// A bare number ("2", "看第2个", "第二个") picks an entry of the numbered list the member saw LAST, whichever feature
/// showed it: a proposal list opens that proposal, a list of reports that report; a meeting list or the staff's leave list names the entry and says
/// how to act on it (never acting on a bare number). Without a recent list the number means nothing, and the member
/// is told so.
/// </summary>
public sealed class ListPickHandler(IServiceProvider services, IntentHandlers handlers, BotDbContext db, ChineseTime time) : IIntentHandler
{
    /// <summary>How long a list stays the one a bare number refers to.</summary>
    private static readonly TimeSpan ListLifetime = TimeSpan.FromHours(12);

    public IReadOnlyCollection<string> Intents { get; } = [IntentNames.ListPick];

    public async Task HandleAsync(TurnContext turn, Intent intent, CancellationToken cancellationToken)
    {
        var pick = int.TryParse(intent.Slot, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        var (kind, shownAt) = RecentList.Last(turn) switch
        {
            RecentList.Proposals => (RecentList.Proposals, ReadTime(turn, ProposalsHandler.ListAtKey)),
            RecentList.Meetings => (RecentList.Meetings, ReadTime(turn, MeetingConversation.ListAtKey)),
            RecentList.LeaveReview => (RecentList.LeaveReview, ReadTime(turn, LeaveReviewHandler.ListAtKey)),
            RecentList.Opinions => (RecentList.Opinions, ReadTime(turn, OpinionHandler.ListAtKey)),
            _ => (null, null),
        };
        if (shownAt is null || turn.Now - shownAt >= ListLifetime)
        {
            kind = null;
        }

        switch (kind)
        {
            case RecentList.Proposals:
                var proposals = handlers.Find(IntentNames.ProposalSearch, services)!;
                await proposals.HandleAsync(turn, new Intent(IntentNames.ProposalSearch, ChineseIntentRecognizer.ListPickPrefix + pick.ToString(CultureInfo.InvariantCulture)), cancellationToken);
                break;
            case RecentList.Meetings:
                await DescribeMeetingAsync(turn, pick, cancellationToken);
                break;
            case RecentList.LeaveReview:
                turn.Reply($"要处理第{pick}条请假申请，请回复“批准 {pick}”，或“不批准 {pick} 原因”。");
                break;
            case RecentList.Opinions:
                if (handlers.Find(IntentNames.MyOpinions, services) is OpinionHandler reports)
                {
                    await reports.ShowPickedAsync(turn, pick, cancellationToken);
                }
                break;
            default:
                turn.Reply($"没太明白“{pick}”指的是什么：最近没有可以按序号选择的列表。\n{(HelpHandler.TalkedBefore(turn) ? HelpTexts.BriefMenuFor(turn.Caller) : HelpTexts.MenuFor(turn.Caller))}");
                break;
        }
    }

    private async Task DescribeMeetingAsync(TurnContext turn, int pick, CancellationToken cancellationToken)
    {
        var ids = turn.State.Memory.GetValueOrDefault(MeetingConversation.ListKey)?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (pick < 1 || pick > ids.Length)
        {
            turn.Reply($"序号{pick}不在您上次查看的会议列表中（共{ids.Length}场）。发“最近有什么会议”重新查看。");
            return;
        }

        var meeting = await db.Meetings.AsNoTracking().Where(m => m.Id == ids[pick - 1])
            .Select(m => new { m.Id, m.Title, m.StartsAt, m.Status, m.Participation }).FirstOrDefaultAsync(cancellationToken);
        if (meeting is null)
        {
            turn.Reply("这个会议已不在列表中。发“最近有什么会议”重新查看。");
            return;
        }

        var memberId = turn.Caller?.MemberId;
        var own = memberId is null
            ? null
            : await db.Participations.AsNoTracking().Where(p => p.MeetingId == meeting.Id && p.MemberId == memberId)
                .Select(p => (ParticipationStatus?)p.Status).FirstOrDefaultAsync(cancellationToken);
        var named = $"第{pick}个是【{meeting.Title}】（{time.DateTime(meeting.StartsAt)}）";
        // What the member can do with it next, by the meeting's kind and where they stand: no 报名 for a meeting they are
        // called to, no 请假 for one they may simply skip.
        var next = (meeting.Status, meeting.Participation, own) switch
        {
            (MeetingStatus.Cancelled, _, _) => "，已取消，不用再办理什么。",
            (_, _, ParticipationStatus.LeavePending) => "，您已请假，正在等待审批，结果会通知您。",
            (_, _, ParticipationStatus.LeaveApproved) => "，您的请假已批准。",
            (_, _, ParticipationStatus.CheckedIn) => "，您已签到。",
            (_, ParticipationMode.Mandatory, _) => $"，是指定出席的会议，无需报名，请按时出席；不能参加请回复“请假 {pick}”。",
            (_, _, ParticipationStatus.SignedUp) => $"，您已报名。不能参加请回复“取消报名 {pick}”。",
            (_, _, ParticipationStatus.Waitlisted) => $"，您在候补名单中，有名额空出会通知您；不需要了请回复“取消报名 {pick}”。",
            _ => $"。报名请回复“报名 {pick}”。",
        };
        turn.Reply(named + next);
    }

    private static DateTimeOffset? ReadTime(TurnContext turn, string key) =>
        turn.State.Memory.TryGetValue(key, out var value) && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            ? at
            : null;
}
