using System.Diagnostics;

namespace Linping.CppccBot.Bench;

/// <summary>How one request went, from the client's side.</summary>
internal enum RequestOutcome
{
    /// <summary>The expected answer (for the host: a valid encrypted passive reply with text).</summary>
    Ok,

    /// <summary>The host answered an empty 200: the answer missed the passive-reply budget and goes out actively.</summary>
    Late,

    /// <summary>Anything else: a refusal, an invalid reply, a connection error.</summary>
    Error,
}

/// <summary>One level of one target: counts and latency percentiles over the measured phase.</summary>
internal sealed record LevelResult(
    string Target, int Concurrency, int Requests, int Errors, int Late, TimeSpan Elapsed, double P50Ms, double P99Ms, double MaxMs, TimeSpan ServerCpu, TimeSpan ClientCpu, double MachineBusy)
{
    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;

    public double CpuMsPerRequest => Requests == 0 ? 0 : ServerCpu.TotalMilliseconds / Requests;

    /// <summary>The load generator's (this process's) processor time per request: it shares the machine with the server.</summary>
    public double ClientCpuMsPerRequest => Requests == 0 ? 0 : ClientCpu.TotalMilliseconds / Requests;
}

/// <summary>What a load sends. Its preparation and its checks of the answers run outside the measured time.</summary>
internal interface ILoadTarget
{
    /// <summary>
    /// Before a phase of <paramref name="duration"/> with <paramref name="concurrency"/> workers, off the clock; a zero
    /// duration for an unmeasured phase, which needs nothing prepared.
    /// </summary>
    void Prepare(int concurrency, TimeSpan duration);

    /// <summary>Sends request <c>i</c> of worker <c>w</c> (worker w is always the same member); a first look at the answer.</summary>
    Task<RequestOutcome> SendAsync(int worker, int i);

    /// <summary>After a phase, off the clock: checks the answers kept by <see cref="SendAsync"/>; how many failed.</summary>
    int CheckAnswers();
}

/// <summary>A load that needs no preparation and checks each answer as it comes.</summary>
internal sealed class SimpleLoad(Func<int, int, Task<RequestOutcome>> send) : ILoadTarget
{
    public void Prepare(int concurrency, TimeSpan duration)
    {
    }

    public Task<RequestOutcome> SendAsync(int worker, int i) => send(worker, i);

    public int CheckAnswers() => 0;
}

/// <summary>
/// A closed-loop load: <c>concurrency</c> workers, each one member sending its next request as soon as the last one is
/// answered, for a fixed time after a warm-up of the same shape. Latency is taken around each request.
/// </summary>
internal static class LoadRunner
{
    /// <param name="load">What is sent.</param>
    /// <param name="serverCpu">The server's processor time so far, to report its CPU per request.</param>
    public static async Task<LevelResult> RunAsync(
        string target, int concurrency, TimeSpan warmUp, TimeSpan duration, ILoadTarget load, Func<TimeSpan> serverCpu)
    {
        var counters = new int[concurrency];
        if (warmUp > TimeSpan.Zero)
        {
            load.Prepare(concurrency, warmUp);
            await RunPhaseAsync(concurrency, warmUp, load, counters);
            load.CheckAnswers();
        }

        load.Prepare(concurrency, duration);
        var cpuBefore = serverCpu();
        var clientBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var machineBefore = MachineInfo.ProcessorJiffies();
        var pauseBefore = GC.GetTotalPauseDuration();
        var gen1Before = GC.CollectionCount(1);
        var gen2Before = GC.CollectionCount(2);
        var started = Stopwatch.GetTimestamp();
        var recorders = await RunPhaseAsync(concurrency, duration, load, counters);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpu = serverCpu() - cpuBefore;
        var clientCpu = Process.GetCurrentProcess().TotalProcessorTime - clientBefore;
        var machineAfter = MachineInfo.ProcessorJiffies();
        Console.Error.WriteLine($"[bench] generator GC: pause {(GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds:0} ms, gen1 {GC.CollectionCount(1) - gen1Before}, gen2 {GC.CollectionCount(2) - gen2Before}");
        var failedChecks = load.CheckAnswers();
        var machineBusy = machineAfter.Total == machineBefore.Total
            ? 0
            : 1 - ((double)(machineAfter.Idle - machineBefore.Idle) / (machineAfter.Total - machineBefore.Total));

        var latencies = recorders.SelectMany(r => r.Latencies).Order().ToArray();
        return new LevelResult(
            target,
            concurrency,
            latencies.Length,
            recorders.Sum(r => r.Errors) + failedChecks,
            recorders.Sum(r => r.Late),
            elapsed,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99),
            latencies.Length == 0 ? 0 : ToMs(latencies[^1]),
            cpu,
            clientCpu,
            machineBusy);
    }

    /// <summary>Unmeasured load of the same shape, e.g. to let the server's JIT settle; nothing is prepared for it.</summary>
    public static async Task LoadAsync(int concurrency, TimeSpan duration, ILoadTarget load)
    {
        load.Prepare(concurrency, TimeSpan.Zero);
        await RunPhaseAsync(concurrency, duration, load, new int[concurrency]);
        load.CheckAnswers();
    }

    private static async Task<Recorder[]> RunPhaseAsync(int concurrency, TimeSpan duration, ILoadTarget load, int[] counters)
    {
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var recorder = new Recorder();
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var begin = Stopwatch.GetTimestamp();
                RequestOutcome outcome;
                try
                {
                    outcome = await load.SendAsync(worker, counters[worker]++);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                {
                    outcome = RequestOutcome.Error;
                }

                recorder.Add(Stopwatch.GetTimestamp() - begin, outcome);
            }

            return recorder;
        }));
        return await Task.WhenAll(workers);
    }

    private static double Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? 0 : ToMs(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)]);

    private static double ToMs(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private sealed class Recorder
    {
        public List<long> Latencies { get; } = new(4096);

        public int Errors { get; private set; }

        public int Late { get; private set; }

        public void Add(long ticks, RequestOutcome outcome)
        {
            Latencies.Add(ticks);
            if (outcome == RequestOutcome.Error)
            {
                Errors++;
            }
            else if (outcome == RequestOutcome.Late)
            {
                Late++;
            }
        }
    }
}
