using Linping.CppccBot.Tests.Infrastructure;

namespace Linping.CppccBot.Tests.Features.Common;

/// <summary>A bare number refers to the numbered list the member saw last, whichever feature showed it.</summary>
public sealed class ListPickTests : IDisposable
{
    private readonly BotHostFactory _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task AfterTheMeetingList_ANumberNamesThatMeeting_AndSaysHowToSignUp_WithoutSigningUp()
    {
        var member = _host.Member("zhouwei");
        await member.Script().Send("最近有什么会议").Expect("小微园区安全管理", "生物医药").RunAsync();

        var reply = await member.AskAsync("1");
        var mine = await member.AskAsync("我的会议");

        Assert.Contains("第1个是【“请你来协商”：小微园区安全管理】", reply, StringComparison.Ordinal);
        Assert.Contains("报名 1", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("小微园区安全管理", mine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANumber_SaysWhatTheMemberCanDoWithThatMeeting_ByItsKindAndWhereTheyStand()
    {
        var wang = _host.Member("wangjianguo");
        await wang.AskAsync("最近有什么会议");

        var mandatory = await wang.AskAsync("2");
        await wang.AskAsync("报名 1");
        var signedUp = await wang.AskAsync("1");
        await wang.Script().Send("请假 2").Expect("请假事由").Send("1").Expect("补充说明").Send("无").Expect("请假待批").RunAsync();
        var onLeave = await wang.AskAsync("2");

        Assert.Equal("第2个是【区政协一届常委会第二十六次会议】（2027年3月25日（周四）09:00），是指定出席的会议，无需报名，请按时出席；不能参加请回复“请假 2”。", mandatory);
        Assert.Equal("第1个是【“请你来协商”：小微园区安全管理】（2027年3月18日（周四）14:30），您已报名。不能参加请回复“取消报名 1”。", signedUp);
        Assert.Equal("第2个是【区政协一届常委会第二十六次会议】（2027年3月25日（周四）09:00），您已请假，正在等待审批，结果会通知您。", onLeave);
    }

    [Fact]
    public Task TheLatestList_Wins() =>
        _host.Member("zhouwei").Script()
            .Send("最近有什么会议").Expect("小微园区安全管理")
            .Send("提案 临平").Expect("相关的提案有 2 件")
            .Send("1").Expect("第0012号")
            .Send("最近有什么会议").Expect("小微园区安全管理")
            .Send("1").Expect("第1个是", "小微园区安全管理")
            .RunAsync();

    [Fact]
    public async Task ANumberWithoutAnyList_IsExplained()
    {
        var reply = await _host.Member("zhouwei").AskAsync("3");

        Assert.Contains("最近没有可以按序号选择的列表", reply, StringComparison.Ordinal);
    }

    [Fact]
    public Task ANumberOutsideTheMeetingList_IsExplained() =>
        _host.Member("zhouwei").Script()
            .Send("最近有什么会议").Expect("小微园区安全管理")
            .Send("9").Expect("不在您上次查看的会议列表中")
            .RunAsync();
}
