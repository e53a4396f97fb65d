using System.Globalization;
using System.Net;
using System.Text;
using Linping.CppccBot.Channels.WeCom;
using Linping.CppccBot.LocalChat.Chat;
using Linping.CppccBot.LocalChat.FakeWeCom;

namespace Linping.CppccBot.Bench;

/// <summary>
/// Issue 7: the whole WeCom callback path of the real host (verify, decrypt, de-dup, route, state, database, encrypted
/// reply) against a bare ASP.NET Core endpoint in the same run, at 1, 8 and 32 concurrent members.
/// </summary>
internal static class CallbackBenchmark
{
    public static async Task<BenchSection> RunAsync(BenchOptions options)
    {
        var directory = MachineInfo.NewTempDirectory("callback");
        try
        {
            await using var redis = options.UseRedis ? await RedisServer.TryStartAsync() : null;
            await using var postgres = options.UsePostgres ? await BenchPostgres.StartAsync() : null;
            await using var weCom = await FakeWeComServer.StartAsync(new FakeWeComOptions
            {
                CorpId = BenchHost.CorpId,
                Secret = BenchHost.Secret,
                AgentId = BenchHost.AgentId,
                WebhookKeys = [],
            });

            var members = options.Levels.Max();
            var seed = await BenchHost.WriteSeedAsync(directory, members);
            var (host, hostAddress) = BenchHost.Start(directory, seed, redis?.Configuration, weCom.BaseAddress, options.HostSettings, postgres: postgres?.ConnectionString);
            await using var hostProcess = host;
            var barePort = MachineInfo.FreePort();
            var bareAddress = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{barePort}/"));
            await using var bare = ChildProcess.Start(
                typeof(Program).Assembly.Location,
                [BareServer.CommandName, "--urls", bareAddress.ToString().TrimEnd('/')],
                directory,
                // Server GC as the host has it (the Web SDK's default); the bench itself runs workstation GC.
                new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["DOTNET_gcServer"] = "1" },
                Path.Combine(directory, "bare.log"));

            var hostReady = await host.WaitReadyAsync(new Uri(hostAddress, "health/ready"), TimeSpan.FromMinutes(2));
            await bare.WaitReadyAsync(new Uri(bareAddress, "health/ready"), TimeSpan.FromMinutes(1));
            // Error lines from here on count (a readiness probe may fail while Redis connects at start).
            var errorLinesAtReady = host.CountLogLines(IsErrorLine);
            await Task.Delay(TimeSpan.FromSeconds(2));
            var hostIdle = host.ResidentBytes;
            var bareIdle = bare.ResidentBytes;

            using var http = new HttpClient(new SocketsHttpHandler
            {
                PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
                MaxConnectionsPerServer = 1024,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.None,
            })
            { Timeout = TimeSpan.FromSeconds(10) };

            var simulator = new WeComCallbackSimulator(http, hostAddress, new WeComAppSettings(BenchHost.CorpId, BenchHost.Token, BenchHost.EncodingAesKey, BenchHost.AgentId));
            var firstReply = await simulator.SendTextAsync(BenchHost.BenchUser(1), "帮助", CancellationToken.None);
            if (firstReply.Kind != CallbackOutcomeKind.PassiveReply)
            {
                throw new InvalidOperationException($"The host did not answer a passive reply ({firstReply.Kind} {firstReply.StatusCode}: {firstReply.Body}); see {host.LogPath}.");
            }

            var bareRequest = BuildBareRequest(bareAddress);
            var bareLoad = new SimpleLoad((_, _) => PostBareAsync(http, bareRequest));
            var hostLoad = new HostCallbackLoad(http, simulator, options.Messages, options.CallbacksDuringLoad);
            if (options.Settle > TimeSpan.Zero)
            {
                Console.Error.WriteLine($"[bench] callback: settling, {options.Settle.TotalSeconds:0} s of load on each target");
                await LoadRunner.LoadAsync(options.Levels.Max(), options.Settle, bareLoad);
                await LoadRunner.LoadAsync(options.Levels.Max(), options.Settle, hostLoad);
            }

            var results = new List<LevelResult>();
            foreach (var level in options.Levels)
            {
                Console.Error.WriteLine($"[bench] callback: {level} concurrent, bare endpoint");
                results.Add(await LoadRunner.RunAsync("bare endpoint", level, options.WarmUp, options.Duration, bareLoad, () => bare.ProcessorTime));
                Console.Error.WriteLine($"[bench] callback: {level} concurrent, host");
                results.Add(await LoadRunner.RunAsync("host", level, options.WarmUp, options.Duration, hostLoad, () => host.ProcessorTime));
            }

            var hostAfter = host.ResidentBytes;
            var hostPeak = host.PeakResidentBytes;
            var bareAfter = bare.ResidentBytes;
            var errorLogs = host.CountLogLines(IsErrorLine) - errorLinesAtReady;
            var activeSends = weCom.MessageSendRequests;
            return Report(options, redis is not null, results, hostReady, hostIdle, hostAfter, hostPeak, bareIdle, bareAfter, errorLogs, activeSends);
        }
        finally
        {
            MachineInfo.DeleteQuietly(directory, options.Keep);
        }
    }

    private static bool IsErrorLine(string line) => line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal);

    /// <summary>A request of the same shape and size as a member's callback (the bare endpoint reads none of it).</summary>
    private static (Uri Address, byte[] Body) BuildBareRequest(Uri bareAddress)
    {
        var crypto = new WeComCrypto(BenchHost.Token, BenchHost.EncodingAesKey, BenchHost.CorpId);
        var timestamp = WeComCrypto.UnixTimestamp(TimeProvider.System);
        var encrypted = crypto.Encrypt(CryptoBenchmark.TypicalCallbackXml(BenchHost.CorpId, BenchHost.BenchUser(1), "我的提案"));
        var signature = WeComCrypto.ComputeSignature(BenchHost.Token, timestamp, "1372623149", encrypted);
        var body = $"<xml><ToUserName>{WeComXml.Cdata(BenchHost.CorpId)}</ToUserName><AgentID>{WeComXml.Cdata("1000002")}</AgentID><Encrypt>{WeComXml.Cdata(encrypted)}</Encrypt></xml>";
        return (new Uri(bareAddress, $"wecom/callback?msg_signature={signature}&timestamp={timestamp}&nonce=1372623149"), Encoding.UTF8.GetBytes(body));
    }

    private static async Task<RequestOutcome> PostBareAsync(HttpClient http, (Uri Address, byte[] Body) request)
    {
        using var content = new ByteArrayContent(request.Body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        using var response = await http.PostAsync(request.Address, content);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode && body == "success" ? RequestOutcome.Ok : RequestOutcome.Error;
    }

    private static BenchSection Report(
        BenchOptions options, bool redis, List<LevelResult> results, TimeSpan hostReady, long hostIdle, long hostAfter, long hostPeak, long bareIdle, long bareAfter, int errorLogs, int activeSends)
    {
        var md = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        md.AppendLine("### WeCom callback path (issue 7)").AppendLine();
        md.AppendLine(c, $"Closed loop: each concurrent member sends its next message ({string.Join(" / ", options.Messages)} in turn, fresh MsgId, encrypted and signed) as soon as the last is answered, and checks the encrypted passive reply. {(options.CallbacksDuringLoad ? "The load generator encrypts and signs each callback and checks each reply while the clock runs (--callbacks-during-load)." : "The load generator encrypts and signs a phase's callbacks before the phase and checks the replies after it (WeCom's servers do that work, not the host's machine), so during the measured time it only sends and receives, as for the bare endpoint.")} First {options.Settle.TotalSeconds:0} s of load on each target at {options.Levels.Max()} members, unmeasured, so tiered compilation has settled; then per level and target {options.WarmUp.TotalSeconds:0} s warm-up and {options.Duration.TotalSeconds:0} s measured; host and bare endpoint alternate. Conversation state and de-duplication: {(redis ? "Redis (a redis-server the bench started)" : "in the host process (--no-redis)")}. Database: {(options.UsePostgres ? "PostgreSQL (a server the bench started, its default settings, --postgres)" : "SQLite (a file)")}. The load generator runs on the same machine.").AppendLine();
        md.AppendLine("| Members | Target | Requests | Errors | Late | Requests/s | p50 ms | p99 ms | max ms | Server CPU ms/request | Load generator CPU ms/request | Machine busy |");
        md.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            md.AppendLine(c, $"| {r.Concurrency} | {r.Target} | {r.Requests} | {r.Errors} | {r.Late} | {r.RequestsPerSecond:0} | {r.P50Ms:0.00} | {r.P99Ms:0.00} | {r.MaxMs:0.0} | {r.CpuMsPerRequest:0.000} | {r.ClientCpuMsPerRequest:0.000} | {r.MachineBusy:0%} |");
        }

        md.AppendLine().AppendLine("Targets: the host at least half the bare endpoint's throughput; p99 under 20 ms at 32 concurrent members.").AppendLine();
        md.AppendLine("| Members | Host / bare throughput | Throughput target | Host p99 ms | p99 target |");
        md.AppendLine("|---:|---:|---|---:|---|");
        var met = true;
        foreach (var level in options.Levels)
        {
            var host = results.First(r => r.Concurrency == level && r.Target == "host");
            var bareResult = results.First(r => r.Concurrency == level && r.Target != "host");
            var ratio = host.RequestsPerSecond / bareResult.RequestsPerSecond;
            var throughputMet = ratio >= 0.5;
            var p99Target = level == 32 ? (host.P99Ms < 20 ? "met (< 20)" : "**missed** (≥ 20)") : "–";
            met &= throughputMet && (level != 32 || host.P99Ms < 20);
            md.AppendLine(c, $"| {level} | {ratio:0.00} | {(throughputMet ? "met (≥ 0.5)" : "**missed** (< 0.5)")} | {host.P99Ms:0.00} | {p99Target} |");
        }

        md.AppendLine().AppendLine(c, $"Targets {(met ? "met" : "not all met")} in this run.").AppendLine();
        md.AppendLine("| Process | Start → ready | RSS idle | RSS after load | Peak RSS |");
        md.AppendLine("|---|---:|---:|---:|---:|");
        md.AppendLine(c, $"| host (migrate + seed import of a fresh database included) | {hostReady.TotalMilliseconds:0} ms | {MachineInfo.Mib(hostIdle)} | {MachineInfo.Mib(hostAfter)} | {MachineInfo.Mib(hostPeak)} |");
        md.AppendLine(c, $"| bare endpoint | – | {MachineInfo.Mib(bareIdle)} | {MachineInfo.Mib(bareAfter)} | – |");
        md.AppendLine().AppendLine(c, $"Host log lines at error level after ready: {errorLogs}. Late answers sent actively (message/send calls to the fake WeCom API): {activeSends}.");

        var errors = results.Sum(r => r.Errors);
        return new BenchSection(md.ToString(), errors == 0 && errorLogs == 0);
    }
}
