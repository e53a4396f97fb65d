using System.Net;
using Linping.CppccBot.Conversations;
using Linping.CppccBot.Features.Reminders;
using Linping.CppccBot.LocalChat.FakeWeCom;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Features.Meetings;
using Linping.CppccBot.Tests.Features.Reminders;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Linping.CppccBot.Tests.Hosting;

/// <summary>
/// Faults of what the hosts depend on, each with real servers on loopback: Redis and PostgreSQL stopped and started
/// again under traffic, and a host that dies in the middle of a broadcast.
/// </summary>
public sealed class FaultTests(PostgresServerFixture postgres) : IAsyncLifetime
{
    private static readonly Uri Ready = new("/health/ready", UriKind.Relative);
    private readonly List<BotHostFactory> _hosts = [];
    private readonly List<IAsyncDisposable> _servers = [];

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task RedisStoppedAndStartedUnderTraffic_HostsStayUp_MembersAreAnsweredPolitely_AndNothingIsLostOrDoubled()
    {
        var redis = await StoppableRedisAsync(persistent: true);
        var database = (await postgres.GetAsync()).CreateDatabase();
        var prefix = $"fault-{Guid.NewGuid():N}:";
        var a = Host(new BotHostFactory { RedisConfiguration = redis.Configuration, RedisKeyPrefix = prefix, PostgresConnectionString = database });
        var b = Host(new BotHostFactory { RedisConfiguration = redis.Configuration, RedisKeyPrefix = prefix, PostgresConnectionString = database });
        var toA = new WeComCallbackSender(a.CreateClient(), a.Time);
        var toB = new WeComCallbackSender(b.CreateClient(), b.Time);
        using var readyA = a.CreateClient();

        Assert.Contains("报名成功", (await toA.SendTextAsync("chenxiaoyan", "报名 MT-2027-02")).ReplyText, StringComparison.Ordinal);
        Assert.Contains("第1步", (await toA.SendTextAsync("wangjianguo", "我要提交社情民意")).ReplyText, StringComparison.Ordinal);

        // Traffic from two members on both hosts all through the outage: every message gets an answer.
        using var stopTraffic = new CancellationTokenSource();
        var traffic = Task.Run(async () =>
        {
            var answers = new List<CallbackAnswer>();
            for (var i = 0; i < 400 && !stopTraffic.IsCancellationRequested; i++)
            {
                answers.Add(await (i % 2 == 0 ? toA : toB).SendTextAsync(i % 4 < 2 ? "zhanglihua" : "zhouwei", "帮助"));
                await Task.Delay(20, CancellationToken.None);
            }

            return answers;
        }, TestContext.Current.CancellationToken);

        await redis.StopAsync();
        await WaitForAsync(readyA, HttpStatusCode.ServiceUnavailable);
        var duringSignUp = await toB.SendTextAsync("liuzhiqiang", "报名 MT-2027-02");
        var duringDialog = await toB.SendTextAsync("wangjianguo", "关于小区停车难的建议");
        var live = await readyA.GetAsync(new Uri("/health/live", UriKind.Relative), TestContext.Current.CancellationToken);

        await redis.RestartAsync();
        await WaitForAsync(readyA, HttpStatusCode.OK);
        await WaitForAsync(b.CreateClient(), HttpStatusCode.OK);
        var afterDialog = await toB.SendTextAsync("wangjianguo", "关于小区停车难的建议");
        var afterSignUp = await toA.SendTextAsync("liuzhiqiang", "报名 MT-2027-02");
        await stopTraffic.CancelAsync();
        var answers = await traffic;

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(BotTexts.Unavailable, duringSignUp.ReplyText);
        Assert.Equal(BotTexts.Unavailable, duringDialog.ReplyText);
        Assert.Contains("第2步", afterDialog.ReplyText, StringComparison.Ordinal);
        Assert.Contains("报名成功", afterSignUp.ReplyText, StringComparison.Ordinal);
        Assert.NotEmpty(answers);
        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.Status));
        Assert.All(answers, answer => Assert.False(string.IsNullOrEmpty(answer.Reply?.Content), "Every message during the outage gets an answer."));
        Assert.Contains(answers, answer => answer.ReplyText == BotTexts.Unavailable);

        var signUps = await a.DbAsync(db => db.Participations.AsNoTracking().Where(p => p.MeetingId == "MT-2027-02" && (p.MemberId == "M002" || p.MemberId == "M003")).ToListAsync());
        Assert.Equal(["M002", "M003"], signUps.Select(p => p.MemberId).Order());
        Assert.All(signUps, p => Assert.Equal(ParticipationStatus.SignedUp, p.Status));
    }

    [Fact]
    public async Task RedisDownWhenTheHostStarts_TheHostStartsNotReady_AnswersPolitely_AndRecoversWithItsReminderSchedule()
    {
        var redis = await StoppableRedisAsync();
        await redis.StopAsync();
        var host = new BotHostFactory { RedisConfiguration = redis.Configuration };
        host.Settings["Reminders:Schedule"] = ReminderOptions.DefaultSchedule; // this host registers the reminder job

        Host(host);
        using var client = host.CreateClient();
        var chat = new WeComCallbackSender(host.CreateClient(), host.Time);
        var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative), TestContext.Current.CancellationToken);
        var ready = await client.GetAsync(Ready, TestContext.Current.CancellationToken);
        var during = await chat.SendTextAsync("chenxiaoyan", "报名 MT-2027-02");

        await redis.RestartAsync();
        await WaitForAsync(client, HttpStatusCode.OK);
        var after = await chat.SendTextAsync("chenxiaoyan", "报名 MT-2027-02");
        var registered = await ScheduleRegisteredAsync(host);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(BotTexts.Unavailable, during.ReplyText);
        Assert.Contains("报名成功", after.ReplyText, StringComparison.Ordinal);
        Assert.True(registered, "The reminder schedule was registered once Redis was back.");
    }

    [Fact]
    public async Task RedisRestartedEmpty_TheReminderScheduleIsRegisteredAgain()
    {
        // A Redis that comes back without its data (no persistence, a failover to an empty replica, a flush) has lost
        // Hangfire's recurring job: without it no host would send a reminder again until one restarts.
        var redis = await StoppableRedisAsync();
        var host = new BotHostFactory { RedisConfiguration = redis.Configuration, PostgresConnectionString = (await postgres.GetAsync()).CreateDatabase() };
        host.Settings["Reminders:Schedule"] = ReminderOptions.DefaultSchedule;
        Host(host);
        using var client = host.CreateClient();
        Assert.True(IsScheduleRegistered(host), "The reminder schedule was registered at start.");

        await redis.StopAsync();
        await WaitForAsync(client, HttpStatusCode.ServiceUnavailable);
        await redis.RestartAsync();
        await WaitForAsync(client, HttpStatusCode.OK);

        Assert.True(await ScheduleRegisteredAsync(host), "The reminder schedule was registered again once Redis was back without it.");
    }

    /// <summary>A redis-server of this test's own, which it may stop and start (skipped on a server named from outside).</summary>
    private async Task<RedisServerFixture> StoppableRedisAsync(bool persistent = false)
    {
        var redis = new RedisServerFixture { Persistent = persistent };
        _servers.Add(redis);
        await redis.InitializeAsync();
        redis.RequireServer();
        Assert.SkipWhen(redis.Port == 0, "CPPCCBOT_TEST_REDIS names a server these tests cannot stop.");
        return redis;
    }

    /// <summary>A PostgreSQL server of this test's own, which it may stop and start (skipped on a server named from outside).</summary>
    private async Task<PostgresServer> StoppablePostgresAsync()
    {
        var server = new PostgresServer();
        _servers.Add(server);
        await server.StartAsync();
        server.RequireServer();
        Assert.SkipWhen(server.IsExternal, "CPPCCBOT_TEST_POSTGRES names a server these tests cannot stop.");
        return server;
    }

    /// <summary>Whether Hangfire's storage holds the reminder job, waiting up to 30 s while the host's clock moves on (its checks wait on it).</summary>
    private static async Task<bool> ScheduleRegisteredAsync(BotHostFactory host)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline;)
        {
            host.Time.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(200, TestContext.Current.CancellationToken);
            if (IsScheduleRegistered(host))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsScheduleRegistered(BotHostFactory host)
    {
        using var connection = host.Services.GetRequiredService<Hangfire.JobStorage>().GetConnection();
        return Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection).Any(j => j.Id == ReminderJob.RecurringJobId);
    }

    [Fact]
    public async Task PostgresUnavailableForAWhile_MembersAreAnsweredPolitely_ReadinessSaysSo_AndTheHostRecovers()
    {
        var server = await StoppablePostgresAsync();
        var host = Host(new BotHostFactory { PostgresConnectionString = server.CreateDatabase() });
        var chat = new WeComCallbackSender(host.CreateClient(), host.Time);
        using var client = host.CreateClient();

        Assert.Contains("报名成功", (await chat.SendTextAsync("chenxiaoyan", "报名 MT-2027-02")).ReplyText, StringComparison.Ordinal);

        await server.StopAsync();
        await WaitForAsync(client, HttpStatusCode.ServiceUnavailable);
        var during = await chat.SendTextAsync("liuzhiqiang", "报名 MT-2027-02");
        var lookup = await chat.SendTextAsync("wangjianguo", "我的提案");
        var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative), TestContext.Current.CancellationToken);

        await server.StartAsync();
        await WaitForAsync(client, HttpStatusCode.OK);
        var after = await chat.SendTextAsync("liuzhiqiang", "报名 MT-2027-02");
        var again = await chat.SendTextAsync("chenxiaoyan", "报名 MT-2027-02");

        Assert.Equal(BotTexts.Unavailable, during.ReplyText);
        Assert.Equal(BotTexts.Unavailable, lookup.ReplyText);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Contains("报名成功", after.ReplyText, StringComparison.Ordinal);
        Assert.DoesNotContain("报名成功", again.ReplyText, StringComparison.Ordinal);
        var signUps = await host.DbAsync(db => db.Participations.AsNoTracking().Where(p => p.MeetingId == "MT-2027-02" && (p.MemberId == "M002" || p.MemberId == "M003")).ToListAsync());
        Assert.Equal(["M002", "M003"], signUps.Select(p => p.MemberId).Order());
    }

    [Fact]
    public async Task PostgresStoppedUnderTraffic_TheLogSaysOnceThatTheDatabaseIsAway_AndWhenItIsBack_WithoutAStackTracePerRequest()
    {
        var server = await StoppablePostgresAsync();
        var logs = new CapturingLoggerProvider();
        var host = new BotHostFactory { PostgresConnectionString = server.CreateDatabase() }.WithServices(s => s.AddSingleton<ILoggerProvider>(logs));
        host.Settings["Admin:ApiKey"] = "fault-staff-key-0123456789";
        Host(host);
        var chat = new WeComCallbackSender(host.CreateClient(), host.Time);
        using var staff = host.CreateClient();
        staff.DefaultRequestHeaders.Authorization = new("Bearer", "fault-staff-key-0123456789");
        Assert.Contains("报名成功", (await chat.SendTextAsync("chenxiaoyan", "报名 MT-2027-02")).ReplyText, StringComparison.Ordinal);
        var before = logs.Lines.Count;
        using var metrics = new BotMetricCollector(host.Services);

        // Members, staff, the load balancer's readiness checks and the reminder job, all while the database is away.
        await server.StopAsync();
        await WaitForAsync(staff, HttpStatusCode.ServiceUnavailable);
        var answers = new List<string?>();
        for (var i = 0; i < 10; i++)
        {
            answers.Add((await chat.SendTextAsync(i % 2 == 0 ? "wangjianguo" : "liuzhiqiang", i % 2 == 0 ? "我的提案" : "报名 MT-2027-02")).ReplyText);
            using var meetings = await staff.GetAsync(new Uri("/api/admin/meetings", UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, meetings.StatusCode);
            using var ready = await staff.GetAsync(Ready, TestContext.Current.CancellationToken);
        }

        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ReminderJob>().RunAsync(TestContext.Current.CancellationToken);
        }

        await server.StartAsync();
        await WaitForAsync(staff, HttpStatusCode.OK);
        var after = await chat.SendTextAsync("liuzhiqiang", "报名 MT-2027-02");
        var outage = logs.Lines.Skip(before).ToList();

        Assert.All(answers, answer => Assert.Equal(BotTexts.Unavailable, answer));
        Assert.Contains("报名成功", after.ReplyText, StringComparison.Ordinal);
        Assert.Equal(answers.Count, metrics.Sum("cppccbot.messages.received", ("channel", "wecom"), ("intent", "Unavailable")));
        Assert.Single(outage, l => l.StartsWith("Warning Linping.CppccBot.Hosting.DependencyOutages The database is unreachable", StringComparison.Ordinal));
        Assert.Single(outage, l => l.StartsWith("Information Linping.CppccBot.Hosting.DependencyOutages The database is reachable again", StringComparison.Ordinal));
        Assert.Single(outage, l => l.Contains("Reminder run stopped: the database or Redis is unavailable", StringComparison.Ordinal));
        // No error and no stack trace for what is no bug; one line per message (the turn's own), a few besides.
        Assert.DoesNotContain(outage, l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal));
        Assert.DoesNotContain(outage, l => l.Contains("   at ", StringComparison.Ordinal));
        Assert.InRange(outage.Count, 1, answers.Count + 8);
        Assert.DoesNotContain(outage, l => l.Contains("wangjianguo", StringComparison.Ordinal) || l.Contains("liuzhiqiang", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RedisStoppedUnderTraffic_TheLogSaysOnceThatRedisIsAway_AndWhenItIsBack()
    {
        var redis = await StoppableRedisAsync();
        var logs = new CapturingLoggerProvider();
        var host = Host(new BotHostFactory { RedisConfiguration = redis.Configuration }.WithServices(s => s.AddSingleton<ILoggerProvider>(logs)));
        var chat = new WeComCallbackSender(host.CreateClient(), host.Time);
        using var client = host.CreateClient();
        Assert.Contains("报名成功", (await chat.SendTextAsync("chenxiaoyan", "报名 MT-2027-02")).ReplyText, StringComparison.Ordinal);
        var before = logs.Lines.Count;

        await redis.StopAsync();
        await WaitForAsync(client, HttpStatusCode.ServiceUnavailable);
        var answers = new List<string?>();
        for (var i = 0; i < 10; i++)
        {
            answers.Add((await chat.SendTextAsync("wangjianguo", "帮助")).ReplyText);
            using var ready = await client.GetAsync(Ready, TestContext.Current.CancellationToken);
        }

        await redis.RestartAsync();
        await WaitForAsync(client, HttpStatusCode.OK);
        await WaitForLogAsync(logs, "Redis is reachable again");
        var outage = logs.Lines.Skip(before).ToList();

        Assert.All(answers, answer => Assert.Equal(BotTexts.Unavailable, answer));
        Assert.Single(outage, l => l.StartsWith("Warning Linping.CppccBot.Hosting.DependencyOutages Redis is unreachable", StringComparison.Ordinal));
        Assert.Single(outage, l => l.StartsWith("Information Linping.CppccBot.Hosting.DependencyOutages Redis is reachable again", StringComparison.Ordinal));
        Assert.DoesNotContain(outage, l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal));
        Assert.DoesNotContain(outage, l => l.Contains("   at ", StringComparison.Ordinal));
        Assert.InRange(outage.Count, 1, answers.Count + 8);
    }

    /// <summary>Waits up to 30 s for a log line containing <paramref name="text"/> (the Redis connection reports its return on its own thread).</summary>
    private static async Task WaitForLogAsync(CapturingLoggerProvider logs, string text)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); !logs.Lines.Any(l => l.Contains(text, StringComparison.Ordinal)) && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task PostgresUnavailable_TheStaffApiAnswers503_NotAnInternalError_AndWorksAgainAfterwards()
    {
        var server = await StoppablePostgresAsync();
        var host = new BotHostFactory { PostgresConnectionString = server.CreateDatabase() };
        host.Settings["Admin:ApiKey"] = "fault-staff-key-0123456789";
        Host(host);
        using var staff = host.CreateClient();
        staff.DefaultRequestHeaders.Authorization = new("Bearer", "fault-staff-key-0123456789");
        var meetings = new Uri("/api/admin/meetings", UriKind.Relative);

        await server.StopAsync();
        await WaitForAsync(staff, HttpStatusCode.ServiceUnavailable);
        using var during = await staff.GetAsync(meetings, TestContext.Current.CancellationToken);
        var problem = await during.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        await server.StartAsync();
        await WaitForAsync(staff, HttpStatusCode.OK);
        using var after = await staff.GetAsync(meetings, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.Contains("服务暂时不可用", problem, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task PostgresUnavailableMidDialog_TheDialogIsKept_AndGoesOnOnTheOtherHostOnceTheDatabaseIsBack()
    {
        var redis = new RedisServerFixture();
        _servers.Add(redis);
        await redis.InitializeAsync();
        redis.RequireServer();
        var server = await StoppablePostgresAsync();
        var database = server.CreateDatabase();
        var prefix = $"fault-{Guid.NewGuid():N}:";
        var a = Host(new BotHostFactory { RedisConfiguration = redis.Configuration, RedisKeyPrefix = prefix, PostgresConnectionString = database });
        var b = Host(new BotHostFactory { RedisConfiguration = redis.Configuration, RedisKeyPrefix = prefix, PostgresConnectionString = database });
        var toA = new WeComCallbackSender(a.CreateClient(), a.Time);
        var toB = new WeComCallbackSender(b.CreateClient(), b.Time);
        using var readyA = a.CreateClient();

        // A report written up to its confirmation, and a sign-up waiting for the member's choice from a list.
        Assert.Contains("第1步", (await toA.SendTextAsync("wangjianguo", "我要提交社情民意")).ReplyText, StringComparison.Ordinal);
        Assert.Contains("第2步", (await toB.SendTextAsync("wangjianguo", "关于小区停车难的建议")).ReplyText, StringComparison.Ordinal);
        await toA.SendTextAsync("wangjianguo", "临平街道多个老小区停车位严重不足，夜间车辆占用消防通道，存在安全隐患。建议利用周边闲置地块建设临时停车场。");
        Assert.Contains("第3步", (await toB.SendTextAsync("wangjianguo", "完成")).ReplyText, StringComparison.Ordinal);
        Assert.Contains("确认提交", (await toA.SendTextAsync("wangjianguo", "跳过")).ReplyText, StringComparison.Ordinal);
        Assert.Contains("请回复序号", (await toA.SendTextAsync("zhouwei", "报名")).ReplyText, StringComparison.Ordinal);

        await server.StopAsync();
        await WaitForAsync(readyA, HttpStatusCode.ServiceUnavailable);
        var submitDuring = await toA.SendTextAsync("wangjianguo", "1");
        var choiceDuring = await toA.SendTextAsync("zhouwei", "1");

        await server.StartAsync();
        await WaitForAsync(readyA, HttpStatusCode.OK);
        await WaitForAsync(b.CreateClient(), HttpStatusCode.OK);
        var submitAfter = await toB.SendTextAsync("wangjianguo", "1");
        var choiceAfter = await toB.SendTextAsync("zhouwei", "1");

        Assert.Equal(BotTexts.Unavailable, submitDuring.ReplyText);
        Assert.Equal(BotTexts.Unavailable, choiceDuring.ReplyText);
        Assert.Contains("提交成功", submitAfter.ReplyText, StringComparison.Ordinal);
        Assert.Contains("报名成功", choiceAfter.ReplyText, StringComparison.Ordinal);
        Assert.Equal(1, await a.DbAsync(db => db.Opinions.CountAsync(o => o.Title == "关于小区停车难的建议")));
    }

    [Fact]
    public async Task AHostKilledMidBroadcast_TheOtherHostFinishesIt_AndEachRecipientGetsItOnce()
    {
        var server = await postgres.GetAsync();
        var database = server.CreateDatabase();
        var wecom = await FakeWeComServer.StartAsync(
            new FakeWeComOptions { CorpId = BotHostFactory.CorpId, Secret = BotHostFactory.Secret, AgentId = BotHostFactory.AgentId, WebhookKeys = [ReminderHarness.GroupKey] },
            TestContext.Current.CancellationToken);
        _servers.Add(wecom);
        var start = DateTimeOffset.Parse("2026-11-28T09:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture);
        var a = BroadcastHost(database, wecom, start.AddDays(-1));
        var b = BroadcastHost(database, wecom, start.AddDays(-1));
        await a.AddMeetingAsync("MT-TEST-KILL", start, ParticipationMode.OpenSignup, ["M001", "M002", "M003"]);

        // Host A reaches the members, then dies while its message to the group robot is on the wire.
        wecom.InjectFault(FakeWeComFault.WithDelay(TimeSpan.FromMinutes(5)), 1, FakeWeComEndpoint.WebhookSend);
        using var kill = new CancellationTokenSource();
        var dying = Task.Run(async () =>
        {
            await using var scope = a.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ReminderDispatcher>().RunAsync(kill.Token);
        }, TestContext.Current.CancellationToken);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await b.LedgerAsync("MT-TEST-KILL")).Count(r => r.RecipientType == ReminderRecipientType.Member && r.Status == ReminderDeliveryStatus.Sent) < 3)
        {
            Assert.True(DateTime.UtcNow < deadline, "Host A did not record the members' reminder as sent while its group message was on the wire.");
            Assert.False(dying.IsCompleted, "Host A finished its run although the group robot did not answer.");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        await kill.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dying);
        await a.DisposeAsync();
        _hosts.Remove(a);
        wecom.ClearFaults();
        Assert.Empty(wecom.Webhooks());

        // Host B runs before and after the dead host's claim lease ran out: the group is reminded once, the members not again.
        await b.RunRemindersAsync();
        b.Time.Advance(TimeSpan.FromMinutes(11));
        await b.RunRemindersAsync();
        await b.RunRemindersAsync();

        var send = Assert.Single(wecom.Sends());
        Assert.Equal(["wangjianguo", "chenxiaoyan", "liuzhiqiang"], send.Recipients);
        Assert.Single(wecom.Webhooks());
        var ledger = await b.LedgerAsync("MT-TEST-KILL");
        Assert.Equal(4, ledger.Count);
        Assert.All(ledger, r => Assert.Equal(ReminderDeliveryStatus.Sent, r.Status));
    }

    [Fact]
    public async Task AWeComThatNeverAnswers_TimesOutAfterWeComApiTimeout_AndTheReminderIsRetriedOnce()
    {
        var wecom = await FakeWeComServer.StartAsync(
            new FakeWeComOptions { CorpId = BotHostFactory.CorpId, Secret = BotHostFactory.Secret, AgentId = BotHostFactory.AgentId, WebhookKeys = [ReminderHarness.GroupKey] },
            TestContext.Current.CancellationToken);
        _servers.Add(wecom);
        var host = BotHostFactory.OnPostgres(await postgres.GetAsync());
        host.Settings["WeCom:ApiBaseUrl"] = wecom.BaseAddress.ToString();
        host.Settings["WeCom:ApiTimeout"] = "00:00:03";
        Host(host);
        var start = host.Time.GetUtcNow().AddDays(3);
        await host.AddMeetingAsync("MT-TEST-SILENT", start, ParticipationMode.OpenSignup, ["M001"]);

        // The app-message endpoint takes the request and says nothing for ten minutes.
        wecom.InjectFault(FakeWeComFault.WithDelay(TimeSpan.FromMinutes(10)), 1, FakeWeComEndpoint.MessageSend);
        host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        var run = host.RunRemindersAsync();
        var first = await run.WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
        var member = (await host.LedgerAsync("MT-TEST-SILENT")).Single(r => r.RecipientId == "M001");

        host.Time.Advance(TimeSpan.FromMinutes(1));
        await host.RunRemindersAsync();
        await host.RunRemindersAsync();

        Assert.Equal(1, first.Failed);
        Assert.Equal((ReminderDeliveryStatus.Failed, "Network"), (member.Status, member.Error));
        var send = Assert.Single(wecom.Sends());
        Assert.Equal(["wangjianguo"], send.Recipients);
        Assert.Equal(ReminderDeliveryStatus.Sent, (await host.LedgerAsync("MT-TEST-SILENT")).Single(r => r.RecipientId == "M001").Status);
    }

    private BotHostFactory Host(BotHostFactory host)
    {
        _hosts.Add(host);
        _ = host.Services;
        return host;
    }

    private BotHostFactory BroadcastHost(string database, FakeWeComServer wecom, DateTimeOffset now)
    {
        var host = new BotHostFactory { PostgresConnectionString = database };
        host.Settings["WeCom:ApiBaseUrl"] = wecom.BaseAddress.ToString();
        host.Time.SetUtcNow(now);
        return Host(host);
    }

    /// <summary>Polls readiness until it reports <paramref name="expected"/> (a minute at most).</summary>
    private static async Task WaitForAsync(HttpClient client, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var response = await client.GetAsync(Ready, TestContext.Current.CancellationToken);
            if (response.StatusCode == expected)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"/health/ready did not become {(int)expected} within a minute.");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
