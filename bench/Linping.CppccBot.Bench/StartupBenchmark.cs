using System.Globalization;
using System.Text;

namespace Linping.CppccBot.Bench;

/// <summary>
/// Issue 7: time from process start to <c>/health/ready</c> 200, and memory of the idle host. Cold starts get a fresh
/// database (migrations and the seed import run); warm starts reuse the database of the last cold start.
/// </summary>
internal static class StartupBenchmark
{
    private const int ColdStarts = 3;
    private const int WarmStarts = 3;

    public static async Task<BenchSection> RunAsync(BenchOptions options)
    {
        var root = MachineInfo.NewTempDirectory("startup");
        try
        {
            await using var redis = options.UseRedis ? await RedisServer.TryStartAsync() : null;
            var seed = await BenchHost.WriteSeedAsync(root, options.Levels.Max());
            var rows = new List<(string Kind, TimeSpan Ready, TimeSpan Cpu, long IdleRss)>();
            string? directory = null;
            for (var i = 0; i < ColdStarts + WarmStarts; i++)
            {
                var cold = i < ColdStarts;
                if (cold)
                {
                    directory = Path.Combine(root, i.ToString(CultureInfo.InvariantCulture));
                    Directory.CreateDirectory(directory);
                }

                var (host, address) = BenchHost.Start(directory!, seed, redis?.Configuration, new Uri("http://127.0.0.1:9/"), options.HostSettings, $"start-{i}");
                await using (host)
                {
                    var ready = await host.WaitReadyAsync(new Uri(address, "health/ready"), TimeSpan.FromMinutes(2));
                    var cpu = host.ProcessorTime;
                    await Task.Delay(TimeSpan.FromSeconds(2));
                    rows.Add((cold ? "cold (new database: migrate + import)" : "warm (existing database: import only)", ready, cpu, host.ResidentBytes));
                }
            }

            var md = new StringBuilder();
            var c = CultureInfo.InvariantCulture;
            md.AppendLine("### Start to ready, idle memory (issue 7)").AppendLine();
            md.AppendLine(c, $"`dotnet Linping.CppccBot.dll` (Release build output) started as a process until `GET /health/ready` answers 200 (polled every 10 ms); the demo data plus {options.Levels.Max()} bench members are imported at every start; conversation state in {(redis is null ? "the process" : "Redis")}. Processor time of the process until ready (less sensitive to a busy machine than the wall time). RSS 2 s after ready, before any request.").AppendLine();
            md.AppendLine("| Start | Runs | Start → ready, median | min | max | Processor time to ready, median | RSS idle, median |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var group in rows.GroupBy(r => r.Kind))
            {
                var ready = group.Select(r => r.Ready.TotalMilliseconds).Order().ToList();
                var cpu = group.Select(r => r.Cpu.TotalMilliseconds).Order().ToList();
                var rss = group.Select(r => r.IdleRss).Order().ToList();
                md.AppendLine(c, $"| {group.Key} | {ready.Count} | {ready[ready.Count / 2]:0} ms | {ready[0]:0} ms | {ready[^1]:0} ms | {cpu[cpu.Count / 2]:0} ms | {MachineInfo.Mib(rss[rss.Count / 2])} |");
            }

            return new BenchSection(md.ToString(), true);
        }
        finally
        {
            MachineInfo.DeleteQuietly(root, options.Keep);
        }
    }
}
