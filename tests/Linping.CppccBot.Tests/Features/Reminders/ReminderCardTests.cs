using Linping.CppccBot.Channels.WeCom;
using Linping.CppccBot.LocalChat.FakeWeCom;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Features.Meetings;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Features.Reminders;

/// <summary>
/// Personal reminders as WeCom template cards with buttons, through the real host and the fake WeCom API: the card's
/// shape and fresh task ids, the text fallback when WeCom refuses the card, and a click (an encrypted
/// <c>template_card_event</c>) starting the same leave or cancel flow as typing, after which the card is updated once.
/// </summary>
public sealed class ReminderCardTests : IAsyncLifetime
{
    private const string MeetingId = "MT-CARD-01";
    private readonly CapturingLoggerProvider _logs = new();
    private BotHostFactory _host = null!;
    private FakeWeComServer _wecom = null!;
    private WeComCallbackSender _sender = null!;

    private DateTimeOffset Start => _host.Time.GetUtcNow().AddDays(3);

    public async ValueTask InitializeAsync()
    {
        _host = new BotHostFactory().WithServices(s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(_logs));
        _wecom = await ReminderHarness.StartWeComAsync(_host);
        _host.Settings["WeCom:ApiBaseUrl"] = _wecom.BaseAddress.ToString();
        _sender = new WeComCallbackSender(_host.CreateClient(), _host.Time);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _wecom.DisposeAsync();
    }

    private async Task<FakeWeComMessage> RemindAsync(ParticipationMode mode, string[] signedUp, string[]? invitees = null)
    {
        var start = Start;
        await _host.AddMeetingAsync(MeetingId, start, mode, signedUp, invitees);
        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        await _host.RunRemindersAsync();
        return Assert.Single(_wecom.Sends());
    }

    /// <summary>What WeCom posts when <paramref name="user"/> clicks <paramref name="key"/> on the card <paramref name="taskId"/>.</summary>
    private async Task<CallbackAnswer> ClickAsync(string user, string taskId, string key, string responseCode) =>
        await _sender.PostPlaintextAsync(
            $"<xml><ToUserName><![CDATA[{BotHostFactory.CorpId}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName><CreateTime>{_sender.Now}</CreateTime>" +
            $"<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[{key}]]></EventKey>" +
            $"<TaskId><![CDATA[{taskId}]]></TaskId><CardType><![CDATA[button_interaction]]></CardType><ResponseCode><![CDATA[{responseCode}]]></ResponseCode>" +
            $"<AgentID>{BotHostFactory.AgentId}</AgentID></xml>");

    private async Task<string> SayAsync(string user, string text) => (await _sender.SendTextAsync(user, text)).ReplyText;

    private async Task<FakeWeComCardUpdate> WaitForCardUpdateAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_wecom.CardUpdates.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        return Assert.Single(_wecom.CardUpdates);
    }

    [Fact]
    public async Task AMemberReminder_IsAButtonCard_WithTheMeetingTimeAndPlace_AndAGroupGetsText()
    {
        var send = await RemindAsync(ParticipationMode.OpenSignup, ["M001", "M002"]);

        Assert.Equal("template_card", send.MsgType);
        Assert.Equal(["wangjianguo", "chenxiaoyan"], send.Recipients);
        Assert.Equal("button_interaction", send.Card!.CardType);
        Assert.StartsWith("【会议提醒】临平区民营经济发展专题调研\n明天09:00开始", send.Content, StringComparison.Ordinal);
        Assert.Contains("时间：2026年11月30日（周一）09:00—11:00", send.Content, StringComparison.Ordinal);
        Assert.Contains("地点：区政协四楼会议室", send.Content, StringComparison.Ordinal);
        Assert.Equal([new FakeWeComButton("取消报名", "cancel:MT-CARD-01")], send.Card.Buttons);
        Assert.True(WeComApiClient.IsValidTaskId(send.Card.TaskId));
        Assert.StartsWith("MT-CARD-01-", send.Card.TaskId, StringComparison.Ordinal);
        var webhook = Assert.Single(_wecom.Webhooks());
        Assert.Equal("text", webhook.MsgType);
    }

    [Fact]
    public async Task EverySend_HasAFreshTaskId()
    {
        var start = Start;
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ["M001"]);
        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        await _host.RunRemindersAsync();
        _host.Time.SetUtcNow(start - TimeSpan.FromHours(2));
        await _host.RunRemindersAsync();

        var sends = _wecom.Sends();
        Assert.Equal(2, sends.Count);
        Assert.NotEqual(sends[0].Card!.TaskId, sends[1].Card!.TaskId);
        Assert.All(sends, s => Assert.NotNull(s.Card!.ResponseCode));
    }

    [Fact]
    public async Task ACardWeComRefuses_IsSentOnceAsText_AndTheLedgerSaysSent()
    {
        _wecom.InjectFault(FakeWeComFault.WithErrCode(FakeWeComServer.InvalidParameter), endpoint: FakeWeComEndpoint.MessageSend);

        var summary = await RemindAfterFaultAsync();

        var send = Assert.Single(_wecom.Sends());
        Assert.Equal("text", send.MsgType);
        Assert.Contains("如不能参加，请直接回复“取消报名 MT-CARD-01”", send.Content, StringComparison.Ordinal);
        Assert.Equal(2, _wecom.MessageSendRequests);
        Assert.Equal(2, summary);
    }

    [Fact]
    public async Task ABusyWeCom_IsNotAReasonForText_TheCardIsRetriedLater()
    {
        _wecom.InjectFault(FakeWeComFault.SystemBusy, endpoint: FakeWeComEndpoint.MessageSend);

        await RemindAfterFaultAsync();

        Assert.Empty(_wecom.Sends());
        Assert.Equal(1, _wecom.MessageSendRequests);
        var row = Assert.Single(await _host.LedgerAsync(MeetingId), r => r.RecipientType == ReminderRecipientType.Member);
        Assert.Equal(ReminderDeliveryStatus.Failed, row.Status);
    }

    private async Task<int> RemindAfterFaultAsync()
    {
        var start = Start;
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ["M001"]);
        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        return (await _host.RunRemindersAsync()).Sent;
    }

    [Fact]
    public async Task ClickingLeave_OnAMandatoryMeetingCard_AsksTheCategory_ThenUpdatesTheCardOnce()
    {
        var card = (await RemindAsync(ParticipationMode.Mandatory, [], ["M001", "M003"])).Card!;
        var code = _wecom.IssueClickResponseCode(card.TaskId);

        var asked = await ClickAsync("wangjianguo", card.TaskId, card.Buttons[0].Key!, code);
        Assert.Contains("请问请假事由是哪一类", asked.ReplyText, StringComparison.Ordinal);
        Assert.Empty(_wecom.CardUpdates);
        Assert.Contains("如需补充说明", await SayAsync("wangjianguo", "1"), StringComparison.Ordinal);
        var done = await SayAsync("wangjianguo", "无");
        var update = await WaitForCardUpdateAsync();

        Assert.Contains("状态：请假待批", done, StringComparison.Ordinal);
        Assert.Equal((ParticipationStatus.LeavePending, LeaveReason.Illness), await LeaveAsync("M001"));
        Assert.Equal(["wangjianguo"], update.UserIds);
        Assert.Equal((code, card.TaskId, "已请假（待审批）"), (update.ResponseCode, update.TaskId, update.ReplaceName));
    }

    [Fact]
    public async Task ClickingCancel_AsksToConfirm_ThenCancels_AndTheCardShowsIt_AndASecondClickChangesNothing()
    {
        var card = (await RemindAsync(ParticipationMode.OpenSignup, ["M001"])).Card!;
        var code = _wecom.IssueClickResponseCode(card.TaskId);

        var asked = (await ClickAsync("wangjianguo", card.TaskId, card.Buttons[0].Key!, code)).ReplyText;
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync(MeetingId, "M001"))?.Status);
        var done = await SayAsync("wangjianguo", "是");
        var update = await WaitForCardUpdateAsync();

        Assert.Contains("确认取消您对【临平区民营经济发展专题调研】", asked, StringComparison.Ordinal);
        Assert.Contains("已取消您对【临平区民营经济发展专题调研】", done, StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.Cancelled, (await _host.ParticipationAsync(MeetingId, "M001"))?.Status);
        Assert.Equal(("已取消报名", code), (update.ReplaceName, update.ResponseCode));

        // A click that raced the update (seconds later, so not WeCom's redelivery): the answer a typed request gets,
        // and no second change or update.
        _host.Time.Advance(TimeSpan.FromSeconds(5));
        var again = (await ClickAsync("wangjianguo", card.TaskId, card.Buttons[0].Key!, _wecom.IssueClickResponseCode(card.TaskId))).ReplyText;
        Assert.Contains("您没有报名", again, StringComparison.Ordinal);
        Assert.Single(await _host.ChangesAsync(MeetingId, "M001"), c => c.To == nameof(ParticipationStatus.Cancelled));
        Assert.Single(_wecom.CardUpdates);
    }

    [Fact]
    public async Task CardsWeComDoesNotUpdateDuringAnOutage_AreOneLineNotOnePerClick()
    {
        var card = (await RemindAsync(ParticipationMode.OpenSignup, ["M001", "M002", "M003"])).Card!;
        _wecom.InjectFault(FakeWeComFault.SystemBusy, 3, FakeWeComEndpoint.UpdateTemplateCard);

        foreach (var user in new[] { "wangjianguo", "chenxiaoyan", "liuzhiqiang" })
        {
            await ClickAsync(user, card.TaskId, card.Buttons[0].Key!, _wecom.IssueClickResponseCode(card.TaskId));
            Assert.Contains("已取消您对【临平区民营经济发展专题调研】", await SayAsync(user, "是"), StringComparison.Ordinal);
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!_logs.Lines.Any(l => l.Contains("A clicked card could not be updated", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.Empty(_wecom.CardUpdates);
        Assert.Single(_logs.Lines, l => l.Contains("A clicked card could not be updated", StringComparison.Ordinal));
        Assert.Single(_logs.Lines, l => l.Contains("update_template_card answered errcode -1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DecliningTheConfirmation_KeepsTheSignUp_AndTheCard()
    {
        var card = (await RemindAsync(ParticipationMode.OpenSignup, ["M001"])).Card!;

        await ClickAsync("wangjianguo", card.TaskId, card.Buttons[0].Key!, _wecom.IssueClickResponseCode(card.TaskId));
        var kept = await SayAsync("wangjianguo", "否");

        Assert.Contains("保留您的报名", kept, StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync(MeetingId, "M001"))?.Status);
        Assert.Empty(_wecom.CardUpdates);
    }

    private Task<(ParticipationStatus?, LeaveReason?)> LeaveAsync(string memberId) =>
        _host.DbAsync(async db =>
        {
            var p = await db.Participations.AsNoTracking().SingleOrDefaultAsync(x => x.MeetingId == MeetingId && x.MemberId == memberId);
            return (p?.Status, p?.LeaveReason);
        });
}
