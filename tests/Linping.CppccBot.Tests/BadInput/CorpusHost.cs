using System.Data.Common;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Linping.CppccBot.LocalChat.FakeDingTalk;
using Linping.CppccBot.LocalChat.FakeWeCom;
using Linping.CppccBot.Persistence;
using Linping.CppccBot.Tests.Channels.DingTalk;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Linping.CppccBot.Tests.BadInput;

/// <summary>
/// One real host shared by a whole corpus: SQLite seeded with the demo data, a real redis-server, WeCom on and DingTalk in
/// <see cref="Mode"/>, a fake WeCom API, a fake DingTalk, and a second fake DingTalk standing for "somewhere else" (a
/// forged sessionWebhook's target). Cases run one after another, so a case sees only its own effects.
/// </summary>
public abstract class CorpusHost : IAsyncLifetime
{
    private readonly RedisServerFixture _redis = new();

    protected abstract string Mode { get; }

    public BotHostFactory Host { get; private set; } = null!;

    public FakeWeComServer WeCom { get; private set; } = null!;

    public FakeDingTalkServer DingTalk { get; private set; } = null!;

    public FakeDingTalkServer Elsewhere { get; private set; } = null!;

    public CapturingLoggerProvider Logs { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    public WeComCallbackSender Sender { get; private set; } = null!;

    /// <summary>Secrets of the host's settings: none may ever show in an answer or a log line.</summary>
    public static IReadOnlyList<string> Secrets { get; } =
        [BotHostFactory.Token, BotHostFactory.EncodingAesKey, BotHostFactory.Secret, DingTalkHost.ClientSecret];

    public async ValueTask InitializeAsync()
    {
        await _redis.InitializeAsync();
        if (_redis.UnavailableReason is not null)
        {
            return;
        }

        Host = new BotHostFactory { RedisConfiguration = _redis.Configuration }.WithServices(s => s.AddSingleton<ILoggerProvider>(Logs));
        WeCom = await FakeWeComServer.StartAsync(new FakeWeComOptions
        {
            CorpId = BotHostFactory.CorpId,
            Secret = BotHostFactory.Secret,
            AgentId = BotHostFactory.AgentId,
            TimeProvider = Host.Time,
        });
        var dingTalkOptions = new FakeDingTalkOptions { ClientId = DingTalkHost.ClientId, ClientSecret = DingTalkHost.ClientSecret, TimeProvider = Host.Time };
        DingTalk = await FakeDingTalkServer.StartAsync(dingTalkOptions);
        Elsewhere = await FakeDingTalkServer.StartAsync(new FakeDingTalkOptions { ClientId = DingTalkHost.ClientId, ClientSecret = DingTalkHost.ClientSecret, TimeProvider = Host.Time });
        Host.Settings["WeCom:ApiBaseUrl"] = WeCom.BaseAddress.ToString();
        Host.Settings["DingTalk:ClientId"] = DingTalkHost.ClientId;
        Host.Settings["DingTalk:ClientSecret"] = DingTalkHost.ClientSecret;
        Host.Settings["DingTalk:Mode"] = Mode;
        Host.Settings["DingTalk:ApiBaseUrl"] = DingTalk.BaseAddress.ToString();
        Host.Settings["DingTalk:OapiBaseUrl"] = DingTalk.BaseAddress.ToString();
        Client = Host.CreateClient();
        Sender = new WeComCallbackSender(Client, Host.Time);
    }

    public void RequireServer() => _redis.RequireServer();

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
            await WeCom.DisposeAsync();
            await DingTalk.DisposeAsync();
            await Elsewhere.DisposeAsync();
        }

        await _redis.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Everything a case could change: every table's rows, the Redis keys of this host, what the fakes received.</summary>
    public async Task<Snapshot> SnapshotAsync()
    {
        await using var scope = Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        var tables = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in await ReadColumnAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\"";
            using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            var rows = new List<string>();
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                var values = new object[reader.FieldCount];
                reader.GetValues(values);
                rows.Add(string.Join('\u001f', values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))));
            }

            rows.Sort(StringComparer.Ordinal);
            tables[table] = $"{rows.Count}:{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001e', rows))))[..16]}";
        }

        var keys = await ReadRedisKeysAsync();
        return new Snapshot(string.Join("; ", tables.Select(t => $"{t.Key}={t.Value}")), keys, WeCom.Messages.Count, DingTalk.Messages.Count, Elsewhere.Messages.Count);
    }

    /// <summary>
    /// The Redis keys of this host, read once no conversation lock is held any more. A turn releases its lock without
    /// waiting (fire-and-forget on the host's own connection), so right after an answer the release may still be on
    /// its way; a lock still there after five seconds is real and stays in the snapshot.
    /// </summary>
    private async Task<List<string>> ReadRedisKeysAsync()
    {
        var server = _redis.Connection.GetServer(_redis.Connection.GetEndPoints()[0]);
        var lockPrefix = Host.RedisKeyPrefix + "lock:";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (true)
        {
            var keys = new List<string>();
            await foreach (var key in server.KeysAsync(pattern: Host.RedisKeyPrefix + "*"))
            {
                keys.Add(key.ToString());
            }

            if (!keys.Exists(k => k.StartsWith(lockPrefix, StringComparison.Ordinal)) || DateTime.UtcNow > deadline)
            {
                keys.Sort(StringComparer.Ordinal);
                return keys;
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Asserts <c>/health/ready</c> answers 200: the host is still healthy after the case.</summary>
    public async Task AssertHealthyAsync()
    {
        using var response = await Client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Asserts the log lines written since <paramref name="mark"/> hold no secret and none of <paramref name="personal"/>.</summary>
    public void AssertLogsClean(int mark, params string[] personal)
    {
        var lines = Logs.Lines.Skip(mark).ToList();
        foreach (var line in lines)
        {
            foreach (var secret in Secrets.Concat(personal).Where(s => !string.IsNullOrEmpty(s)))
            {
                Assert.False(line.Contains(secret, StringComparison.Ordinal), $"A log line holds \"{Shorten(secret)}\": {Shorten(line)}");
            }

            Assert.DoesNotContain("   at ", line, StringComparison.Ordinal);
        }
    }

    /// <summary>Asserts an answer to an outsider carries no stack trace, exception or secret.</summary>
    public static void AssertAnswerClean(string body)
    {
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
        }
    }

    private static string Shorten(string value) => value.Length > 200 ? value[..200] + "…" : value;

    private static async Task<List<string>> ReadColumnAsync(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var values = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}

/// <summary>The state a case may not change when it is refused.</summary>
public sealed record Snapshot(string Tables, IReadOnlyList<string> RedisKeys, int WeComMessages, int DingTalkMessages, int ElsewhereMessages)
{
    public void AssertSame(Snapshot after)
    {
        ArgumentNullException.ThrowIfNull(after);
        Assert.Equal(Tables, after.Tables);
        Assert.Equal(RedisKeys, after.RedisKeys);
        Assert.Equal((WeComMessages, DingTalkMessages, ElsewhereMessages), (after.WeComMessages, after.DingTalkMessages, after.ElsewhereMessages));
    }
}

/// <summary>The corpus host with DingTalk's HTTP callback.</summary>
public sealed class HttpCorpusHost : CorpusHost
{
    protected override string Mode => "Http";
}

/// <summary>The corpus host with DingTalk's Stream connection to the fake gateway.</summary>
public sealed class StreamCorpusHost : CorpusHost
{
    protected override string Mode => "Stream";
}
