using System.Net;
using System.Text;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Features.Staff;
using Microsoft.EntityFrameworkCore;

namespace Linping.CppccBot.Tests.Features.Proposals;

/// <summary>
/// A new session numbers its proposals from 1 again (二届一次第0012号 after 一届五次第0012号): both are kept, a bare "12号"
/// means the newest, and whatever could mean either (a staff route, a reminder's "查提案12号") names the full number.
/// </summary>
public sealed class ProposalSessionTests : StaffApiHost
{
    private static readonly byte[] NextSession = Encoding.UTF8.GetBytes(
        "案号,标题,提案人,办理状态,主办单位\n二届一次第0012号,关于新一届委员履职平台建设的建议,M002,已立案,区数据资源局\n");

    [Fact]
    public async Task ABareNumber_ShowsTheNewestSessions_AndNamesTheEarlierOne_WhichItsFullNumberShows()
    {
        var (imported, importedBody) = await UploadAsync("proposals.csv", NextSession);

        var bare = await Host.Member("zhanglihua").AskAsync("查提案12号");
        var earlier = await Host.Member("zhanglihua").AskAsync("一届五次第0012号");
        var unknown = await Host.Member("zhanglihua").AskAsync("二届一次第0041号");

        Assert.True(imported.StatusCode == HttpStatusCode.OK, importedBody.ToString());
        Assert.StartsWith("二届一次第0012号《关于新一届委员履职平台建设的建议》", bare, StringComparison.Ordinal);
        Assert.EndsWith("另有一届五次第0012号提案，如需查看请发送完整案号，如“一届五次第0012号”。", bare, StringComparison.Ordinal);
        Assert.StartsWith("一届五次第0012号《关于高水平建设临平数智城的建议》", earlier, StringComparison.Ordinal);
        Assert.DoesNotContain("另有", earlier, StringComparison.Ordinal);
        Assert.StartsWith("没有找到二届一次第0041号提案，请核对届次和编号。", unknown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStaffRoute_ByASerialOfTwoSessions_IsRefused_AndTheFullNumberMovesThatOneAlone()
    {
        await UploadAsync("proposals.csv", NextSession);

        var (ambiguous, ambiguousBody) = await PostAsync("/api/admin/proposals/12/status", new { status = "Assigned" });
        var (moved, movedBody) = await PostAsync($"/api/admin/proposals/{Uri.EscapeDataString("二届一次第0012号")}/status", new { status = "Assigned" });
        var (only, onlyBody) = await PostAsync("/api/admin/proposals/41/status", new { status = "Replied", resultClass = "A" });

        Assert.Equal(HttpStatusCode.Conflict, ambiguous.StatusCode);
        Assert.Contains("序号 12 在几个届次都有（一届五次第0012号、二届一次第0012号）", ambiguousBody.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.True(moved.StatusCode == HttpStatusCode.OK, movedBody.ToString());
        Assert.Equal("二届一次第0012号", movedBody.GetProperty("number").GetString());
        Assert.True(only.StatusCode == HttpStatusCode.OK, onlyBody.ToString()); // a serial of one session alone still works
        var twelves = await Host.DbAsync(db => db.Proposals.AsNoTracking().Where(p => p.Serial == 12).OrderBy(p => p.Id).Select(p => p.Status).ToListAsync(Ct));
        Assert.Equal([ProposalStatus.InHandling, ProposalStatus.Assigned], twelves);

        // The new proposal's proposer hears of it, asked for by the short number, which finds it.
        var news = Assert.Single(WeCom.Messages, m => m.Recipients.Contains("chenxiaoyan") && m.Content.Contains("提案交办", StringComparison.Ordinal));
        Assert.Contains("二届一次第0012号《关于新一届委员履职平台建设的建议》已交办", news.Content, StringComparison.Ordinal);
        Assert.Contains("发送“查提案12号”可查看办理进程", news.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEarlierSessionsReply_IsAskedForByItsFullNumber_AndTheLeadEvaluatesItsOwnTwelveByTheShortOne()
    {
        await UploadAsync("proposals.csv", NextSession);

        var (replied, repliedBody) = await PostAsync(
            $"/api/admin/proposals/{Uri.EscapeDataString("一届五次第0012号")}/status", new { status = "Replied", resultClass = "A", summary = "已纳入数智城建设规划。" });
        var evaluated = await Host.Member("wangjianguo").AskAsync("评价 12 满意");

        Assert.True(replied.StatusCode == HttpStatusCode.OK, repliedBody.ToString());
        var news = Assert.Single(WeCom.Messages, m => m.Recipients.Contains("wangjianguo") && m.Content.Contains("提案答复", StringComparison.Ordinal));
        Assert.Contains("请发送“查提案一届五次第0012号”查看答复", news.Content, StringComparison.Ordinal);
        Assert.Contains("直接回复“评价 一届五次第0012号 满意”", news.Content, StringComparison.Ordinal);

        // 王建国 proposed 一届五次's 12, not 二届一次's: "评价 12" is his.
        Assert.StartsWith("已收到您对提案 一届五次第0012号", evaluated, StringComparison.Ordinal);
        var stored = await Host.DbAsync(db => db.Proposals.AsNoTracking().Where(p => p.Serial == 12).OrderBy(p => p.Id).Select(p => p.Evaluation).ToListAsync(Ct));
        Assert.Equal([EvaluationResult.Satisfied, null], stored);
    }

    [Fact]
    public async Task NumbersOfTwoSessionsInOneMessage_ShowEachProposal_AndThoseLeftOverAreNamedWithTheirSession()
    {
        await UploadAsync("proposals.csv", NextSession);

        var both = await Host.Member("zhanglihua").SendAsync("一届五次第0012号和二届一次第0012号");
        var many = await Host.Member("zhanglihua").SendAsync("一届五次第0027号、第0035号、第0041号和二届一次第0012号");
        var bareFirst = await Host.Member("zhanglihua").SendAsync("12号和一届五次第0035号");

        Assert.Equal(2, both.Count);
        Assert.StartsWith("一届五次第0012号《关于高水平建设临平数智城的建议》", both[0], StringComparison.Ordinal);
        Assert.StartsWith("二届一次第0012号《关于新一届委员履职平台建设的建议》", both[1], StringComparison.Ordinal);
        Assert.Equal(4, many.Count);
        Assert.StartsWith("一届五次第0027号《", many[0], StringComparison.Ordinal);
        Assert.StartsWith("一届五次第0035号《", many[1], StringComparison.Ordinal);
        Assert.StartsWith("一届五次第0041号《", many[2], StringComparison.Ordinal);
        Assert.Equal("一次最多查看 3 件提案，二届一次第0012号请另行发送查询。", many[3]);
        Assert.Equal(2, bareFirst.Count);
        Assert.StartsWith("二届一次第0012号《", bareFirst[0], StringComparison.Ordinal);
        Assert.StartsWith("一届五次第0035号《", bareFirst[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABareNumberToEvaluate_TakesTheMembersOwnReplied_NotTheirNewerOneStillUnderWay()
    {
        // 王建国 leads 12 in both sessions: 一届五次's is replied, 二届一次's only filed.
        await UploadAsync("proposals.csv", Encoding.UTF8.GetBytes(
            "案号,标题,提案人,办理状态,主办单位\n二届一次第0012号,关于新一届委员履职平台建设的建议,M001、M002,已立案,区数据资源局\n"));
        await PostAsync($"/api/admin/proposals/{Uri.EscapeDataString("一届五次第0012号")}/status", new { status = "Replied", resultClass = "A" });

        var evaluated = await Host.Member("wangjianguo").AskAsync("评价12号提案 基本满意");

        Assert.StartsWith("已收到您对提案 一届五次第0012号《关于高水平建设临平数智城的建议》的评价：基本满意。", evaluated, StringComparison.Ordinal);
        var stored = await Host.DbAsync(db => db.Proposals.AsNoTracking().Where(p => p.Serial == 12).OrderBy(p => p.Id).Select(p => p.Evaluation).ToListAsync(Ct));
        Assert.Equal([EvaluationResult.BasicallySatisfied, null], stored);
    }

    [Fact]
    public async Task TitlesOfTwoSessionsThatFitAlike_AreListedLatestSessionFirst()
    {
        await UploadAsync("proposals.csv", Encoding.UTF8.GetBytes(
            "案号,标题,提案人,办理状态,主办单位\n二届一次第0003号,关于推进居家养老服务提质扩面的建议,M006,已立案,区民政局\n"));

        var listed = await Host.Member("zhanglihua").AskAsync("搜索提案 居家养老");

        Assert.StartsWith(
            "与“居家养老”相关的提案有 2 件：\n1. 二届一次第0003号《关于推进居家养老服务提质扩面的建议》 已立案\n2. 一届五次第0035号《关于完善居家养老服务照料中心功能的建议》 已办结\n",
            listed.ReplaceLineEndings("\n"),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task MyProposalsOfTwoSessions_SayHowManyAreOfEach_TheLatestFirst()
    {
        await UploadAsync("proposals.csv", NextSession);

        var mine = await Host.Member("chenxiaoyan").AskAsync("我的提案");

        Assert.StartsWith(
            "您共有 3 件提案，其中二届一次 1 件、一届五次 2 件；还有 1 件没有办完（已答复或办结 1 件，正在办理 1 件，不予立案 1 件）：\n1. 二届一次第0012号",
            mine.ReplaceLineEndings("\n"),
            StringComparison.Ordinal);
    }
}
