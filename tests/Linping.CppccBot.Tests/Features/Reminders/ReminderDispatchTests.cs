using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Linping.CppccBot.Features.Reminders;
using Linping.CppccBot.LocalChat.FakeWeCom;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Linping.CppccBot.Tests.Features.Reminders;

/// <summary>
/// The reminder plan and the ledger against the fake WeCom API: who is reminded, when, exactly once, and what happens
/// on WeCom's faults. Time moves with the host's <see cref="Microsoft.Extensions.Time.Testing.FakeTimeProvider"/>.
/// </summary>
/// <remarks>On SQLite (<see cref="ReminderDispatchSqliteTests"/>) and PostgreSQL (<see cref="ReminderDispatchPostgresTests"/>).</remarks>
public abstract class ReminderDispatchTests : IAsyncLifetime
{
    private const string MeetingId = "MT-TEST-01";
    private const string StaffKey = "staff-key-0123456789";
    private BotHostFactory _host = null!;
    private FakeWeComServer _wecom = null!;

    private DateTimeOffset Start => _host.Time.GetUtcNow().AddDays(3);

    /// <summary>The PostgreSQL server to run on; null for SQLite.</summary>
    protected abstract Task<PostgresServer?> ServerAsync();

    public async ValueTask InitializeAsync() => await StartAsync(knownUsers: null);

    private async Task StartAsync(IReadOnlyCollection<string>? knownUsers)
    {
        _host = BotHostFactory.On(await ServerAsync());
        _wecom = await ReminderHarness.StartWeComAsync(_host, knownUsers);
        _host.Settings["WeCom:ApiBaseUrl"] = _wecom.BaseAddress.ToString();
        _host.Settings["Admin:ApiKey"] = StaffKey;
        _ = _host.Services;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _wecom.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task AReminderCardWeComDeliveredButWhoseAnswerWasLost_IsNotDeliveredAgainByTheRetry()
    {
        var start = Start;
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ["M001"]);

        // WeCom delivers the card and the connection drops before its answer: the next run sends the same request.
        _wecom.InjectFault(FakeWeComFault.DropAfterDelivery, 1, FakeWeComEndpoint.MessageSend);
        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        var first = await _host.RunRemindersAsync();
        _host.Time.Advance(TimeSpan.FromMinutes(2));
        var retry = await _host.RunRemindersAsync();

        Assert.Equal((1, 1), (first.Failed, retry.Sent));
        var card = Assert.Single(_wecom.Sends());
        Assert.Equal(["wangjianguo"], card.Recipients);
        Assert.NotNull(card.Card);
        Assert.Equal(1, _wecom.DuplicatesDropped);
        Assert.Equal(ReminderDeliveryStatus.Sent, (await _host.LedgerAsync(MeetingId)).Single(r => r.RecipientId == "M001").Status);
    }

    [Fact]
    public async Task EachOffset_RemindsEverySignedUpMember_InOneCall_AndEachGroupOnce()
    {
        var start = Start;
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ["M001", "M002", "M003"]);

        Assert.Equal(0, (await _host.RunRemindersAsync()).Claimed);
        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        var first = await _host.RunRemindersAsync();
        var again = await _host.RunRemindersAsync();

        Assert.Equal(4, first.Sent);
        Assert.Equal(0, again.Claimed);
        var send = Assert.Single(_wecom.Sends());
        Assert.Equal(["wangjianguo", "chenxiaoyan", "liuzhiqiang"], send.Recipients);
        Assert.Equal(1, _wecom.MessageSendRequests);
        Assert.Contains("【会议提醒】临平区民营经济发展专题调研", send.Content, StringComparison.Ordinal);
        Assert.Contains("时间：2026年11月30日（周一）09:00—11:00", send.Content, StringComparison.Ordinal);
        Assert.Contains("地点：区政协四楼会议室", send.Content, StringComparison.Ordinal);
        Assert.Contains("明天09:00开始", send.Content, StringComparison.Ordinal);
        Assert.Equal("template_card", send.MsgType);
        Assert.Equal([new FakeWeComButton("取消报名", $"cancel:{MeetingId}")], send.Card!.Buttons);
        var webhook = Assert.Single(_wecom.Webhooks());
        Assert.Equal(ReminderHarness.GroupKey, webhook.WebhookKey);
        Assert.DoesNotContain("取消报名", webhook.Content, StringComparison.Ordinal);

        _host.Time.SetUtcNow(start - TimeSpan.FromHours(2));
        await _host.RunRemindersAsync();
        await _host.RunRemindersAsync();

        Assert.Equal(2, _wecom.Sends().Count);
        Assert.Equal(2, _wecom.Webhooks().Count);
        Assert.Contains("2小时后开始", _wecom.Sends()[1].Content, StringComparison.Ordinal);
        var ledger = await _host.LedgerAsync(MeetingId);
        Assert.Equal(8, ledger.Count);
        Assert.All(ledger, r => Assert.Equal(ReminderDeliveryStatus.Sent, r.Status));
    }

    [Fact]
    public async Task AHostThatMissedTheFirstWindow_SendsOnlyTheCurrentReminder_AndNothingAfterTheStart()
    {
        var start = Start;
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ["M001"]);

        _host.Time.SetUtcNow(start - TimeSpan.FromHours(1));
        await _host.RunRemindersAsync();
        _host.Time.SetUtcNow(start + TimeSpan.FromMinutes(1));
        await _host.RunRemindersAsync();

        var send = Assert.Single(_wecom.Sends());
        Assert.Contains("1小时后开始", send.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MandatoryMeeting_RemindsEveryInvitee_ButNotThoseWithApprovedLeave()
    {
        var start = Start;
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.Mandatory, [], ["M001", "M002", "M003", "M004"]);
        await _host.DbAsync(db =>
        {
            var now = _host.Time.GetUtcNow();
            db.Participations.Add(new Participation { MeetingId = MeetingId, MemberId = "M002", Status = ParticipationStatus.LeaveApproved, CreatedAt = now, UpdatedAt = now });
            db.Participations.Add(new Participation { MeetingId = MeetingId, MemberId = "M003", Status = ParticipationStatus.LeavePending, CreatedAt = now, UpdatedAt = now });
            return db.SaveChangesAsync();
        });

        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        await _host.RunRemindersAsync();

        var send = Assert.Single(_wecom.Sends());
        Assert.Equal(["wangjianguo", "liuzhiqiang", "zhanglihua"], send.Recipients);
        Assert.Equal("template_card", send.MsgType);
        Assert.Equal([new FakeWeComButton("请假", $"leave:{MeetingId}")], send.Card!.Buttons);
    }

    [Fact]
    public async Task AClaimLeftByACrashedRun_IsSentOnce_AfterTheLease()
    {
        var start = Start;
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ["M001", "M002"]);
        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        // A run claimed M001's reminder and died before sending it.
        await _host.DbAsync(db =>
        {
            var now = _host.Time.GetUtcNow();
            db.ReminderDeliveries.Add(new ReminderDelivery
            {
                MeetingId = MeetingId,
                Kind = "1.00:00:00",
                MeetingStartsAt = start,
                RecipientType = ReminderRecipientType.Member,
                RecipientId = "M001",
                Status = ReminderDeliveryStatus.Pending,
                Attempts = 1,
                CreatedAt = now,
                ClaimedAt = now,
                ClaimToken = "crashed-run",
            });
            return db.SaveChangesAsync();
        });

        await _host.RunRemindersAsync();
        Assert.Equal(["chenxiaoyan"], Assert.Single(_wecom.Sends()).Recipients);

        _host.Time.Advance(TimeSpan.FromMinutes(11));
        await _host.RunRemindersAsync();
        await _host.RunRemindersAsync();

        Assert.Equal(2, _wecom.Sends().Count);
        Assert.Equal(["wangjianguo"], _wecom.Sends()[1].Recipients);
        var row = (await _host.LedgerAsync(MeetingId)).Single(r => r.RecipientId == "M001");
        Assert.Equal((ReminderDeliveryStatus.Sent, 2), (row.Status, row.Attempts));
    }

    [Fact]
    public async Task InvalidUsers_AreRecorded_AndNotRetried()
    {
        await DisposeAsync();
        await StartAsync(knownUsers: ["wangjianguo", "liuzhiqiang"]);
        var start = Start;
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ["M001", "M002", "M003"]);

        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        await _host.RunRemindersAsync();
        _host.Time.Advance(TimeSpan.FromMinutes(30));
        await _host.RunRemindersAsync();

        Assert.Equal(["wangjianguo", "liuzhiqiang"], Assert.Single(_wecom.Sends()).Recipients);
        var ledger = await _host.LedgerAsync(MeetingId);
        Assert.Equal(ReminderDeliveryStatus.Invalid, ledger.Single(r => r.RecipientId == "M002").Status);
        Assert.Equal(3, ledger.Count(r => r.Status == ReminderDeliveryStatus.Sent));

        // Staff see who was not reached.
        using var client = _host.CreateClient();
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri($"/api/admin/reminders/{MeetingId}", UriKind.Relative), ct)).StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/admin/reminders/{MeetingId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", StaffKey);
        var answer = await client.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var rows = await answer.Content.ReadFromJsonAsync<List<ReminderDeliveryView>>(ct);
        var notReached = Assert.Single(rows!, r => r.Status == "Invalid");
        Assert.Equal(("M002", "陈晓燕"), (notReached.RecipientId, notReached.RecipientName));

        // A meeting id that does not exist is not an empty ledger.
        using var unknown = new HttpRequestMessage(HttpMethod.Get, "/api/admin/reminders/NO-SUCH-MEETING");
        unknown.Headers.Authorization = new AuthenticationHeaderValue("Bearer", StaffKey);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(unknown, ct)).StatusCode);
    }

    [Fact]
    public async Task ARetry_SparesAMemberWhoCancelledMeanwhile()
    {
        var start = Start;
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ["M001", "M002"]);
        _wecom.InjectFault(FakeWeComFault.SystemBusy, 1, FakeWeComEndpoint.MessageSend);
        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        await _host.RunRemindersAsync();

        await _host.DbAsync(async db =>
        {
            var own = await db.Participations.SingleAsync(p => p.MeetingId == MeetingId && p.MemberId == "M002");
            own.Status = ParticipationStatus.Cancelled;
            return await db.SaveChangesAsync();
        });
        _host.Time.Advance(TimeSpan.FromMinutes(1));
        await _host.RunRemindersAsync();

        Assert.Equal(["wangjianguo"], Assert.Single(_wecom.Sends()).Recipients);
        Assert.Equal(ReminderDeliveryStatus.Obsolete, (await _host.LedgerAsync(MeetingId)).Single(r => r.RecipientId == "M002").Status);
    }

    [Theory]
    [InlineData(45009)]
    [InlineData(-1)]
    public async Task RateLimitOrBusy_IsRetriedOnALaterRun_AndSentOnce(int errCode)
    {
        var start = Start;
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ["M001", "M002"]);
        _wecom.InjectFault(FakeWeComFault.WithErrCode(errCode), 1, FakeWeComEndpoint.MessageSend);

        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        await _host.RunRemindersAsync();
        var failed = (await _host.LedgerAsync(MeetingId)).Where(r => r.RecipientType == ReminderRecipientType.Member).ToList();
        Assert.Empty(_wecom.Sends());
        Assert.All(failed, r => Assert.Equal((ReminderDeliveryStatus.Failed, (int?)errCode), (r.Status, r.ErrCode)));

        _host.Time.Advance(TimeSpan.FromMinutes(1));
        await _host.RunRemindersAsync();
        _host.Time.Advance(TimeSpan.FromMinutes(5));
        await _host.RunRemindersAsync();

        Assert.Equal(["wangjianguo", "chenxiaoyan"], Assert.Single(_wecom.Sends()).Recipients);
        Assert.Single(_wecom.Webhooks());
    }

    [Fact]
    public async Task ARevokedToken_IsRefreshedOnce_AndTheReminderGoesOnce()
    {
        var start = Start;
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ["M001"]);
        await _host.AddMeetingAsync("MT-TEST-LATER", start.AddMinutes(10), ParticipationMode.OpenSignup, ["M002"]);
        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        await _host.RunRemindersAsync();

        _wecom.RevokeAllTokens();
        _host.Time.Advance(TimeSpan.FromMinutes(10));
        var run = await _host.RunRemindersAsync();

        Assert.Equal(2, run.Sent);
        Assert.Equal(2, _wecom.GetTokenRequests);
        Assert.Equal(["chenxiaoyan"], _wecom.Sends()[1].Recipients);
        Assert.Equal(2, _wecom.Sends().Count);
    }

    [Fact]
    public async Task NetworkFailure_IsRetried_AndSentOnce()
    {
        var start = Start;
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ["M001"]);
        _wecom.InjectFault(FakeWeComFault.Drop, 1, FakeWeComEndpoint.MessageSend);

        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        await _host.RunRemindersAsync();
        Assert.Equal("Network", (await _host.LedgerAsync(MeetingId)).Single(r => r.RecipientId == "M001").Error);
        _host.Time.Advance(TimeSpan.FromMinutes(1));
        await _host.RunRemindersAsync();
        await _host.RunRemindersAsync();

        Assert.Single(_wecom.Sends());
    }

    [Fact]
    public async Task ACancelledMeeting_GetsOneCancellationNotice_InsteadOfReminders()
    {
        var start = Start;
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ["M001", "M002"]);
        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        await _host.RunRemindersAsync();

        await _host.DbAsync(async db =>
        {
            var meeting = await db.Meetings.SingleAsync(m => m.Id == MeetingId);
            meeting.Status = MeetingStatus.Cancelled;
            return await db.SaveChangesAsync();
        });
        await _host.RunRemindersAsync();
        _host.Time.SetUtcNow(start - TimeSpan.FromHours(2));
        await _host.RunRemindersAsync();

        Assert.Equal(2, _wecom.Sends().Count);
        Assert.Contains("【会议取消通知】临平区民营经济发展专题调研", _wecom.Sends()[1].Content, StringComparison.Ordinal);
        Assert.Equal(["wangjianguo", "chenxiaoyan"], _wecom.Sends()[1].Recipients);
        Assert.Contains("会议取消通知", _wecom.Webhooks()[1].Content, StringComparison.Ordinal);
        Assert.Equal(2, _wecom.Webhooks().Count);
    }

    [Fact]
    public async Task AMeetingPublishedInsideAWindow_GetsNoLateReminderOfThatWindow_OnlyTheNextOnTime()
    {
        // Published (here: added) two hours and eight minutes before its start: the 1-day window is long past.
        var start = _host.Time.GetUtcNow().AddHours(2).AddMinutes(8);
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ["M001"]);

        await _host.RunRemindersAsync();
        Assert.Empty(_wecom.Sends());
        Assert.Empty(_wecom.Webhooks());

        _host.Time.SetUtcNow(start - TimeSpan.FromHours(2));
        await _host.RunRemindersAsync();

        var send = Assert.Single(_wecom.Sends());
        Assert.Contains("2小时后开始", send.Content, StringComparison.Ordinal);
        Assert.Single(_wecom.Webhooks());
    }

    [Fact]
    public async Task AMeetingMovedByHalfAnHour_AfterItsReminder_IsNotRemindedAgainForTheSameWindow()
    {
        var start = Start;
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ["M001"]);
        _host.Time.SetUtcNow(start - TimeSpan.FromHours(2));
        await _host.RunRemindersAsync();
        Assert.Single(_wecom.Sends());

        var moved = start.AddMinutes(30);
        await _host.DbAsync(async db =>
        {
            var meeting = await db.Meetings.SingleAsync(m => m.Id == MeetingId);
            (meeting.StartsAt, meeting.EndsAt) = (moved, moved.AddHours(2));
            return await db.SaveChangesAsync();
        });
        await _host.RunRemindersAsync();
        _host.Time.SetUtcNow(moved - TimeSpan.FromHours(2));
        await _host.RunRemindersAsync();

        // The reminder, then the move notice with the new time; no second "2 hours" reminder.
        Assert.Equal(2, _wecom.Sends().Count);
        Assert.Contains("【会议时间/地点调整】", _wecom.Sends()[1].Content, StringComparison.Ordinal);
        Assert.Equal(2, _wecom.Webhooks().Count);
    }

    [Fact]
    public async Task ARetimedMeeting_IsRemindedForItsNewTime_AndANewSignUpJoinsTheNextReminder()
    {
        var start = Start;
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ["M001"]);
        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        await _host.RunRemindersAsync();

        var moved = start.AddDays(2);
        await _host.DbAsync(async db =>
        {
            var meeting = await db.Meetings.SingleAsync(m => m.Id == MeetingId);
            meeting.StartsAt = moved;
            meeting.EndsAt = moved.AddHours(2);
            var now = _host.Time.GetUtcNow();
            db.Participations.Add(new Participation { MeetingId = MeetingId, MemberId = "M002", Status = ParticipationStatus.SignedUp, CreatedAt = now, UpdatedAt = now });
            return await db.SaveChangesAsync();
        });
        await _host.RunRemindersAsync();
        // Members were told: the move itself is news (MeetingMoveTests), the next reminder waits for the new time.
        Assert.Equal(2, _wecom.Sends().Count);
        Assert.Contains("【会议时间/地点调整】", _wecom.Sends()[1].Content, StringComparison.Ordinal);

        _host.Time.SetUtcNow(moved - TimeSpan.FromDays(1));
        await _host.RunRemindersAsync();

        Assert.Equal(3, _wecom.Sends().Count);
        Assert.Equal(["wangjianguo", "chenxiaoyan"], _wecom.Sends()[2].Recipients);
        Assert.Contains("【会议提醒】", _wecom.Sends()[2].Content, StringComparison.Ordinal);
        Assert.Contains("2026年12月2日（周三）09:00", _wecom.Sends()[2].Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMeetingForAllMembers_TellsItsMoveOnlyToMembersOnTheRosterThen_NotToOnesAddedOrPutBackSince()
    {
        var start = Start;
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.Mandatory, [], ["*"]);
        Assert.Equal(HttpStatusCode.OK, await StaffAsync(HttpMethod.Post, "/api/admin/members/M008/deactivate"));
        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        await _host.RunRemindersAsync();
        Assert.Equal(7, Assert.Single(_wecom.Sends()).Recipients.Count);

        // The meeting moves an hour on: the seven members on the roster hear of it.
        var moved = start.AddHours(1);
        await _host.DbAsync(async db =>
        {
            var meeting = await db.Meetings.SingleAsync(m => m.Id == MeetingId);
            (meeting.StartsAt, meeting.EndsAt) = (moved, moved.AddHours(2));
            return await db.SaveChangesAsync();
        });
        await _host.RunRemindersAsync();
        var notice = _wecom.Sends()[1];
        Assert.Contains("【会议时间/地点调整】", notice.Content, StringComparison.Ordinal);
        Assert.Equal(7, notice.Recipients.Count);
        Assert.DoesNotContain("shenjiayi", notice.Recipients);

        // Later a new member joins the roster and 沈佳怡 is put back: the move is no news to either.
        _host.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(HttpStatusCode.OK, await StaffAsync(HttpMethod.Put, "/api/admin/members/M009", new { name = "钱文斌", wecomUserId = "qianwenbin" }));
        Assert.Equal(HttpStatusCode.OK, await StaffAsync(HttpMethod.Post, "/api/admin/members/M008/reactivate"));
        Assert.Equal(HttpStatusCode.OK, await StaffAsync(HttpMethod.Put, "/api/admin/members/M002", new { name = "陈晓燕", wecomUserId = "chenxiaoyan", sector = "经济界" }));
        _host.Time.Advance(TimeSpan.FromMinutes(1));
        await _host.RunRemindersAsync();
        Assert.Equal(2, _wecom.Sends().Count);
        // Only a member the roster did not have is dated: one changed since keeps the date it was added.
        var added = await _host.DbAsync(db => db.Members.AsNoTracking().Where(m => m.Id == "M002" || m.Id == "M009").OrderBy(m => m.Id).Select(m => m.AddedAt).ToListAsync());
        Assert.True(added[0] < added[1]);
        Assert.Equal(_host.Time.GetUtcNow() - TimeSpan.FromMinutes(1), added[1]);

        // Their reminder of the new time tells them; those told of the move are not reminded again.
        _host.Time.SetUtcNow(moved - TimeSpan.FromDays(1));
        await _host.RunRemindersAsync();
        var reminder = _wecom.Sends()[2];
        Assert.Equal(["qianwenbin", "shenjiayi"], reminder.Recipients.Order(StringComparer.Ordinal));
        Assert.Contains("【会议提醒】", reminder.Content, StringComparison.Ordinal);
        Assert.Equal(3, _wecom.Sends().Count);
    }

    private async Task<HttpStatusCode> StaffAsync(HttpMethod method, string path, object? body = null)
    {
        using var client = _host.CreateClient();
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", StaffKey);
        return (await client.SendAsync(request, TestContext.Current.CancellationToken)).StatusCode;
    }

    [Fact]
    public async Task ManyMembers_GoInCallsOfAtMost1000()
    {
        var start = Start;
        var ids = Enumerable.Range(1, 1200).Select(i => $"X{i:0000}").ToArray();
        await _host.DbAsync(db =>
        {
            db.Members.AddRange(ids.Select(id => new Member { Id = id, Name = "委员" + id, WeComUserId = "user" + id.ToLowerInvariant() }));
            return db.SaveChangesAsync();
        });
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ids);

        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        var run = await _host.RunRemindersAsync();

        Assert.Equal(1201, run.Sent);
        Assert.Equal([1000, 200], _wecom.Sends().Select(m => m.Recipients.Count));
        Assert.Equal(2, _wecom.MessageSendRequests);
    }

    [Fact]
    public async Task AGroupRobot_GetsAtMost20MessagesAMinute_TheRestFollowsNextMinute()
    {
        var start = Start;
        for (var i = 0; i < 22; i++)
        {
            await _host.AddMeetingAsync($"MT-MANY-{i:00}", start.AddMinutes(i), ParticipationMode.OpenSignup, []);
        }

        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1) + TimeSpan.FromMinutes(30));
        await _host.RunRemindersAsync();
        Assert.Equal(20, _wecom.Webhooks().Count);

        _host.Time.Advance(TimeSpan.FromMinutes(1));
        await _host.RunRemindersAsync();
        _host.Time.Advance(TimeSpan.FromMinutes(1));
        await _host.RunRemindersAsync();

        Assert.Equal(22, _wecom.Webhooks().Count);
        Assert.Equal(22, _wecom.Webhooks().Select(w => w.Content).Distinct().Count());
    }
}

public sealed class ReminderDispatchSqliteTests : ReminderDispatchTests
{
    protected override Task<PostgresServer?> ServerAsync() => Task.FromResult<PostgresServer?>(null);
}

public sealed class ReminderDispatchPostgresTests(PostgresServerFixture postgres) : ReminderDispatchTests
{
    protected override async Task<PostgresServer?> ServerAsync() => await postgres.GetAsync();
}
