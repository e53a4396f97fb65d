using System.Collections.Concurrent;

namespace Linping.CppccBot.Hosting;

/// <summary>
/// Keeps an outage of WeCom or DingTalk from writing a Warning per message: the first failure of a kind is logged at
/// once, the same failure again at most once per <see cref="ReportInterval"/>, after a line that says how often it
/// happened meanwhile; and when the API it belongs to answers again (<see cref="Answered"/>), one Information line says
/// so with the failures not logged since the last line. A failure is named by code-defined parts only (the API path,
/// an HTTP status, an error code), never a user, a text or a URL with its credentials.
/// </summary>
public sealed partial class RepeatedFailures(TimeProvider time)
{
    /// <summary>How often the same failure is logged while it goes on (as an outage of the database or Redis is).</summary>
    public static readonly TimeSpan ReportInterval = DependencyOutages.ReportInterval;

    private readonly ConcurrentDictionary<string, ApiFailures> _apis = new(StringComparer.Ordinal);

    /// <summary>
    /// True when <paramref name="failure"/> of <paramref name="api"/> (e.g. <c>WeCom /cgi-bin/message/send</c>) is to be
    /// logged now: the first time, and again once <see cref="ReportInterval"/> has passed since it was last logged, when a
    /// line first says how many times it was not.
    /// </summary>
    public bool ShouldLog(ILogger logger, string api, string failure)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(failure);
        var now = time.GetUtcNow();
        var state = _apis.GetOrAdd(api, _ => new ApiFailures());
        int unlogged;
        TimeSpan since;
        lock (state)
        {
            state.Failing = true;
            if (!state.Entries.TryGetValue(failure, out var entry))
            {
                state.Entries[failure] = entry = new Entry();
            }

            entry.Failing = true;
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
            LogRepeated(logger, unlogged, Rounded(since), failure);
        }

        return true;
    }

    /// <summary>
    /// <paramref name="api"/> did its work (a send went out, a token came). The failures of it that were not logged since
    /// their last line are told now, once each, in an Information line that it answers again; a failure that comes and
    /// goes gets that line at most once per <see cref="ReportInterval"/> (the count then waits for the next line).
    /// </summary>
    public void Answered(ILogger logger, string api)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(api);
        if (!_apis.TryGetValue(api, out var state) || !Volatile.Read(ref state.Failing))
        {
            return;
        }

        var now = time.GetUtcNow();
        List<(string Failure, int Count, TimeSpan Since)>? recovered = null;
        lock (state)
        {
            state.Failing = false;
            foreach (var (failure, entry) in state.Entries)
            {
                if (!entry.Failing)
                {
                    continue;
                }

                entry.Failing = false;
                if (entry.Unlogged > 0 && (entry.LastRecovered is not { } last || now - last >= ReportInterval))
                {
                    (recovered ??= []).Add((failure, entry.Unlogged, Rounded(now - entry.LastLogged)));
                    (entry.Unlogged, entry.LastRecovered) = (0, now);
                }
            }
        }

        foreach (var (failure, count, since) in recovered ?? [])
        {
            LogAnsweringAgain(logger, api, count, since, failure);
        }
    }

    private static TimeSpan Rounded(TimeSpan span) => TimeSpan.FromSeconds(Math.Round(span.TotalSeconds));

    private sealed class ApiFailures
    {
        public readonly Dictionary<string, Entry> Entries = new(StringComparer.Ordinal);
        public bool Failing;
    }

    private sealed class Entry
    {
        public bool Logged;
        public DateTimeOffset LastLogged;
        public int Unlogged;
        public bool Failing;
        public DateTimeOffset? LastRecovered;
    }

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "Repeated {Count} more times in {Duration} without a line of its own: {Failure}")]
    private static partial void LogRepeated(ILogger logger, int count, TimeSpan duration, string failure);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Information, Message = "{Api} is answering again; {Count} more failures in {Duration} had no line of their own: {Failure}")]
    private static partial void LogAnsweringAgain(ILogger logger, string api, int count, TimeSpan duration, string failure);
}
