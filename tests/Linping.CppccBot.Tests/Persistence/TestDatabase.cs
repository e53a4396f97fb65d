using Linping.CppccBot.Persistence;
using Linping.CppccBot.Persistence.Import;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Linping.CppccBot.Tests.Persistence;

/// <summary>A real SQLite file in the temp folder with the migrations applied.</summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string path) => FilePath = path;

    public string FilePath { get; }

    public string ConnectionString => $"Data Source={FilePath};Pooling=False";

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2027, 3, 1, 1, 0, 0, TimeSpan.Zero));

    public static string DemoFile => Path.Combine(AppContext.BaseDirectory, "data", "linping-demo.json");

    /// <summary>A new database; <paramref name="migrate"/> false leaves the file absent for the host to create.</summary>
    public static async Task<TestDatabase> CreateAsync(bool migrate = true)
    {
        var database = new TestDatabase(Path.Combine(Path.GetTempPath(), $"cppccbot-test-{Guid.NewGuid():N}.db"));
        if (migrate)
        {
            await using var db = database.NewContext();
            await db.Database.MigrateAsync(TestContext.Current.CancellationToken);
        }

        return database;
    }

    public BotDbContext NewContext() =>
        new(new DbContextOptionsBuilder<BotDbContext>().UseSqlite(ConnectionString).Options);

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
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            File.Delete(FilePath + suffix);
        }

        return ValueTask.CompletedTask;
    }
}
