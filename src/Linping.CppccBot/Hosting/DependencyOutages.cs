namespace Linping.CppccBot.Hosting;

/// <summary>A server the host depends on and cannot work without.</summary>
public enum Dependency
{
    Database,
    Redis,
}

/// <summary>
/// What the operator reads while the database or Redis is away: one Warning when it becomes unreachable, one a minute
/// while it stays away, one Information line when it answers again. The failures themselves are each answered (系统暂时繁忙,
/// 503) without a line and a stack trace of their own, so an outage reads as three lines, not hundreds. Fed by the
/// database's interceptor (<see cref="Persistence.DatabaseOutageInterceptor"/>) and the Redis connection's events.
/// </summary>
public sealed partial class DependencyOutages(TimeProvider time, ILogger<DependencyOutages> logger)
{
    /// <summary>How often an outage that goes on is reported again.</summary>
    public static readonly TimeSpan ReportInterval = TimeSpan.FromMinutes(1);

    private readonly Outage[] _outages = [new(), new()];

    /// <summary>An operation or a connection failed because <paramref name="dependency"/> did not answer (a refused or broken connection, a timeout).</summary>
    public void Failed(Dependency dependency, string reason)
    {
        var outage = _outages[(int)dependency];
        var now = time.GetUtcNow();
        lock (outage)
        {
            outage.Failures++;
            if (!outage.IsDown)
            {
                (outage.Since, outage.LastReport, outage.Failures) = (now, now, 1);
                Volatile.Write(ref outage.IsDown, true);
                var name = Name(dependency);
                LogUnreachable(logger, name, reason);
            }
            else if (now - outage.LastReport >= ReportInterval)
            {
                outage.LastReport = now;
                var (name, duration) = (Name(dependency), Round(now - outage.Since));
                LogStillUnreachable(logger, name, duration, outage.Failures, reason);
            }
        }
    }

    /// <summary>An operation on <paramref name="dependency"/> succeeded: ends its outage, if any (cheap when there is none).</summary>
    public void Succeeded(Dependency dependency)
    {
        var outage = _outages[(int)dependency];
        if (!Volatile.Read(ref outage.IsDown))
        {
            return;
        }

        lock (outage)
        {
            if (outage.IsDown)
            {
                Volatile.Write(ref outage.IsDown, false);
                var (name, duration) = (Name(dependency), Round(time.GetUtcNow() - outage.Since));
                LogReachable(logger, name, duration, outage.Failures);
            }
        }
    }

    /// <summary>The innermost exception's type and message: what failed (a refused connection), never a statement or its values.</summary>
    public static string Reason(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var inner = exception;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return $"{inner.GetType().Name}: {inner.Message}";
    }

    private static string Name(Dependency dependency) => dependency == Dependency.Database ? "The database" : "Redis";

    private static TimeSpan Round(TimeSpan duration) => TimeSpan.FromSeconds(Math.Round(duration.TotalSeconds));

    private sealed class Outage
    {
        public bool IsDown;
        public DateTimeOffset Since;
        public DateTimeOffset LastReport;
        public int Failures;
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "{Dependency} is unreachable ({Reason}); members are asked to try again later and /health/ready answers 503 until it is back")]
    private static partial void LogUnreachable(ILogger logger, string dependency, string reason);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "{Dependency} is still unreachable after {Duration} (failures seen: {Failures}, the last: {Reason})")]
    private static partial void LogStillUnreachable(ILogger logger, string dependency, TimeSpan duration, int failures, string reason);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "{Dependency} is reachable again after {Duration} (failures seen: {Failures})")]
    private static partial void LogReachable(ILogger logger, string dependency, TimeSpan duration, int failures);
}
