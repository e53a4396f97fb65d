using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Linping.CppccBot.Tests.Infrastructure;

/// <summary>
/// A real <c>redis-server</c> for the tests, started on a free loopback port and stopped afterwards. Set
/// <c>CPPCCBOT_TEST_REDIS</c> to a configuration string to use a server that is already running instead.
/// Outside CI a missing <c>redis-server</c> skips the Redis tests; in CI (<c>CI=true</c>) it fails them.
/// </summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private Process? _process;
    private ConnectionMultiplexer? _connection;
    private string? _executable;
    private string? _dataDirectory;

    /// <summary>
    /// Keep the data across <see cref="StopAsync"/> and <see cref="RestartAsync"/> (saved on shutdown into a temp folder),
    /// as a production Redis with persistence does. Off by default: the shared test server keeps nothing.
    /// </summary>
    public bool Persistent { get; init; }

    public string Configuration { get; private set; } = string.Empty;

    public string? UnavailableReason { get; private set; }

    public IConnectionMultiplexer Connection => _connection ?? throw new InvalidOperationException(UnavailableReason);

    public int Port { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable("CPPCCBOT_TEST_REDIS");
        if (!string.IsNullOrWhiteSpace(external))
        {
            Configuration = external;
        }
        else
        {
            var executable = FindExecutable("redis-server");
            if (executable is null)
            {
                UnavailableReason = "redis-server is not installed (apt-get install -y redis-server)";
                return;
            }

            _executable = executable;
            Port = FreePort();
            StartProcess();
            Configuration = $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000";
        }

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                _connection = await ConnectionMultiplexer.ConnectAsync(Configuration + ",abortConnect=true");
                await _connection.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Skips (locally) or fails (in CI) a test that needs Redis when no server could be had.</summary>
    public void RequireServer() => Prerequisite.Require(UnavailableReason);

    /// <summary>Shuts the server down (SIGTERM: a persistent one saves first), as an outage or a restart would.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false })
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _process.Dispose();
        _process = null;
    }

    /// <summary>Starts the server again on the same port (and, when <see cref="Persistent"/>, with the saved data).</summary>
    public async Task RestartAsync()
    {
        StartProcess();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                await using var probe = await ConnectionMultiplexer.ConnectAsync(Configuration + ",abortConnect=true");
                await probe.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private void StartProcess()
    {
        var arguments = new List<string> { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--appendonly", "no", "--protected-mode", "yes" };
        if (Persistent)
        {
            _dataDirectory ??= Directory.CreateTempSubdirectory("cppccbot-redis-").FullName;
            arguments.AddRange(["--dir", _dataDirectory, "--save", "3600 1"]);
        }
        else
        {
            arguments.AddRange(["--save", string.Empty]);
        }

        var start = new ProcessStartInfo(_executable!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        if (_dataDirectory is not null)
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindExecutable(string name)
    {
        var paths = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Append("/usr/bin").Append("/usr/local/bin");
        return paths.Select(p => Path.Combine(p, name)).FirstOrDefault(File.Exists);
    }
}

[CollectionDefinition(Name)]
public sealed class RedisTests : ICollectionFixture<RedisServerFixture>
{
    public const string Name = "redis";
}
