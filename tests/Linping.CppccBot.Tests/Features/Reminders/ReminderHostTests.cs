using System.Net;
using System.Net.Http.Headers;
using Hangfire;
using Hangfire.Storage;
using Linping.CppccBot.Features.Reminders;
using Linping.CppccBot.LocalChat.FakeWeCom;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Features.Reminders;

/// <summary>
/// Reminders across hosts: a restart in between, two hosts at once on one database, Hangfire's server running the
/// recurring job for real on the embedded SQLite storage, and the staff-only dashboard.
/// </summary>
public sealed class ReminderHostTests : IAsyncLifetime
{
    private const string MeetingId = "MT-TEST-02";
    private static readonly DateTimeOffset Created = DateTimeOffset.Parse("2026-11-27T09:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture);
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"cppccbot-reminders-{Guid.NewGuid():N}.db");
    private readonly List<BotHostFactory> _hosts = [];
    private FakeWeComServer _wecom = null!;

    public async ValueTask InitializeAsync() =>
        _wecom = await FakeWeComServer.StartAsync(
            new FakeWeComOptions { CorpId = BotHostFactory.CorpId, Secret = BotHostFactory.Secret, AgentId = BotHostFactory.AgentId, WebhookKeys = [ReminderHarness.GroupKey] },
            TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        await _wecom.DisposeAsync();
        var jobs = Path.ChangeExtension(_database, ".hangfire.db");
        foreach (var path in new[] { _database, _database + "-wal", _database + "-shm", jobs, jobs + "-wal", jobs + "-shm" })
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

    /// <summary>A host on the shared database file, with one offset of a minute, its clock at <paramref name="now"/>.</summary>
    private BotHostFactory Host(DateTimeOffset now, string? schedule = null, string offset = "00:01:00", string? redis = null, string? redisPrefix = null)
    {
        var host = redis is null ? new BotHostFactory() : new BotHostFactory { RedisConfiguration = redis, RedisKeyPrefix = redisPrefix! };
        host.Settings["ConnectionStrings:Database"] = $"Data Source={_database}";
        host.Settings["WeCom:ApiBaseUrl"] = _wecom.BaseAddress.ToString();
        host.Settings["Reminders:Offsets:0"] = offset;
        host.Settings["Admin:ApiKey"] = "staff-key-0123456789";
        if (schedule is not null)
        {
            host.Settings["Reminders:Schedule"] = schedule;
        }

        host.Time.SetUtcNow(now);
        _hosts.Add(host);
        _ = host.Services;
        return host;
    }

    private void AssertOneReminderEach()
    {
        var send = Assert.Single(_wecom.Messages, m => m.Endpoint == FakeWeComEndpoint.MessageSend);
        Assert.Equal(["wangjianguo", "chenxiaoyan"], send.Recipients);
        Assert.Matches("(即将|1分钟后)开始", send.Content);
        var webhook = Assert.Single(_wecom.Messages, m => m.Endpoint == FakeWeComEndpoint.WebhookSend);
        Assert.Equal(ReminderHarness.GroupKey, webhook.WebhookKey);
    }

    [Fact]
    public async Task AMeetingTwoMinutesAhead_WithAOneMinuteOffset_IsRemindedOnce_AcrossAHostRestart()
    {
        var start = Created.AddMinutes(2);
        var first = Host(Created);
        await first.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ["M001", "M002"]);
        Assert.Equal(0, (await first.RunRemindersAsync()).Claimed);
        await first.DisposeAsync();

        // The host was killed; a new one starts on the same database after the reminder became due.
        var second = Host(start.AddSeconds(-50));
        await second.RunRemindersAsync();
        await second.RunRemindersAsync();
        await second.DisposeAsync();

        var third = Host(start.AddSeconds(-20));
        await third.RunRemindersAsync();

        AssertOneReminderEach();
    }

    [Fact]
    public async Task ACrashAfterTheClaim_IsRecoveredByTheNextHost_AndSentOnce()
    {
        var start = Created.AddMinutes(20);
        var first = Host(Created, offset: "00:15:00");
        await first.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ["M001", "M002"]);

        // The first host dies between claiming and sending: every reminder is Pending with its claim.
        _wecom.InjectFault(FakeWeComFault.WithDelay(TimeSpan.FromSeconds(30)), 1, FakeWeComEndpoint.GetToken);
        first.Time.SetUtcNow(start.AddMinutes(-15));
        using var dying = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await using (var scope = first.Services.CreateAsyncScope())
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scope.ServiceProvider.GetRequiredService<ReminderDispatcher>().RunAsync(dying.Token));
        }

        await first.DisposeAsync();
        _wecom.ClearFaults();
        Assert.Empty(_wecom.Messages);

        var second = Host(start.AddMinutes(-4), offset: "00:15:00");
        await second.RunRemindersAsync();
        await second.RunRemindersAsync();

        var send = Assert.Single(_wecom.Messages, m => m.Endpoint == FakeWeComEndpoint.MessageSend);
        Assert.Equal(["wangjianguo", "chenxiaoyan"], send.Recipients);
        Assert.Single(_wecom.Messages, m => m.Endpoint == FakeWeComEndpoint.WebhookSend);
    }

    [Fact]
    public async Task TwoHostsRunningAtOnce_OnOneDatabase_SendEachReminderOnce()
    {
        var start = Created.AddMinutes(2);
        var first = Host(start.AddSeconds(-30));
        var second = Host(start.AddSeconds(-30));
        await first.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ["M001", "M002"]);

        var runs = await Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
        {
            await Task.Yield();
            return await (i % 2 == 0 ? first : second).RunRemindersAsync();
        }));

        Assert.Equal(3, runs.Sum(r => r.Sent));
        AssertOneReminderEach();
    }

    [Fact]
    public async Task HangfireRunsTheRecurringJob_OnTheEmbeddedStorage_AndTheReminderArrivesOnce()
    {
        var start = Created.AddMinutes(2);
        var host = Host(start.AddSeconds(-30), schedule: "* * * * *");
        await host.AddMeetingAsync(MeetingId, start, ParticipationMode.OpenSignup, ["M001", "M002"]);
        var storage = host.Services.GetRequiredService<JobStorage>();
        using (var connection = storage.GetConnection())
        {
            Assert.Contains(connection.GetRecurringJobs(), j => j.Id == ReminderJob.RecurringJobId && j.TimeZoneId == "Asia/Shanghai");
        }


        var jobs = host.Services.GetRequiredService<IRecurringJobManager>();
        jobs.Trigger(ReminderJob.RecurringJobId);
        await WaitUntilAsync(() => storage.GetMonitoringApi().SucceededListCount() >= 1);
        jobs.Trigger(ReminderJob.RecurringJobId);
        await WaitUntilAsync(() => storage.GetMonitoringApi().SucceededListCount() >= 2);

        AssertOneReminderEach();
    }

    [Fact]
    public async Task TheDashboard_IsForStaffOnly()
    {
        var host = Host(Created);
        using var client = host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true });
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/hangfire", UriKind.Relative), ct)).StatusCode);
        using (var wrong = new HttpRequestMessage(HttpMethod.Get, "/hangfire"))
        {
            wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-staff-key-000");
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(wrong, ct)).StatusCode);
        }

        using (var right = new HttpRequestMessage(HttpMethod.Get, "/hangfire"))
        {
            right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "staff-key-0123456789");
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(right, ct)).StatusCode);
        }

        // The key in the address opens nothing and sets no session cookie (browsers use /console/hangfire, see the console's tests),
        // nor does the cookie the dashboard used to set, a hash of the key.
        var byKey = await client.GetAsync(new Uri("/hangfire?key=staff-key-0123456789", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.Unauthorized, byKey.StatusCode);
        Assert.False(byKey.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("cppccbot-staff=", StringComparison.Ordinal)));
        using (var oldCookie = new HttpRequestMessage(HttpMethod.Get, "/hangfire/recurring"))
        {
            var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("hangfire-dashboard:staff-key-0123456789")));
            oldCookie.Headers.Add("Cookie", "cppccbot-staff=" + hash);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(oldCookie, ct)).StatusCode);
        }
    }

    [Fact]
    public async Task TheDashboard_IsClosed_WhenNoStaffKeyIsSet()
    {
        var host = new BotHostFactory();
        _hosts.Add(host);
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hangfire");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "staff-key-0123456789");

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(request, TestContext.Current.CancellationToken)).StatusCode);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Hangfire did not run the job within 30 s.");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
