using System.Collections.Concurrent;
using System.Net;

namespace Linping.CppccBot.Features.Console;

/// <summary>
/// Slows down guessing of the console secrets: after <see cref="MaxFailures"/> failed logins from one address within
/// <see cref="Window"/>, that address is refused until the window has passed, right or wrong secret alike. Kept in
/// process: each host counts its own failures.
/// </summary>
public sealed class ConsoleLoginThrottle(TimeProvider time)
{
    public const int MaxFailures = 5;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<string, Failures> _failures = new(StringComparer.Ordinal);

    /// <summary>True when the address may try to log in now.</summary>
    public bool IsAllowed(IPAddress? address)
    {
        var now = time.GetUtcNow();
        return !_failures.TryGetValue(Key(address), out var failures) || failures.Since + Window <= now || failures.Count < MaxFailures;
    }

    public void RecordFailure(IPAddress? address)
    {
        var now = time.GetUtcNow();
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
    }

    public void RecordSuccess(IPAddress? address) => _failures.TryRemove(Key(address), out _);

    private static string Key(IPAddress? address) => address?.ToString() ?? "unknown";

    private sealed record Failures(int Count, DateTimeOffset Since);
}
