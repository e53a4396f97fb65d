using Linping.CppccBot.Persistence;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Linping.CppccBot.Tests.Features.Proposals;

/// <summary>Proposals by number and their detail, through the real turn handler against the seeded demo data.</summary>
public sealed class ProposalLookupTests : IDisposable
{
    private readonly BotHostFactory _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task SeveralNumbersInOneMessage_ShowEach_UpToThree_AndNameTheRest()
    {
        var two = await _host.Member("liuzhiqiang").SendAsync("12号提案和41号提案怎么样了");
        var five = await _host.Member("liuzhiqiang").SendAsync("查提案12号、27号、35号、41号、58号");

        Assert.Equal(2, two.Count);
        Assert.StartsWith("一届五次第0012号《关于高水平建设临平数智城的建议》", two[0], StringComparison.Ordinal);
        Assert.StartsWith("一届五次第0041号《关于推进小微园区安全管理的建议》", two[1], StringComparison.Ordinal);
        Assert.Equal(4, five.Count);
        Assert.Contains("第0027号", five[1], StringComparison.Ordinal);
        Assert.Equal("一次最多查看 3 件提案，41号、58号请另行发送查询。", five[3]);
    }

    [Fact]
    public async Task ADateInTheQuestion_IsNoSecondNumber()
    {
        var reply = await _host.Member("liuzhiqiang").AskAsync("12号提案11月30号前能答复吗");

        Assert.StartsWith("一届五次第0012号", reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("12号")]
    [InlineData("第12号")]
    [InlineData("第0012号")]
    [InlineData("一届五次第0012号")]
    [InlineData("查提案12号")]
    [InlineData("12号提案进度")]
    [InlineData("查提案１２号")]
    [InlineData("第十二号")]
    [InlineData("提案第十二号")]
    [InlineData("第0012号提案怎么样了？")]
    [InlineData("查一下第12号")]
    [InlineData("提案12")]
    [InlineData("  一届五次 第0012号 ！")]
    public async Task EveryFormOfTheNumber_ShowsProposal12(string text)
    {
        var reply = await _host.Member("zhouwei").AskAsync(text);

        Assert.StartsWith("一届五次第0012号《关于高水平建设临平数智城的建议》", reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("查提案12號")]
    [InlineData("第12號提案辦得怎麼樣")]
    [InlineData("一屆五次第0012號")]
    [InlineData("數智城那個提案到哪一步了")]
    public async Task TraditionalCharacters_AreReadLikeSimplified(string text)
    {
        var reply = await _host.Member("zhouwei").AskAsync(text);

        Assert.StartsWith("一届五次第0012号《关于高水平建设临平数智城的建议》", reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("12", "一届五次第0012号《关于高水平建设临平数智城的建议》")]
    [InlineData("数智城", "一届五次第0012号《关于高水平建设临平数智城的建议》")]
    [InlineData("我的提案", "您共有")]
    public async Task TheMenusQueryButton_AsksWhich_AndTakesTheAnswerAsTheQuery(string answer, string expected)
    {
        var member = _host.Member("wangjianguo");

        var asked = Assert.Single(await member.SendEventAsync("click", "PROPOSAL_SEARCH"));
        var found = await member.AskAsync(answer);

        Assert.StartsWith(Linping.CppccBot.Features.Proposals.ProposalTexts.WhatToSearch, asked, StringComparison.Ordinal);
        Assert.Contains(expected, found, StringComparison.Ordinal);
        Assert.Contains("没太明白", await member.AskAsync("数智城"), StringComparison.Ordinal); // the question was answered once
    }

    [Fact]
    public async Task TheDetail_NamesStatusProposersUnitsTimelineAndTheOverdueDueDate()
    {
        var reply = await _host.Member("zhouwei").AskAsync("41号提案进度");

        Assert.Equal(
            """
            一届五次第0041号《关于推进小微园区安全管理的建议》
            状态：已交办
            提案人：刘志强（领衔）
            承办单位：区应急管理局（主办）、区经信局（协办）
            办理期限：2025年10月10日，已超期 413 天
            办理进程：
            · 2025年6月6日 已提交
            · 2025年6月18日 审查中
            · 2025年6月30日 已立案
            · 2025年7月12日 已交办
            """,
            reply);
    }

    [Fact]
    public async Task AKeyProposal_IsMarked_AndJointProposersAreListedLeadFirst()
    {
        var reply = await _host.Member("zhouwei").AskAsync("第12号");

        Assert.Contains("《关于高水平建设临平数智城的建议》【重点提案】", reply, StringComparison.Ordinal);
        Assert.Contains("提案人：王建国（领衔）、刘志强", reply, StringComparison.Ordinal);
        Assert.Contains("状态：办理中", reply, StringComparison.Ordinal);
        Assert.Contains("· 2025年7月21日 办理中", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BeforeTheDueDate_TheReplyCountsTheDaysLeft_InsteadOfOverdue()
    {
        using var host = new BotHostFactory().WithServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(new FakeTimeProvider(DateTimeOffset.Parse("2025-09-01T09:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture)));
        });

        var reply = await host.Member("zhouwei").AskAsync("12号");

        Assert.Contains("办理期限：2025年10月7日，还剩 36 天", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("超期", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAnsweredProposal_IsNotMarkedOverdue_AndShowsItsAnswerClass()
    {
        var reply = await _host.Member("zhouwei").AskAsync("第0027号提案办得怎么样了");

        Assert.Contains("状态：已答复", reply, StringComparison.Ordinal);
        Assert.Contains("办理期限：2025年10月8日，已按期答复", reply, StringComparison.Ordinal);
        Assert.Contains("答复类别：A 类（所提问题已经解决或基本解决），2025年8月3日答复", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("已超期", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheReplySummaryAndEvaluation_AreShownToTheProposer()
    {
        var reply = await _host.Member("shenjiayi").AskAsync("27号");

        Assert.Contains("答复摘要：承办单位已答复，相关工作已列入年度计划推进。", reply, StringComparison.Ordinal);
        Assert.Contains("委员评价：满意", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheReplySummaryAndEvaluation_AreShownToProposalStaff()
    {
        var reply = await _host.Member("lims").AskAsync("27号");

        Assert.Contains("答复摘要：承办单位已答复", reply, StringComparison.Ordinal);
        Assert.Contains("委员评价：满意", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherMember_SeesThatItWasAnswered_ButNotTheSummaryNorTheEvaluation()
    {
        var reply = await _host.Member("wangjianguo").AskAsync("27号");

        Assert.Contains("一届五次第0027号《关于加快大运河国家文化公园临平段建设的建议》", reply, StringComparison.Ordinal);
        Assert.Contains("答复类别：A 类", reply, StringComparison.Ordinal);
        Assert.Contains("答复内容和委员评价仅提案人和提案工作人员可以查看", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("年度计划", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("满意", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AJointProposer_SeesTheSummaryToo()
    {
        var reply = await _host.Member("chenxiaoyan").AskAsync("一届五次第0035号");

        Assert.Contains("提案人：吴敏（领衔）、陈晓燕", reply, StringComparison.Ordinal);
        Assert.Contains("状态：已办结", reply, StringComparison.Ordinal);
        Assert.Contains("答复类别：B 类（所提问题正在解决或已列入计划解决）", reply, StringComparison.Ordinal);
        Assert.Contains("委员评价：基本满意", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnfiledProposal_IsNotPublic_ToOtherMembers()
    {
        var reply = await _host.Member("wangjianguo").AskAsync("63号");
        var search = await _host.Member("wangjianguo").AskAsync("孕产妇心理健康的提案");

        // Neither its title, its proposer nor whether it was turned down; its words find nothing.
        Assert.Equal("一届五次第0063号提案暂不公开，只有提案人和提案工作人员可以查看。", reply);
        Assert.StartsWith("没有找到与“孕产妇心理健康”相关的提案。", search, StringComparison.Ordinal);
        Assert.DoesNotContain("0063", search, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnfiledProposal_IsShownToItsProposer_WithTheOfficesNote()
    {
        var reply = await _host.Member("chenxiaoyan").AskAsync("63号");

        Assert.Contains("一届五次第0063号《关于建立孕产妇心理健康干预机制的建议》", reply, StringComparison.Ordinal);
        Assert.Contains("状态：不予立案", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("承办单位", reply, StringComparison.Ordinal); // never assigned: no "尚未交办"
        Assert.Contains("不予立案（建议转为社情民意信息报送）", reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("99号", "没有找到第99号提案")]
    [InlineData("第0号", "没有找到第0号提案")]
    [InlineData("一届四次第0012号", "没有找到一届四次第0012号提案")]
    public async Task ANumberThatDoesNotExist_GetsAClearAnswer(string text, string expected)
    {
        var reply = await _host.Member("zhouwei").AskAsync(text);

        Assert.Contains(expected, reply, StringComparison.Ordinal);
        Assert.Contains("查提案12号", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("《", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JustTheWordProposal_AsksWhichOne()
    {
        var reply = await _host.Member("zhouwei").AskAsync("查提案");

        Assert.Contains("请告诉我要查哪件提案", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lookups_ChangeNothingStored()
    {
        var before = await CountStateChangesAsync();
        await _host.Member("liuzhiqiang").SendAsync("我的提案");
        await _host.Member("liuzhiqiang").SendAsync("1");
        await _host.Member("liuzhiqiang").SendAsync("提案 临平");

        Assert.Equal(before, await CountStateChangesAsync());
    }

    private async Task<int> CountStateChangesAsync()
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BotDbContext>().StateChanges.CountAsync(TestContext.Current.CancellationToken);
    }
}
