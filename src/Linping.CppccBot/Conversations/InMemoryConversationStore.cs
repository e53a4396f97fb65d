using System.Collections.Concurrent;
using System.Text.Json;

namespace Linping.CppccBot.Conversations;

/// <summary>
/// Conversation state in this process, for a single host without Redis. States are stored serialised, so a turn
/// never shares a mutable object with another turn, exactly as with Redis.
/// </summary>
public sealed class InMemoryConversationStore(TimeProvider time) : IConversationStore
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public Task<StoredState> LoadAsync(string key, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.ExpiresAt > time.GetUtcNow())
        {
            var state = JsonSerializer.Deserialize(entry.Json, ConversationJson.Default.ConversationState) ?? new ConversationState();
            return Task.FromResult(new StoredState(state, entry.Version));
        }

        return Task.FromResult(new StoredState(new ConversationState(), 0));
    }

    public Task<bool> TrySaveAsync(string key, ConversationState state, long expectedVersion, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var json = JsonSerializer.Serialize(state, ConversationJson.Default.ConversationState);
        while (true)
        {
            if (_entries.TryGetValue(key, out var current))
            {
                var currentVersion = current.ExpiresAt > now ? current.Version : 0;
                if (currentVersion != expectedVersion)
                {
                    return Task.FromResult(false);
                }

                if (_entries.TryUpdate(key, new Entry(json, current.Version + 1, now + timeToLive), current))
                {
                    return Task.FromResult(true);
                }
            }
            else
            {
                if (expectedVersion != 0)
                {
                    return Task.FromResult(false);
                }

                if (_entries.TryAdd(key, new Entry(json, 1, now + timeToLive)))
                {
                    return Task.FromResult(true);
                }
            }
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        _entries.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    /// <summary>Drops expired entries; called by the housekeeping timer so an idle host does not grow.</summary>
    public void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (key, entry) in _entries)
        {
            if (entry.ExpiresAt <= now)
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            }
        }
    }

    private sealed record Entry(string Json, long Version, DateTimeOffset ExpiresAt);
}
