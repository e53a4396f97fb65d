using Linping.CppccBot.Features.Opinions;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Features.Meetings;
using Linping.CppccBot.Tests.Features.Opinions;
using Linping.CppccBot.Tests.Infrastructure;

namespace Linping.CppccBot.Tests.Conversations;

/// <summary>
/// What members do in the middle of a dialog, through the real host and the real dialogs: open the app, change their
/// mind, ask something else, answer an optional question with "不用了", and a draft that is not lost to any of it.
/// </summary>
public sealed class DialogInterruptionTests : IDisposable
{
    private const string Title = "关于老旧小区电动自行车充电设施建设的建议";
    private readonly BotHostFactory _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task OpeningTheApp_InTheMiddleOfAReport_LeavesItAsItWas()
    {
        var member = _host.Member("shenjiayi");
        await member.Script()
            .UpToContent(Title, OpinionTestData.Paragraph)
            .RunAsync();

        var opened = await member.SendEventAsync("enter_agent");

        Assert.Empty(opened);
        await member.Script().Send("完成").Expect("第3步").RunAsync();
    }

    [Fact]
    public async Task Cancelling_AReportWithADraft_AsksFirst_AndGoingOnWriting_KeepsIt()
    {
        await _host.Member("shenjiayi").Script()
            .UpToContent(Title, OpinionTestData.Paragraph)
            .Send("取消").Expect("确定放弃“提交社情民意”吗？已填写的标题和正文将不会保存")
            .Send("建议在小区周边闲置地块建设集中充电棚。").Expect("第2段")
            .Send("取消").Expect("确定放弃")
            .Send("帮助").Expect("第2步", "取消") // the question is dropped, help is help, not a paragraph
            .Send("取消").Expect("确定放弃")
            .Send("不").Expect("好的，接着填写", "第2步")
            .Send("结束").Expect("第3步")
            .Send("不用了").Expect("请核对")
            .Send("确认提交").Expect("提交成功")
            .RunAsync();

        var stored = Assert.Single(await OpinionTestData.OpinionsOfAsync(_host, "M008"));
        Assert.Null(stored.Category);
        Assert.Contains("集中充电棚", stored.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AskingSomethingElse_MidReport_AnswersIt_KeepsTheDraft_AndJiXuTakesItUp()
    {
        var member = _host.Member("zhanglihua");
        await member.Script()
            .UpToContent(Title, OpinionTestData.Paragraph)
            .Send("最近有什么会议").Expect("近期会议活动").Expect("您的“提交社情民意”还没填完，草稿已保留，回复“继续”接着填写")
            .Send("继续").Expect("接着填写“提交社情民意”", "第2步")
            .Send("完成").Expect("第3步")
            .RunAsync();

        Assert.Empty(await OpinionTestData.OpinionsOfAsync(_host, "M004"));
    }

    [Fact]
    public async Task AfterALookUp_MidReport_WanCheng_GoesOnWithTheDraft_ButOtherWordsAreNotAddedUnasked()
    {
        var member = _host.Member("zhanglihua");
        await member.Script()
            .UpToContent(Title, OpinionTestData.Paragraph)
            .Send("查提案12号").Expect("一届五次第0012号").Expect("草稿已保留")
            .Send("好的我知道了，下午我还要去接孙子放学，晚点再弄吧，谢谢你啊小助手").Expect("没太明白").Expect("草稿已保留")
            .Send("继续").Expect("接着填写“提交社情民意”")
            .Send("建议在小区周边闲置地块建设集中充电棚，统一管理。").Expect("第2段")
            .Send("我的会议").Expect("会议活动").Expect("草稿已保留")
            .Send("完成").Expect("第3步")
            .Send("属于社会民生方面的").Expect("请核对", "社会")
            .Send("确认提交").Expect("提交成功")
            .RunAsync();

        var stored = Assert.Single(await OpinionTestData.OpinionsOfAsync(_host, "M004"));
        Assert.DoesNotContain("接孙子", stored.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACommand_AtAFreeTextStep_IsTakenUp_AndTheDraftKept()
    {
        await _host.Member("zhanglihua").Script()
            .UpToContent(Title, OpinionTestData.Paragraph)
            .Send("报名大运河").Expect("报名成功").Expect("草稿已保留")
            .RunAsync();

        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-2027-04", "M004"))?.Status);
    }

    [Fact]
    public async Task ShortWordsNobodyUnderstands_AfterALookUp_MidReport_AreAnswered_WithAReminderOfTheDraft()
    {
        var member = _host.Member("zhanglihua");
        await member.Script().UpToContent(Title, OpinionTestData.Paragraph).Send("我的会议").Expect("会议活动").Expect("草稿已保留").RunAsync();

        var replies = await member.SendAsync("嗯哼哈哈");

        Assert.Contains("没太明白", replies[0], StringComparison.Ordinal);
        Assert.Equal("（您的“提交社情民意”还没填完，草稿已保留，回复“继续”接着填写。）", replies[^1]);
    }

    [Fact]
    public async Task AMenuClick_MidReport_KeepsTheDraft_AndStartingAReportAgain_TakesItUp()
    {
        var member = _host.Member("zhanglihua");
        await member.Script()
            .UpToContent(Title)
            .RunAsync();

        var clicked = await member.SendEventAsync("click", "MY_MEETINGS");

        Assert.Contains(clicked, r => r.Contains("草稿已保留", StringComparison.Ordinal));
        Assert.DoesNotContain(clicked, r => r.Contains("没有保存", StringComparison.Ordinal));
        await member.Script()
            .Send("我要提交社情民意").Expect("接着填写“提交社情民意”", "第2步")
            .RunAsync();
    }

    [Fact]
    public async Task JiXu_AfterTheDraftWasTakenUpAlready_IsNoParagraphOfTheReport()
    {
        // Told "回复“继续”接着填写", the member starts the report again (which takes the draft up) and then says 继续 as
        // told: that word must not end up in the text the office reads.
        var member = _host.Member("zhanglihua");
        await member.Script()
            .UpToContent(Title, OpinionTestData.Paragraph)
            .Send("我的会议").Expect("会议活动").Expect("草稿已保留")
            .Send("我要提交社情民意").Expect("接着填写“提交社情民意”")
            .Send("继续").Expect("第2步")
            .Send("继续填写").Expect("第2步")
            .Send("完成").Expect("第3步")
            .Send("跳过").Expect("请核对")
            .Send("确认提交").Expect("提交成功")
            .RunAsync();

        var stored = Assert.Single(await OpinionTestData.OpinionsOfAsync(_host, "M004"));
        Assert.Equal(OpinionTestData.Paragraph, stored.Content);
    }

    [Fact]
    public async Task WordsThatOnlyContainALookUp_StayAnswers()
    {
        await _host.Member("zhanglihua").Script()
            .UpToContent(Title, OpinionTestData.Paragraph)
            .Send("完成").Expect("第3步")
            .Send("社会").Expect("请核对", "社会")
            .RunAsync();
    }

    [Fact]
    public async Task BuYongLe_ToTheLeaveNote_FilesTheLeaveRequest_WithoutANote()
    {
        await _host.Member("wangjianguo").Script()
            .Send("第二十六次常委会请假 因病").Expect("事由")
            .Send("不用了").Expect("请假待批")
            .RunAsync();

        var stored = await _host.ParticipationAsync("MT-2027-03", "M001");
        Assert.Equal((ParticipationStatus.LeavePending, null), (stored?.Status, stored?.LeaveNote));
    }

    [Fact]
    public async Task Cancelling_AChoice_JustLeavesIt()
    {
        await _host.Member("wangjianguo").Script()
            .Send("请假").Expect("请回复")
            .Send("取消").Expect("好的，已退出")
            .RunAsync();
    }

    [Fact]
    public async Task Thanks_GetsAShortAnswer_NotTheMenu()
    {
        var reply = await _host.Member("wangjianguo").AskAsync("谢谢！");

        Assert.Equal("不客气，有需要随时找我。", reply);
    }

    [Fact]
    public async Task SomeoneNotOnTheRoster_OpeningTheApp_IsNotAnsweredEachTime()
    {
        var stranger = _host.Member("stranger");

        Assert.Empty(await stranger.SendEventAsync("enter_agent"));
        Assert.Contains("只为临平区政协委员", await stranger.AskAsync("你好"), StringComparison.Ordinal);
    }
}
