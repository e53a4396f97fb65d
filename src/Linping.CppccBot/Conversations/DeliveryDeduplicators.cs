using System.Collections.Concurrent;
using StackExchange.Redis;

namespace Linping.CppccBot.Conversations;

/// <summary>Remembers claimed deliveries in this process; for a single host without Redis.</summary>
public sealed class InMemoryDeliveryDeduplicator(TimeProvider time) : IDeliveryDeduplicator
{
    private readonly ConcurrentDictionary<(string Conversation, string Delivery), DateTimeOffset> _claims = new();

    public Task<bool> TryClaimAsync(DeliveryClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var deliveryKey = (claim.ConversationKey, claim.DeliveryId);
        var now = time.GetUtcNow();
        var expiresAt = now + claim.Window;
        while (true)
        {
            if (_claims.TryAdd(deliveryKey, expiresAt))
            {
                return Task.FromResult(true);
            }

            if (!_claims.TryGetValue(deliveryKey, out var existing))
            {
                continue;
            }

            if (existing > now)
            {
                return Task.FromResult(false);
            }

            // The earlier claim has run out: whoever replaces it first wins.
            if (_claims.TryUpdate(deliveryKey, expiresAt, existing))
            {
                return Task.FromResult(true);
            }
        }
    }

    /// <summary>Drops expired claims; called by the housekeeping timer.</summary>
    public void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (key, expiresAt) in _claims)
        {
            if (expiresAt <= now)
            {
                _claims.TryRemove(new KeyValuePair<(string, string), DateTimeOffset>(key, expiresAt));
            }
        }
    }
}

/// <summary>Claims deliveries with Redis <c>SET key NX PX</c>: exactly one host wins, however many copies arrive at once.</summary>
public sealed class RedisDeliveryDeduplicator(IConnectionMultiplexer redis, RedisKeys keys) : IDeliveryDeduplicator
{
    public Task<bool> TryClaimAsync(DeliveryClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return redis.GetDatabase().StringSetAsync(keys.Delivery(claim), 1, claim.Window, When.NotExists);
    }
}

/// <summary>The Redis key names the bot uses, under one configurable prefix so several deployments can share a server.</summary>
public sealed class RedisKeys(string prefix)
{
    public string Prefix { get; } = prefix;

    // A conversation's state, lock and delivery claims carry the conversation key as a hash tag ({...}), so the script
    // that claims the delivery, takes the lock and reads the state touches keys of one slot, as Redis Cluster requires.
    public RedisKey Conversation(string key) => $"{Prefix}conv:{{{key}}}";

    public RedisKey Delivery(DeliveryClaim claim) => $"{Prefix}dedup:{{{claim.ConversationKey}}}:{claim.DeliveryId}";

    public RedisKey Lock(string key) => $"{Prefix}lock:{{{key}}}";

    /// <summary>Failed staff console logins from one address (<c>ConsoleLoginThrottle</c>).</summary>
    public RedisKey ConsoleLogin(string address) => $"{Prefix}console-login:{address}";
}
