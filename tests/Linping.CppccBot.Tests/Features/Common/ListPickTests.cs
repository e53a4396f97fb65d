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
