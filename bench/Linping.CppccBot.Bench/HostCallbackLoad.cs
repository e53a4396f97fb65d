using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Linping.CppccBot.LocalChat.Chat;

namespace Linping.CppccBot.Bench;

/// <summary>
/// Members' text messages to the host, as WeCom sends them. Encrypting and signing each callback and checking and
/// decrypting each reply is the work of WeCom's servers, not of the machine the host runs on; here the load generator
/// shares that machine, so by default it prepares a phase's callbacks before the phase and checks the replies after it.
/// During the measured seconds it then only sends and receives, as it does for the bare endpoint. Every reply is
/// still checked as WeCom checks it (signature, decryption, sender, text). The replies are kept as bytes in large
/// buffers, and the prepared callbacks are moved to the oldest generation before the phase, so the generator's own
/// garbage collections stay short: their pauses would count in the measured latency. With <c>duringLoad</c> the
/// generator does all of it on the clock, request by request.
/// </summary>
internal sealed class HostCallbackLoad(HttpClient http, WeComCallbackSimulator simulator, IReadOnlyList<string> messages, bool duringLoad) : ILoadTarget
{
    /// <summary>Prepared callbacks per expected request, for a phase faster than the last.</summary>
    private const double Headroom = 1.5;

    private int[] _sent = [];
    private Queue<PreparedCallback>[] _prepared = [];
    private AnswerStore[] _answers = [];
    private int _builtDuringPhase;
    private bool _phasePrepared;
    private long _phaseStarted;

    /// <summary>Requests per second of the fastest phase so far; a guess before the first.</summary>
    private double _rate = 5_000;

    public void Prepare(int concurrency, TimeSpan duration)
    {
        Reset(concurrency);
        if (duringLoad || duration <= TimeSpan.Zero)
        {
            return;
        }

        // Callbacks older than WeCom:TimestampTolerance (10 minutes) would be refused; a phase lasts seconds.
        var perWorker = (int)Math.Ceiling(_rate * duration.TotalSeconds * Headroom / concurrency) + 8;
        for (var worker = 0; worker < concurrency; worker++)
        {
            var queue = new Queue<PreparedCallback>(perWorker);
            for (var k = 0; k < perWorker; k++)
            {
                queue.Enqueue(Build(worker, _sent[worker] + k));
            }

            _prepared[worker] = queue;
        }

        // What was prepared goes to the oldest generation now, rather than being copied there during the phase.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        _phasePrepared = true;
        _phaseStarted = Stopwatch.GetTimestamp();
    }

    public async Task<RequestOutcome> SendAsync(int worker, int i)
    {
        if (!_prepared[worker].TryDequeue(out var callback))
        {
            callback = Build(worker, _sent[worker]);
            if (_phasePrepared)
            {
                Interlocked.Increment(ref _builtDuringPhase);
            }
        }

        _sent[worker]++;
        if (duringLoad)
        {
            var (status, body) = await simulator.SendAsync(callback, CancellationToken.None);
            return Classify(simulator.ReadAnswer(status, body));
        }

        using var content = new ByteArrayContent(callback.Body);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        using var response = await http.PostAsync(callback.Address, content);
        if (!response.IsSuccessStatusCode)
        {
            return RequestOutcome.Error;
        }

        // A first look; the full check of the reply comes after the phase.
        await using var stream = await response.Content.ReadAsStreamAsync();
        return await _answers[worker].AddAsync(response.StatusCode, stream) ? RequestOutcome.Ok : RequestOutcome.Late;
    }

    public int CheckAnswers()
    {
        var elapsed = Stopwatch.GetElapsedTime(_phaseStarted);
        var answered = _answers.Sum(a => a.Count);
        var failed = _answers.SelectMany(a => a.Answers()).Count(a => Classify(simulator.ReadAnswer(a.Status, a.Body)) != RequestOutcome.Ok);
        if (_phasePrepared && answered > 0)
        {
            // The fastest phase so far: a level with more members is faster than the one before it.
            _rate = Math.Max(_rate, answered / elapsed.TotalSeconds);
            if (_builtDuringPhase > 0)
            {
                Console.Error.WriteLine($"[bench] callback: {_builtDuringPhase} callbacks were built during the phase (too few prepared)");
            }
        }

        Reset(0);
        return failed;
    }

    private void Reset(int concurrency)
    {
        if (_sent.Length < concurrency)
        {
            Array.Resize(ref _sent, concurrency);
        }

        _prepared = [.. Enumerable.Range(0, concurrency).Select(_ => new Queue<PreparedCallback>())];
        _answers = [.. Enumerable.Range(0, concurrency).Select(_ => new AnswerStore())];
        _builtDuringPhase = 0;
        _phasePrepared = false;
        _phaseStarted = Stopwatch.GetTimestamp();
    }

    private PreparedCallback Build(int worker, int sequence) =>
        simulator.PrepareText(BenchHost.BenchUser(worker + 1), messages[sequence % messages.Count]);

    private static RequestOutcome Classify(CallbackOutcome outcome) => outcome.Kind switch
    {
        CallbackOutcomeKind.PassiveReply when !string.IsNullOrWhiteSpace(outcome.ReplyText) => RequestOutcome.Ok,
        CallbackOutcomeKind.Empty => RequestOutcome.Late,
        _ => RequestOutcome.Error,
    };

    /// <summary>One worker's non-empty answers, as bytes in chunks of the large object heap, which is not compacted.</summary>
    private sealed class AnswerStore
    {
        private const int ChunkSize = 1 << 20;
        private const int MinimumFree = 64 << 10;

        private readonly List<byte[]> _chunks = [];
        private readonly List<(HttpStatusCode Status, int Chunk, int Offset, int Length)> _entries = [];
        private int _offset = ChunkSize;

        public int Count => _entries.Count;

        /// <summary>Keeps the body; false when it was empty.</summary>
        public async Task<bool> AddAsync(HttpStatusCode status, Stream body)
        {
            if (ChunkSize - _offset < MinimumFree)
            {
                _chunks.Add(new byte[ChunkSize]);
                _offset = 0;
            }

            var chunk = _chunks[^1];
            var start = _offset;
            int read;
            while ((read = await body.ReadAsync(chunk.AsMemory(_offset, Math.Min(ChunkSize - _offset, MinimumFree)))) > 0)
            {
                _offset += read;
                if (_offset - start >= MinimumFree)
                {
                    throw new InvalidOperationException($"A reply longer than {MinimumFree} bytes.");
                }
            }

            var length = _offset - start;
            if (chunk.AsSpan(start, length).Trim(" \t\r\n"u8).IsEmpty)
            {
                _offset = start;
                return false;
            }

            _entries.Add((status, _chunks.Count - 1, start, length));
            return true;
        }

        public IEnumerable<(HttpStatusCode Status, string Body)> Answers() =>
            _entries.Select(e => (e.Status, Encoding.UTF8.GetString(_chunks[e.Chunk], e.Offset, e.Length)));
    }
}
