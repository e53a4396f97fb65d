using System.Globalization;
using System.Text.RegularExpressions;
using Linping.CppccBot.Conversations;
using Linping.CppccBot.Conversations.Recognition;
using Linping.CppccBot.Persistence.Entities;

namespace Linping.CppccBot.Features.Meetings;

/// <summary>
/// Staff with the MeetingOrganiser role decide leave requests in chat: "请假审批" lists the pending ones numbered,
/// "批准 1" and "不批准 1 原因…" decide by that number. Everyone else is told the command is not theirs.
/// </summary>
public sealed partial class LeaveReviewHandler(MeetingService service, MeetingTexts texts) : IIntentHandler
{
    internal const string ListKey = "meetings.leaveReview";
    internal const string ListAtKey = "meetings.leaveReviewAt";

    public IReadOnlyCollection<string> Intents { get; } = [IntentNames.ReviewLeave, IntentNames.ApproveLeave, IntentNames.RejectLeave];

    public async Task HandleAsync(TurnContext turn, Intent intent, CancellationToken cancellationToken)
    {
        if (turn.Caller.StaffId is not { } staffId || !turn.Caller.HasRole(StaffRoles.MeetingOrganiser))
        {
            turn.Reply(MeetingTexts.StaffOnly);
            return;
        }

        if (intent.Name == IntentNames.ReviewLeave)
        {
            var pending = await service.PendingLeaveAsync(cancellationToken);
            if (pending.Count == 0)
            {
                turn.State.Memory.Remove(ListKey);
                turn.Reply(MeetingTexts.NoLeavePending);
                return;
            }

            turn.State.Memory[ListKey] = string.Join(',', pending.Select(p => p.ParticipationId.ToString(CultureInfo.InvariantCulture)));
            turn.State.Memory[ListAtKey] = turn.Now.ToString("O", CultureInfo.InvariantCulture);
            Common.RecentList.Remember(turn, Common.RecentList.LeaveReview);
            turn.Reply(texts.PendingLeave(pending));
            return;
        }

        // The raw text, not NFKC: the reason goes to the member as the staff member wrote it (full-width punctuation).
        var command = DecisionPattern().Match(turn.Text);
        var list = RecentList(turn);
        if (!command.Success || list is null)
        {
            turn.Reply(MeetingTexts.NoNumberedLeaveList);
            return;
        }

        var numberText = command.Groups["number"].Value;
        var number = numberText.All(char.IsDigit)
            ? numberText.Aggregate(0, (total, digit) => (total * 10) + (int)char.GetNumericValue(digit))
            : TextNormalizer.ParseChineseNumber(numberText) ?? 0;
        if (number < 1 || number > list.Count)
        {
            turn.Reply($"序号{number}不在待审批列表中（共{list.Count}条）。请发送“请假审批”重新查看。");
            return;
        }

        var approve = intent.Name == IntentNames.ApproveLeave;
        var reason = command.Groups["reason"].Value.Trim();
        var result = await service.DecideLeaveAsync(list[number - 1], staffId, approve, reason.Length == 0 ? null : reason, cancellationToken);
        turn.Reply(texts.Decided(result, approve));
    }

    private static List<long>? RecentList(TurnContext turn)
    {
        if (!turn.State.Memory.TryGetValue(ListKey, out var ids) || string.IsNullOrEmpty(ids)
            || !turn.State.Memory.TryGetValue(ListAtKey, out var at)
            || !DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var listedAt)
            || turn.Now - listedAt > MeetingConversation.ListLifetime)
        {
            return null;
        }

        return [.. ids.Split(',').Select(id => long.Parse(id, CultureInfo.InvariantCulture))];
    }

    [GeneratedRegex(@"^\s*(?:不予批准|不批准|不同意|不准假|驳回|拒绝|批准|同意|准假)\s*第?\s*(?<number>\d{1,3}|[一二三四五六七八九十两]{1,3})\s*(?:个|条|号)?\s*[，,:：、;；。.]?\s*(?:(?:原因|理由|因为)\s*[:：]?)?\s*(?<reason>.*)$", RegexOptions.Singleline)]
    private static partial Regex DecisionPattern();
}
