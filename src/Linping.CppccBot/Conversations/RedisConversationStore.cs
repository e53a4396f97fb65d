using System.Text.Json;
using StackExchange.Redis;

namespace Linping.CppccBot.Conversations;

/// <summary>
/// Conversation state in Redis, shared by every host. Each key is a hash of the state's JSON and a version; a Lua
/// script compares and sets both atomically, so a save based on a stale read fails instead of overwriting.
/// </summary>
public sealed class RedisConversationStore(IConnectionMultiplexer redis, RedisKeys keys) : IConversationStore
{
    // KEYS[1] = state key; ARGV[1] = expected version, ARGV[2] = JSON, ARGV[3] = TTL in milliseconds.
    private const string CompareAndSetScript = """
        local current = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
        if current ~= tonumber(ARGV[1]) then return 0 end
        redis.call('HSET', KEYS[1], 'v', current + 1, 'json', ARGV[2])
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        return 1
        """;

    public async Task<StoredState> LoadAsync(string key, CancellationToken cancellationToken)
    {
        var values = await redis.GetDatabase().HashGetAsync(keys.Conversation(key), ["v", "json"]);
        return ToStoredState(values[0], values[1]);
    }

    /// <summary>The state from the hash's <c>v</c> and <c>json</c> fields (also read by <see cref="RedisConversationLock"/>).</summary>
    internal static StoredState ToStoredState(RedisValue version, RedisValue json)
    {
        if (version.IsNull || json.IsNull)
        {
            return new StoredState(new ConversationState(), 0);
        }

        var state = JsonSerializer.Deserialize((string)json!, ConversationJson.Default.ConversationState) ?? new ConversationState();
        return new StoredState(state, (long)version);
    }

    public async Task<bool> TrySaveAsync(string key, ConversationState state, long expectedVersion, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        var json = Serialize(state);
        var result = await redis.GetDatabase().ScriptEvaluateAsync(
            CompareAndSetScript,
            [keys.Conversation(key)],
            [expectedVersion, json, (long)timeToLive.TotalMilliseconds]);
        return (long)result == 1;
    }

    /// <summary>The JSON stored in the hash's <c>json</c> field (also written by <see cref="RedisConversationLock"/>).</summary>
    internal static string Serialize(ConversationState state) => JsonSerializer.Serialize(state, ConversationJson.Default.ConversationState);

    public Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        redis.GetDatabase().KeyDeleteAsync(keys.Conversation(key));
}
