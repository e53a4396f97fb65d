using System.Security.Cryptography;
using StackExchange.Redis;

namespace Linping.CppccBot.Conversations;

/// <summary>
/// Serialises the turns of one conversation, so two messages a member sends in quick succession are handled one
/// after the other (in order of arrival at the lock) instead of racing on the same state. Optimistic concurrency in
/// the state store stays as the safety net.
/// </summary>
public interface IConversationLock
{
    /// <returns>A handle that releases the lock when disposed, or null when the lock was not had within <paramref name="wait"/>.</returns>
    Task<IAsyncDisposable?> AcquireAsync(string key, TimeSpan wait, CancellationToken cancellationToken);
}

/// <summary>
/// In-process locks, striped: a fixed set of semaphores chosen by the key's hash. Memory stays bounded however many
/// conversations there are; two conversations sharing a stripe only wait for each other briefly.
/// </summary>
public sealed class InMemoryConversationLock : IConversationLock
{
    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1))];

    public async Task<IAsyncDisposable?> AcquireAsync(string key, TimeSpan wait, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(uint)StringComparer.Ordinal.GetHashCode(key) % (uint)_stripes.Length];
        return await stripe.WaitAsync(wait, cancellationToken) ? new Releaser(stripe) : null;
    }

    private sealed class Releaser(SemaphoreSlim semaphore) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }

            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>
/// A lock shared by every host: <c>SET key token NX PX lease</c>, released only by its holder (compare-and-delete),
/// and expiring by itself when a host dies holding it.
/// </summary>
public sealed class RedisConversationLock(IConnectionMultiplexer redis, RedisKeys keys) : IConversationLock
{
    /// <summary>Longer than any turn; only matters when a host dies while holding the lock.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    public async Task<IAsyncDisposable?> AcquireAsync(string key, TimeSpan wait, CancellationToken cancellationToken)
    {
        var lockKey = keys.Lock(key);
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var database = redis.GetDatabase();
        var deadline = DateTime.UtcNow + wait;
        var pause = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            if (await database.StringSetAsync(lockKey, token, Lease, When.NotExists))
            {
                return new Releaser(database, lockKey, token);
            }

            if (DateTime.UtcNow + pause > deadline)
            {
                return null;
            }

            await Task.Delay(pause, cancellationToken);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 100));
        }
    }

    private sealed class Releaser(IDatabase database, RedisKey lockKey, string token) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                // Not awaited: nothing waits on the outcome, and Redis runs the release after this host's earlier
                // commands (the state save) on the same connection. A lost release only delays the next turn of this
                // conversation until the lease runs out.
                await database.ScriptEvaluateAsync(ReleaseScript, [lockKey], [token], CommandFlags.FireAndForget);
            }
            catch (RedisException)
            {
                // Not connected: the lease expires by itself.
            }
        }
    }
}
