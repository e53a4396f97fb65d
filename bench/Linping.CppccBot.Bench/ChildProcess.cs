using System.Diagnostics;
using System.Globalization;

namespace Linping.CppccBot.Bench;

/// <summary>
/// A server the bench starts as its own process (the host from its build output, or the bare endpoint), with its
/// output appended to a log file, its readiness probe and its memory. Disposing stops it.
/// </summary>
/// <remarks>
/// The output goes to the file directly (a shell redirection before <c>exec</c>), not through a pipe the bench reads: the
/// host logs a line per message, and a bench busy generating load read the pipe late, so the host's console logger
/// waited on a full pipe and its queue, and turns waited on the logger, with the machine partly idle. A production host
/// logs to a file or journald, which do not wait on the load generator.
/// </remarks>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly long _startedAt;

    private ChildProcess(Process process, long startedAt)
    {
        _process = process;
        _startedAt = startedAt;
    }

    public string LogPath { get; private init; } = string.Empty;

    public int Id => _process.Id;

    /// <summary>Starts <c>dotnet &lt;assembly&gt; args</c> in <paramref name="workingDirectory"/> with extra environment variables.</summary>
    public static ChildProcess Start(string assemblyPath, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string> environment, string logPath)
    {
        // sh replaces itself with dotnet (exec), so the process id stays the server's.
        var info = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec \"$@\" >> \"$0\" 2>&1");
        info.ArgumentList.Add(logPath);
        info.ArgumentList.Add("dotnet");
        info.ArgumentList.Add(assemblyPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        File.WriteAllText(logPath, string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss.fff} [bench] starting the process{Environment.NewLine}"));
        var startedAt = Stopwatch.GetTimestamp();
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{assemblyPath} did not start.");
        return new ChildProcess(process, startedAt) { LogPath = logPath };
    }

    /// <summary>Polls <paramref name="readyUrl"/> until it answers 200; returns the time since the process was started.</summary>
    public async Task<TimeSpan> WaitReadyAsync(Uri readyUrl, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The process exited with {_process.ExitCode} before it was ready; see {LogPath}.");
            }

            try
            {
                using var response = await http.GetAsync(readyUrl);
                if (response.IsSuccessStatusCode)
                {
                    return Stopwatch.GetElapsedTime(_startedAt);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"{readyUrl} did not answer 200 within {timeout.TotalSeconds:0} s; see {LogPath}.");
    }

    /// <summary>Resident memory now (VmRSS), in bytes.</summary>
    public long ResidentBytes => (MachineInfo.ReadProcValue($"/proc/{_process.Id}/status", "VmRSS:") ?? Refreshed().WorkingSet64 / 1024) * 1024;

    /// <summary>The highest resident memory so far (VmHWM), in bytes.</summary>
    public long PeakResidentBytes => (MachineInfo.ReadProcValue($"/proc/{_process.Id}/status", "VmHWM:") ?? Refreshed().PeakWorkingSet64 / 1024) * 1024;

    /// <summary>Processor time used so far.</summary>
    public TimeSpan ProcessorTime => Refreshed().TotalProcessorTime;

    /// <summary>Lines of the log that match <paramref name="predicate"/>.</summary>
    public int CountLogLines(Func<string, bool> predicate)
    {
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var count = 0;
        while (reader.ReadLine() is { } line)
        {
            if (predicate(line))
            {
                count++;
            }
        }

        return count;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGKILL of this one process (its id), never by name.
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"pid {_process.Id}");

    private Process Refreshed()
    {
        _process.Refresh();
        return _process;
    }
}
