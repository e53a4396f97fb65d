using System.Collections.Concurrent;

namespace Linping.CppccBot.Hosting;

/// <summary>
/// Keeps an outage of WeCom or DingTalk from writing a Warning per message: the first failure of a kind is logged at
/// once, the same failure again at most once per <see cref="ReportInterval"/>, after a line that says how often it
/// happened meanwhile. A failure is named by code-defined parts only (the API path, an HTTP status, an error code),
/// never a user, a text or a URL with its credentials.
/// </summary>
public sealed partial class RepeatedFailures(TimeProvider time)
{
    /// <summary>How often the same failure is logged while it goes on (as an outage of the database or Redis is).</summary>
    public static readonly TimeSpan ReportInterval = DependencyOutages.ReportInterval;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>
    /// True when <paramref name="failure"/> is to be logged now: the first time, and again once <see cref="ReportInterval"/>
    /// has passed since it was last logged, when a line first says how many times it was not.
    /// </summary>
    public bool ShouldLog(ILogger logger, string failure)
    {
        ArgumentNullException.ThrowIfNull(logger);
        var now = time.GetUtcNow();
        var entry = _entries.GetOrAdd(failure, _ => new Entry());
        int unlogged;
        TimeSpan since;
        lock (entry)
        {
            if (entry.Logged && now - entry.LastLogged < ReportInterval)
            {
                entry.Unlogged++;
                return false;
            }

            (unlogged, since) = (entry.Unlogged, now - entry.LastLogged);
            (entry.Logged, entry.LastLogged, entry.Unlogged) = (true, now, 0);
        }

        if (unlogged > 0)
        {
            LogRepeated(logger, unlogged, TimeSpan.FromSeconds(Math.Round(since.TotalSeconds)), failure);
        }

        return true;
    }

    private sealed class Entry
    {
        public bool Logged;
        public DateTimeOffset LastLogged;
        public int Unlogged;
    }

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "Repeated {Count} more times in {Duration} without a line of its own: {Failure}")]
    private static partial void LogRepeated(ILogger logger, int count, TimeSpan duration, string failure);
}
