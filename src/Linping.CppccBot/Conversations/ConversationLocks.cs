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
    /// <summary>
    /// Claims <paramref name="claim"/> (when given) once, then takes the lock of conversation <paramref name="key"/>,
    /// waiting up to <paramref name="wait"/> for the turn that holds it. A delivery claimed before is not claimed again
    /// and the lock is not taken. The claim stays when the lock is not had in time.
    /// </summary>
    Task<LockAttempt> AcquireAsync(string key, TimeSpan wait, DeliveryClaim? claim, CancellationToken cancellationToken);
}

/// <summary>What trying to take a conversation lock came to.</summary>
/// <param name="Lease">The held lock; null when it was not had (<see cref="IsDuplicate"/>, or another turn held it throughout the wait).</param>
/// <param name="IsDuplicate">The delivery to claim was claimed before: a redelivery, not to be handled again.</param>
public readonly record struct LockAttempt(ConversationLease? Lease, bool IsDuplicate)
{
    public static LockAttempt Busy => default;

    public static LockAttempt Duplicate => new(null, true);
}

/// <summary>
/// A held conversation lock. <see cref="State"/> is the conversation's state when the lock could read it at no extra
/// cost in the same step (Redis: one script), else null and the turn loads it from the store.
/// </summary>
public sealed class ConversationLease(Func<ValueTask> release, StoredState? state = null, ConversationLease.SaveAndRelease? saveAndRelease = null) : IAsyncDisposable
{
    /// <summary>Saves the state as <see cref="IConversationStore.TrySaveAsync"/> does and releases the lock, in one step.</summary>
    public delegate Task<bool> SaveAndRelease(ConversationState state, long expectedVersion, TimeSpan timeToLive);

    private int _released;

    public StoredState? State { get; } = state;

    /// <summary>
    /// Saves the turn's state and then releases the lock. A lock that shares its server with the state (Redis) does both
    /// in one round trip; otherwise the state goes to <paramref name="store"/> and the lock is released after it.
    /// </summary>
    /// <returns>False when someone else saved the state since it was read with <paramref name="expectedVersion"/> (the lock is released all the same).</returns>
    public async Task<bool> TrySaveAndReleaseAsync(IConversationStore store, string key, ConversationState state, long expectedVersion, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        if (saveAndRelease is null || Volatile.Read(ref _released) != 0)
        {
            var saved = await store.TrySaveAsync(key, state, expectedVersion, timeToLive, cancellationToken);
            await DisposeAsync();
            return saved;
        }

        // Marked released only once the step succeeded: after a failure, disposing still tries to release.
        var result = await saveAndRelease(state, expectedVersion, timeToLive);
        Interlocked.Exchange(ref _released, 1);
        return result;
    }

    public ValueTask DisposeAsync() => Interlocked.Exchange(ref _released, 1) == 0 ? release() : ValueTask.CompletedTask;
}

/// <summary>
/// In-process locks, striped: a fixed set of semaphores chosen by the key's hash. Memory stays bounded however many
/// conversations there are; two conversations sharing a stripe only wait for each other briefly.
/// </summary>
public sealed class InMemoryConversationLock(InMemoryDeliveryDeduplicator deduplicator) : IConversationLock
{
    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1))];

    public async Task<LockAttempt> AcquireAsync(string key, TimeSpan wait, DeliveryClaim? claim, CancellationToken cancellationToken)
    {
        if (claim is not null && !await deduplicator.TryClaimAsync(claim, cancellationToken))
        {
            return LockAttempt.Duplicate;
        }

        var stripe = _stripes[(uint)StringComparer.Ordinal.GetHashCode(key) % (uint)_stripes.Length];
        return await stripe.WaitAsync(wait, cancellationToken)
            ? new LockAttempt(
                new ConversationLease(() =>
                {
                    stripe.Release();
                    return ValueTask.CompletedTask;
                }),
                IsDuplicate: false)
            : LockAttempt.Busy;
    }
}

/// <summary>
/// A lock shared by every host: <c>SET key token NX PX lease</c>, released only by its holder (compare-and-delete),
/// and expiring by itself when a host dies holding it. One script claims the delivery (as
/// <see cref="RedisDeliveryDeduplicator"/> does, same key), takes the lock and reads the conversation's state; the
/// lease saves the state and releases the lock in one script too, so a turn costs Redis two round trips. It is the
/// partner of <see cref="RedisConversationStore"/>: it reads and writes the same hash.
/// </summary>
public sealed class RedisConversationLock(IConnectionMultiplexer redis, RedisKeys keys) : IConversationLock
{
    /// <summary>Longer than any turn; only matters when a host dies while holding the lock.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    // KEYS[1] = lock key, KEYS[2] = state key, KEYS[3] = delivery claim key (absent: nothing to claim); ARGV[1] =
    // token, ARGV[2] = lease in milliseconds, ARGV[3] = claim window in milliseconds. Returns -1 when the delivery was
    // claimed before, nil when the lock is held by another turn, else the state's version and JSON (each nil when
    // absent).
    private const string AcquireAndReadScript = """
        if KEYS[3] and not redis.call('SET', KEYS[3], 1, 'NX', 'PX', ARGV[3]) then return -1 end
        if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return nil end
        return redis.call('HMGET', KEYS[2], 'v', 'json')
        """;

    // KEYS[1] = lock key, KEYS[2] = state key; ARGV[1] = expected version, ARGV[2] = JSON, ARGV[3] = TTL in
    // milliseconds, ARGV[4] = token. The save is RedisConversationStore's compare-and-set; the lock goes either way.
    private const string SaveAndReleaseScript = """
        local saved = 0
        local current = tonumber(redis.call('HGET', KEYS[2], 'v') or '0')
        if current == tonumber(ARGV[1]) then
            redis.call('HSET', KEYS[2], 'v', current + 1, 'json', ARGV[2])
            redis.call('PEXPIRE', KEYS[2], ARGV[3])
            saved = 1
        end
        if redis.call('GET', KEYS[1]) == ARGV[4] then redis.call('DEL', KEYS[1]) end
        return saved
        """;

    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    public async Task<LockAttempt> AcquireAsync(string key, TimeSpan wait, DeliveryClaim? claim, CancellationToken cancellationToken)
    {
        RedisKey[] scriptKeys = [keys.Lock(key), keys.Conversation(key)];
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var database = redis.GetDatabase();
        var deadline = DateTime.UtcNow + wait;
        var pause = TimeSpan.FromMilliseconds(10);
        RedisValue[] lockArgs = [token, (long)Lease.TotalMilliseconds];

        // The first attempt claims the delivery too; the retries only try the lock.
        var result = claim is null
            ? await database.ScriptEvaluateAsync(AcquireAndReadScript, scriptKeys, lockArgs)
            : await database.ScriptEvaluateAsync(AcquireAndReadScript, [.. scriptKeys, keys.Delivery(claim)], [.. lockArgs, (long)claim.Window.TotalMilliseconds]);
        if (result.Resp2Type == ResultType.Integer)
        {
            return LockAttempt.Duplicate;
        }

        while (result.IsNull)
        {
            if (DateTime.UtcNow + pause > deadline)
            {
                return LockAttempt.Busy;
            }

            await Task.Delay(pause, cancellationToken);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 100));
            result = await database.ScriptEvaluateAsync(AcquireAndReadScript, scriptKeys, lockArgs);
        }

        var values = (RedisValue[])result!;
        return new LockAttempt(
            new ConversationLease(
                () => ReleaseAsync(database, scriptKeys[0], token),
                RedisConversationStore.ToStoredState(values[0], values[1]),
                (state, expectedVersion, timeToLive) => SaveAndReleaseAsync(database, scriptKeys, token, state, expectedVersion, timeToLive)),
            IsDuplicate: false);
    }

    private static async Task<bool> SaveAndReleaseAsync(IDatabase database, RedisKey[] scriptKeys, string token, ConversationState state, long expectedVersion, TimeSpan timeToLive)
    {
        var json = RedisConversationStore.Serialize(state);
        var result = await database.ScriptEvaluateAsync(
            SaveAndReleaseScript,
            scriptKeys,
            [expectedVersion, json, (long)timeToLive.TotalMilliseconds, token]);
        return (long)result == 1;
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
