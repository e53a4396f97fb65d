using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Linping.CppccBot.Channels.DingTalk;
using Linping.CppccBot.Channels.WeCom;
using Linping.CppccBot.Features.Meetings;
using Linping.CppccBot.Features.Notifications;
using Linping.CppccBot.Features.Reminders;
using Linping.CppccBot.LocalChat.FakeDingTalk;
using Linping.CppccBot.LocalChat.FakeWeCom;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Features.Reminders;

/// <summary>
/// Reminders on DingTalk against the fake DingTalk OpenAPI and custom robot webhook (and the fake WeCom beside it):
/// batchSend in calls of at most 20, invalid and flow-controlled ids, retries, the member's preferred app (one app,
/// never both), and a group with robots in both apps reminded once in each, signed and within 20 a minute.
/// </summary>
public sealed class DingTalkReminderTests : IAsyncLifetime
{
    private const string MeetingId = "MT-DT-01";
    private const string StaffKey = "staff-key-0123456789";
    private const string ClientId = "dingtestapp0000001";
    private const string ClientSecret = "test-dingtalk-client-secret";

    /// <summary>The demo data's G-ALL DingTalk custom robot.</summary>
    private const string RobotToken = "demo-dingtalk-token";
    private const string RobotSecret = "SECdemo0123456789abcdef";

    private string _database = NewDatabasePath();
    private readonly List<BotHostFactory> _hosts = [];
    private FakeWeComServer _wecom = null!;
    private FakeDingTalkServer _dingTalk = null!;
    private BotHostFactory _host = null!;

    private DateTimeOffset Start => _host.Time.GetUtcNow().AddDays(3);

    public async ValueTask InitializeAsync() => await StartAsync(knownStaffIds: null, robotSecret: RobotSecret);

    private async Task StartAsync(IReadOnlyCollection<string>? knownStaffIds, string? robotSecret)
    {
        _host = NewHost();
        _wecom = await ReminderHarness.StartWeComAsync(_host);
        _dingTalk = await FakeDingTalkServer.StartAsync(
            new FakeDingTalkOptions
            {
                ClientId = ClientId,
                ClientSecret = ClientSecret,
                TimeProvider = _host.Time,
                KnownStaffIds = knownStaffIds,
                CustomRobots = new Dictionary<string, string?> { [RobotToken] = robotSecret },
            },
            TestContext.Current.CancellationToken);
        Configure(_host);
    }

    private static string NewDatabasePath() => Path.Combine(Path.GetTempPath(), $"cppccbot-dtrem-{Guid.NewGuid():N}.db");

    /// <summary>Starts again with other fakes, on a new database.</summary>
    private async Task RestartAsync(IReadOnlyCollection<string>? knownStaffIds, string? robotSecret)
    {
        await DisposeAsync();
        _hosts.Clear();
        _database = NewDatabasePath();
        await StartAsync(knownStaffIds, robotSecret);
    }

    /// <summary>A host on this test's database file (so a second one is a restart), its clock shared with the fakes.</summary>
    private BotHostFactory NewHost()
    {
        var host = new BotHostFactory();
        host.Settings["ConnectionStrings:Database"] = $"Data Source={_database}";
        _hosts.Add(host);
        return host;
    }

    private void Configure(BotHostFactory host, Uri? dingTalkApi = null)
    {
        host.Settings["WeCom:ApiBaseUrl"] = _wecom.BaseAddress.ToString();
        host.Settings["DingTalk:ClientId"] = ClientId;
        host.Settings["DingTalk:ClientSecret"] = ClientSecret;
        host.Settings["DingTalk:Mode"] = "Http";
        host.Settings["DingTalk:ApiBaseUrl"] = (dingTalkApi ?? _dingTalk.BaseAddress).ToString();
        host.Settings["DingTalk:OapiBaseUrl"] = _dingTalk.BaseAddress.ToString();
        host.Settings["Admin:ApiKey"] = StaffKey;
        _ = host.Services;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        await _wecom.DisposeAsync();
        await _dingTalk.DisposeAsync();
        foreach (var path in new[] { _database, _database + "-wal", _database + "-shm" })
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
                // Cleaned with the temp folder.
            }
        }
    }

    /// <summary>Members D001.. with only a DingTalk id (<c>dt-d001</c>..); not in the seed file, so a restart keeps them.</summary>
    private Task<string[]> AddDingTalkMembersAsync(int count)
    {
        var ids = Enumerable.Range(1, count).Select(i => $"D{i:000}").ToArray();
        return _host.DbAsync(async db =>
        {
            db.Members.AddRange(ids.Select(id => new Member { Id = id, Name = "钉钉委员" + id, DingTalkUserId = "dt-" + id.ToLowerInvariant() }));
            await db.SaveChangesAsync();
            return ids;
        });
    }

    private IReadOnlyList<FakeDingTalkMessage> BatchSends() => [.. _dingTalk.Messages.Where(m => m.Endpoint == FakeDingTalkEndpoint.BatchSend)];

    private IReadOnlyList<FakeDingTalkMessage> RobotPosts() => [.. _dingTalk.Messages.Where(m => m.Endpoint == FakeDingTalkEndpoint.CustomRobot)];

    [Fact]
    public async Task ADingTalkOnlyMember_IsRemindedOnce_ByBatchSend()
    {
        var start = Start;
        var ids = await AddDingTalkMembersAsync(1);
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ids);

        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        await _host.RunRemindersAsync();
        await _host.RunRemindersAsync();

        var send = Assert.Single(BatchSends());
        Assert.Equal(["dt-d001"], send.StaffIds);
        Assert.Equal("text", send.MsgType);
        Assert.Contains("【会议提醒】临平区民营经济发展专题调研", send.Text, StringComparison.Ordinal);
        Assert.Contains($"如不能参加，请直接回复“取消报名 {MeetingId}”", send.Text, StringComparison.Ordinal);
        Assert.Empty(_wecom.Sends());
        var row = (await _host.LedgerAsync(MeetingId)).Single(r => r.RecipientId == "D001");
        Assert.Equal((ReminderDeliveryStatus.Sent, "DingTalk", 1), (row.Status, row.Channel, row.Attempts));
    }

    [Fact]
    public async Task ManyRecipients_GoInBatchSendCallsOfAtMost20()
    {
        var start = Start;
        var ids = await AddDingTalkMembersAsync(45);
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ids);

        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        var run = await _host.RunRemindersAsync();

        // 45 members and the group's two chats.
        Assert.Equal(47, run.Sent);
        Assert.Equal([20, 20, 5], BatchSends().Select(m => m.StaffIds.Count));
        Assert.Equal(45, BatchSends().SelectMany(m => m.StaffIds).Distinct().Count());
    }

    [Fact]
    public async Task AHostDyingMidList_HasRecordedTheCallsAnswered_AndTheNextRunSendsOnlyTheRest()
    {
        var start = Start;
        var ids = await AddDingTalkMembersAsync(45);
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ids);

        // The first call of 20 is answered; the host dies while the second is on the wire.
        _dingTalk.InjectFault(FakeDingTalkEndpoint.BatchSend, FakeDingTalkFault.Silent(TimeSpan.FromMinutes(5)), afterCalls: 1);
        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        using var kill = new CancellationTokenSource();
        var dying = Task.Run(async () =>
        {
            await using var scope = _host.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ReminderDispatcher>().RunAsync(kill.Token);
        }, TestContext.Current.CancellationToken);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await _host.LedgerAsync(MeetingId)).Count(r => r.RecipientType == ReminderRecipientType.Member && r.Status == ReminderDeliveryStatus.Sent) < 20)
        {
            Assert.True(DateTime.UtcNow < deadline, "The members of the answered call were not recorded as reminded while the next call was on the wire.");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        await kill.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dying);

        // The next run after the claim lease sends to the 25 the dead run had not reached, once each.
        _host.Time.Advance(TimeSpan.FromMinutes(11));
        await _host.RunRemindersAsync();
        await _host.RunRemindersAsync();

        Assert.Equal([20, 20, 5], BatchSends().Select(m => m.StaffIds.Count));
        Assert.Equal(45, BatchSends().SelectMany(m => m.StaffIds).Distinct().Count());
        Assert.All((await _host.LedgerAsync(MeetingId)).Where(r => r.RecipientType == ReminderRecipientType.Member), r => Assert.Equal(ReminderDeliveryStatus.Sent, r.Status));
    }

    [Fact]
    public async Task AnInvalidId_IsRecorded_NotRetried_AndShownToStaff()
    {
        await RestartAsync(knownStaffIds: ["dt-d001", "dt-d003"], robotSecret: RobotSecret);
        var start = Start;
        var ids = await AddDingTalkMembersAsync(3);
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ids);

        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        await _host.RunRemindersAsync();
        _host.Time.Advance(TimeSpan.FromMinutes(30));
        await _host.RunRemindersAsync();

        Assert.Equal(["dt-d001", "dt-d003"], Assert.Single(BatchSends()).StaffIds);
        var ledger = await _host.LedgerAsync(MeetingId);
        var invalid = ledger.Single(r => r.RecipientId == "D002");
        Assert.Equal((ReminderDeliveryStatus.Invalid, "DingTalk", 1), (invalid.Status, invalid.Channel, invalid.Attempts));

        using var client = _host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/admin/reminders/{MeetingId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", StaffKey);
        var answer = await client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var rows = await answer.Content.ReadFromJsonAsync<List<ReminderDeliveryView>>(TestContext.Current.CancellationToken);
        var notReached = Assert.Single(rows!, r => r.Status == "Invalid");
        Assert.Equal(("D002", "钉钉委员D002", "DingTalk"), (notReached.RecipientId, notReached.RecipientName, notReached.Channel));
        Assert.Equal(["DingTalk", "WeCom"], rows!.Where(r => r.RecipientType == "Group").Select(r => r.Chat).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AFlowControlledId_IsRetriedLater_AndReachedOnce()
    {
        var start = Start;
        var ids = await AddDingTalkMembersAsync(2);
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ids);
        _dingTalk.ThrottleStaff("dt-d002");

        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        await _host.RunRemindersAsync();
        var throttled = (await _host.LedgerAsync(MeetingId)).Single(r => r.RecipientId == "D002");
        Assert.Equal((ReminderDeliveryStatus.Failed, "FlowControlled"), (throttled.Status, throttled.Error));
        Assert.Equal(start - TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1), throttled.NextAttemptAt);

        // Still throttled at the first retry, through at the second.
        _host.Time.Advance(TimeSpan.FromMinutes(1));
        await _host.RunRemindersAsync();
        _dingTalk.ClearThrottling();
        _host.Time.Advance(TimeSpan.FromMinutes(2));
        await _host.RunRemindersAsync();
        _host.Time.Advance(TimeSpan.FromMinutes(10));
        await _host.RunRemindersAsync();

        Assert.Equal(["dt-d001", "dt-d002"], BatchSends().Select(m => string.Join(",", m.StaffIds)));
        var row = (await _host.LedgerAsync(MeetingId)).Single(r => r.RecipientId == "D002");
        Assert.Equal((ReminderDeliveryStatus.Sent, 3), (row.Status, row.Attempts));
    }

    public static TheoryData<string> WholeCallFaults => ["Throttled", "ServerError", "BadGateway"];

    [Theory]
    [MemberData(nameof(WholeCallFaults))]
    public async Task ThrottlingABusyServerOrTheNetwork_IsRetriedOnALaterRun_AndSentOnce(string fault)
    {
        var start = Start;
        var ids = await AddDingTalkMembersAsync(25);
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ids);
        _dingTalk.InjectFault(FakeDingTalkEndpoint.BatchSend, fault switch
        {
            "Throttled" => FakeDingTalkFault.Throttled,
            "ServerError" => FakeDingTalkFault.ServerError,
            // What a proxy in front of DingTalk answers when it is down.
            _ => new FakeDingTalkFault(502, "BadGateway", "bad gateway"),
        });

        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        await _host.RunRemindersAsync();
        var failed = (await _host.LedgerAsync(MeetingId)).Where(r => r.RecipientType == ReminderRecipientType.Member).ToList();
        Assert.Empty(BatchSends());
        Assert.All(failed, r => Assert.Equal(ReminderDeliveryStatus.Failed, r.Status));
        Assert.Equal(fault == "Throttled" ? "Forbidden.AccessDenied.QpsLimitForApi" : fault == "ServerError" ? "ServiceUnavailable" : "BadGateway", failed[0].Error);

        _host.Time.Advance(TimeSpan.FromMinutes(1));
        await _host.RunRemindersAsync();
        _host.Time.Advance(TimeSpan.FromMinutes(5));
        await _host.RunRemindersAsync();

        Assert.Equal([20, 5], BatchSends().Select(m => m.StaffIds.Count));
        Assert.All(await _host.LedgerAsync(MeetingId), r => Assert.Equal(ReminderDeliveryStatus.Sent, r.Status));
    }

    [Fact]
    public async Task AnUnreachableDingTalk_IsRetried_AndTheReminderGoesOnce()
    {
        var start = Start;
        var ids = await AddDingTalkMembersAsync(1);
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ids);
        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));

        // A closed port: no answer at all.
        await using (var down = NewHostWithDingTalkAt(new Uri("http://127.0.0.1:9/")))
        {
            await down.RunRemindersAsync();
        }

        Assert.Equal("Network", (await _host.LedgerAsync(MeetingId)).Single(r => r.RecipientId == "D001").Error);
        _host.Time.Advance(TimeSpan.FromMinutes(1));
        await _host.RunRemindersAsync();
        await _host.RunRemindersAsync();

        Assert.Equal(["dt-d001"], Assert.Single(BatchSends()).StaffIds);
    }

    [Fact]
    public async Task ADingTalkThatNeverAnswers_IsGivenUpAfterDingTalkApiTimeout_AndTheReminderIsRetriedOnce()
    {
        var start = Start;
        var ids = await AddDingTalkMembersAsync(1);
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ids);
        // A host on the same database that waits two seconds for DingTalk instead of the default thirty.
        var impatient = NewHost();
        impatient.Settings["DingTalk:ApiTimeout"] = "00:00:02";
        Configure(impatient);
        // The fakes keep the first host's clock (robot signatures carry the time): both clocks move together.
        foreach (var clock in new[] { _host.Time, impatient.Time })
        {
            clock.SetUtcNow(start - TimeSpan.FromDays(1));
        }

        // batchSend takes the request and says nothing for ten minutes.
        _dingTalk.InjectFault(FakeDingTalkEndpoint.BatchSend, FakeDingTalkFault.Silent(TimeSpan.FromMinutes(10)));
        // Well before the default 30 s: the setting, not the default, ended the wait.
        var first = await impatient.RunRemindersAsync().WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);
        var row = (await impatient.LedgerAsync(MeetingId)).Single(r => r.RecipientId == "D001");

        _host.Time.Advance(TimeSpan.FromMinutes(1));
        impatient.Time.Advance(TimeSpan.FromMinutes(1));
        await impatient.RunRemindersAsync();
        await impatient.RunRemindersAsync();

        Assert.Equal(1, first.Failed);
        Assert.Equal((ReminderDeliveryStatus.Failed, "Network"), (row.Status, row.Error));
        Assert.Equal(["dt-d001"], Assert.Single(BatchSends()).StaffIds);
        Assert.Equal(ReminderDeliveryStatus.Sent, (await impatient.LedgerAsync(MeetingId)).Single(r => r.RecipientId == "D001").Status);
    }

    private BotHostFactory NewHostWithDingTalkAt(Uri apiBaseUrl)
    {
        var host = new BotHostFactory();
        host.Settings["ConnectionStrings:Database"] = $"Data Source={_database}";
        host.Time.SetUtcNow(_host.Time.GetUtcNow());
        Configure(host, apiBaseUrl);
        return host;
    }

    [Fact]
    public async Task ARevokedToken_IsRefreshedOnce_AndTheReminderGoesOnce()
    {
        var start = Start;
        var ids = await AddDingTalkMembersAsync(2);
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, [ids[0]]);
        await _host.AddMeetingAsync("MT-DT-LATER", start.AddMinutes(10), ParticipationMode.OpenSignup, [ids[1]]);
        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        await _host.RunRemindersAsync();

        _dingTalk.RevokeAllTokens();
        _host.Time.Advance(TimeSpan.FromMinutes(10));
        var run = await _host.RunRemindersAsync();

        Assert.Equal(0, run.Failed);
        Assert.Equal(2, _dingTalk.TokenRequests);
        Assert.Equal(["dt-d001", "dt-d002"], BatchSends().Select(m => string.Join(",", m.StaffIds)));
    }

    [Theory]
    [InlineData(MessagingApp.DingTalk, false, "DingTalk")]
    [InlineData(MessagingApp.WeCom, false, "WeCom")]
    [InlineData(null, false, "WeCom")]
    [InlineData(MessagingApp.DingTalk, true, "WeCom")]
    public async Task AMemberInBothApps_IsRemindedInThePreferredOneOnly(MessagingApp? preferred, bool noIdInPreferredApp, string expected)
    {
        var start = Start;
        await _host.DbAsync(async db =>
        {
            var member = await db.Members.SingleAsync(m => m.Id == "M001");
            member.PreferredApp = preferred;
            if (noIdInPreferredApp)
            {
                member.DingTalkUserId = null;
            }

            return await db.SaveChangesAsync();
        });
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ["M001", "M002"]);

        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        await _host.RunRemindersAsync();
        _host.Time.Advance(TimeSpan.FromMinutes(30));
        await _host.RunRemindersAsync();

        var onWeCom = _wecom.Sends().SelectMany(m => m.Recipients).ToList();
        var onDingTalk = BatchSends().SelectMany(m => m.StaffIds).ToList();
        string[] expectedOnWeCom = expected == "WeCom" ? ["wangjianguo", "chenxiaoyan"] : ["chenxiaoyan"];
        string[] expectedOnDingTalk = expected == "DingTalk" ? ["dt-wangjianguo"] : [];
        Assert.Equal(expectedOnWeCom, onWeCom);
        Assert.Equal(expectedOnDingTalk, onDingTalk);
        Assert.Equal(expected, (await _host.LedgerAsync(MeetingId)).Single(r => r.RecipientId == "M001").Channel);
    }

    [Fact]
    public async Task AMemberThePreferredAppDoesNotKnow_IsRemindedInTheOtherApp_Once()
    {
        // DingTalk knows only chenxiaoyan's id: 王建国's (preferred DingTalk) is refused there.
        await RestartAsync(knownStaffIds: ["dt-chenxiaoyan"], robotSecret: RobotSecret);
        var start = Start;
        await _host.DbAsync(async db =>
        {
            (await db.Members.SingleAsync(m => m.Id == "M001")).PreferredApp = MessagingApp.DingTalk;
            return await db.SaveChangesAsync();
        });
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ["M001"]);

        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        await _host.RunRemindersAsync();
        _host.Time.Advance(TimeSpan.FromMinutes(30));
        await _host.RunRemindersAsync();

        Assert.Equal(["wangjianguo"], Assert.Single(_wecom.Sends()).Recipients);
        var row = (await _host.LedgerAsync(MeetingId)).Single(r => r.RecipientId == "M001");
        Assert.Equal((ReminderDeliveryStatus.Sent, "WeCom"), (row.Status, row.Channel));
    }

    [Fact]
    public async Task AMemberDingTalkFiltersOut_IsNotCountedAsReached_AndIsRemindedInTheOtherApp_Once()
    {
        // 王建国 prefers DingTalk, which filters him out (filteredStaffIdList: nothing delivered); D001 has only DingTalk.
        var start = Start;
        await _host.DbAsync(async db =>
        {
            (await db.Members.SingleAsync(m => m.Id == "M001")).PreferredApp = MessagingApp.DingTalk;
            return await db.SaveChangesAsync();
        });
        var ids = await AddDingTalkMembersAsync(1);
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ["M001", .. ids]);
        _dingTalk.FilterStaff("dt-wangjianguo", "dt-d001");

        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        await _host.RunRemindersAsync();
        _host.Time.Advance(TimeSpan.FromMinutes(30));
        await _host.RunRemindersAsync();

        Assert.Empty(BatchSends());
        Assert.Equal(["wangjianguo"], Assert.Single(_wecom.Sends()).Recipients);
        var ledger = await _host.LedgerAsync(MeetingId);
        var wang = ledger.Single(r => r.RecipientId == "M001");
        Assert.Equal((ReminderDeliveryStatus.Sent, "WeCom"), (wang.Status, wang.Channel));
        var filtered = ledger.Single(r => r.RecipientId == "D001");
        Assert.Equal((ReminderDeliveryStatus.Invalid, "DingTalk", "Filtered", 1), (filtered.Status, filtered.Channel, filtered.Error, filtered.Attempts));
    }

    /// <summary>A location long enough that the reminder goes in two parts on DingTalk.</summary>
    private async Task<string> LengthenMeetingAsync()
    {
        var place = string.Concat(Enumerable.Range(1, 150).Select(i => $"临平区政协四楼第{i}会议室、"));
        await _host.DbAsync(async db =>
        {
            (await db.Meetings.SingleAsync(m => m.Id == MeetingId)).Location = place;
            return await db.SaveChangesAsync();
        });
        return place;
    }

    [Fact]
    public async Task AMemberDingTalkFiltersOutAfterTheFirstPart_GetsOnlyTheRestInWeCom_NotTheBeginningTwice()
    {
        // 王建国 prefers DingTalk, which takes the first part of a long reminder and then filters him out.
        var start = Start;
        await _host.DbAsync(async db =>
        {
            (await db.Members.SingleAsync(m => m.Id == "M001")).PreferredApp = MessagingApp.DingTalk;
            return await db.SaveChangesAsync();
        });
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ["M001"]);
        var place = await LengthenMeetingAsync();
        _dingTalk.MessageAccepted += (_, m) =>
        {
            if (m.Endpoint == FakeDingTalkEndpoint.BatchSend)
            {
                _dingTalk.FilterStaff("dt-wangjianguo");
            }
        };

        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        await _host.RunRemindersAsync();
        _host.Time.Advance(TimeSpan.FromMinutes(30));
        await _host.RunRemindersAsync();

        var onDingTalk = Assert.Single(BatchSends());
        var onWeCom = _wecom.Sends().Where(s => s.Recipients.SequenceEqual(["wangjianguo"])).ToList();
        Assert.NotEmpty(onWeCom);
        Assert.All(onWeCom, s => Assert.Equal("text", s.MsgType));
        var text = onDingTalk.Text + string.Concat(onWeCom.Select(s => s.Content));
        Assert.Equal(0, text.LastIndexOf("【会议提醒】", StringComparison.Ordinal));
        Assert.Equal(text.IndexOf(place, StringComparison.Ordinal), text.LastIndexOf(place, StringComparison.Ordinal));
        Assert.Contains("取消报名", text, StringComparison.Ordinal);
        var row = (await _host.LedgerAsync(MeetingId)).Single(r => r.RecipientId == "M001");
        Assert.Equal((ReminderDeliveryStatus.Sent, "WeCom"), (row.Status, row.Channel));
    }

    [Fact]
    public async Task AMemberFlowControlledAfterTheFirstPart_WhenALaterPartFails_GetsEveryPartOnce()
    {
        // D001 and D002 get the first part; DingTalk then holds D002 back, and fails the third part for D001.
        var start = Start;
        var ids = await AddDingTalkMembersAsync(2);
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ids);
        var place = await LengthenMeetingAsync();
        var place3 = place + place;
        await _host.DbAsync(async db =>
        {
            (await db.Meetings.SingleAsync(m => m.Id == MeetingId)).Location = place3;
            return await db.SaveChangesAsync();
        });
        EventHandler<FakeDingTalkMessage> holdBack = (_, m) =>
        {
            if (m.Endpoint == FakeDingTalkEndpoint.BatchSend)
            {
                _dingTalk.ThrottleStaff("dt-d002");
            }
        };
        _dingTalk.MessageAccepted += holdBack;
        _dingTalk.InjectFault(FakeDingTalkEndpoint.BatchSend, FakeDingTalkFault.ServerError, afterCalls: 2);

        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        var first = await _host.RunRemindersAsync();
        _dingTalk.MessageAccepted -= holdBack;
        _dingTalk.ClearThrottling();
        for (var i = 0; i < 3; i++)
        {
            _host.Time.Advance(TimeSpan.FromMinutes(10));
            await _host.RunRemindersAsync();
        }

        Assert.Equal(2, first.Failed);
        foreach (var userId in new[] { "dt-d001", "dt-d002" })
        {
            var parts = BatchSends().Where(m => m.StaffIds.Contains(userId)).Select(m => m.Text).ToList();
            var text = string.Concat(parts);
            Assert.True(parts.Count >= 3, $"{userId}: {parts.Count} parts");
            Assert.Equal(WeComText.Split(text, DingTalkApiClient.MaxContentBytes), parts);
            Assert.Equal(0, text.LastIndexOf("【会议提醒】", StringComparison.Ordinal));
            Assert.Equal(text.IndexOf(place3, StringComparison.Ordinal), text.LastIndexOf(place3, StringComparison.Ordinal));
            Assert.NotEqual(-1, text.IndexOf(place3, StringComparison.Ordinal));
        }

        Assert.All(await _host.LedgerAsync(MeetingId), r => Assert.Equal(ReminderDeliveryStatus.Sent, r.Status));
    }

    [Fact]
    public async Task ANotificationGoesInThePreferredAppOnly()
    {
        await _host.DbAsync(async db =>
        {
            (await db.Members.SingleAsync(m => m.Id == "M002")).PreferredApp = MessagingApp.DingTalk;
            return await db.SaveChangesAsync();
        });

        Assert.Equal(NotificationOutcome.Sent, await _host.ApproveLeaveAsync("MT-PREF-1", "M002"));
        Assert.Equal(NotificationOutcome.Sent, await _host.ApproveLeaveAsync("MT-PREF-2", "M001"));

        var onDingTalk = Assert.Single(BatchSends());
        Assert.Equal(["dt-chenxiaoyan"], onDingTalk.StaffIds);
        Assert.EndsWith("的请假申请已批准。", onDingTalk.Text, StringComparison.Ordinal);
        var onWeCom = Assert.Single(_wecom.Sends());
        Assert.Equal(["wangjianguo"], onWeCom.Recipients);
        Assert.EndsWith("的请假申请已批准。", onWeCom.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALongReminderStoppedAfterItsFirstPart_SendsOnlyTheRestOnRetry_ToTheMemberAndEachGroupChat()
    {
        var start = Start;
        var ids = await AddDingTalkMembersAsync(1);
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ids);
        var place = string.Concat(Enumerable.Range(1, 150).Select(i => $"临平区政协四楼第{i}会议室、"));
        await _host.DbAsync(async db =>
        {
            (await db.Meetings.SingleAsync(m => m.Id == MeetingId)).Location = place;
            return await db.SaveChangesAsync();
        });

        // Each first part goes out; DingTalk's throttling, its robot's server error and WeCom's limit stop the second.
        _dingTalk.InjectFault(FakeDingTalkEndpoint.BatchSend, FakeDingTalkFault.Throttled, afterCalls: 1);
        _dingTalk.InjectFault(FakeDingTalkEndpoint.CustomRobot, FakeDingTalkFault.ServerError, afterCalls: 1);
        _wecom.InjectFault(FakeWeComFault.RateLimited, 1, FakeWeComEndpoint.WebhookSend, afterCalls: 1);
        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        var first = await _host.RunRemindersAsync();
        _host.Time.Advance(TimeSpan.FromMinutes(2));
        var retry = await _host.RunRemindersAsync();
        _host.Time.Advance(TimeSpan.FromMinutes(10));
        await _host.RunRemindersAsync();

        Assert.Equal(3, first.Failed);
        Assert.Equal((3, 3), (retry.Claimed, retry.Sent));
        var received = $"batchSend: {EachPartOnce(BatchSends().Select(m => m.Text), DingTalkApiClient.MaxContentBytes, "取消报名")}; "
                + $"DingTalk robot: {EachPartOnce(RobotPosts().Select(m => m.Text), DingTalkApiClient.MaxContentBytes, "请准时参加。")}; "
                + $"WeCom robot: {EachPartOnce(_wecom.Webhooks().Select(m => m.Content), WeComText.MaxContentBytes, "请准时参加。")}";
        Assert.True(received == "batchSend: ok; DingTalk robot: ok; WeCom robot: ok", received);
        Assert.All(await _host.LedgerAsync(MeetingId), r => Assert.Equal(ReminderDeliveryStatus.Sent, r.Status));

        // What is wrong with what one chat received, or "ok": every part once, in order. A part sent twice would split
        // off again as itself; the heading, which only the first part has, then comes twice.
        string EachPartOnce(IEnumerable<string> received, int maxBytes, string end)
        {
            var parts = received.ToList();
            var text = string.Concat(parts);
            return parts.Count < 2 ? $"{parts.Count} parts"
                : !WeComText.Split(text, maxBytes).SequenceEqual(parts) ? "parts out of order"
                : !text.StartsWith("【会议提醒】临平区民营经济发展专题调研", StringComparison.Ordinal) || text.LastIndexOf("【会议提醒】", StringComparison.Ordinal) != 0 ? "the first part is missing or came twice"
                : text.IndexOf(place, StringComparison.Ordinal) != text.LastIndexOf(place, StringComparison.Ordinal) || !text.Contains(end, StringComparison.Ordinal) ? "the rest is missing or came twice"
                : "ok";
        }
    }

    /// <summary>M001 (wangjianguo, dt-wangjianguo) must attend a meeting in three days, asks for leave, and staff refuse it.</summary>
    private async Task<NotificationOutcome?> RejectLeaveAsync(string meetingId, string reason)
    {
        var ct = TestContext.Current.CancellationToken;
        await _host.AddMeetingAsync(meetingId, _host.Time.GetUtcNow().AddDays(3), ParticipationMode.Mandatory, [], ["M001"]);
        await using var scope = _host.Services.CreateAsyncScope();
        var meetings = scope.ServiceProvider.GetRequiredService<MeetingService>();
        Assert.Equal(LeaveOutcome.Requested, (await meetings.RequestLeaveAsync(meetingId, "M001", LeaveReason.Illness, null, ct)).Outcome);
        var leave = (await meetings.PendingLeaveAsync(ct)).Single(l => l.Meeting.Id == meetingId);
        return (await meetings.DecideLeaveAsync(leave.ParticipationId, "S001", approve: false, reason, ct)).MemberTold;
    }

    private async Task<ReminderRunSummary> RunNoticesAsync()
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NoticeDispatcher>().RunAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task ALongNoticeStoppedAfterItsFirstPart_GoesOnInThatAppOnly_WithOnlyTheRest()
    {
        var reason = string.Concat(Enumerable.Range(1, 100).Select(i => $"第{i}条：本次会议为全体委员必须出席的专题协商。"));

        // The first part reaches WeCom, the preferred app; its limit stops the second.
        _wecom.InjectFault(FakeWeComFault.RateLimited, 1, FakeWeComEndpoint.MessageSend, afterCalls: 1);
        var told = await RejectLeaveAsync("MT-LONG-NOTICE", reason);
        _host.Time.Advance(TimeSpan.FromMinutes(2));
        var retry = await RunNoticesAsync();
        _host.Time.Advance(TimeSpan.FromMinutes(10));
        await RunNoticesAsync();

        Assert.Equal(NotificationOutcome.Queued, told);
        Assert.Equal((1, 1), (retry.Claimed, retry.Sent));
        Assert.Empty(BatchSends());
        var parts = _wecom.Sends().Where(s => s.Recipients.SequenceEqual(["wangjianguo"])).Select(s => s.Content).ToList();
        var text = string.Concat(parts);
        Assert.Equal(WeComText.Split(text), parts);
        Assert.True(parts.Count >= 3, $"{parts.Count} parts");
        Assert.Equal(0, text.LastIndexOf("您【", StringComparison.Ordinal));
        Assert.Equal(text.IndexOf(reason, StringComparison.Ordinal), text.LastIndexOf(reason, StringComparison.Ordinal));
        Assert.EndsWith("如有疑问请联系区政协办公室。", text, StringComparison.Ordinal);
        var row = Assert.Single(await _host.DbAsync(db => db.ReminderDeliveries.AsNoTracking().Where(r => r.Kind == NoticeDispatcher.LeaveRejectedKind).ToListAsync()));
        Assert.Equal((ReminderDeliveryStatus.Sent, "WeCom"), (row.Status, row.Channel));
    }

    [Fact]
    public async Task ALongNoticeDingTalkRefusesAfterItsFirstPart_GoesOnInWeCom_WithOnlyTheRest()
    {
        var reason = string.Concat(Enumerable.Range(1, 150).Select(i => $"第{i}条：本次会议为全体委员必须出席的专题协商。"));
        await _host.DbAsync(async db =>
        {
            (await db.Members.SingleAsync(m => m.Id == "M001")).PreferredApp = MessagingApp.DingTalk;
            return await db.SaveChangesAsync();
        });
        _dingTalk.MessageAccepted += (_, m) =>
        {
            if (m.Endpoint == FakeDingTalkEndpoint.BatchSend)
            {
                _dingTalk.FilterStaff("dt-wangjianguo");
            }
        };

        var told = await RejectLeaveAsync("MT-LONG-FILTERED", reason);

        Assert.Equal(NotificationOutcome.Sent, told);
        var onDingTalk = Assert.Single(BatchSends());
        var onWeCom = _wecom.Sends().Where(s => s.Recipients.SequenceEqual(["wangjianguo"])).Select(s => s.Content).ToList();
        Assert.NotEmpty(onWeCom);
        var text = onDingTalk.Text + string.Concat(onWeCom);
        Assert.Equal(0, text.LastIndexOf("您【", StringComparison.Ordinal));
        Assert.Equal(text.IndexOf(reason, StringComparison.Ordinal), text.LastIndexOf(reason, StringComparison.Ordinal));
        Assert.NotEqual(-1, text.IndexOf(reason, StringComparison.Ordinal));
        var row = Assert.Single(await _host.DbAsync(db => db.ReminderDeliveries.AsNoTracking().Where(r => r.Kind == NoticeDispatcher.LeaveRejectedKind).ToListAsync()));
        Assert.Equal((ReminderDeliveryStatus.Sent, "WeCom"), (row.Status, row.Channel));
    }

    [Fact]
    public async Task ALongNoticeWeComRefusesAfterItsFirstPart_GoesOnInDingTalk_WithOnlyTheRest()
    {
        // 王建国 prefers WeCom, which takes the first part and then names him in invaliduser (he left its directory).
        var reason = string.Concat(Enumerable.Range(1, 100).Select(i => $"第{i}条：本次会议为全体委员必须出席的专题协商。"));
        await PreferAsync("M001", MessagingApp.WeCom);
        RemoveFromWeComAfterFirstPart("wangjianguo");

        var told = await RejectLeaveAsync("MT-LONG-LEFT", reason);

        Assert.Equal(NotificationOutcome.Sent, told);
        var onWeCom = Assert.Single(_wecom.Sends());
        var onDingTalk = BatchSends().Where(m => m.StaffIds.SequenceEqual(["dt-wangjianguo"])).Select(m => m.Text).ToList();
        Assert.NotEmpty(onDingTalk);
        var text = onWeCom.Content + string.Concat(onDingTalk);
        Assert.Equal(0, text.LastIndexOf("您【", StringComparison.Ordinal));
        Assert.Equal(text.IndexOf(reason, StringComparison.Ordinal), text.LastIndexOf(reason, StringComparison.Ordinal));
        Assert.NotEqual(-1, text.IndexOf(reason, StringComparison.Ordinal));
        var row = Assert.Single(await _host.DbAsync(db => db.ReminderDeliveries.AsNoTracking().Where(r => r.Kind == NoticeDispatcher.LeaveRejectedKind).ToListAsync()));
        Assert.Equal((ReminderDeliveryStatus.Sent, "DingTalk"), (row.Status, row.Channel));
    }

    [Fact]
    public async Task ALongProposalReplyWeComRefusesAfterItsFirstPart_GoesOnInDingTalk_WithOnlyTheRest()
    {
        // Proposal 12: 王建国 (lead) and 刘志强 (co-proposer), both preferring WeCom, get one call per part; WeCom names
        // 王建国 invalid from the second part on. 刘志强 gets every part in WeCom, 王建国 the rest in DingTalk.
        var summary = string.Concat(Enumerable.Range(1, 120).Select(i => $"第{i}项：已将数智城建设纳入年度重点工作并落实。"));
        await PreferAsync("M001", MessagingApp.WeCom);
        await PreferAsync("M003", MessagingApp.WeCom);
        await _host.DbAsync(async db =>
        {
            var now = _host.Time.GetUtcNow();
            var proposal = await db.Proposals.Include(p => p.History).SingleAsync(p => p.Serial == 12);
            db.StateChanges.Add(new StateChange
            {
                EntityType = StateChangeEntityTypes.Proposal,
                EntityId = "一届五次/12",
                From = proposal.Status.ToString(),
                To = nameof(ProposalStatus.Replied),
                Actor = StateChangeActors.Import,
                At = now,
            });
            (proposal.Status, proposal.ReplyClass, proposal.ReplySummary, proposal.RepliedAt) = (ProposalStatus.Replied, AnswerClass.A, summary, now);
            proposal.History.Add(new ProposalStatusEntry { Status = ProposalStatus.Replied, At = now });
            return await db.SaveChangesAsync();
        });
        RemoveFromWeComAfterFirstPart("wangjianguo");

        await using (var scope = _host.Services.CreateAsyncScope())
        {
            var run = await scope.ServiceProvider.GetRequiredService<ProposalNewsDispatcher>().RunAsync(TestContext.Current.CancellationToken);
            Assert.Equal(2, run.Sent);
        }

        var co = _wecom.Sends().Where(s => s.Recipients.Contains("liuzhiqiang")).Select(s => s.Content).ToList();
        Assert.Equal(WeComText.Split(string.Concat(co)), co);
        Assert.Contains("第120项：", string.Concat(co), StringComparison.Ordinal);
        var onWeCom = _wecom.Sends().Where(s => s.Recipients.Contains("wangjianguo")).Select(s => s.Content).ToList();
        var onDingTalk = BatchSends().Where(m => m.StaffIds.SequenceEqual(["dt-wangjianguo"])).Select(m => m.Text).ToList();
        Assert.Single(onWeCom);
        Assert.NotEmpty(onDingTalk);
        var text = string.Concat(onWeCom) + string.Concat(onDingTalk);
        Assert.Equal(0, text.LastIndexOf("【提案答复】", StringComparison.Ordinal));
        Assert.Equal(text.IndexOf("第1项：", StringComparison.Ordinal), text.LastIndexOf("第1项：", StringComparison.Ordinal));
        Assert.Contains("第120项：已将数智城建设纳入年度重点工作并落实。", text, StringComparison.Ordinal);
        var ledger = await _host.LedgerAsync("proposal:一届五次/12");
        Assert.Equal((ReminderDeliveryStatus.Sent, "DingTalk"), ledger.Where(r => r.RecipientId == "M001").Select(r => (r.Status, r.Channel)).Single());
        Assert.Equal((ReminderDeliveryStatus.Sent, "WeCom"), ledger.Where(r => r.RecipientId == "M003").Select(r => (r.Status, r.Channel)).Single());
    }

    private Task<int> PreferAsync(string memberId, MessagingApp app) => _host.DbAsync(async db =>
    {
        (await db.Members.SingleAsync(m => m.Id == memberId)).PreferredApp = app;
        return await db.SaveChangesAsync();
    });

    /// <summary>The fake WeCom delivers the first message/send to <paramref name="userId"/>, then no longer knows them.</summary>
    private void RemoveFromWeComAfterFirstPart(string userId) => _wecom.MessageAccepted += (_, m) =>
    {
        if (m.Endpoint == FakeWeComEndpoint.MessageSend && m.Recipients.Contains(userId))
        {
            _wecom.RemoveUsers(userId);
        }
    };

    [Fact]
    public async Task ANoticeWhoseSendGotNoAnswer_IsRetriedInThatApp_NotSentInTheOtherAtOnce()
    {
        // The connection drops after the request went out: WeCom may have delivered it.
        _wecom.InjectFault(FakeWeComFault.Drop, 1, FakeWeComEndpoint.MessageSend);
        var told = await _host.ApproveLeaveAsync("MT-DROPPED", "M001");
        Assert.Empty(BatchSends());
        _host.Time.Advance(TimeSpan.FromMinutes(1));
        await RunNoticesAsync();
        _host.Time.Advance(TimeSpan.FromMinutes(10));
        await RunNoticesAsync();

        Assert.Equal(NotificationOutcome.Queued, told);
        Assert.Empty(BatchSends());
        var sent = Assert.Single(_wecom.Sends());
        Assert.Equal(["wangjianguo"], sent.Recipients);
        Assert.EndsWith("的请假申请已批准。", sent.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGroupWithRobotsInBothApps_GetsEachReminderOnceInEach_Signed()
    {
        var start = Start;
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, []);

        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        await _host.RunRemindersAsync();
        await _host.RunRemindersAsync();
        _host.Time.SetUtcNow(start - TimeSpan.FromHours(2));
        await _host.RunRemindersAsync();
        await _host.RunRemindersAsync();

        // The fake answers 310000 to a post without a valid timestamp and sign: accepted posts were signed.
        Assert.Equal(2, RobotPosts().Count);
        Assert.All(RobotPosts(), p => Assert.Equal(RobotToken, p.ConversationId));
        Assert.Contains("明天09:00开始", RobotPosts()[0].Text, StringComparison.Ordinal);
        Assert.Contains("2小时后开始", RobotPosts()[1].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("取消报名", RobotPosts()[0].Text, StringComparison.Ordinal);
        Assert.Equal(2, _wecom.Webhooks().Count);
        var ledger = await _host.LedgerAsync(MeetingId);
        Assert.Equal(["DingTalk", "DingTalk", "WeCom", "WeCom"], ledger.Select(r => r.Chat).Order(StringComparer.Ordinal));
        Assert.All(ledger, r => Assert.Equal((ReminderDeliveryStatus.Sent, r.Chat), (r.Status, r.Channel)));
    }

    [Fact]
    public async Task AWronglySignedRobotPost_IsRefused_AndRecordedWithDingTalksErrcode()
    {
        await RestartAsync(knownStaffIds: null, robotSecret: "SECanotherSecretTheBotDoesNotHave");
        var start = Start;
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, []);

        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        await _host.RunRemindersAsync();

        Assert.Empty(RobotPosts());
        var row = (await _host.LedgerAsync(MeetingId)).Single(r => r.Chat == "DingTalk");
        Assert.Equal((ReminderDeliveryStatus.Failed, (int?)310000), (row.Status, row.ErrCode));
        Assert.Equal(ReminderDeliveryStatus.Sent, (await _host.LedgerAsync(MeetingId)).Single(r => r.Chat == "WeCom").Status);
    }

    [Fact]
    public async Task ADingTalkGroupRobot_GetsAtMost20MessagesAMinute_AndIsNeverBlocked()
    {
        var start = Start;
        for (var i = 0; i < 23; i++)
        {
            await _host.AddMeetingAsync($"MT-DT-MANY-{i:00}", start.AddMinutes(i), ParticipationMode.OpenSignup, []);
        }

        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1) + TimeSpan.FromMinutes(30));
        await _host.RunRemindersAsync();
        Assert.Equal(20, RobotPosts().Count);
        Assert.Equal(20, _wecom.Webhooks().Count);

        _host.Time.Advance(TimeSpan.FromMinutes(1));
        await _host.RunRemindersAsync();
        _host.Time.Advance(TimeSpan.FromMinutes(1));
        await _host.RunRemindersAsync();

        // The fake blocks a robot for 10 minutes after a 21st message within a minute: every post was accepted.
        Assert.Equal(23, RobotPosts().Count);
        Assert.Equal(23, RobotPosts().Select(p => p.Text).Distinct().Count());
        Assert.True(RobotPosts().Zip(RobotPosts().Skip(20)).All(p => p.Second.At - p.First.At >= TimeSpan.FromMinutes(1)));
        Assert.Equal(23, _wecom.Webhooks().Count);
    }

    [Fact]
    public async Task ARestart_DoesNotRemindTwice_AndSendsWhatWasLeftOnce()
    {
        var start = Start;
        var ids = await AddDingTalkMembersAsync(3);
        await _host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ids);
        _dingTalk.ThrottleStaff("dt-d003");
        _host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        await _host.RunRemindersAsync();
        Assert.Equal(["dt-d001", "dt-d002"], Assert.Single(BatchSends()).StaffIds);

        // The host stops; a new one (new token cache, new robot limiter) starts on the same database.
        await _host.DisposeAsync();
        _hosts.Remove(_host);
        var fakesClock = _host.Time;
        fakesClock.Advance(TimeSpan.FromMinutes(2));
        _host = NewHost();
        _host.Time.SetUtcNow(fakesClock.GetUtcNow());
        Configure(_host);
        _dingTalk.ClearThrottling();
        await _host.RunRemindersAsync();
        await _host.RunRemindersAsync();

        Assert.Equal(["dt-d001,dt-d002", "dt-d003"], BatchSends().Select(m => string.Join(",", m.StaffIds)));
        Assert.Single(RobotPosts());
        Assert.Single(_wecom.Webhooks());
        Assert.All(await _host.LedgerAsync(MeetingId), r => Assert.Equal(ReminderDeliveryStatus.Sent, r.Status));
    }
}
