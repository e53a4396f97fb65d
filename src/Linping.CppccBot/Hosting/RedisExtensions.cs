using Linping.CppccBot.Conversations;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Linping.CppccBot.Hosting;

public static class RedisExtensions
{
    /// <summary>The setting that prefixes every Redis key (Hangfire's too), so deployments can share a server.</summary>
    public const string KeyPrefixKey = "Redis:KeyPrefix";

    public const string DefaultKeyPrefix = "cppccbot:";

    /// <summary>
    /// Chooses where conversation state and de-duplication live: Redis when <c>ConnectionStrings:Redis</c> is set
    /// (several hosts share it), this process otherwise.
    /// </summary>
    public static IHostApplicationBuilder AddConversationStorage(this IHostApplicationBuilder builder)
    {
        var redisConfiguration = builder.Configuration.GetConnectionString("Redis");
        var services = builder.Services;
        var prefix = builder.Configuration.GetValue(KeyPrefixKey, DefaultKeyPrefix)!;
        if (string.IsNullOrWhiteSpace(prefix))
        {
            // Without a prefix the keys of every deployment on one Redis are the same keys: one's dialogs, locks and
            // de-duplication would be another's.
            services.AddSettingProblem($"{KeyPrefixKey} must not be empty: deployments sharing one Redis would use each other's keys (leave it out for the default '{DefaultKeyPrefix}').");
        }

        if (string.IsNullOrWhiteSpace(redisConfiguration))
        {
            services.AddSingleton<InMemoryConversationStore>();
            services.AddSingleton<IConversationStore>(sp => sp.GetRequiredService<InMemoryConversationStore>());
            services.AddSingleton<IConversationLock, InMemoryConversationLock>();
            services.AddSingleton<InMemoryDeliveryDeduplicator>();
            services.AddSingleton<IDeliveryDeduplicator>(sp => sp.GetRequiredService<InMemoryDeliveryDeduplicator>());
            services.AddHostedService<InMemoryHousekeeping>();
            return builder;
        }

        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(redisConfiguration);
        }
        catch (ArgumentException ex)
        {
            // Stops the start when the settings are validated; nothing connects before that.
            services.AddSettingProblem($"ConnectionStrings:Redis is not a valid StackExchange.Redis configuration: {ex.Message}");
            options = new ConfigurationOptions();
        }

        // Start and keep running while Redis is down: readiness reports it, and the connection heals by itself.
        options.AbortOnConnectFail = false;

        // While Redis is away, fail a command at once instead of queueing it until the command timeout: WeCom and
        // DingTalk wait only a few seconds for an answer, and a prompt 「系统暂时繁忙」 beats a redelivered message.
        options.BacklogPolicy = BacklogPolicy.FailFast;

        // Complete Redis replies on the .NET thread pool rather than on StackExchange.Redis's own socket threads: on a
        // small machine the hand-off between those threads and the pool cost more than it saved (docs/benchmarks.md).
        options.SocketManager = SocketManager.ThreadPool;
        services.AddSingleton<IConnectionMultiplexer>(sp => ReportingOutages(ConnectionMultiplexer.Connect(options), sp.GetRequiredService<DependencyOutages>()));
        services.AddSingleton(new RedisKeys(prefix));
        services.AddSingleton<IConversationStore, RedisConversationStore>();
        services.AddSingleton<IDeliveryDeduplicator, RedisDeliveryDeduplicator>();
        services.AddSingleton<IConversationLock, RedisConversationLock>();
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// The connection's own events tell when Redis is lost and back (once each, however many commands fail meanwhile);
    /// the subscription connection follows the interactive one and is not reported on its own.
    /// </summary>
    private static ConnectionMultiplexer ReportingOutages(ConnectionMultiplexer redis, DependencyOutages outages)
    {
        redis.ConnectionFailed += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Interactive)
            {
                outages.Failed(Dependency.Redis, $"{e.FailureType} on {e.EndPoint}");
            }
        };
        redis.ConnectionRestored += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Interactive)
            {
                outages.Succeeded(Dependency.Redis);
            }
        };
        if (!redis.IsConnected)
        {
            outages.Failed(Dependency.Redis, "not reachable when the host started");
        }

        return redis;
    }

    private sealed class RedisHealthCheck(IConnectionMultiplexer redis, DependencyOutages outages) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var latency = await redis.GetDatabase().PingAsync();
                outages.Succeeded(Dependency.Redis);
                return HealthCheckResult.Healthy($"ping {latency.TotalMilliseconds:0.0} ms");
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                outages.Failed(Dependency.Redis, DependencyOutages.Reason(ex));
                return HealthCheckResult.Unhealthy("Redis is not reachable.");
            }
        }
    }

    /// <summary>Sweeps expired in-process state now and then, so a long-running single host does not grow.</summary>
    private sealed class InMemoryHousekeeping(InMemoryConversationStore store, InMemoryDeliveryDeduplicator deduplicator, TimeProvider time) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMinutes(5), time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                store.Sweep();
                deduplicator.Sweep();
            }
        }
    }
}
