using Linping.CppccBot.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Linping.CppccBot.Tests.Infrastructure;

/// <summary>
/// The real host in memory: its own SQLite file seeded with the repository's demo data, in-process state (or Redis when
/// <see cref="RedisConfiguration"/> is set; a PostgreSQL database instead of SQLite when <see cref="PostgresConnectionString"/>
/// is set, see <see cref="OnPostgres"/>), a <see cref="FakeTimeProvider"/>, and WeCom settings of the spec's test
/// vectors (token <c>QDG6eK</c>, corp id <c>wx5823bf96d3bd56c7</c>).
/// </summary>
public class BotHostFactory : WebApplicationFactory<Program>
{
    public const string CorpId = "wx5823bf96d3bd56c7";
    public const string Token = "QDG6eK";
    public const string EncodingAesKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    public const int AgentId = 1000002;
    public const string Secret = "test-secret";

    private readonly string _databasePath = Path.Combine(Path.GetTempPath(), $"cppccbot-test-{Guid.NewGuid():N}.db");
    private readonly List<Action<IServiceCollection>> _serviceChanges = [];

    public FakeTimeProvider Time { get; init; } = new(DateTimeOffset.Parse("2026-11-27T09:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Settings to add or override, as configuration keys (<c>WeCom:ApiBaseUrl</c>).</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    public string? RedisConfiguration { get; init; }

    /// <summary>Runs the host on this PostgreSQL database (<c>Database:Provider=Postgres</c>) instead of its own SQLite file.</summary>
    public string? PostgresConnectionString { get; init; }

    /// <summary>The server whose database <see cref="PostgresConnectionString"/> this host made and drops on dispose.</summary>
    private PostgresServer? OwnedDatabaseServer { get; init; }

    /// <summary>A host on a new database of <paramref name="server"/>, dropped when the host is disposed.</summary>
    public static BotHostFactory OnPostgres(PostgresServer server) =>
        new() { PostgresConnectionString = server.CreateDatabase(), OwnedDatabaseServer = server };

    /// <summary>A host on SQLite (<paramref name="server"/> null) or on a new database of the PostgreSQL server.</summary>
    public static BotHostFactory On(PostgresServer? server) => server is null ? new() : OnPostgres(server);

    /// <summary>Changes the options of the host's database context, whichever provider it runs on.</summary>
    public BotHostFactory WithDbOptions(Action<DbContextOptionsBuilder> change) => WithServices(services =>
    {
        services.ConfigureDbContext<BotDbContext>(change);
        services.ConfigureDbContext<PostgresBotDbContext>(change);
    });

    /// <summary>
    /// The host's content root (appsettings.json), when not the project's folder: hosts installed in different folders,
    /// as on different machines.
    /// </summary>
    public string? ContentRoot { get; init; }

    /// <summary>The Redis key prefix; hosts that should share state get the same one.</summary>
    public string RedisKeyPrefix { get; init; } = $"test-{Guid.NewGuid():N}:";

    /// <summary>Changes to the host's services, applied after the host registered its own.</summary>
    public BotHostFactory WithServices(Action<IServiceCollection> change)
    {
        _serviceChanges.Add(change);
        return this;
    }

    public BotTestClient Member(string weComUserId) => new(Services, weComUserId);

    /// <summary>Runs <paramref name="action"/> on a database context of the host's own (its provider, its interceptors).</summary>
    public async Task<T> DbAsync<T>(Func<BotDbContext, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<BotDbContext>());
    }

    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Linping.CppccBot.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("The repository root (Linping.CppccBot.sln) was not found above the test binaries.");
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        if (ContentRoot is not null)
        {
            builder.UseContentRoot(ContentRoot);
        }

        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = PostgresConnectionString ?? $"Data Source={_databasePath}",
            ["Database:Provider"] = PostgresConnectionString is null ? "Sqlite" : "Postgres",
            ["ConnectionStrings:Redis"] = RedisConfiguration ?? string.Empty,
            ["Redis:KeyPrefix"] = RedisKeyPrefix,
            ["Seed:Path"] = Path.Combine(RepositoryRoot, "data", "linping-demo.json"),
            ["WeCom:CorpId"] = CorpId,
            ["WeCom:Token"] = Token,
            ["WeCom:EncodingAESKey"] = EncodingAesKey,
            ["WeCom:AgentId"] = AgentId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["WeCom:Secret"] = Secret,
            ["WeCom:ApiBaseUrl"] = "http://127.0.0.1:9",
            // No Hangfire server unless a test asks for one: tests run the reminder dispatcher themselves.
            ["Reminders:Schedule"] = string.Empty,
        };
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }

        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Time);
            if (PostgresConnectionString is not null && string.IsNullOrEmpty(RedisConfiguration))
            {
                // Without Redis, Hangfire keeps a SQLite file beside the database; a PostgreSQL host has none of its
                // own, so give each test host one in the temp folder instead of the shared working folder.
                services.AddSingleton<Hangfire.JobStorage>(_ => new Hangfire.Storage.SQLite.SQLiteStorage(
                    Path.ChangeExtension(_databasePath, ".hangfire.db"),
                    new Hangfire.Storage.SQLite.SQLiteStorageOptions { QueuePollInterval = TimeSpan.FromSeconds(2) }));
            }

            foreach (var change in _serviceChanges)
            {
                change(services);
            }
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (OwnedDatabaseServer is not null && PostgresConnectionString is not null)
        {
            OwnedDatabaseServer.DropDatabase(PostgresConnectionString);
        }

        var jobs = Path.ChangeExtension(_databasePath, ".hangfire.db");
        foreach (var path in new[] { _databasePath, _databasePath + "-wal", _databasePath + "-shm", jobs, jobs + "-wal", jobs + "-shm" })
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
                // A SQLite handle may outlive the host by a moment; the temp folder is cleaned eventually.
            }
        }
    }
}
