using System.Net;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Linping.CppccBot.Tests.Hosting;

public sealed class HealthAndLoggingTests
{
    [Fact]
    public void EveryLogEvent_HasAnIdOfItsOwn_SoAnOperatorCanFilterOrAlertOnIt()
    {
        var events = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.DeclaredOnly))
            .SelectMany(m => m.GetCustomAttributes(typeof(LoggerMessageAttribute), inherit: false).Cast<LoggerMessageAttribute>().Select(a => (a.EventId, Method: $"{m.DeclaringType!.Name}.{m.Name}")))
            .ToList();

        Assert.True(events.Count > 50, $"Only {events.Count} log events found.");
        Assert.Empty(events.Where(e => e.EventId <= 0).Select(e => e.Method));
        Assert.Empty(events.GroupBy(e => e.EventId).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Method))}"));
    }

    [Fact]
    public async Task Live_AndReady_AreHealthy_OnTheEmbeddedDefaults()
    {
        using var host = new BotHostFactory();
        using var client = host.CreateClient();

        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative), TestContext.Current.CancellationToken);
        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Ready_ReportsUnavailable_WhenRedisCannotBeReached_WhileLiveStaysUp()
    {
        using var host = new BotHostFactory { RedisConfiguration = $"127.0.0.1:{RedisServerFixture.FreePort()},connectTimeout=200" };
        using var client = host.CreateClient();

        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative), TestContext.Current.CancellationToken);
        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
    }

    [Fact]
    public async Task Logs_CarryNoMessageTexts_PhoneNumbers_OrSecrets()
    {
        var logs = new CapturingLoggerProvider();
        using var host = new BotHostFactory().WithServices(s => s.AddSingleton<ILoggerProvider>(logs));
        var sender = new WeComCallbackSender(host.CreateClient(), host.Time);

        await sender.SendTextAsync("wangjianguo", "我的电话13800000101，小区停车难怎么反映");
        await sender.SendTextAsync("stranger-user", "帮助 13900000202");
        await sender.SendTextAsync("wangjianguo", "帮助");

        Assert.NotEmpty(logs.Lines);
        Assert.Contains(logs.Lines, l => l.Contains("Turn on wecom", StringComparison.Ordinal));
        // The pseudonym is keyed: hashing the roster's ids, as anyone with the logs could, does not find the member.
        var unkeyed = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("wecom:wangjianguo")).AsSpan(0, 6));
        var pseudonym = host.Services.GetRequiredService<Linping.CppccBot.Conversations.LogPseudonyms>().Of("wecom", "wangjianguo");
        Assert.Contains(logs.Lines, l => l.Contains(pseudonym, StringComparison.Ordinal));
        foreach (var secret in new[] { "13800000101", "13900000202", "小区停车难", "王建国", "wangjianguo", "stranger-user", unkeyed, BotHostFactory.Token, BotHostFactory.EncodingAesKey, BotHostFactory.Secret })
        {
            Assert.DoesNotContain(logs.Lines, l => l.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task TheSqliteFiles_AreReadableByTheHostsUserOnly()
    {
        using var host = new BotHostFactory();
        var sender = new WeComCallbackSender(host.CreateClient(), host.Time);
        await sender.SendTextAsync("wangjianguo", "帮助");

        var database = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(host.Services.GetRequiredService<IConfiguration>().GetConnectionString("Database")).DataSource;
        var jobs = Linping.CppccBot.Hosting.HangfireExtensions.EmbeddedStoragePath($"Data Source={database}", Directory.GetCurrentDirectory());
        Assert.True(File.Exists(database), database);
        foreach (var file in new[] { database, jobs }.Where(File.Exists))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file) & ~UnixFileMode.UserExecute);
        }
    }
}
