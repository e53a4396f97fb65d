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
    /// <returns>A lease that releases the lock when disposed, or null when the lock was not had within <paramref name="wait"/>.</returns>
    Task<ConversationLease?> AcquireAsync(string key, TimeSpan wait, CancellationToken cancellationToken);
}

/// <summary>
/// A held conversation lock. <see cref="State"/> is the conversation's state when the lock could read it at no extra
/// cost in the same step (Redis: one script), else null and the turn loads it from the store.
/// </summary>
public sealed class ConversationLease(Func<ValueTask> release, StoredState? state = null) : IAsyncDisposable
{
    private int _released;

    public StoredState? State { get; } = state;

    public ValueTask DisposeAsync() => Interlocked.Exchange(ref _released, 1) == 0 ? release() : ValueTask.CompletedTask;
}

/// <summary>
/// In-process locks, striped: a fixed set of semaphores chosen by the key's hash. Memory stays bounded however many
/// conversations there are; two conversations sharing a stripe only wait for each other briefly.
/// </summary>
public sealed class InMemoryConversationLock : IConversationLock
{
    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1))];

    public async Task<ConversationLease?> AcquireAsync(string key, TimeSpan wait, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(uint)StringComparer.Ordinal.GetHashCode(key) % (uint)_stripes.Length];
        return await stripe.WaitAsync(wait, cancellationToken)
            ? new ConversationLease(() =>
            {
                stripe.Release();
                return ValueTask.CompletedTask;
            })
            : null;
    }
}

/// <summary>
/// A lock shared by every host: <c>SET key token NX PX lease</c>, released only by its holder (compare-and-delete),
/// and expiring by itself when a host dies holding it. Taking the lock reads the conversation's state in the same
/// script, so a turn costs Redis one round trip fewer.
/// </summary>
public sealed class RedisConversationLock(IConnectionMultiplexer redis, RedisKeys keys) : IConversationLock
{
    /// <summary>Longer than any turn; only matters when a host dies while holding the lock.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    // KEYS[1] = lock key, KEYS[2] = state key; ARGV[1] = token, ARGV[2] = lease in milliseconds.
    // Returns nil when the lock is held by another turn, else the state's version and JSON (each nil when absent).
    private const string AcquireAndReadScript = """
        if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return nil end
        return redis.call('HMGET', KEYS[2], 'v', 'json')
        """;

    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    public async Task<ConversationLease?> AcquireAsync(string key, TimeSpan wait, CancellationToken cancellationToken)
    {
        RedisKey[] scriptKeys = [keys.Lock(key), keys.Conversation(key)];
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var database = redis.GetDatabase();
        var deadline = DateTime.UtcNow + wait;
        var pause = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            var result = await database.ScriptEvaluateAsync(AcquireAndReadScript, scriptKeys, [token, (long)Lease.TotalMilliseconds]);
            if (!result.IsNull)
            {
                var values = (RedisValue[])result!;
                return new ConversationLease(() => ReleaseAsync(database, scriptKeys[0], token), RedisConversationStore.ToStoredState(values[0], values[1]));
            }

            if (DateTime.UtcNow + pause > deadline)
            {
                return null;
            }

            await Task.Delay(pause, cancellationToken);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 100));
        }
    }

    private static ValueTask ReleaseAsync(IDatabase database, RedisKey lockKey, string token)
    {
        try
        {
            // Not awaited: nothing waits on the outcome, and Redis runs the release after this host's earlier
            // commands (the state save) on the same connection. A lost release only delays the next turn of this
            // conversation until the lease runs out.
            database.ScriptEvaluate(ReleaseScript, [lockKey], [token], CommandFlags.FireAndForget);
        }
        catch (RedisException)
        {
            // Not connected: the lease expires by itself.
        }

        return ValueTask.CompletedTask;
    }
}
