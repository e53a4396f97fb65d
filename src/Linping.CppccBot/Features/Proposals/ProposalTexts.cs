using System.Globalization;
using System.Text;
using Linping.CppccBot.Features.Common;
using Linping.CppccBot.Persistence.Entities;

namespace Linping.CppccBot.Features.Proposals;

/// <summary>What members read about proposals. Every reply about a proposal names its number and title.</summary>
public sealed class ProposalTexts(ChineseTime time)
{
    public const string HowToSearch = "可以发提案号，如“查提案12号”“第0012号”；或发“提案”加标题里的词，如“提案 养老”；发“我的提案”查看您提的提案。";

    public const string WhatToSearch = "请告诉我要查哪件提案。" + HowToSearch;

    public const string NoRecentList = "您最近没有查看过提案列表，不知道要看第几个。" + HowToSearch;

    public const string NotAMember = "“我的提案”查询的是委员本人提出的提案，您的账号不是委员。";

    /// <summary>Staff who are not members look up any proposal; "我的提案" is no way for them.</summary>
    public const string WhatToSearchForStaff = "请告诉我要查哪件提案：可以发提案号，如“12号”“一届五次第0012号”；或发标题里的词，如“养老”。";

    public const string NoneOfYours = "没有查到您作为提案人（领衔或联名）的提案。如有出入，请联系区政协提案委。";

    private const string PickHint = "回复序号查看详情，例如“1”。";

    /// <summary>The numbers not looked up, as the member wrote them: 41号, or 一届五次第0041号 when they named the session.</summary>
    public static string TooManyNumbers(int max, IEnumerable<(string? Session, int Serial)> rest) =>
        string.Create(CultureInfo.InvariantCulture, $"一次最多查看 {max} 件提案，{string.Join("、", rest.Select(n => n.Session is null
            ? n.Serial.ToString(CultureInfo.InvariantCulture) + "号"
            : string.Create(CultureInfo.InvariantCulture, $"{n.Session}第{n.Serial:D4}号")))}请另行发送查询。");

    public static string NotFound(int serial) =>
        string.Create(CultureInfo.InvariantCulture, $"没有找到第{serial}号提案，请核对编号。") + HowToSearch;

    public static string NotFoundInSession(string session, int serial) =>
        string.Create(CultureInfo.InvariantCulture, $"没有找到{session}第{serial:D4}号提案，请核对届次和编号。") + HowToSearch;

    /// <summary>
    /// A proposal not filed (still under review, or not accepted) is seen by its proposers and staff only. Asked by its
    /// number, others learn that the number exists (numbers are given in order, so that is no secret) but neither its
    /// title nor whether it is waiting or was not accepted; a search by title words does not find it at all.
    /// </summary>
    public static string NotPublic(Proposal proposal) => $"{proposal.Number}提案暂不公开，只有提案人和提案工作人员可以查看。";

    /// <summary>"12号" found this session's 12; the same serial in earlier sessions is named, to be asked by its full number.</summary>
    public static string AlsoInOtherSessions(IReadOnlyList<string> numbers) =>
        $"另有{string.Join("、", numbers)}提案，如需查看请发送完整案号，如“{numbers[^1]}”。";

    /// <summary>
    /// How a member asks for <paramref name="proposal"/> again: "12号" in the latest session (what a bare number finds),
    /// else its full number, 一届五次第0012号. With <paramref name="numberOnly"/> the short form has no 号 ("评价 12 满意").
    /// </summary>
    public static string Reference(Proposal proposal, string? latestSession, bool numberOnly = false) =>
        latestSession is null || proposal.Session == latestSession
            ? proposal.Serial.ToString(CultureInfo.InvariantCulture) + (numberOnly ? string.Empty : "号")
            : proposal.Number;

    public static string NothingMatches(string query) => $"没有找到与“{query}”相关的提案。换个标题里的词试试。" + HowToSearch;

    public static string PickOutOfRange(int count) =>
        string.Create(CultureInfo.InvariantCulture, $"刚才的列表只有 {count} 项，请回复 1 到 {count} 之间的序号。");

    public string Detail(Proposal proposal, IReadOnlyDictionary<string, string> names, ProposalViewer viewer, DateTimeOffset now)
    {
        var privateDetails = viewer.SeesPrivateDetails(proposal);
        var text = new StringBuilder();
        text.Append(Heading(proposal));
        if (proposal.IsKey)
        {
            text.Append("【重点提案】");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"状态：{proposal.Status.ToLabel()}");
        var proposers = proposal.Proposers.OrderBy(p => p.Position)
            .Select((p, i) => names.GetValueOrDefault(p.MemberId, "（未知委员）") + (i == 0 ? "（领衔）" : string.Empty));
        text.AppendLine(CultureInfo.InvariantCulture, $"提案人：{string.Join("、", proposers)}");
        if (proposal.Units.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"承办单位：{string.Join("、", proposal.Units.OrderBy(u => u.Role).ThenBy(u => u.Position).Select(u => $"{u.Name}（{u.Role.ToLabel()}）"))}");
        }
        else if (proposal.Status != ProposalStatus.NotFiled)
        {
            // A proposal not filed is never assigned: "尚未交办" would promise what will not come.
            text.AppendLine("承办单位：尚未交办");
        }
        if (DueLine(proposal, now) is { } due)
        {
            text.AppendLine(due);
        }

        if (proposal.History.Count > 0)
        {
            text.AppendLine("办理进程：");
            foreach (var step in proposal.History.OrderBy(h => h.Id))
            {
                var note = privateDetails && !string.IsNullOrWhiteSpace(step.Note) ? $"（{step.Note}）" : string.Empty;
                text.AppendLine(CultureInfo.InvariantCulture, $"· {time.Date(step.At)} {step.Status.ToLabel()}{note}");
            }
        }

        if (proposal.ReplyClass is { } answerClass)
        {
            var repliedOn = proposal.RepliedAt is { } at ? $"，{time.Date(at)}答复" : string.Empty;
            text.AppendLine(CultureInfo.InvariantCulture, $"答复类别：{answerClass.ToLabel()}（{answerClass.ToMeaning()}）{repliedOn}");
            if (privateDetails)
            {
                if (!string.IsNullOrWhiteSpace(proposal.ReplySummary))
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"答复摘要：{proposal.ReplySummary}");
                }

                text.AppendLine(proposal.Evaluation is { } evaluation ? $"委员评价：{evaluation.ToLabel()}" : "委员评价：尚未评价");
            }
            else
            {
                text.AppendLine("答复内容和委员评价仅提案人和提案工作人员可以查看。");
            }
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>"您共有 2 件提案，还有 2 件没有办完" and the numbered list.</summary>
    public string Mine(IReadOnlyList<Proposal> proposals, string memberId, DateTimeOffset now)
    {
        var done = proposals.Count(p => p.Status is ProposalStatus.Replied or ProposalStatus.Closed);
        var handling = proposals.Count(p => ProposalViewer.IsFiled(p.Status) && p.Status is not (ProposalStatus.Replied or ProposalStatus.Closed));
        var reviewing = proposals.Count(p => p.Status is ProposalStatus.Submitted or ProposalStatus.UnderReview);
        var notFiled = proposals.Count(p => p.Status == ProposalStatus.NotFiled);

        var counts = new List<string>();
        AddCount(counts, done, "已答复或办结");
        AddCount(counts, handling, "正在办理");
        AddCount(counts, reviewing, "在审查中");
        AddCount(counts, notFiled, "不予立案");
        // A member of two terms has proposals of several sessions: how many are of each, the latest first.
        var sessions = proposals.GroupBy(p => p.Session).OrderByDescending(g => ProposalNumber.Rank(g.Key)).ToList();
        var bySession = sessions.Count < 2
            ? string.Empty
            : $"其中{string.Join("、", sessions.Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Count()} 件")))}；";
        var rest = handling + reviewing == 0
            ? "都已办完或不再办理"
            : string.Create(CultureInfo.InvariantCulture, $"还有 {handling + reviewing} 件没有办完");
        var summary = string.Create(CultureInfo.InvariantCulture, $"您共有 {proposals.Count} 件提案，{bySession}{rest}");

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{summary}（{string.Join("，", counts)}）：");
        string? toEvaluate = null;
        for (var i = 0; i < proposals.Count; i++)
        {
            var p = proposals[i];
            var lead = p.Proposers.FirstOrDefault(x => x.MemberId == memberId)?.Position == 0;
            var overdue = IsOverdue(p, now) ? "，已超期" : string.Empty;

            // The lead proposer evaluates a reply; one not yet evaluated waits for them.
            var waiting = lead && p.Status == ProposalStatus.Replied && p.Evaluation is null;
            // "评价 12" finds the member's own 12 of the latest session: the full number when they have another 12.
            toEvaluate ??= !waiting ? null : proposals.Count(x => x.Serial == p.Serial) == 1 ? p.Serial.ToString(CultureInfo.InvariantCulture) : p.Number;
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{i + 1}. {Heading(p)} {p.Status.ToLabel()}（{(lead ? "领衔" : "联名")}{overdue}{(waiting ? "，待您评价" : string.Empty)}）"));
        }

        if (toEvaluate is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"已答复待评价的提案，请回复“评价 {toEvaluate} 满意”（或基本满意、不满意）作出评价。");
        }

        text.Append(PickHint);
        return text.ToString();
    }

    public static string List(IReadOnlyList<Proposal> proposals, string query, bool approximate)
    {
        var text = new StringBuilder();
        text.AppendLine(approximate
            ? $"没有找到与“{query}”完全相符的提案，您要找的是不是："
            : string.Create(CultureInfo.InvariantCulture, $"与“{query}”相关的提案有 {proposals.Count} 件："));
        for (var i = 0; i < proposals.Count; i++)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{i + 1}. {Heading(proposals[i])} {proposals[i].Status.ToLabel()}"));
        }

        text.Append(PickHint);
        return text.ToString();
    }

    private static string Heading(Proposal proposal) => $"{proposal.Number}《{proposal.Title}》";

    private static void AddCount(List<string> counts, int count, string what)
    {
        if (count > 0)
        {
            counts.Add(string.Create(CultureInfo.InvariantCulture, $"{what} {count} 件"));
        }
    }

    /// <summary>Overdue only while the units still owe a reply.</summary>
    private static bool IsOverdue(Proposal proposal, DateTimeOffset now) =>
        proposal.DueAt is { } due && OwesReply(proposal.Status) && now > due;

    private static bool OwesReply(ProposalStatus status) =>
        status is ProposalStatus.Filed or ProposalStatus.Assigned or ProposalStatus.InHandling or ProposalStatus.Rehandling;

    private string? DueLine(Proposal proposal, DateTimeOffset now)
    {
        if (proposal.DueAt is not { } due)
        {
            return null;
        }

        var dueText = $"办理期限：{time.Date(due)}";
        if (OwesReply(proposal.Status))
        {
            var days = (time.ToLocal(due).Date - time.ToLocal(now).Date).Days;
            return now > due
                ? string.Create(CultureInfo.InvariantCulture, $"{dueText}，已超期 {Math.Max(1, -days)} 天")
                : days == 0 ? $"{dueText}，今天到期" : string.Create(CultureInfo.InvariantCulture, $"{dueText}，还剩 {days} 天");
        }

        return proposal.RepliedAt is { } replied
            ? $"{dueText}，{(replied <= due ? "已按期答复" : "答复时已超期")}"
            : dueText;
    }
}
