using Linping.CppccBot.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Linping.CppccBot.Tests.Hosting;

/// <summary>
/// Which failures the host treats as "the database or Redis is away" (the member is asked to try again later and keeps
/// the dialog; staff get a 503) and which as a bug (the dialog is reset; a 500), from real exceptions of real drivers.
/// </summary>
public sealed class InfrastructureFailureTests
{
    [Fact]
    public async Task APostgresServerThatRefusesTheConnection_IsAway()
    {
        await using var connection = new NpgsqlConnection("Host=127.0.0.1;Port=1;Timeout=2;Username=x;Password=y");

        var error = await Assert.ThrowsAnyAsync<NpgsqlException>(() => connection.OpenAsync(TestContext.Current.CancellationToken));

        Assert.True(InfrastructureFailure.Is(new DbUpdateException("wrapped", error)));
    }

    [Fact]
    public void ASqliteFileLockedByAnotherWriter_IsAway_ButAStatementItRefuses_IsABug()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cppccbot-failure-{Guid.NewGuid():N}.db");
        try
        {
            using var writer = new SqliteConnection($"Data Source={path};Default Timeout=1;Pooling=False");
            using var other = new SqliteConnection($"Data Source={path};Default Timeout=1;Pooling=False");
            writer.Open();
            other.Open();
            Execute(writer, "CREATE TABLE t (x INTEGER UNIQUE); INSERT INTO t VALUES (1); BEGIN IMMEDIATE; INSERT INTO t VALUES (2);");

            var busy = Assert.Throws<SqliteException>(() => Execute(other, "INSERT INTO t VALUES (3)"));
            Execute(writer, "COMMIT");
            var constraint = Assert.Throws<SqliteException>(() => Execute(writer, "INSERT INTO t VALUES (1)"));

            Assert.True(InfrastructureFailure.Is(new DbUpdateException("wrapped", busy)));
            Assert.False(InfrastructureFailure.Is(new DbUpdateException("wrapped", constraint)));
            Assert.False(InfrastructureFailure.Is(new InvalidOperationException("a bug")));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 1;
        command.ExecuteNonQuery();
    }
}
