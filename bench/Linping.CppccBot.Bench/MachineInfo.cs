using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Linping.CppccBot.Bench;

/// <summary>The machine, the repository and small helpers every benchmark shares.</summary>
internal static class MachineInfo
{
    /// <summary>One Markdown line: cores, memory, OS, runtime, CPU.</summary>
    public static string Describe()
    {
        var memory = ReadProcValue("/proc/meminfo", "MemTotal:") is { } kb ? $"{kb / 1024.0 / 1024.0:0.0} GiB RAM" : "RAM unknown";
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Machine: {Environment.ProcessorCount} cores ({cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}), {memory}, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}.");
    }

    /// <summary>The repository root: the folder above the binaries (or the working folder) that has the solution.</summary>
    public static string RepositoryRoot
    {
        get
        {
            foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
            {
                for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
                {
                    if (File.Exists(Path.Combine(directory.FullName, "Linping.CppccBot.sln")))
                    {
                        return directory.FullName;
                    }
                }
            }

            throw new InvalidOperationException("The repository root (Linping.CppccBot.sln) was not found; run the bench from the repository.");
        }
    }

    /// <summary>The host's own build output of this configuration (see the project file), or CPPCCBOT_BENCH_HOST.</summary>
    public static string HostAssemblyPath
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("CPPCCBOT_BENCH_HOST");
            if (string.IsNullOrWhiteSpace(path))
            {
                path = typeof(MachineInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                    .First(a => a.Key == "HostAssemblyPath").Value!;
            }

            return File.Exists(path) ? path : throw new InvalidOperationException($"The host is not built at {path}: build the solution in this configuration first.");
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string NewTempDirectory(string purpose)
    {
        var path = Path.Combine(Path.GetTempPath(), $"cppccbot-bench-{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    public static void DeleteQuietly(string directory, bool keep = false)
    {
        if (keep)
        {
            Console.Error.WriteLine($"[bench] kept {directory}");
            return;
        }

        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A handle may outlive its process by a moment; the temp folder is cleaned eventually.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>A "Key: 123 kB" value of a /proc file, in kB.</summary>
    public static long? ReadProcValue(string path, string key)
    {
        try
        {
            var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
            var digits = line?[key.Length..].Trim().Split(' ')[0];
            return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The machine's processor time so far, all cores, in clock ticks (the first line of <c>/proc/stat</c>); zeros elsewhere.</summary>
    public static (long Total, long Idle) ProcessorJiffies()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            // user nice system idle iowait irq softirq steal (guest time is already in user).
            return (fields.Take(8).Sum(), fields[3] + fields[4]);
        }
        catch (IOException)
        {
            return (0, 0);
        }
    }

    public static string Mib(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0", CultureInfo.InvariantCulture) + " MiB";
}
