using System.Globalization;
using System.Net;
using Linping.CppccBot.Conversations;
using StackExchange.Redis;

namespace Linping.CppccBot.Features.Console;

/// <summary>
/// Slows down guessing of the console secrets: at most <see cref="MaxFailures"/> login attempts from one address are
/// checked within <see cref="Window"/> (counted from the first of them) unless one succeeds; further attempts are
/// refused until the window has passed, right or wrong secret alike. An attempt takes its place in the count before
/// the secret is compared (<see cref="TryReserveAsync"/>, one atomic step), so requests sent at once cannot slip in
/// more guesses than the limit; a successful login clears the count. With Redis (several hosts) the count is kept
/// there, in one script, so every host refuses an address that used its tries on any of them; while Redis cannot be
/// reached, and without it, each host's own count decides. The count is kept in this process in any case, for that
/// fallback.
/// </summary>
public sealed partial class ConsoleLoginThrottle
{
    public const int MaxFailures = 5;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    // Times are the host's (TimeProvider), not Redis's, so the window reads the same on every host. The key expires by
    // Redis's clock one window after the first attempt; that only tidies up, the check compares the stored start.
    // Returns 1 when the attempt got a place (and was counted), 0 when the address has used its tries.
    private static readonly LuaScript ReserveScript = LuaScript.Prepare(
        """
        local since = tonumber(redis.call('HGET', @key, 'since'))
        if since == nil or since + tonumber(@window) <= tonumber(@now) then
          redis.call('HSET', @key, 'since', @now, 'count', 1)
          redis.call('PEXPIRE', @key, @window)
          return 1
        end
        if tonumber(redis.call('HGET', @key, 'count') or '0') >= tonumber(@max) then
          return 0
        end
        redis.call('HINCRBY', @key, 'count', 1)
        return 1
        """);

    private readonly Dictionary<string, Failures> _failures = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly ILogger<ConsoleLoginThrottle> _logger;
    private readonly IConnectionMultiplexer? _redis;
    private readonly RedisKeys? _keys;

    /// <param name="redis">The hosts' Redis, with <paramref name="keys"/>; null: attempts are counted on this host only.</param>
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

    /// <summary>
    /// Counts a login attempt from the address and says whether it may be checked: false when the address has used its
    /// tries in the window (the attempt is then not counted). Call it before comparing the secret, and
    /// <see cref="RecordSuccessAsync"/> when the secret was right.
    /// </summary>
    public async Task<bool> TryReserveAsync(IPAddress? address)
    {
        var now = _time.GetUtcNow();
        var key = Key(address);
        if (_redis is not null)
        {
            try
            {
                var reserved = (int)await ReserveScript.EvaluateAsync(_redis.GetDatabase(), new
                {
                    key = _keys!.ConsoleLogin(key),
                    now = now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                    window = ((long)Window.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
                    max = MaxFailures.ToString(CultureInfo.InvariantCulture),
                }) == 1;
                if (reserved)
                {
                    // Kept for the fallback; Redis decided.
                    Reserve(key, now, force: true);
                }

                return reserved;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogRedisUnavailable(_logger);
            }
        }

        return Reserve(key, now, force: false);
    }

    public async Task RecordSuccessAsync(IPAddress? address)
    {
        lock (_gate)
        {
            _failures.Remove(Key(address));
        }

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

    /// <summary>This host's count: check and count in one step under the lock; <paramref name="force"/> counts without the check.</summary>
    private bool Reserve(string key, DateTimeOffset now, bool force)
    {
        lock (_gate)
        {
            if (_failures.Count > 10_000)
            {
                foreach (var (stale, _) in _failures.Where(f => f.Value.Since + Window <= now).ToList())
                {
                    _failures.Remove(stale);
                }
            }

            if (!_failures.TryGetValue(key, out var failures) || failures.Since + Window <= now)
            {
                _failures[key] = new Failures(1, now);
                return true;
            }

            if (!force && !IsAllowed(failures, now))
            {
                return false;
            }

            _failures[key] = failures with { Count = failures.Count + 1 };
            return true;
        }
    }

    private static bool IsAllowed(Failures failures, DateTimeOffset now) => failures.Since + Window <= now || failures.Count < MaxFailures;

    private static string Key(IPAddress? address) => address?.ToString() ?? "unknown";

    [LoggerMessage(EventId = 6103, Level = LogLevel.Warning, Message = "Staff console login throttle: Redis unreachable, counting failures on this host only")]
    private static partial void LogRedisUnavailable(ILogger logger);

    private sealed record Failures(int Count, DateTimeOffset Since);
}
