using System.Diagnostics;
using System.Globalization;

namespace Linping.CppccBot.Bench;

/// <summary>
/// A PostgreSQL server for <c>--postgres</c>: <c>initdb</c> into the run's folder and <c>pg_ctl start</c> on a free
/// loopback port, with the server's own defaults (fsync on) as production would have them; stopped on dispose. When the
/// bench runs as root, PostgreSQL runs as the <c>postgres</c> user (it refuses root).
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _binaries;
    private readonly string _data;
    private readonly bool _asPostgresUser;

    private PostgresServer(string binaries, string data, bool asPostgresUser, int port)
    {
        _binaries = binaries;
        _data = data;
        _asPostgresUser = asPostgresUser;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The host's <c>ConnectionStrings:Database</c>: the new server's <c>postgres</c> database, which the host migrates and seeds.</summary>
    public string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres");

    /// <summary>Starts a server under <paramref name="directory"/>; throws with the reason when PostgreSQL is not installed.</summary>
    public static async Task<PostgresServer> StartAsync(string directory)
    {
        var binaries = FindBinaries()
            ?? throw new InvalidOperationException("--postgres needs PostgreSQL's server binaries (apt-get install -y postgresql).");
        var asPostgresUser = Environment.UserName == "root";
        var data = Path.Combine(directory, "pgdata");
        Directory.CreateDirectory(data);
        if (asPostgresUser)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", directory], asPostgres: false);
        }

        var server = new PostgresServer(binaries, data, asPostgresUser, MachineInfo.FreePort());
        await server.RunAsync(Path.Combine(binaries, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
        var options = string.Create(CultureInfo.InvariantCulture, $"-p {server.Port} -c listen_addresses=127.0.0.1 -k {data}");
        await server.RunAsync(Path.Combine(binaries, "pg_ctl"), ["-D", data, "-l", Path.Combine(directory, "postgres.log"), "-o", options, "-w", "-t", "60", "start"]);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(_data, "postmaster.pid")))
        {
            await RunAsync(Path.Combine(_binaries, "pg_ctl"), ["-D", _data, "-m", "fast", "-w", "stop"]);
        }
    }

    private Task RunAsync(string executable, IReadOnlyList<string> arguments) => RunAsync(executable, arguments, _asPostgresUser);

    private static async Task RunAsync(string executable, IReadOnlyList<string> arguments, bool asPostgres)
    {
        var info = new ProcessStartInfo(asPostgres ? "runuser" : executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres)
        {
            foreach (var arg in new[] { "-u", "postgres", "--", executable })
            {
                info.ArgumentList.Add(arg);
            }
        }

        foreach (var arg in arguments)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{executable} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(executable)} failed ({process.ExitCode}): {await error}{await output}");
        }
    }

    private static string? FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        return !Directory.Exists(root)
            ? null
            : Directory.GetDirectories(root)
                .Select(d => (Bin: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0))
                .Where(d => File.Exists(Path.Combine(d.Bin, "initdb")) && File.Exists(Path.Combine(d.Bin, "pg_ctl")))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Bin)
                .FirstOrDefault();
    }
}
