using Hangfire;
using Hangfire.Redis.StackExchange;
using Linping.CppccBot.Features.Reminders;
using Linping.CppccBot.LocalChat.FakeWeCom;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Features.Reminders;

/// <summary>Two hosts sharing one real Redis (Hangfire storage) and one database: each runs the job, the reminder goes once.</summary>
[Collection(RedisTests.Name)]
public sealed class ReminderRedisTests(RedisServerFixture redis) : IAsyncLifetime
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"cppccbot-reminders-redis-{Guid.NewGuid():N}.db");
    private readonly string _prefix = $"reminders-{Guid.NewGuid():N}:";
    private readonly List<BotHostFactory> _hosts = [];
    private FakeWeComServer _wecom = null!;

    public async ValueTask InitializeAsync()
    {
        redis.RequireServer();
        _wecom = await FakeWeComServer.StartAsync(
            new FakeWeComOptions { CorpId = BotHostFactory.CorpId, Secret = BotHostFactory.Secret, AgentId = BotHostFactory.AgentId, WebhookKeys = [ReminderHarness.GroupKey] },
            TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        if (_wecom is not null)
        {
            await _wecom.DisposeAsync();
        }

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

    private BotHostFactory Host(DateTimeOffset now)
    {
        var host = new BotHostFactory { RedisConfiguration = redis.Configuration, RedisKeyPrefix = _prefix };
        host.Settings["ConnectionStrings:Database"] = $"Data Source={_database}";
        host.Settings["WeCom:ApiBaseUrl"] = _wecom.BaseAddress.ToString();
        host.Settings["Reminders:Offsets:0"] = "00:01:00";
        host.Settings["Reminders:Schedule"] = "* * * * *";
        host.Time.SetUtcNow(now);
        _hosts.Add(host);
        _ = host.Services;
        return host;
    }

    [Fact]
    public async Task TwoHostsOnOneRedis_RunTheJob_AndEachReminderGoesOnce()
    {
        var start = DateTimeOffset.Parse("2026-11-27T09:02:00+08:00", System.Globalization.CultureInfo.InvariantCulture);
        var first = Host(start.AddSeconds(-30));
        var second = Host(start.AddSeconds(-30));
        await first.AddMeetingAsync("MT-TEST-03", start, ParticipationMode.OpenSignup, ["M001", "M002"]);
        var storage = first.Services.GetRequiredService<JobStorage>();
        Assert.IsType<RedisStorage>(storage);

        first.Services.GetRequiredService<IRecurringJobManager>().Trigger(ReminderJob.RecurringJobId);
        second.Services.GetRequiredService<IRecurringJobManager>().Trigger(ReminderJob.RecurringJobId);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (storage.GetMonitoringApi().SucceededListCount() < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "Hangfire did not run both jobs within 30 s.");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        var send = Assert.Single(_wecom.Messages, m => m.Endpoint == FakeWeComEndpoint.MessageSend);
        Assert.Equal(["wangjianguo", "chenxiaoyan"], send.Recipients);
        Assert.Single(_wecom.Messages, m => m.Endpoint == FakeWeComEndpoint.WebhookSend);
    }
}
