using Linping.CppccBot.Tests.Infrastructure;

namespace Linping.CppccBot.Tests.Features.Proposals;

/// <summary>Proposals by words of the title, lists and picking from them, through the real turn handler.</summary>
public sealed class ProposalSearchTests : IDisposable
{
    private readonly BotHostFactory _host = new();

    public void Dispose() => _host.Dispose();

    [Theory]
    [InlineData("数智城那个提案到哪一步了", "一届五次第0012号")]
    [InlineData("帮我查一下数智城那个提案现在到哪一步了？", "一届五次第0012号")]
    [InlineData("搜索提案 养老", "一届五次第0035号")]
    [InlineData("提案　养老服务", "一届五次第0035号")]
    [InlineData("有关居家养老的提案进展如何", "一届五次第0035号")]
    [InlineData("大运河那个提案", "一届五次第0027号")]
    [InlineData("小微园区安全管理的提案", "一届五次第0041号")]
    public async Task WordsOfTheTitle_WithOneClearMatch_ShowTheProposal(string text, string number)
    {
        var reply = await _host.Member("zhouwei").AskAsync(text);

        Assert.StartsWith(number, reply, StringComparison.Ordinal);
        Assert.Contains("状态：", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnfiledProposal_IsFoundForItsProposer_AndForStaff_ButNotForOthers()
    {
        const string Text = "有没有关于电动自行车的提案";

        var proposer = await _host.Member("xuhaitao").AskAsync(Text);
        var staff = await _host.Member("lims").AskAsync(Text);
        var other = await _host.Member("zhouwei").AskAsync(Text);

        Assert.StartsWith("一届五次第0058号《关于加强电动自行车消防安全管理的建议》", proposer, StringComparison.Ordinal);
        Assert.Contains("状态：审查中", proposer, StringComparison.Ordinal);
        Assert.StartsWith("一届五次第0058号", staff, StringComparison.Ordinal);
        Assert.Contains("没有找到与“电动自行车”相关的提案", other, StringComparison.Ordinal);
        Assert.DoesNotContain("0058", other, StringComparison.Ordinal);
    }

    [Fact]
    public Task WordsThatFitSeveral_GiveANumberedList_AndTheNumberOpensOne() =>
        _host.Member("zhouwei").Script()
            .Send("提案 临平")
            .Expect("与“临平”相关的提案有 2 件", "1. 一届五次第0012号《关于高水平建设临平数智城的建议》 办理中", "2. 一届五次第0027号《关于加快大运河国家文化公园临平段建设的建议》 已答复", "回复序号")
            .Send("2").Expect("一届五次第0027号《关于加快大运河国家文化公园临平段建设的建议》", "答复类别：A 类")
            .Send("看第1个").Expect("一届五次第0012号《关于高水平建设临平数智城的建议》【重点提案】")
            .Send("第二个").Expect("一届五次第0027号")
            .Send("5").Expect("刚才的列表只有 2 项")
            .RunAsync();

    [Fact]
    public async Task SharedWords_ListEveryCloseMatch_ForStaffWhoSeeUnfiledOnesToo()
    {
        var reply = await _host.Member("lims").AskAsync("安全管理的提案");

        Assert.Contains("相关的提案有 2 件", reply, StringComparison.Ordinal);
        Assert.Contains("1. 一届五次第0041号", reply, StringComparison.Ordinal);
        Assert.Contains("2. 一届五次第0058号", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APickWithoutARecentList_SaysSo()
    {
        var reply = await _host.Member("zhouwei").AskAsync("看第2个");

        Assert.Contains("最近没有可以按序号选择的列表", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("《", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AListIsForgotten_AfterTwoHours()
    {
        var member = _host.Member("zhouwei");
        await member.SendAsync("提案 临平");
        _host.Time.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));

        var reply = await member.AskAsync("2");

        Assert.Contains("您最近没有查看过提案列表", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMistypedWord_OffersTheNearestTitles_WithoutClaimingAMatch()
    {
        var member = _host.Member("zhouwei");

        var reply = await member.AskAsync("数只城的提案");
        var picked = await member.AskAsync("1");

        Assert.Contains("没有找到与“数只城”完全相符的提案，您要找的是不是", reply, StringComparison.Ordinal);
        Assert.Contains("1. 一届五次第0012号", reply, StringComparison.Ordinal);
        Assert.StartsWith("一届五次第0012号", picked, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WordsThatMatchNothing_SayHowToSearch()
    {
        var reply = await _host.Member("zhouwei").AskAsync("搜索提案 区块链");

        Assert.Contains("没有找到与“区块链”相关的提案", reply, StringComparison.Ordinal);
        Assert.Contains("提案 养老", reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("有关区块链的提案")]
    [InlineData("涉及区块链的提案")]
    [InlineData("涉及区块链的提案有吗")]
    [InlineData("区块链方面的提案有哪些")]
    [InlineData("区块链相关的提案有没有")]
    public async Task FillerAroundTheWords_IsNotEchoedAsTheQuery(string text)
    {
        var reply = await _host.Member("zhouwei").AskAsync(text);

        Assert.Contains("没有找到与“区块链”相关的提案", reply, StringComparison.Ordinal);
    }
}
