using Linping.CppccBot.Features.Meetings;
using Linping.CppccBot.Persistence;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SQLitePCL;

namespace Linping.CppccBot.Tests.Persistence;

/// <summary>
/// On SQLite the host's pooled database contexts keep their connections open and run a statement they ran before on
/// the statement they prepared then, instead of parsing and planning it again.
/// </summary>
public sealed class SqliteStatementReuseTests : IAsyncLifetime
{
    private readonly BotHostFactory _host = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task TheMeetingsListOfAMember_KeepsItsPreparedStatement_AndRunsOnItAgain()
    {
        var statementMemory = new Dictionary<SqliteConnection, List<int>>();
        IReadOnlyList<string>? first = null;
        for (var run = 0; run < 8; run++)
        {
            await using var scope = _host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            var views = await scope.ServiceProvider.GetRequiredService<MeetingService>().UpcomingAsync("M001", Ct);
            var ids = views.Select(v => v.Meeting.Id).ToList();
            first ??= ids;
            Assert.Equal(first, ids);

            var connection = (SqliteConnection)db.Database.GetDbConnection();
            Assert.Equal(System.Data.ConnectionState.Open, connection.State);
            statementMemory.TryAdd(connection, []);
            statementMemory[connection].Add(PreparedStatementBytes(connection));
        }

        // Connections are used again, their statements outlive the queries (closing would finalize them: 0 bytes), and
        // running the query again adds no statement (the memory does not grow). Counted from a connection's second run:
        // its first adds the statement to a cache the start's statements filled, and which one that evicts (it depends on
        // the migrations) shifts SQLite's count of the memory by a few bytes once.
        Assert.NotEmpty(first!);
        Assert.Contains(statementMemory.Values, runs => runs.Count > 2);
        Assert.All(statementMemory.Values, runs =>
        {
            Assert.True(runs[0] > 0, "no statement was kept on the connection");
            Assert.All(runs.Skip(1), bytes => Assert.Equal(runs[1], bytes));
        });
    }

    [Fact]
    public async Task AStatementRunInATransaction_RunsAgainOutsideIt()
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        const string rename = "UPDATE \"Members\" SET \"Name\" = {0} WHERE \"Id\" = 'M001'";

        await using (var transaction = await db.Database.BeginTransactionAsync(Ct))
        {
            Assert.Equal(1, await db.Database.ExecuteSqlRawAsync(rename, ["王建国（事务内）"], Ct));
            await transaction.RollbackAsync(Ct);
        }

        Assert.Equal(1, await db.Database.ExecuteSqlRawAsync(rename, ["王建国（事务外）"], Ct));
        Assert.Equal("王建国（事务外）", await db.Members.Where(m => m.Id == "M001").Select(m => m.Name).SingleAsync(Ct));
    }

    [Fact]
    public async Task AStatementPreparedBeforeASchemaChange_RunsAfterIt()
    {
        var before = await _host.DbAsync(db => db.Groups.AsNoTracking().OrderBy(g => g.Id).Select(g => g.Id).ToListAsync(Ct));

        await using (var other = new SqliteConnection(await ConnectionStringAsync()))
        {
            await other.OpenAsync(Ct);
            await using var alter = other.CreateCommand();
            alter.CommandText = "ALTER TABLE \"ChatGroups\" ADD COLUMN \"Note\" TEXT; CREATE INDEX \"IX_ChatGroups_Note\" ON \"ChatGroups\" (\"Note\");";
            await alter.ExecuteNonQueryAsync(Ct);
        }

        Assert.NotEmpty(before);
        Assert.Equal(before, await _host.DbAsync(db => db.Groups.AsNoTracking().OrderBy(g => g.Id).Select(g => g.Id).ToListAsync(Ct)));
    }

    [Fact]
    public async Task BetweenTurns_TheOpenConnectionsHoldNoLock_SoAnotherWriterCommitsAtOnce()
    {
        var wang = _host.Member("wangjianguo");
        await wang.SendAsync("最近有什么会议");
        Assert.Contains("报名成功", await wang.AskAsync("报名 1"), StringComparison.Ordinal);
        Assert.NotEmpty(await wang.SendAsync("我的提案"));

        await using var other = new SqliteConnection(await ConnectionStringAsync());
        await other.OpenAsync(Ct);
        await using var write = other.CreateCommand();
        write.CommandText = "PRAGMA busy_timeout = 0; BEGIN EXCLUSIVE; UPDATE \"Members\" SET \"Name\" = \"Name\"; COMMIT;";
        await write.ExecuteNonQueryAsync(Ct); // SQLITE_BUSY if a kept statement still held its read lock
    }

    [Fact]
    public async Task StoppingTheHost_ClosesTheConnectionsItKeptOpen()
    {
        SqliteConnection connection;
        await using (var scope = _host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
            await db.Members.CountAsync(Ct);
            connection = (SqliteConnection)db.Database.GetDbConnection();
        }

        Assert.Equal(System.Data.ConnectionState.Open, connection.State);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.StateChange += (_, e) =>
        {
            if (e.CurrentState == System.Data.ConnectionState.Closed)
            {
                closed.TrySetResult();
            }
        };
        await _host.DisposeAsync();

        // The factory's dispose can return while the program's own thread is still disposing the host's services.
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(System.Data.ConnectionState.Closed, connection.State);
    }

    [Fact]
    public async Task AConnectionKeepsItsMostRecentlyUsedStatements_UpToTheCapacity_UntilItCloses()
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync(Ct);
        var cache = new SqliteStatementCache(connection);
        var kept = new Dictionary<string, SqliteCommand>();
        async Task RunAsync(string text)
        {
            var command = cache.Rent(text);
            Assert.Equal(long.Parse(text[7..], System.Globalization.CultureInfo.InvariantCulture), await command.ExecuteScalarAsync(Ct));
            kept[text] = command;
            cache.Return(command);
        }

        var texts = Enumerable.Range(100, SqliteStatementCache.Capacity).Select(i => $"SELECT {i}").ToList();
        foreach (var text in texts)
        {
            await RunAsync(text);
        }

        var full = PreparedStatementBytes(connection);
        await RunAsync("SELECT 900"); // one more: the least recently used (SELECT 100) goes
        await RunAsync("SELECT 901"); // and SELECT 101

        Assert.InRange(PreparedStatementBytes(connection), full * 9 / 10, full * 11 / 10);
        Assert.Same(kept["SELECT 900"], cache.Rent("SELECT 900"));
        Assert.Same(kept[texts[^1]], cache.Rent(texts[^1]));
        Assert.NotSame(kept["SELECT 100"], cache.Rent("SELECT 100"));

        await connection.CloseAsync();
        Assert.NotSame(kept[texts[^2]], cache.Rent(texts[^2]));
    }

    private Task<string> ConnectionStringAsync() => _host.DbAsync(db => Task.FromResult(db.Database.GetConnectionString()!));

    /// <summary>Memory of the statements prepared on the connection now (SQLITE_DBSTATUS_STMT_USED).</summary>
    private static int PreparedStatementBytes(SqliteConnection connection)
    {
        const int statementsUsed = 3;
        Assert.Equal(raw.SQLITE_OK, raw.sqlite3_db_status(connection.Handle, statementsUsed, out var current, out _, 0));
        return current;
    }
}
