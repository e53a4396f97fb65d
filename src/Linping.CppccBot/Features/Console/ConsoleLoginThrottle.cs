using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Linping.CppccBot.Conversations;
using StackExchange.Redis;

namespace Linping.CppccBot.Features.Console;

/// <summary>
/// Slows down guessing of the console secrets: after <see cref="MaxFailures"/> failed logins from one address within
/// <see cref="Window"/> (counted from the first of them), that address is refused until the window has passed, right
/// or wrong secret alike. With Redis (several hosts) the failures are counted there, so every host refuses an address
/// that failed on any of them; while Redis cannot be reached, and without it, each host's own count decides. The
/// count is kept in this process in any case, for that fallback.
/// </summary>
public sealed partial class ConsoleLoginThrottle
{
    public const int MaxFailures = 5;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    // Times are the host's (TimeProvider), not Redis's, so the window reads the same here and there. The key expires by
    // Redis's clock one window after the first failure; that only tidies up, the check compares the stored start.
    private static readonly LuaScript RecordFailureScript = LuaScript.Prepare(
        """
        local since = tonumber(redis.call('HGET', @key, 'since'))
        if since == nil or since + tonumber(@window) <= tonumber(@now) then
          redis.call('HSET', @key, 'since', @now, 'count', 1)
          redis.call('PEXPIRE', @key, @window)
          return 1
        end
        return redis.call('HINCRBY', @key, 'count', 1)
        """);

    private static readonly RedisValue[] Fields = ["since", "count"];

    private readonly ConcurrentDictionary<string, Failures> _failures = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly ILogger<ConsoleLoginThrottle> _logger;
    private readonly IConnectionMultiplexer? _redis;
    private readonly RedisKeys? _keys;

    /// <param name="redis">The hosts' Redis, with <paramref name="keys"/>; null: failures are counted on this host only.</param>
    public ConsoleLoginThrottle(TimeProvider time, ILogger<ConsoleLoginThrottle> logger, IConnectionMultiplexer? redis = null, RedisKeys? keys = null)
    {
        if (redis is not null)
        {
            ArgumentNullException.ThrowIfNull(keys);
        }

        _time = time;
        _logger = logger;
        _redis = redis;
        _keys = keys;
    }

    /// <summary>True when the address may try to log in now.</summary>
    public async Task<bool> IsAllowedAsync(IPAddress? address)
    {
        var now = _time.GetUtcNow();
        if (_redis is not null)
        {
            try
            {
                var stored = await _redis.GetDatabase().HashGetAsync(_keys!.ConsoleLogin(Key(address)), Fields);
                return stored[0].IsNull || stored[1].IsNull || IsAllowed(new Failures((int)stored[1], DateTimeOffset.FromUnixTimeMilliseconds((long)stored[0])), now);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogRedisUnavailable(_logger);
            }
        }

        return !_failures.TryGetValue(Key(address), out var failures) || IsAllowed(failures, now);
    }

    public async Task RecordFailureAsync(IPAddress? address)
    {
        var now = _time.GetUtcNow();
        _failures.AddOrUpdate(Key(address), _ => new Failures(1, now), (_, old) => old.Since + Window <= now ? new Failures(1, now) : old with { Count = old.Count + 1 });
        if (_failures.Count > 10_000)
        {
            foreach (var (key, failures) in _failures)
            {
                if (failures.Since + Window <= now)
                {
                    _failures.TryRemove(key, out _);
                }
            }
        }

        if (_redis is not null)
        {
            try
            {
                await RecordFailureScript.EvaluateAsync(_redis.GetDatabase(), new
                {
                    key = _keys!.ConsoleLogin(Key(address)),
                    now = now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                    window = ((long)Window.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
                });
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogRedisUnavailable(_logger);
            }
        }
    }

    public async Task RecordSuccessAsync(IPAddress? address)
    {
        _failures.TryRemove(Key(address), out _);
        if (_redis is not null)
        {
            try
            {
                await _redis.GetDatabase().KeyDeleteAsync(_keys!.ConsoleLogin(Key(address)));
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogRedisUnavailable(_logger);
            }
        }
    }

    private static bool IsAllowed(Failures failures, DateTimeOffset now) => failures.Since + Window <= now || failures.Count < MaxFailures;

    private static string Key(IPAddress? address) => address?.ToString() ?? "unknown";

    [LoggerMessage(EventId = 6103, Level = LogLevel.Warning, Message = "Staff console login throttle: Redis unreachable, counting failures on this host only")]
    private static partial void LogRedisUnavailable(ILogger logger);

    private sealed record Failures(int Count, DateTimeOffset Since);
}
