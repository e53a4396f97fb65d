using System.Collections.Concurrent;
using Linping.CppccBot.Channels.WeCom;
using Linping.CppccBot.LocalChat.FakeWeCom;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Linping.CppccBot.Tests.Channels.WeCom;

/// <summary>The real client, registered as the host registers it, against the real fake WeCom on loopback, sharing one fake clock.</summary>
internal sealed class WeComApiHarness : IAsyncDisposable
{
    public const string CorpId = "wwtestcorp0000001";
    public const string Secret = "s3cret-for-tests-only";
    public const int AgentId = 1000002;
    public const string WebhookKey = "robot-key-12345";

    private readonly ServiceProvider _services;

    private WeComApiHarness(FakeWeComServer fake, FakeTimeProvider time, ServiceProvider services, CapturingLoggerProvider logs)
    {
        Fake = fake;
        Time = time;
        _services = services;
        Logs = logs;
    }

    public FakeWeComServer Fake { get; }

    public FakeTimeProvider Time { get; }

    public CapturingLoggerProvider Logs { get; }

    public WeComApiClient Client => _services.GetRequiredService<WeComApiClient>();

    public WeComAccessTokenCache TokenCache => _services.GetRequiredService<WeComAccessTokenCache>();

    public static async Task<WeComApiHarness> StartAsync(IReadOnlyCollection<string>? knownUsers = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 3, 1, 0, 0, TimeSpan.Zero));
        var fake = await FakeWeComServer.StartAsync(new FakeWeComOptions
        {
            CorpId = CorpId,
            Secret = Secret,
            AgentId = AgentId,
            KnownUsers = knownUsers,
            WebhookKeys = [WebhookKey],
            TimeProvider = time,
        });

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WeCom:CorpId"] = CorpId,
            ["WeCom:Secret"] = Secret,
            ["WeCom:AgentId"] = AgentId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["WeCom:Token"] = "callbacktoken",
            ["WeCom:EncodingAESKey"] = new string('A', 43),
            ["WeCom:ApiBaseUrl"] = fake.BaseAddress.ToString(),
        }).Build();

        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddSingleton<TimeProvider>(time);
        services.AddWeComApi();
        return new WeComApiHarness(fake, time, services.BuildServiceProvider(), logs);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Fake.DisposeAsync();
    }
}

/// <summary>Keeps every log line, with its structured values and exception, so tests can look for leaks.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            lines.Enqueue($"{category} scope: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            lines.Enqueue($"{category} [{logLevel}] {formatter(state, exception)} {{{values}}} {exception}");
        }
    }
}
