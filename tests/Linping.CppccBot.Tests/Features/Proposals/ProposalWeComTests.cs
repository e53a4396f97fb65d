using System.Net;
using Linping.CppccBot.Tests.Infrastructure;

namespace Linping.CppccBot.Tests.Features.Proposals;

/// <summary>Proposals through the encrypted WeCom callback: signed, encrypted in, passive reply decrypted out.</summary>
public sealed class ProposalWeComTests : IDisposable
{
    private readonly BotHostFactory _host = new();
    private readonly WeComCallbackSender _sender;

    public ProposalWeComTests() => _sender = new WeComCallbackSender(_host.CreateClient(), _host.Time);

    public void Dispose() => _host.Dispose();

    /// <summary>The proposal rows of the fixtures' utterance table, each to the proposal its slot names.</summary>
    [Theory]
    [InlineData("查提案12号", "一届五次第0012号《关于高水平建设临平数智城的建议》")]
    [InlineData("第0027号提案办得怎么样了", "一届五次第0027号《关于加快大运河国家文化公园临平段建设的建议》")]
    [InlineData("一届五次第0035号", "一届五次第0035号《关于完善居家养老服务照料中心功能的建议》")]
    [InlineData("41号提案进度", "一届五次第0041号《关于推进小微园区安全管理的建议》")]
    [InlineData("数智城那个提案到哪一步了", "一届五次第0012号《关于高水平建设临平数智城的建议》")]
    [InlineData("搜索提案 养老", "一届五次第0035号《关于完善居家养老服务照料中心功能的建议》")]
    [InlineData("有没有关于电动自行车的提案", "一届五次第0058号《关于加强电动自行车消防安全管理的建议》")]
    public async Task TheUtteranceTablesProposalRows_AnswerWithTheProposal(string text, string heading)
    {
        var answer = await _sender.SendTextAsync("lims", text);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.StartsWith(heading, answer.ReplyText, StringComparison.Ordinal);
        Assert.Contains("状态：", answer.ReplyText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("我的提案")]
    [InlineData("我提的提案都办完了吗")]
    public async Task MyProposals_AnswersThroughWeCom(string text)
    {
        var answer = await _sender.SendTextAsync("liuzhiqiang", text);

        Assert.StartsWith("您共有 2 件提案，还有 2 件没有办完", answer.ReplyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePrivacyRules_HoldThroughWeCom()
    {
        var proposer = await _sender.SendTextAsync("shenjiayi", "27号提案");
        var other = await _sender.SendTextAsync("zhouwei", "27号提案");
        var unfiled = await _sender.SendTextAsync("zhouwei", "第63号提案");

        Assert.Contains("答复摘要：", proposer.ReplyText, StringComparison.Ordinal);
        Assert.DoesNotContain("答复摘要", other.ReplyText, StringComparison.Ordinal);
        Assert.DoesNotContain("满意", other.ReplyText, StringComparison.Ordinal);
        Assert.Contains("一届五次第0063号提案暂不公开，只有提案人和提案工作人员可以查看", unfiled.ReplyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AListAndAPick_WorkAcrossTwoCallbacks()
    {
        var list = await _sender.SendTextAsync("zhouwei", "提案 临平");
        var pick = await _sender.SendTextAsync("zhouwei", "２");

        Assert.Contains("相关的提案有 2 件", list.ReplyText, StringComparison.Ordinal);
        Assert.StartsWith("一届五次第0027号", pick.ReplyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SomeoneNotOnTheRoster_GetsNoProposalData()
    {
        var answer = await _sender.SendTextAsync("stranger", "27号提案");

        Assert.Contains("只为临平区政协委员", answer.ReplyText, StringComparison.Ordinal);
        Assert.DoesNotContain("大运河", answer.ReplyText, StringComparison.Ordinal);
    }
}
