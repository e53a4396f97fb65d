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
        var list = RecentList(turn);
        if (ParseDecision(turn.Text) is not { } decision || list is null)
        {
            turn.Reply(MeetingTexts.NoNumberedLeaveList);
            return;
        }

        var numbers = decision.All ? Enumerable.Range(1, list.Count).ToList() : decision.Numbers;
        var outside = numbers.Where(n => n < 1 || n > list.Count).ToList();
        if (outside.Count > 0)
        {
            // Nothing is decided when one number is wrong: the staff member meant a list that is not the one shown.
            turn.Reply($"序号{string.Join("、", outside)}不在待审批列表中（共{list.Count}条），没有做任何审批。请发送“请假审批”重新查看。");
            return;
        }

        var approve = intent.Name == IntentNames.ApproveLeave;
        var reason = decision.Reason.Length == 0 ? null : decision.Reason;
        var replies = new List<string>();
        foreach (var number in numbers)
        {
            var result = await service.DecideLeaveAsync(list[number - 1], staffId, approve, reason, cancellationToken);
            replies.Add(numbers.Count == 1 ? texts.Decided(result, approve) : $"{number}. {texts.Decided(result, approve)}");
        }

        turn.Reply(string.Join('\n', replies));
    }

    /// <summary>A decision read from the staff member's words: the list numbers (or all of them) and the reason.</summary>
    internal sealed record LeaveDecisionCommand(bool All, List<int> Numbers, string Reason);

    /// <summary>
    /// "批准 1", "批准 1、3", "批准1-3", "全部批准", "不批准 2,4 原因：本次需全体出席", "批准 1 2 3": null when no number
    /// (or 全部) follows the verb.
    /// </summary>
    internal static LeaveDecisionCommand? ParseDecision(string text)
    {
        var match = DecisionPattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var all = match.Groups["all"].Success;
        var numbers = new List<int>();
        foreach (Match item in NumberItemPattern().Matches(match.Groups["numbers"].Value))
        {
            var from = Number(item.Groups["from"].Value);
            var to = item.Groups["to"].Success ? Number(item.Groups["to"].Value) : from;
            for (var n = from; n <= Math.Min(to, from + 200); n++)
            {
                numbers.Add(n);
            }
        }

        var reason = match.Groups["reason"].Value.Trim();

        // "批准 1 2 3": numbers parted by spaces only, nothing else after them.
        if (SpacedNumbersPattern().IsMatch(reason))
        {
            numbers.AddRange(reason.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(Number));
            reason = string.Empty;
        }

        return !all && numbers.Count == 0 ? null : new LeaveDecisionCommand(all, [.. numbers.Distinct()], reason);
    }

    private static int Number(string text) =>
        text.All(char.IsAsciiDigit)
            ? int.Parse(text, CultureInfo.InvariantCulture)
            : text.All(char.IsDigit)
                ? text.Aggregate(0, (total, digit) => (total * 10) + (int)char.GetNumericValue(digit))
                : TextNormalizer.ParseChineseNumber(text) ?? 0;

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

    private const string DecisionNumber = @"(?:\d{1,3}|[一二三四五六七八九十两]{1,3})";

    [GeneratedRegex(@"^\s*(?:(?<all>全部|所有|都|全)\s*)?(?:不予批准|不批准|不同意|不准假|驳回|拒绝|批准|同意|准假)\s*(?:(?<all>全部|所有的?|都)|(?<numbers>第?\s*" + DecisionNumber + @"\s*(?:个|条|号)?(?:\s*(?:[、,，和及与/]|至|到|[-~—－～])\s*第?\s*" + DecisionNumber + @"\s*(?:个|条|号)?)*))?\s*[，,:：、;；。.]?\s*(?:(?:原因|理由|因为)\s*[:：]?)?\s*(?<reason>.*)$", RegexOptions.Singleline)]
    private static partial Regex DecisionPattern();

    [GeneratedRegex(@"(?<from>" + DecisionNumber + @")\s*(?:个|条|号)?(?:\s*(?:至|到|[-~—－～])\s*第?\s*(?<to>" + DecisionNumber + "))?")]
    private static partial Regex NumberItemPattern();

    [GeneratedRegex(@"^\d{1,3}(?:\s+\d{1,3})*$")]
    private static partial Regex SpacedNumbersPattern();
}
