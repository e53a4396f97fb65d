using Linping.CppccBot.Tests.Infrastructure;

namespace Linping.CppccBot.Tests.Features.Help;

/// <summary>Help answers what the caller can do: members their menu, office staff theirs (lims, S001, is staff only).</summary>
public sealed class HelpTests : IDisposable
{
    private readonly BotHostFactory _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task AMember_GetsTheMembersMenu_WithoutTheOfficesPart()
    {
        var reply = await _host.Member("wangjianguo").AskAsync("帮助");

        Assert.StartsWith("王建国您好", reply, StringComparison.Ordinal);
        Assert.Contains("我要提交社情民意", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("请假审批", reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("你好")]
    [InlineData("嗯哼哈哈")]
    public async Task StaffWhoAreNoMembers_GetTheOfficesMenu_NotTheMembers(string text)
    {
        var reply = await _host.Member("lims").AskAsync(text);

        Assert.Contains("【工作人员】", reply, StringComparison.Ordinal);
        Assert.Contains("发“请假审批”查看待批的请假，回复“批准 1”或“不批准 1 原因”审批", reply, StringComparison.Ordinal);
        Assert.Contains("发“报名情况”加会议名称或序号", reply, StringComparison.Ordinal);
        Assert.Contains("新的社情民意信息和提案评价会自动通知您", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("我要提交社情民意", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("我的会议", reply, StringComparison.Ordinal);
    }
}
