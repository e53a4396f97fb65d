using System.Globalization;
using System.Text;
using Linping.CppccBot.Features.Common;
using Linping.CppccBot.Features.Proposals;
using Linping.CppccBot.Persistence.Entities;

namespace Linping.CppccBot.Features.Reminders;

/// <summary>The member-facing texts of proposal news; only the proposers receive them, so the reply summary may be included.</summary>
public sealed class ProposalNewsTexts(ChineseTime time)
{
    /// <summary>The news of <paramref name="kind"/>; <paramref name="latestSession"/> decides how the proposal is asked for again.</summary>
    public ReminderMessage For(Proposal proposal, string kind, bool lead, string? latestSession)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        var see = "查提案" + ProposalTexts.Reference(proposal, latestSession);
        var evaluate = "评价 " + ProposalTexts.Reference(proposal, latestSession, numberOnly: true);
        var role = lead ? "领衔" : "联名";
        var heading = string.Create(CultureInfo.InvariantCulture, $"{proposal.Number}《{proposal.Title}》");
        // Written again from the record at each attempt: a reply notice retried after the lead proposer evaluated no
        // longer asks for the evaluation.
        var ask = lead && proposal.Evaluation is { } given
            ? string.Create(CultureInfo.InvariantCulture, $"您已作出办理评价（{given.ToLabel()}）。发送“{see}”可查看答复。")
            : lead
            ? string.Create(CultureInfo.InvariantCulture, $"请发送“{see}”查看答复，并对办理情况作出评价：直接回复“{evaluate} 满意”（或基本满意、不满意，可在后面附上意见），也可发送“评价提案”按提示填写。")
            : string.Create(CultureInfo.InvariantCulture, $"请发送“{see}”查看答复。办理评价由领衔提案人作出，如有意见可与领衔提案人沟通或告知区政协提案委。");
        var text = new StringBuilder();
        string title;
        switch (kind)
        {
            case ProposalNewsDispatcher.AssignedKind:
                title = "提案交办";
                text.Append(CultureInfo.InvariantCulture, $"【{title}】您{role}的提案 {heading}已交办。\n");
                if (proposal.Units.Count > 0)
                {
                    var units = proposal.Units.OrderBy(u => u.Role).ThenBy(u => u.Position).Select(u => $"{u.Name}（{u.Role.ToLabel()}）");
                    text.Append(CultureInfo.InvariantCulture, $"承办单位：{string.Join("、", units)}\n");
                }

                if (proposal.DueAt is { } due)
                {
                    text.Append(CultureInfo.InvariantCulture, $"办理期限：{time.Date(due)}\n");
                }

                text.Append(CultureInfo.InvariantCulture, $"发送“{see}”可查看办理进程。");
                break;
            case ProposalNewsDispatcher.RepliedKind:
                title = "提案答复";
                var answerClass = proposal.ReplyClass is { } c ? $"（{c.ToLabel()}）" : string.Empty;
                text.Append(CultureInfo.InvariantCulture, $"【{title}】您{role}的提案 {heading}已答复{answerClass}。\n");
                if (!string.IsNullOrWhiteSpace(proposal.ReplySummary))
                {
                    text.Append(CultureInfo.InvariantCulture, $"答复摘要：{proposal.ReplySummary}\n");
                }

                text.Append(ask);
                break;
            case ProposalNewsDispatcher.NotFiledKind:
                title = "提案审查结果";
                text.Append(CultureInfo.InvariantCulture, $"【{title}】您{role}的提案 {heading}经审查不予立案。\n");
                if (proposal.History.Where(h => h.Status == ProposalStatus.NotFiled).MaxBy(h => h.At)?.Note is { Length: > 0 } reason)
                {
                    text.Append(CultureInfo.InvariantCulture, $"原因：{reason}\n");
                }

                text.Append("如有疑问，请联系区政协提案委。");
                break;
            default:
                title = "提案评价提醒";
                var on = proposal.RepliedAt is { } at ? $"已于{time.Date(at)}答复" : "已答复";
                text.Append(CultureInfo.InvariantCulture, $"【{title}】您{role}的提案 {heading}{on}，尚未收到您的评价。\n").Append(ask);
                break;
        }

        return new ReminderMessage(ProposalNewsDispatcher.Subject(proposal), title, text.ToString());
    }
}
