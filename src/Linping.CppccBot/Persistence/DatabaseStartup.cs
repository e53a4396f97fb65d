using Linping.CppccBot.Hosting;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Persistence.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Persistence;

/// <summary>Start-up work on the database: apply migrations, then import the seed file named by <c>Seed:Path</c>.</summary>
public static partial class DatabaseStartup
{
    public const string SeedPathKey = "Seed:Path";

    /// <summary>
    /// Applies pending migrations (unless <c>Database:MigrateOnStart</c> is false) and imports <c>Seed:Path</c> when set
    /// and its content was not imported before.
    /// A missing seed file or a rejected import stops the start: running on half-seeded data would mislead members.
    /// </summary>
    public static async Task InitializeDatabaseAsync(this IHost app, CancellationToken cancellationToken = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseStartup));

        // A seed file that is not there stops the start before anything is done to the database.
        var seedPath = services.GetRequiredService<IConfiguration>()[SeedPathKey];
        var environment = services.GetRequiredService<IHostEnvironment>();
        var resolved = string.IsNullOrWhiteSpace(seedPath)
            ? null
            : ResolvePath(seedPath, environment.ContentRootPath)
                ?? throw new SettingException(
                    $"{SeedPathKey}: the file '{seedPath}' was not found (looked in {environment.ContentRootPath} and {AppContext.BaseDirectory}).");
        await MigrateIfEnabledAsync(services, logger, cancellationToken);
        if (resolved is null || seedPath is null)
        {
            return;
        }

        // Imported once per content: a restart must not undo what staff changed since (a proposal moved on, a member's
        // account corrected). The import is recorded in the audit log under the file's SHA-256.
        var db = services.GetRequiredService<BotDbContext>();
        // Read once: the hash and the import see the same content, even if the file is replaced meanwhile.
        var content = await File.ReadAllBytesAsync(resolved, cancellationToken);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
        var importedAt = await db.StateChanges.AsNoTracking()
            .Where(c => c.EntityType == StateChangeEntityTypes.SeedFile && c.EntityId == hash)
            .Select(c => (DateTimeOffset?)c.At)
            .FirstOrDefaultAsync(cancellationToken);
        if (importedAt is { } at)
        {
            LogSeedUnchanged(logger, seedPath, at);
            return;
        }

        using var stream = new MemoryStream(content, writable: false);
        var result = await services.GetRequiredService<DataImporter>().ImportFileAsync(stream, Path.GetFileName(resolved), cancellationToken);
        if (!result.Succeeded)
        {
            throw new SettingException(
                $"{SeedPathKey}: the file '{seedPath}' was not imported ({result.Errors.Count} errors, nothing written):{Environment.NewLine}"
                + string.Join(Environment.NewLine, result.Errors));
        }

        db.StateChanges.Add(new StateChange
        {
            EntityType = StateChangeEntityTypes.SeedFile,
            EntityId = hash,
            To = "Imported",
            Actor = StateChangeActors.Import,
            At = services.GetRequiredService<TimeProvider>().GetUtcNow(),
            Note = Path.GetFileName(resolved),
        });
        await db.SaveChangesAsync(cancellationToken);
        LogSeeded(logger, seedPath, result.Counts);
        foreach (var warning in result.Warnings)
        {
            LogSeedWarning(logger, seedPath, warning.Record, warning.Field, warning.Message);
        }
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

    [LoggerMessage(EventId = 8000, Level = LogLevel.Information, Message = "Database migrated ({PendingCount} pending migrations applied)")]
    private static partial void LogMigrated(ILogger logger, int pendingCount);

    [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "Seed file {SeedPath} is unchanged since it was imported at {ImportedAt:u}; not imported again")]
    private static partial void LogSeedUnchanged(ILogger logger, string seedPath, DateTimeOffset importedAt);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Information, Message = "Seed file {SeedPath} imported: {Counts}")]
    private static partial void LogSeeded(ILogger logger, string seedPath, ImportCounts counts);

    [LoggerMessage(EventId = 4500, Level = LogLevel.Warning, Message = "Seed file {SeedPath}: {Record} ({Field}) was imported otherwise than written, the rest of it as written: {Warning}")]
    private static partial void LogSeedWarning(ILogger logger, string seedPath, string record, string field, string warning);
}
