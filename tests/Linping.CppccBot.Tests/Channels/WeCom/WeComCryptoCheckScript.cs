using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Linping.CppccBot.Tests.Channels.WeCom;

/// <summary>
/// Runs <c>tests/wecom-crypto-check/wecom-check.mjs</c>, which plays WeCom's side with Tencent's own
/// <c>@wecom/crypto</c>. Installs the npm dependencies once per test run when <c>node_modules</c> is missing, so a
/// plain <c>dotnet test</c> works on a machine that has node and npm.
/// </summary>
internal static class WeComCryptoCheckScript
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private static bool _installed;

    public static string Directory { get; } = Path.Combine(FindRepositoryRoot(), "tests", "wecom-crypto-check");

    /// <summary>Skips the calling test when node is not installed; the check cannot run without it.</summary>
    public static void SkipUnlessNodeIsAvailable()
    {
        if (!IsOnPath("node"))
        {
            Assert.Skip("node is not installed; the @wecom/crypto interop check needs node and npm.");
        }
    }

    /// <summary>Runs a mode with the parameters as stdin JSON; returns the parsed stdout, or throws with stderr.</summary>
    public static async Task<JsonObject> RunAsync(string mode, object parameters)
    {
        var (exitCode, stdout, stderr) = await TryRunAsync(mode, parameters);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"wecom-check.mjs {mode} exited with {exitCode}: {stderr}");
        }

        return JsonNode.Parse(stdout)?.AsObject() ?? throw new InvalidOperationException($"wecom-check.mjs {mode} printed nothing.");
    }

    /// <summary>Runs a mode and returns the exit code and both outputs, for tests that expect a failure.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> TryRunAsync(string mode, object parameters)
    {
        await EnsureInstalledAsync();
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8NoBom,
            StandardOutputEncoding = Utf8NoBom,
            StandardErrorEncoding = Utf8NoBom,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("wecom-check.mjs");
        start.ArgumentList.Add(mode);
        return await RunProcessAsync(start, JsonSerializer.Serialize(parameters), RunTimeout);
    }

    private static async Task EnsureInstalledAsync()
    {
        SkipUnlessNodeIsAvailable();
        if (_installed)
        {
            return;
        }

        await InstallLock.WaitAsync();
        try
        {
            if (!File.Exists(Path.Combine(Directory, "node_modules", "@wecom", "crypto", "package.json")))
            {
                // npm is a .cmd shim on Windows and cannot be started directly there.
                var start = OperatingSystem.IsWindows() ? new ProcessStartInfo("cmd") : new ProcessStartInfo("npm");
                if (OperatingSystem.IsWindows())
                {
                    start.ArgumentList.Add("/c");
                    start.ArgumentList.Add("npm");
                }

                foreach (var argument in new[] { "ci", "--no-audit", "--no-fund" })
                {
                    start.ArgumentList.Add(argument);
                }

                start.WorkingDirectory = Directory;
                start.RedirectStandardInput = true;
                start.RedirectStandardOutput = true;
                start.RedirectStandardError = true;
                start.UseShellExecute = false;
                var (exitCode, _, stderr) = await RunProcessAsync(start, string.Empty, InstallTimeout);
                if (exitCode != 0)
                {
                    throw new InvalidOperationException($"npm ci in {Directory} failed with {exitCode}: {stderr}");
                }
            }

            _installed = true;
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunProcessAsync(ProcessStartInfo start, string stdin, TimeSpan timeout)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();

        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} did not finish within {timeout}.");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static bool IsOnPath(string program)
    {
        var names = OperatingSystem.IsWindows() ? new[] { program + ".exe", program + ".cmd" } : [program];
        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => names.Any(name => File.Exists(Path.Combine(dir, name))));
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (dir.EnumerateFiles("*.sln").Any())
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No .sln found above {AppContext.BaseDirectory}.");
    }
}
