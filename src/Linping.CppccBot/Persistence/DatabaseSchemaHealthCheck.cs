using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Linping.CppccBot.Persistence;

/// <summary>
/// Readiness of the database's schema: a database this build has migrations for that it lacks (a host started with
/// <c>Database:MigrateOnStart=false</c> before anyone ran <c>migrate</c>) fails every message, so the host is not
/// ready. Once the schema is complete it stays so for the host's lifetime, and is not asked again. The first time it
/// finds the schema incomplete it says so in the log (health checks themselves are not logged, see appsettings.json).
/// </summary>
public sealed partial class DatabaseSchemaHealthCheck(IServiceScopeFactory scopes, ILogger<DatabaseSchemaHealthCheck> logger) : IHealthCheck
{
    private volatile bool _complete;
    private int _reported;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_complete)
        {
            return HealthCheckResult.Healthy();
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
        if (pending > 0)
        {
            if (Interlocked.Exchange(ref _reported, 1) == 0)
            {
                LogIncomplete(logger, pending);
            }

            return HealthCheckResult.Unhealthy($"{pending} database migrations are not applied; run `migrate` or start a host with Database:MigrateOnStart=true.");
        }

        _complete = true;
        return HealthCheckResult.Healthy();
    }

    [LoggerMessage(EventId = 7010, Level = LogLevel.Warning, Message = "Not ready: {PendingCount} database migrations are not applied; run `migrate` or start a host with Database:MigrateOnStart=true")]
    private static partial void LogIncomplete(ILogger logger, int pendingCount);
}
