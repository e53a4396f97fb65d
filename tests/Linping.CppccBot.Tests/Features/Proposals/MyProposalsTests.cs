using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Linping.CppccBot.Tests.Features.Proposals;

/// <summary>"我的提案": the caller's own proposals, as lead or joint proposer.</summary>
public sealed class MyProposalsTests : IDisposable
{
    private readonly BotHostFactory _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task AMember_SeesTheirProposals_WithStatus_AndHowManyAreStillOpen()
    {
        var reply = await _host.Member("liuzhiqiang").AskAsync("我提的提案都办完了吗");

        Assert.Equal(
            """
            您共有 2 件提案，还有 2 件没有办完（正在办理 2 件）：
            1. 一届五次第0012号《关于高水平建设临平数智城的建议》 办理中（联名，已超期）
            2. 一届五次第0041号《关于推进小微园区安全管理的建议》 已交办（领衔，已超期）
            回复序号查看详情，例如“1”。
            """,
            reply);
    }

    [Fact]
    public async Task OneOfMyProposals_NamedByWordsOfItsTitle_IsShown_AndWordsThatFitNoneShowThemAll()
    {
        var named = await _host.Member("liuzhiqiang").AskAsync("我提的那个数智城的提案");
        var joint = await _host.Member("chenxiaoyan").AskAsync("我联名的养老提案怎么样了");
        var noneFits = await _host.Member("liuzhiqiang").AskAsync("我的提案今天有消息没");

        Assert.StartsWith("一届五次第0012号《关于高水平建设临平数智城的建议》", named, StringComparison.Ordinal);
        Assert.StartsWith("一届五次第0035号《关于完善居家养老服务照料中心功能的建议》", joint, StringComparison.Ordinal);
        Assert.StartsWith("您共有 2 件提案", noneFits, StringComparison.Ordinal);
    }

    [Fact]
    public Task AMember_CanOpenOneOfTheirProposals_ByItsNumberInTheList() =>
        _host.Member("liuzhiqiang").Script()
            .Send("我的提案").Expect("1. 一届五次第0012号", "2. 一届五次第0041号")
            .Send("2").Expect("一届五次第0041号《关于推进小微园区安全管理的建议》", "承办单位：区应急管理局（主办）")
            .RunAsync();

    [Fact]
    public async Task AReplyWaitingForTheLeadsEvaluation_IsMarked_AndTheListSaysHowToEvaluate()
    {
        // 41 (liuzhiqiang leads) and 12 (liuzhiqiang joint) answered, neither evaluated: only the lead evaluates.
        await _host.DbAsync(async db =>
        {
            foreach (var proposal in await db.Proposals.Where(p => p.Serial == 12 || p.Serial == 41).ToListAsync())
            {
                proposal.Status = ProposalStatus.Replied;
                proposal.RepliedAt = _host.Time.GetUtcNow();
            }

            return await db.SaveChangesAsync();
        });

        var reply = await _host.Member("liuzhiqiang").AskAsync("我的提案");

        Assert.Contains("1. 一届五次第0012号《关于高水平建设临平数智城的建议》 已答复（联名）\n", reply, StringComparison.Ordinal);
        Assert.Contains("2. 一届五次第0041号《关于推进小微园区安全管理的建议》 已答复（领衔，待您评价）\n", reply, StringComparison.Ordinal);
        Assert.Contains("请回复“评价 41 满意”（或基本满意、不满意）作出评价。", reply, StringComparison.Ordinal);
        Assert.Contains("已收到您对提案", await _host.Member("liuzhiqiang").AskAsync("评价 41 满意"), StringComparison.Ordinal);
        var after = await _host.Member("liuzhiqiang").AskAsync("我的提案");
        Assert.DoesNotContain("待您评价", after, StringComparison.Ordinal);
        Assert.DoesNotContain("作出评价", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMemberWhoseProposalsAreDone_IsToldSo()
    {
        var reply = await _host.Member("chenxiaoyan").AskAsync("我的提案");

        Assert.Contains("您共有 2 件提案，都已办完或不再办理（已答复或办结 1 件，不予立案 1 件）", reply, StringComparison.Ordinal);
        Assert.Contains("1. 一届五次第0035号《关于完善居家养老服务照料中心功能的建议》 已办结（联名）", reply, StringComparison.Ordinal);
        Assert.Contains("2. 一届五次第0063号《关于建立孕产妇心理健康干预机制的建议》 不予立案（领衔）", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMemberWithNoProposals_IsToldSo()
    {
        var reply = await _host.Member("zhanglihua").AskAsync("我的提案");

        Assert.Contains("没有查到您作为提案人", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("《", reply, StringComparison.Ordinal);
    }

    /// <summary>Staff who are not members have no proposals of their own: they are asked which proposal, and the answer is looked up.</summary>
    [Fact]
    public async Task StaffWhoAreNotMembers_AreToldItIsForMembers_AndAskedWhichProposal()
    {
        var lims = _host.Member("lims");
        var reply = await lims.AskAsync("我的提案");

        Assert.Contains("您的账号不是委员", reply, StringComparison.Ordinal);
        Assert.Contains("请告诉我要查哪件提案", reply, StringComparison.Ordinal);
        Assert.StartsWith("一届五次第0012号《关于高水平建设临平数智城的建议》", await lims.AskAsync("数智城"), StringComparison.Ordinal);
    }

    /// <summary>
    /// "提案进度" naming no proposal is a member's question about their own; staff who are not members may look up any
    /// proposal, so they are asked which (not told they are no member), and the next answer is the query.
    /// </summary>
    [Theory]
    [InlineData("提案进度")]
    [InlineData("提案办得怎么样了")]
    [InlineData("提案进度查询")]
    public async Task StaffWhoAreNotMembers_AskingHowProposalsStand_AreAskedWhichProposal(string text)
    {
        var lims = _host.Member("lims");
        var reply = await lims.AskAsync(text);

        Assert.StartsWith("请告诉我要查哪件提案", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("不是委员", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("我的提案", reply, StringComparison.Ordinal);
        Assert.StartsWith("一届五次第0012号《关于高水平建设临平数智城的建议》", await lims.AskAsync("12"), StringComparison.Ordinal);
    }
}
