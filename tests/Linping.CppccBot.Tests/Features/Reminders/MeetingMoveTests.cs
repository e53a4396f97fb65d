using Linping.CppccBot.LocalChat.FakeWeCom;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Linping.CppccBot.Tests.Features.Reminders;

/// <summary>
/// A meeting moved (start or place) after members were told gets one 「会议时间/地点调整」 notice per expected member and
/// group, naming old and new, through the reminder ledger; a move before anyone was told is no news.
/// </summary>
public sealed class MeetingMoveTests : IAsyncLifetime
{
    private const string MeetingId = "MT-MOVE-01";
    private BotHostFactory _host = null!;
    private FakeWeComServer _wecom = null!;
    private DateTimeOffset _start;

    public async ValueTask InitializeAsync()
    {
        _host = new BotHostFactory();
        _wecom = await ReminderHarness.StartWeComAsync(_host);
        _host.Settings["WeCom:ApiBaseUrl"] = _wecom.BaseAddress.ToString();
        _ = _host.Services;
        _start = _host.Time.GetUtcNow().AddDays(3);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _wecom.DisposeAsync();
    }

    private Task<int> MoveAsync(TimeSpan by, string? location = null) =>
        _host.DbAsync(async db =>
        {
            var meeting = await db.Meetings.SingleAsync(m => m.Id == MeetingId);
            meeting.StartsAt += by;
            meeting.EndsAt += by;
            meeting.Location = location ?? meeting.Location;
            return await db.SaveChangesAsync();
        });

    private async Task TellAsync()
    {
        _host.Time.SetUtcNow(_start - TimeSpan.FromDays(1));
        await _host.RunRemindersAsync();
        _wecom.ClearMessages();
    }

    [Fact]
    public async Task AMoveAfterTheReminder_TellsEachSignedUpMemberAndEachGroupOnce_WithOldAndNewTime()
    {
        await _host.AddMeetingAsync(MeetingId, _start, ParticipationMode.OpenSignup, ["M001", "M002"]);
        await TellAsync();

        await MoveAsync(TimeSpan.FromDays(2));
        await _host.RunRemindersAsync();
        await _host.RunRemindersAsync();

        var send = Assert.Single(_wecom.Sends());
        Assert.Equal(["wangjianguo", "chenxiaoyan"], send.Recipients);
        Assert.Contains("【会议时间/地点调整】临平区民营经济发展专题调研", send.Content, StringComparison.Ordinal);
        Assert.Contains("时间：调整为2026年12月2日（周三）09:00—11:00（原定2026年11月30日（周一）09:00—11:00）", send.Content, StringComparison.Ordinal);
        Assert.Contains("地点：区政协四楼会议室（不变）", send.Content, StringComparison.Ordinal);
        Assert.Contains("如不能参加，请直接回复“取消报名 MT-MOVE-01”", send.Content, StringComparison.Ordinal);
        var webhook = Assert.Single(_wecom.Webhooks());
        Assert.Contains("【会议时间/地点调整】", webhook.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("取消报名", webhook.Content, StringComparison.Ordinal);
        var moved = (await _host.LedgerAsync(MeetingId)).Where(r => r.Kind.StartsWith("moved:", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, moved.Count);
        Assert.All(moved, r => Assert.Equal(ReminderDeliveryStatus.Sent, r.Status));
    }

    [Fact]
    public async Task ANewPlace_IsNamedWithTheOldOne_AndAMandatoryMeetingTellsInviteesWithoutApprovedLeave()
    {
        await _host.AddMeetingAsync(MeetingId, _start, ParticipationMode.Mandatory, [], ["M001", "M003", "M004"]);
        await TellAsync();
        await _host.DbAsync(db =>
        {
            var now = _host.Time.GetUtcNow();
            db.Participations.Add(new Participation { MeetingId = MeetingId, MemberId = "M004", Status = ParticipationStatus.LeaveApproved, CreatedAt = now, UpdatedAt = now });
            return db.SaveChangesAsync();
        });

        await MoveAsync(TimeSpan.Zero, "区政协二楼报告厅");
        await _host.RunRemindersAsync();

        var send = Assert.Single(_wecom.Sends());
        Assert.Equal(["wangjianguo", "liuzhiqiang"], send.Recipients);
        Assert.Contains("时间：2026年11月30日（周一）09:00—11:00（不变）", send.Content, StringComparison.Ordinal);
        Assert.Contains("地点：调整为区政协二楼报告厅（原定区政协四楼会议室）", send.Content, StringComparison.Ordinal);
        Assert.Contains("如需请假，请直接回复“请假 MT-MOVE-01”", send.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMoveBeforeAnyoneWasTold_SendsNoNotice_AndTheReminderFollowsTheNewTime()
    {
        await _host.AddMeetingAsync(MeetingId, _start, ParticipationMode.OpenSignup, ["M001"]);
        await _host.RunRemindersAsync();

        await MoveAsync(TimeSpan.FromDays(1));
        await _host.RunRemindersAsync();
        Assert.Empty(_wecom.Messages);

        _host.Time.SetUtcNow(_start);
        await _host.RunRemindersAsync();

        var send = Assert.Single(_wecom.Sends());
        Assert.Contains("【会议提醒】", send.Content, StringComparison.Ordinal);
        Assert.Contains("2026年12月1日（周二）09:00", send.Content, StringComparison.Ordinal);
        Assert.DoesNotContain(await _host.LedgerAsync(MeetingId), r => r.Kind.StartsWith("moved:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TwoMoves_GiveTwoNotices_EachNamingWhatWasToldBefore()
    {
        await _host.AddMeetingAsync(MeetingId, _start, ParticipationMode.OpenSignup, ["M001"]);
        await TellAsync();

        await MoveAsync(TimeSpan.FromHours(1));
        await _host.RunRemindersAsync();
        await MoveAsync(TimeSpan.FromHours(1));
        await _host.RunRemindersAsync();

        var sends = _wecom.Sends();
        Assert.Equal(2, sends.Count);
        Assert.Contains("调整为2026年11月30日（周一）10:00—12:00（原定2026年11月30日（周一）09:00—11:00）", sends[0].Content, StringComparison.Ordinal);
        Assert.Contains("调整为2026年11月30日（周一）11:00—13:00（原定2026年11月30日（周一）10:00—12:00）", sends[1].Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANoticeThatFailed_IsRetriedOnce_AndDroppedWhenTheMeetingMovedAgain()
    {
        await _host.AddMeetingAsync(MeetingId, _start, ParticipationMode.OpenSignup, ["M001"]);
        await TellAsync();
        _wecom.InjectFault(FakeWeComFault.SystemBusy, endpoint: FakeWeComEndpoint.MessageSend);

        await MoveAsync(TimeSpan.FromHours(1));
        await _host.RunRemindersAsync();
        Assert.Empty(_wecom.Sends());
        _host.Time.Advance(TimeSpan.FromMinutes(1));
        await _host.RunRemindersAsync();
        await _host.RunRemindersAsync();

        Assert.Single(_wecom.Sends());
        var row = Assert.Single(await _host.LedgerAsync(MeetingId), r => r.Kind.StartsWith("moved:", StringComparison.Ordinal) && r.RecipientType == ReminderRecipientType.Member);
        Assert.Equal((ReminderDeliveryStatus.Sent, 2), (row.Status, row.Attempts));
    }
}
