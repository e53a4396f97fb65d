namespace Linping.CppccBot.LocalChat;

/// <summary>
/// The platforms' per-minute limits as the fakes keep them: the events of each key (a user, a robot) in a sliding
/// one-minute window. Not thread-safe: the fakes call it under their own lock.
/// </summary>
internal sealed class PerMinuteLimits
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Dictionary<string, Queue<DateTimeOffset>> _windows = new(StringComparer.Ordinal);

    /// <summary>Counts one event of <paramref name="key"/> at <paramref name="now"/>; false (and not counted) when its minute already holds <paramref name="limit"/>.</summary>
    public bool TryCount(string key, DateTimeOffset now, int limit)
    {
        if (!_windows.TryGetValue(key, out var window))
        {
            window = new Queue<DateTimeOffset>();
            _windows[key] = window;
        }

        while (window.Count > 0 && window.Peek() <= now - Window)
        {
            window.Dequeue();
        }

        if (window.Count >= limit)
        {
            return false;
        }

        window.Enqueue(now);
        return true;
    }
}
