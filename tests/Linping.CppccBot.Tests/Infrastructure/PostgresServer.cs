using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Linping.CppccBot.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL server for the tests: <c>initdb</c> into a temp folder, started with <c>pg_ctl</c> on a free loopback
/// port (as the <c>postgres</c> user when the tests run as root, since PostgreSQL refuses to run as root), stopped and
/// deleted on dispose. It can be stopped and started again on the same port and data (fault tests). Set
/// <c>CPPCCBOT_TEST_POSTGRES</c> to the connection string of a running server (a user that may create databases) to use it
/// instead. Outside CI a missing PostgreSQL skips the tests that need it; in CI (<c>CI=true</c>) it fails them.
/// The bench (bench/Linping.CppccBot.Bench) compiles this file too, for its <c>--postgres</c> runs.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string User = "postgres";
    private string? _binaries;
    private string? _directory;
    private bool _asPostgresUser;

    /// <summary>The connection string of a running server to use instead of starting one (a user that may create databases).</summary>
    public string? External { get; init; } = Environment.GetEnvironmentVariable("CPPCCBOT_TEST_POSTGRES");

    /// <summary>The server's own defaults (fsync on), as production has them, for measurements; else the tests' faster settings.</summary>
    public bool Durable { get; init; }

    public int Port { get; private set; }

    public string? UnavailableReason { get; private set; }

    public bool IsExternal => !string.IsNullOrWhiteSpace(External);

    /// <summary>The server's <c>postgres</c> database, for administration.</summary>
    public string AdminConnectionString => IsExternal
        ? External!
        : $"Host=127.0.0.1;Port={Port};Username={User};Database=postgres;Pooling=false;Timeout=5";

    public async Task StartAsync()
    {
        if (IsExternal || UnavailableReason is not null)
        {
            return;
        }

        if (_directory is null)
        {
            _binaries = FindBinaries();
            if (_binaries is null)
            {
                UnavailableReason = "PostgreSQL is not installed (apt-get install -y postgresql)";
                return;
            }

            _asPostgresUser = Environment.UserName == "root";
            if (_asPostgresUser && !File.Exists("/usr/sbin/runuser") && !File.Exists("/usr/bin/runuser"))
            {
                UnavailableReason = "running as root, but runuser (util-linux) is missing to start PostgreSQL as the postgres user";
                return;
            }

            _directory = Path.Combine(Path.GetTempPath(), $"cppccbot-pg-{Guid.NewGuid():N}");
            Directory.CreateDirectory(_directory);
            if (_asPostgresUser)
            {
                await RunAsync("chown", ["-R", "postgres:postgres", _directory], asPostgres: false);
            }

            Port = FreePort();
            await RunAsync(Path.Combine(_binaries, "initdb"), ["-D", DataDirectory, "-U", User, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
        }

        var options = string.Join(' ',
            $"-p {Port.ToString(CultureInfo.InvariantCulture)}", "-c listen_addresses=127.0.0.1", $"-k {_directory}",
            // fsync off is safe for a server that is only ever stopped, never the machine under it. synchronous_commit
            // stays on: with it off a stop -m immediate would lose the last commits (a sign-up the bot confirmed).
            Durable ? "" : "-c fsync=off -c full_page_writes=off", "-c max_connections=300");
        await RunAsync(Path.Combine(_binaries!, "pg_ctl"), ["-D", DataDirectory, "-l", Path.Combine(_directory, "server.log"), "-o", options, "-w", "-t", "60", "start"]);
    }

    /// <summary>Stops the server at once (no checkpoint), as a crash or a pulled cable would look to the hosts.</summary>
    public async Task StopAsync()
    {
        if (_directory is not null && _binaries is not null && File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            await RunAsync(Path.Combine(_binaries, "pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);
        }
    }

    /// <summary>A new, empty database; its connection string.</summary>
    public string CreateDatabase()
    {
        var name = $"cppccbot_test_{Guid.NewGuid():N}";
        using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0", connection);
            command.ExecuteNonQuery();
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true, Timeout = 5 }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabase"/>, ending its sessions.</summary>
    public void DropDatabase(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        try
        {
            using var connection = new NpgsqlConnection(AdminConnectionString);
            connection.Open();
            using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            command.ExecuteNonQuery();
        }
        catch (NpgsqlException)
        {
            // The server is stopped (a fault test): the whole data folder goes on dispose.
        }
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_directory is null)
        {
            return;
        }

        try
        {
            await StopAsync();
        }
        finally
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // Cleaned with the temp folder.
            }
        }
    }

    private string DataDirectory => Path.Combine(_directory!, "data");

    private async Task RunAsync(string program, string[] arguments, bool asPostgres = true)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres && _asPostgresUser)
        {
            start.FileName = "runuser";
            foreach (var argument in new[] { "-u", User, "--", program })
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            start.FileName = program;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            var log = _directory is not null && File.Exists(Path.Combine(_directory, "server.log")) ? await File.ReadAllTextAsync(Path.Combine(_directory, "server.log")) : string.Empty;
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed ({process.ExitCode}): {await error}{await output}{log}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return null;
        }

        return Directory.GetDirectories(root)
            .Select(d => (Path: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0))
            .Where(d => File.Exists(Path.Combine(d.Path, "initdb")) && File.Exists(Path.Combine(d.Path, "pg_ctl")))
            .OrderByDescending(d => d.Version)
            .Select(d => d.Path)
            .FirstOrDefault();
    }
}
