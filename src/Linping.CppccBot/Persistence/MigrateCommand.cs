using Microsoft.EntityFrameworkCore;

namespace Linping.CppccBot.Persistence;

/// <summary>
/// <c>dotnet Linping.CppccBot.dll migrate</c>: applies the pending migrations of the configured database (SQLite or
/// PostgreSQL) and exits, for releases that run hosts with <c>Database:MigrateOnStart=false</c>.
/// </summary>
public static class MigrateCommand
{
    public const string Name = "migrate";

    /// <summary>Runs the command when <paramref name="args"/> ask for it; false means "start the host as usual".</summary>
    public static async Task<bool> TryRunAsync(IHost app, string[] args)
    {
        if (args.Length == 0 || !string.Equals(args[0], Name, StringComparison.Ordinal))
        {
            return false;
        }

        Environment.ExitCode = await RunAsync(app.Services, Console.Out, CancellationToken.None);
        return true;
    }

    /// <summary>Applies every pending migration, whatever <c>Database:MigrateOnStart</c> says; returns the exit code.</summary>
    public static async Task<int> RunAsync(IServiceProvider services, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await db.Database.MigrateAsync(cancellationToken);
        await output.WriteLineAsync($"migrate: {pending.Count} pending migrations applied ({db.Database.ProviderName}).");
        return 0;
    }
}
