[assembly: AssemblyFixture(typeof(Linping.CppccBot.Tests.Infrastructure.PostgresServerFixture))]

namespace Linping.CppccBot.Tests.Infrastructure;

/// <summary>
/// One PostgreSQL server for the whole test run (an assembly fixture), started on first use; each test class or host
/// takes its own database from it. Fault tests that stop the server make their own <see cref="PostgresServer"/>.
/// </summary>
public sealed class PostgresServerFixture : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private PostgresServer? _server;

    /// <summary>The server, started now if it is not yet; skips or fails the test when PostgreSQL cannot be had.</summary>
    public async Task<PostgresServer> GetAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_server is null)
            {
                var server = new PostgresServer();
                await server.StartAsync();
                _server = server;
            }
        }
        finally
        {
            _gate.Release();
        }

        _server.RequireServer();
        return _server;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _gate.Dispose();
    }
}

public static class PostgresServerExtensions
{
    /// <summary>Skips the test (fails it in CI) when the server could not be had.</summary>
    public static void RequireServer(this PostgresServer server) => Prerequisite.Require(server.UnavailableReason);
}
