using System.Net;
using Linping.CppccBot.LocalChat.FakeWeCom;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Infrastructure;

namespace Linping.CppccBot.Tests.Features.Meetings;

/// <summary>
/// Meetings through the real WeCom path: signed, encrypted callbacks in, decrypted passive replies out, and the
/// notifications the bot sends actively (waitlist promotion, leave outcome) recorded by the fake WeCom API.
/// </summary>
public sealed class MeetingWeComTests : IAsyncLifetime
{
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

    private async Task<string> SayAsync(string user, string text)
    {
        var answer = await _sender.SendTextAsync(user, text);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        return answer.ReplyText;
    }

    [Fact]
    public async Task ListAndSignUpByNumber_AreAnsweredInEncryptedPassiveReplies()
    {
        var list = await SayAsync("wangjianguo", "最近有什么会议");
        var signedUp = await SayAsync("wangjianguo", "报名第一个");

        Assert.Contains("1. “请你来协商”：小微园区安全管理", list, StringComparison.Ordinal);
        Assert.Contains("时间：2027年3月18日（周四）14:30—17:00", list, StringComparison.Ordinal);
        Assert.Contains("报名成功！【“请你来协商”：小微园区安全管理】（2027年3月18日（周四）14:30）", signedUp, StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-2027-01", "M001"))?.Status);
    }

    [Fact]
    public async Task AmbiguousWords_AskWhich_OverTheWeComPath_AndTheAnswerDecides()
    {
        var question = await SayAsync("zhouwei", "我要参加协商会");
        Assert.Equal(0, await _host.ParticipationCountAsync());

        var reply = await SayAsync("zhouwei", "2");

        Assert.Contains("请问是哪一个", question, StringComparison.Ordinal);
        Assert.Contains("报名成功", reply, StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-2027-02", "M005"))?.Status);
    }

    [Fact]
    public async Task Cancelling_MovesTheFirstOnTheWaitlistUp_WhoIsToldByAnActiveSend()
    {
        await _host.UpdateMeetingAsync("MT-2027-04", m => m.Capacity = 1);
        await SayAsync("wangjianguo", "报名大运河");
        Assert.Contains("名额已满", await SayAsync("chenxiaoyan", "报名大运河"), StringComparison.Ordinal);
        Assert.Contains("候补第1位", await SayAsync("chenxiaoyan", "是"), StringComparison.Ordinal);

        var reply = await SayAsync("wangjianguo", "取消报名大运河");
        var sent = await WaitForMessageAsync();

        Assert.Contains("已取消您对【大运河临平段文化遗产保护视察】", reply, StringComparison.Ordinal);
        Assert.Equal(["chenxiaoyan"], sent.Recipients);
        Assert.Contains("【大运河临平段文化遗产保护视察】（2027年5月12日（周三）08:30）有名额空出", sent.Content, StringComparison.Ordinal);
        Assert.Contains("已由候补转为“已报名”", sent.Content, StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-2027-04", "M002"))?.Status);
    }

    [Fact]
    public async Task LeaveRejectedByStaff_IsToldToTheMember_WithTheReason()
    {
        Assert.Contains("事由：公务", await SayAsync("xuhaitao", "常委会我请个假，单位有事"), StringComparison.Ordinal);
        Assert.Contains("请假待批", await SayAsync("xuhaitao", "要陪同客商考察"), StringComparison.Ordinal);

        var list = await SayAsync("lims", "请假审批");
        var decided = await SayAsync("lims", "不批准 1 原因：本次会议审议重要事项，请尽量出席");
        var sent = await WaitForMessageAsync();

        Assert.Contains("徐海涛", list, StringComparison.Ordinal);
        Assert.Contains("说明：要陪同客商考察", list, StringComparison.Ordinal);
        Assert.Contains("已不批准徐海涛", decided, StringComparison.Ordinal);
        Assert.Equal(["xuhaitao"], sent.Recipients);
        Assert.Contains("【区政协一届常委会第二十六次会议】（2027年3月25日（周四）09:00）的请假申请未获批准，原因：本次会议审议重要事项，请尽量出席", sent.Content, StringComparison.Ordinal);
        var stored = await _host.ParticipationAsync("MT-2027-03", "M007");
        Assert.Equal((ParticipationStatus.LeaveRejected, "本次会议审议重要事项，请尽量出席"), (stored?.Status, stored?.LeaveDecisionNote));
        Assert.Contains("：请假未准（公务），原因：本次会议审议重要事项，请尽量出席", await SayAsync("xuhaitao", "我的会议"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LeaveApprovedByStaff_IsToldToTheMember()
    {
        await SayAsync("shenjiayi", "第二十六次常委会请假 因病");
        await SayAsync("shenjiayi", "跳过");
        await SayAsync("lims", "请假审批");

        await SayAsync("lims", "批准1");
        var sent = await WaitForMessageAsync();

        Assert.Equal(["shenjiayi"], sent.Recipients);
        Assert.Contains("【区政协一届常委会第二十六次会议】（2027年3月25日（周四）09:00）的请假申请已批准", sent.Content, StringComparison.Ordinal);
        Assert.Contains("已准假（因病）", await SayAsync("shenjiayi", "我的会议"), StringComparison.Ordinal);
    }

    private async Task<FakeWeComMessage> WaitForMessageAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_wecom.Messages.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        return Assert.Single(_wecom.Messages);
    }
}
