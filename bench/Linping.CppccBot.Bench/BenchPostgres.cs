using Linping.CppccBot.Tests.Infrastructure;

namespace Linping.CppccBot.Bench;

/// <summary>
/// For <c>--postgres</c>: a new database on the tests' PostgreSQL server, started with the server's own defaults (fsync
/// on) as production has them, or on the running server whose connection string <c>CPPCCBOT_BENCH_POSTGRES</c> gives (a
/// user that may create databases). Disposing drops the database and stops a server the bench started.
/// </summary>
internal sealed class BenchPostgres : IAsyncDisposable
{
    private readonly PostgresServer _server;

    private BenchPostgres(PostgresServer server, string connectionString)
    {
        _server = server;
        ConnectionString = connectionString;
    }

    /// <summary>The host's <c>ConnectionStrings:Database</c>.</summary>
    public string ConnectionString { get; }

    /// <summary>Starts the server (or takes the given one) and creates the database; throws with the reason when PostgreSQL cannot be had.</summary>
    public static async Task<BenchPostgres> StartAsync()
    {
        var server = new PostgresServer { External = Environment.GetEnvironmentVariable("CPPCCBOT_BENCH_POSTGRES"), Durable = true };
        await server.StartAsync();
        if (server.UnavailableReason is { } reason)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException($"--postgres: {reason}.");
        }

        return new BenchPostgres(server, server.CreateDatabase());
    }

    public async ValueTask DisposeAsync()
    {
        _server.DropDatabase(ConnectionString);
        await _server.DisposeAsync();
    }
}
