using System.Collections.Concurrent;
using Linping.CppccBot.Conversations;
using Linping.CppccBot.Persistence;

namespace Linping.CppccBot.Features.Roster;

/// <summary>
/// Who a channel user id is, remembered for <see cref="TimeToLive"/>: every message starts with this lookup, and the
/// roster changes a few times a year. A roster change saved through this host is seen at once
/// (<see cref="RosterChanges"/>); one saved through another host within <see cref="TimeToLive"/>. Unknown ids are
/// not remembered, so a member added to the roster can use the bot straight away.
/// </summary>
public sealed class CallerCache(RosterChanges roster, TimeProvider time)
{
    public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(30);

    /// <summary>About three times the members and staff of a district; beyond it the cache starts afresh.</summary>
    private const int MaxEntries = 2_000;

    private readonly ConcurrentDictionary<(string Channel, string UserId), Entry> _entries = new();

    /// <summary>Read before looking the caller up, and handed to <see cref="Remember"/> with what was found.</summary>
    public long Generation => roster.Generation;

    public bool TryGet(string channel, string userId, out Caller caller)
    {
        if (_entries.TryGetValue((channel, userId), out var entry) && entry.Generation == roster.Generation && entry.ExpiresAt > time.GetUtcNow())
        {
            caller = entry.Caller;
            return true;
        }

        caller = null!;
        return false;
    }

    /// <param name="generation">The <see cref="Generation"/> read before the lookup that found <paramref name="caller"/>.</param>
    public void Remember(string channel, string userId, Caller caller, long generation)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[(channel, userId)] = new Entry(caller, generation, time.GetUtcNow() + TimeToLive);
    }

    private sealed record Entry(Caller Caller, long Generation, DateTimeOffset ExpiresAt);
}
