using Linping.CppccBot.Conversations;
using Linping.CppccBot.Features.Help;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Linping.CppccBot.Tests.Conversations;

/// <summary>
/// The conversation core through the real host: roster from the seeded demo data, the real recognizer and state
/// store, and a small two-step dialog of the tests' own standing in for the feature dialogs.
/// </summary>
public sealed class TurnHandlerTests : IDisposable
{
    private readonly BotHostFactory _host = new BotHostFactory().WithServices(TestSurveyDialog.Register);

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Help_ListsWhatTheBotCanDo_ByTheMembersName()
    {
        var reply = await _host.Member("wangjianguo").AskAsync("帮助");

        Assert.Contains("王建国", reply, StringComparison.Ordinal);
        Assert.Contains("会议", reply, StringComparison.Ordinal);
        Assert.Contains("提案", reply, StringComparison.Ordinal);
        Assert.Contains("社情民意", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SomeoneNotOnTheRoster_IsToldWhomToContact_AndGetsNoData()
    {
        var reply = await _host.Member("stranger").AskAsync("我的提案");

        Assert.Contains("只为临平区政协委员", reply, StringComparison.Ordinal);
        Assert.Contains("区政协办公室", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("提案号", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Staff_AreRecognisedToo()
    {
        var reply = await _host.Member("lims").AskAsync("你好");

        Assert.Contains("李秘书", reply, StringComparison.Ordinal);
    }

    [Fact]
    public Task Dialog_CollectsAnswersOverSeveralTurns() =>
        _host.Member("wangjianguo").Script()
            .Send("我要提交社情民意").Expect("标题")
            .Send("关于小区停车难的建议").Expect("内容")
            .Send("老旧小区车位不足").Expect("已记录", "关于小区停车难的建议", "老旧小区车位不足")
            .Send("帮助").Expect("会议")
            .RunAsync();

    [Fact]
    public Task Cancel_InsideADialog_EndsIt_AndNothingIsKept() =>
        _host.Member("wangjianguo").Script()
            .Send("我要提交社情民意").Expect("标题")
            .Send("关于小区停车难的建议").Expect("内容")
            .Send("取消").Expect("好的，已退出“测试报送”")
            .Send("取消").Expect("当前没有正在办理的事项")
            .RunAsync();

    [Fact]
    public Task Help_InsideADialog_ExplainsTheStep_AndKeepsTheDialog() =>
        _host.Member("wangjianguo").Script()
            .Send("我要提交社情民意").Expect("标题")
            .Send("帮助").Expect("请发送标题", "取消")
            .Send("关于小区停车难的建议").Expect("内容")
            .RunAsync();

    [Fact]
    public Task WordsThatOnlyContainACommand_AreAnswersInsideADialog() =>
        _host.Member("wangjianguo").Script()
            .Send("我要提交社情民意").Expect("标题")
            .Send("建议取消老城区停车收费").Expect("内容")
            .RunAsync();

    [Fact]
    public async Task Dialog_LeftHalfWay_ExpiresAndSaysSo_WhenTheMemberReturns()
    {
        var member = _host.Member("wangjianguo");
        await member.Script().Send("我要提交社情民意").Expect("标题").RunAsync();

        _host.Time.Advance(TimeSpan.FromMinutes(31));
        var replies = await member.SendAsync("关于小区停车难的建议");

        Assert.Contains("超过30分钟没有继续", replies[0], StringComparison.Ordinal);
        Assert.Contains("测试报送", replies[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorBoundary_TellsTheMember_AndResetsTheConversation()
    {
        var member = _host.Member("wangjianguo");
        await member.Script().Send("我要提交社情民意").Expect("标题").RunAsync();

        var failure = await member.AskAsync("boom");
        var after = await member.AskAsync("关于小区停车难的建议");

        Assert.Contains("出了点问题", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("内容", after, StringComparison.Ordinal);
        Assert.Contains("提案", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailedTurn_IsLoggedWithItsTypeAndPlace_ButNotTheMessage_WhichMayQuoteTheMember()
    {
        var logs = new CapturingLoggerProvider();
        using var host = new BotHostFactory().WithServices(TestSurveyDialog.Register).WithServices(s => s.AddSingleton<ILoggerProvider>(logs));
        var member = host.Member("wangjianguo");
        await member.Script().Send("我要提交社情民意").Expect("标题").Send("13912345678的邻居噪音扰民").Expect("内容").RunAsync();

        var failure = await member.AskAsync("boom");

        Assert.Equal(BotTexts.SomethingWentWrong, failure);
        var line = Assert.Single(logs.Lines, l => l.StartsWith("Error ", StringComparison.Ordinal));
        Assert.Contains("System.InvalidOperationException", line, StringComparison.Ordinal);
        Assert.Contains(nameof(TestSurveyDialog.ContinueAsync), line, StringComparison.Ordinal);
        Assert.DoesNotContain("13912345678", string.Join("\n", logs.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Conversations_OfTwoMembers_DoNotMix()
    {
        var wang = _host.Member("wangjianguo");
        var chen = _host.Member("chenxiaoyan");
        await wang.Script().Send("我要提交社情民意").Expect("标题").RunAsync();

        var chenReply = await chen.AskAsync("关于小区停车难的建议");
        var wangReply = await wang.AskAsync("关于小区停车难的建议");

        Assert.DoesNotContain("内容", chenReply, StringComparison.Ordinal);
        Assert.Contains("内容", wangReply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnsupportedMessage_IsAnsweredPolitely_AndTheDialogGoesOn()
    {
        var member = _host.Member("wangjianguo");
        await member.Script().Send("我要提交社情民意").Expect("标题").RunAsync();

        var replies = await member.SendUnsupportedAsync("image");
        var next = await member.AskAsync("关于小区停车难的建议");

        var reply = Assert.Single(replies);
        Assert.StartsWith("图片、语音和文件暂时收不到，请用文字回复。", reply, StringComparison.Ordinal);
        Assert.Contains("请发送标题", reply, StringComparison.Ordinal);
        Assert.Contains("内容", next, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnterAgent_GreetsOnce_ThenStaysQuiet()
    {
        var member = _host.Member("wangjianguo");

        var first = await member.SendEventAsync("enter_agent");
        var second = await member.SendEventAsync("enter_agent");
        _host.Time.Advance(TimeSpan.FromHours(13));
        var nextDay = await member.SendEventAsync("enter_agent");

        Assert.Contains("王建国您好", Assert.Single(first), StringComparison.Ordinal);
        Assert.Empty(second);
        Assert.Single(nextDay);
    }

    [Fact]
    public async Task MenuClick_IsRoutedByItsKey()
    {
        var reply = Assert.Single(await _host.Member("wangjianguo").SendEventAsync("click", "HELP"));

        Assert.Contains("社情民意", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WordsThatFitNoIntent_PointToWhatTheBotCanDo()
    {
        var reply = await _host.Member("wangjianguo").AskAsync("今天天气真不错");

        Assert.Contains("没太明白", reply, StringComparison.Ordinal);
        Assert.Contains("我的提案", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoMessagesSentAtOnce_AreHandledOneAfterTheOther()
    {
        var member = _host.Member("wangjianguo");
        await member.Script().Send("我要提交社情民意").Expect("标题").RunAsync();

        var replies = await Task.WhenAll(member.AskAsync("关于小区停车难的建议"), member.AskAsync("老旧小区车位不足"));

        Assert.DoesNotContain(replies, r => r.Contains("还在处理中", StringComparison.Ordinal));
        Assert.Contains(replies, r => r.Contains("请发送内容", StringComparison.Ordinal));
        Assert.Contains(replies, r => r.Contains("已记录", StringComparison.Ordinal));
    }
}
