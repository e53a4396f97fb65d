using System.Data.Common;
using Linping.CppccBot.Hosting;
using Linping.CppccBot.Persistence.Import;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Linping.CppccBot.Persistence;

public static class PersistenceExtensions
{
    /// <summary>Registers <see cref="BotDbContext"/> on SQLite (default, a file in the working folder) or PostgreSQL.</summary>
    public static IHostApplicationBuilder AddPersistence(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptionsWithValidateOnStart<DatabaseOptions>()
            .BindSettings(DatabaseOptions.SectionName);

        // A wrong provider is reported when the settings are validated (DatabaseOptions); SQLite is registered meanwhile.
        var provider = Enum.TryParse<DatabaseProvider>(builder.Configuration[$"{DatabaseOptions.SectionName}:{nameof(DatabaseOptions.Provider)}"], ignoreCase: true, out var chosen)
            ? chosen
            : DatabaseProvider.Sqlite;
        var connectionString = builder.Configuration.GetConnectionString("Database");
        if (provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(connectionString))
        {
            builder.Services.AddSettingProblem("ConnectionStrings:Database is required when Database:Provider is Postgres.");
            connectionString = "Host=localhost";
        }
        else if (!string.IsNullOrWhiteSpace(connectionString) && ConnectionStringProblem(provider, connectionString) is { } problem)
        {
            builder.Services.AddSettingProblem($"ConnectionStrings:Database is not a valid {provider} connection string: {problem}");
        }

        builder.Services.AddSingleton<RosterChanges>();
        builder.Services.AddSingleton<RosterChangeInterceptor>();
        builder.Services.AddSingleton<SqliteStatementReuse>();
        builder.Services.AddSingleton<DatabaseOutageInterceptor>();

        // Pooled: every message needs a context, and a pooled one skips building the context's services each time.
        if (provider == DatabaseProvider.Postgres)
        {
            // The PostgreSQL context is served as BotDbContext; its own type selects the PostgreSQL migrations.
            builder.Services.AddDbContextPool<BotDbContext, PostgresBotDbContext>((services, options) => options
                .UseNpgsql(WithAutomaticPreparation(connectionString!)) // set for Postgres above
                .AddInterceptors(services.GetRequiredService<RosterChangeInterceptor>(), services.GetRequiredService<DatabaseOutageInterceptor>()));
        }
        else
        {
            // Each pooled context keeps its connection open with its prepared statements (SqliteStatementReuse.cs).
            var sqlite = string.IsNullOrWhiteSpace(connectionString) ? DatabaseOptions.DefaultSqliteConnectionString : connectionString;
            builder.Services.AddDbContextPool<BotDbContext>((services, options) =>
            {
                // Run once, when the pool builds its options, before the first connection creates the file.
                PrivateDatabaseFile.PrepareFor(sqlite);
                options.UseSqlite(sqlite)
                    .ReuseSqliteStatements(services.GetRequiredService<SqliteStatementReuse>())
                    .AddInterceptors(services.GetRequiredService<RosterChangeInterceptor>(), services.GetRequiredService<DatabaseOutageInterceptor>());
            });
        }

        builder.Services.AddScoped<DataImporter>();
        builder.Services.AddSingleton<DatabaseSchemaHealthCheck>();
        builder.Services.AddHealthChecks()
            .AddDbContextCheck<BotDbContext>("database", tags: ["ready"], customTestQuery: DatabaseAnswersAsync)
            .AddCheck<DatabaseSchemaHealthCheck>("database-schema", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// A round trip to the database (a connection from the pool alone may be one the server has already dropped); a
    /// database that is away is unhealthy, not an error, and the statement tells <see cref="DatabaseOutageInterceptor"/>
    /// when it is back.
    /// </summary>
    private static async Task<bool> DatabaseAnswersAsync(BotDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.Database.ExecuteSqlRawAsync("SELECT 1", cancellationToken);
            return true;
        }
        catch (Exception ex) when (InfrastructureFailure.Is(ex))
        {
            return false;
        }
    }

    // The builders' messages name the keyword at fault, never a value (a password).
    private static string? ConnectionStringProblem(DatabaseProvider provider, string connectionString)
    {
        try
        {
            _ = provider == DatabaseProvider.Postgres
                ? new NpgsqlConnectionStringBuilder(connectionString).ConnectionString
                : new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).ConnectionString;
            return null;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            return ex.Message;
        }
    }

    /// <summary>Keeps SQLite statements prepared across queries: see <see cref="SqliteStatementReuse"/>.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "EF1001:Internal EF Core API usage.", Justification = "Replacing the provider's connection service is how its opening and closing is changed.")]
    public static DbContextOptionsBuilder ReuseSqliteStatements(this DbContextOptionsBuilder options, SqliteStatementReuse reuse) => options
        .ReplaceService<Microsoft.EntityFrameworkCore.Sqlite.Storage.Internal.ISqliteRelationalConnection, StatementReusingSqliteConnection>()
        .AddInterceptors(reuse);

    /// <summary>
    /// Turns on Npgsql's automatic preparation (off by default) unless the connection string says otherwise: statements
    /// that run again and again, as every message's queries do, are then parsed and planned by PostgreSQL once per
    /// connection. <c>Max Auto Prepare=0</c> in the connection string turns it off (e.g. behind a PgBouncer in
    /// transaction mode older than 1.21).
    /// </summary>
    internal static string WithAutomaticPreparation(string connectionString)
    {
        // NpgsqlConnectionStringBuilder.ContainsKey answers whether a keyword exists, not whether it was given.
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.Keys.Cast<string>().Any(k => k.Replace(" ", string.Empty, StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase)))
        {
            return connectionString;
        }

        return new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = AutoPreparedStatements }.ConnectionString;
    }

    /// <summary>How many statements each PostgreSQL connection keeps prepared: more than the bot runs often.</summary>
    internal const int AutoPreparedStatements = 64;
}
