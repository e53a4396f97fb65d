using Linping.CppccBot.LocalChat.FakeWeCom;
using Linping.CppccBot.Tests.Infrastructure;

namespace Linping.CppccBot.Tests.Features.Opinions;

/// <summary>
/// 社情民意 through the encrypted WeCom callback of the real host, with the fake WeCom API on loopback receiving the
/// notices the bot sends actively to the information office.
/// </summary>
public sealed class OpinionWeComTests : IAsyncLifetime
{
    private const string Title = "关于老旧小区停车难的建议";

    private FakeWeComServer _wecom = null!;
    private BotHostFactory _host = null!;
    private WeComCallbackSender _sender = null!;

    public async ValueTask InitializeAsync()
    {
        _wecom = await FakeWeComServer.StartAsync(
            new FakeWeComOptions { CorpId = BotHostFactory.CorpId, Secret = BotHostFactory.Secret, AgentId = BotHostFactory.AgentId },
            TestContext.Current.CancellationToken);
        _host = new BotHostFactory();
        _host.Settings["WeCom:ApiBaseUrl"] = _wecom.BaseAddress.ToString();
        _sender = new WeComCallbackSender(_host.CreateClient(), _host.Time);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _wecom.DisposeAsync();
    }

    [Fact]
    public async Task AWholeReport_OverWeCom_IsConfirmedWithItsNumber_AndTheInfoOfficeIsNotified_WithoutTheContent()
    {
        Assert.Contains("涉密", await SendAsync("zhouwei", "我要提交社情民意"), StringComparison.Ordinal);
        Assert.Contains("第2步", await SendAsync("zhouwei", Title), StringComparison.Ordinal);
        Assert.Contains("第1段", await SendAsync("zhouwei", OpinionTestData.Paragraph), StringComparison.Ordinal);
        Assert.Contains("第2段", await SendAsync("zhouwei", "建议在小区周边闲置地块建设立体停车库，并推行错时共享停车。"), StringComparison.Ordinal);
        Assert.Contains("第3步", await SendAsync("zhouwei", "完成"), StringComparison.Ordinal);
        Assert.Contains("请核对", await SendAsync("zhouwei", "社会"), StringComparison.Ordinal);
        Assert.Empty(_wecom.Messages);

        var confirmation = await SendAsync("zhouwei", "确认提交");

        Assert.Contains("提交成功", confirmation, StringComparison.Ordinal);
        Assert.Contains("SQMY-2026-0001", confirmation, StringComparison.Ordinal);
        var notice = Assert.Single(_wecom.Messages);
        Assert.Equal(["lims"], notice.Recipients);
        Assert.Equal("text", notice.MsgType);
        Assert.Contains("SQMY-2026-0001", notice.Content, StringComparison.Ordinal);
        Assert.Contains(Title, notice.Content, StringComparison.Ordinal);
        Assert.Contains("周伟", notice.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("老旧小区", notice.Content.Replace(Title, string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("立体停车库", notice.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACancelledReport_OverWeCom_StoresNothing_AndNotifiesNobody()
    {
        await SendAsync("wangjianguo", "反映一条社情民意");
        await SendAsync("wangjianguo", Title);
        await SendAsync("wangjianguo", OpinionTestData.Paragraph);

        var question = await SendAsync("wangjianguo", "取消");
        var reply = await SendAsync("wangjianguo", "确定");

        Assert.Contains("确定放弃“提交社情民意”吗？已填写的标题和正文将不会保存", question, StringComparison.Ordinal);
        Assert.Contains("已取消“提交社情民意”", reply, StringComparison.Ordinal);
        Assert.Empty(await OpinionTestData.OpinionsOfAsync(_host, "M001"));
        Assert.Empty(_wecom.Messages);
    }

    [Fact]
    public async Task AnExpiredReport_OverWeCom_IsReportedOnReturning_KeepsItsDraft_AndStoresNothing()
    {
        await SendAsync("wangjianguo", "我要提交社情民意");
        await SendAsync("wangjianguo", Title);
        _host.Time.Advance(TimeSpan.FromHours(2));

        var reply = await SendAsync("wangjianguo", OpinionTestData.Paragraph);
        var resumed = await SendAsync("wangjianguo", "继续");

        Assert.Equal("您上次的“提交社情民意”超过30分钟没有继续，草稿已为您保留：回复“继续”接着填写，回复“放弃”删除草稿。", reply);
        Assert.Contains("接着填写“提交社情民意”", resumed, StringComparison.Ordinal);
        Assert.Contains("第2步", resumed, StringComparison.Ordinal);
        Assert.Empty(await OpinionTestData.OpinionsOfAsync(_host, "M001"));
    }

    [Fact]
    public async Task MyOpinions_OverWeCom_ListsTheAdoptedDemoReport_WithDateAndStatus()
    {
        var reply = await SendAsync("zhouwei", "我的社情民意");

        Assert.Contains("共1条，其中已采用1条", reply, StringComparison.Ordinal);
        Assert.Contains("SQMY-2025-0001《关于特色农产品产业链培育的几点建议》", reply, StringComparison.Ordinal);
        Assert.Contains("2025年6月3日报送 · 已采用", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("（示例）", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AskingWhetherReportsWereAdopted_OverWeCom_ListsThem()
    {
        var reply = await SendAsync("zhouwei", "我报的信息被采用了吗？");

        Assert.Contains("SQMY-2025-0001", reply, StringComparison.Ordinal);
        Assert.Contains("已采用", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MyOpinions_OverWeCom_ForAMemberWithNone_SaysHowToSubmit()
    {
        var reply = await SendAsync("wangjianguo", "我的社情民意");

        Assert.Contains("还没有报送过", reply, StringComparison.Ordinal);
        Assert.Contains("我要提交社情民意", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("SQMY", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MyOpinions_OverWeCom_ShowsANewReportFirst_AsSubmitted()
    {
        foreach (var text in new[] { "我要提交社情民意", Title, OpinionTestData.Paragraph, "完成", "跳过", "1" })
        {
            await SendAsync("zhouwei", text);
        }

        var reply = await SendAsync("zhouwei", "我的社情民意");

        var newer = reply.IndexOf("SQMY-2026-0001《" + Title + "》", StringComparison.Ordinal);
        var older = reply.IndexOf("SQMY-2025-0001", StringComparison.Ordinal);
        Assert.True(newer >= 0 && older > newer, reply);
        Assert.Contains("2026年11月27日报送 · 已报送", reply, StringComparison.Ordinal);
        Assert.Contains("共2条", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Staff_OverWeCom_AskingForTheirReports_AreToldReportsAreForMembers()
    {
        var reply = await SendAsync("lims", "我的社情民意");

        Assert.Contains("面向区政协委员", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheWeComMenu_StartsTheReportAndListsReports()
    {
        var start = await _sender.SendEventAsync("wangjianguo", "click", "OPINION_SUBMIT");
        Assert.Contains("第1步", start.ReplyText, StringComparison.Ordinal);

        var list = await _sender.SendEventAsync("zhouwei", "click", "MY_OPINIONS");
        Assert.Contains("SQMY-2025-0001", list.ReplyText, StringComparison.Ordinal);
    }

    private async Task<string> SendAsync(string user, string text) => (await _sender.SendTextAsync(user, text)).ReplyText;
}
