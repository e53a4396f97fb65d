using Linping.CppccBot.Hosting;
using Linping.CppccBot.Persistence.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Persistence;

/// <summary>Start-up work on the database: apply migrations, then import the seed file named by <c>Seed:Path</c>.</summary>
public static partial class DatabaseStartup
{
    public const string SeedPathKey = "Seed:Path";

    /// <summary>
    /// Applies pending migrations (unless <c>Database:MigrateOnStart</c> is false) and imports <c>Seed:Path</c> when set.
    /// A missing seed file or a rejected import stops the start: running on half-seeded data would mislead members.
    /// </summary>
    public static async Task InitializeDatabaseAsync(this IHost app, CancellationToken cancellationToken = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseStartup));
        await MigrateIfEnabledAsync(services, logger, cancellationToken);

        var seedPath = services.GetRequiredService<IConfiguration>()[SeedPathKey];
        if (string.IsNullOrWhiteSpace(seedPath))
        {
            return;
        }

        var environment = services.GetRequiredService<IHostEnvironment>();
        var resolved = ResolvePath(seedPath, environment.ContentRootPath)
            ?? throw new SettingException(
                $"{SeedPathKey}: the file '{seedPath}' was not found (looked in {environment.ContentRootPath} and {AppContext.BaseDirectory}).");

        var result = await services.GetRequiredService<DataImporter>().ImportFileAsync(resolved, cancellationToken);
        if (!result.Succeeded)
        {
            throw new SettingException(
                $"{SeedPathKey}: the file '{seedPath}' was not imported ({result.Errors.Count} errors, nothing written):{Environment.NewLine}"
                + string.Join(Environment.NewLine, result.Errors));
        }

        LogSeeded(logger, seedPath, result.Counts);
    }

    internal static async Task MigrateIfEnabledAsync(IServiceProvider services, ILogger logger, CancellationToken cancellationToken)
    {
        if (!services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStart)
        {
            return;
        }

        var db = services.GetRequiredService<BotDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
        await db.Database.MigrateAsync(cancellationToken);
        LogMigrated(logger, pending);
    }

    /// <summary>An absolute path as is; a relative one against the content root, then the app's base directory.</summary>
    internal static string? ResolvePath(string path, string contentRoot)
    {
        if (Path.IsPathRooted(path))
        {
            return File.Exists(path) ? path : null;
        }

        return new[] { contentRoot, AppContext.BaseDirectory }
            .Select(root => Path.GetFullPath(path, root))
            .FirstOrDefault(File.Exists);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database migrated ({PendingCount} pending migrations applied)")]
    private static partial void LogMigrated(ILogger logger, int pendingCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seed file {SeedPath} imported: {Counts}")]
    private static partial void LogSeeded(ILogger logger, string seedPath, ImportCounts counts);
}
