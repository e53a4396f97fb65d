using Linping.CppccBot.Persistence;
using Linping.CppccBot.Persistence.Import;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Linping.CppccBot.Tests.Persistence;

/// <summary>A real SQLite file in the temp folder, or a new database on a PostgreSQL server, with the migrations applied.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly PostgresServer? _server;
    private readonly string? _postgres;

    private TestDatabase(string path, PostgresServer? server)
    {
        FilePath = path;
        _server = server;
        _postgres = server?.CreateDatabase();
    }

    public string FilePath { get; }

    public bool IsPostgres => _postgres is not null;

    public string ConnectionString => _postgres ?? $"Data Source={FilePath};Pooling=False";

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2027, 3, 1, 1, 0, 0, TimeSpan.Zero));

    public static string DemoFile => Path.Combine(AppContext.BaseDirectory, "data", "linping-demo.json");

    /// <summary>A new database; <paramref name="migrate"/> false leaves the file absent for the host to create.</summary>
    public static async Task<TestDatabase> CreateAsync(bool migrate = true, PostgresServer? server = null)
    {
        var database = new TestDatabase(Path.Combine(Path.GetTempPath(), $"cppccbot-test-{Guid.NewGuid():N}.db"), server);
        if (migrate)
        {
            await using var db = database.NewContext();
            await db.Database.MigrateAsync(TestContext.Current.CancellationToken);
        }

        return database;
    }

    public BotDbContext NewContext() => _postgres is null
        ? new BotDbContext(new DbContextOptionsBuilder<BotDbContext>().UseSqlite(ConnectionString).Options)
        : new PostgresBotDbContext(new DbContextOptionsBuilder<PostgresBotDbContext>().UseNpgsql(_postgres).Options);

    /// <summary>Imports with a fresh context, as a real request scope would.</summary>
    public async Task<ImportResult> ImportAsync(string json)
    {
        await using var db = NewContext();
        var importer = new DataImporter(db, Time, NullLogger<DataImporter>.Instance);
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        return await importer.ImportAsync(stream, TestContext.Current.CancellationToken);
    }

    /// <summary>Row counts of every table, to compare the database before and after.</summary>
    public async Task<string> SnapshotAsync()
    {
        await using var db = NewContext();
        var ct = TestContext.Current.CancellationToken;
        return string.Join(", ",
            await db.Members.CountAsync(ct), await db.Staff.CountAsync(ct), await db.Groups.CountAsync(ct),
            await db.Meetings.CountAsync(ct), await db.Set<Linping.CppccBot.Persistence.Entities.MeetingInvitee>().CountAsync(ct),
            await db.Proposals.CountAsync(ct), await db.ProposalHistory.CountAsync(ct), await db.Opinions.CountAsync(ct),
            await db.OpinionHistory.CountAsync(ct), await db.StateChanges.CountAsync(ct),
            string.Join("|", await db.Proposals.OrderBy(p => p.Serial).Select(p => p.Title + p.Status).ToListAsync(ct)),
            string.Join("|", await db.Meetings.OrderBy(m => m.Id).Select(m => m.Title + m.StartsAt).ToListAsync(ct)));
    }

    public ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            _server!.DropDatabase(_postgres);
            return ValueTask.CompletedTask;
        }

        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            File.Delete(FilePath + suffix);
        }

        return ValueTask.CompletedTask;
    }
}
