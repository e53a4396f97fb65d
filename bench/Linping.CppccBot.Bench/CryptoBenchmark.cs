using System.Diagnostics;
using System.Globalization;
using System.Text;
using Linping.CppccBot.Channels.WeCom;

namespace Linping.CppccBot.Bench;

/// <summary>
/// Issue 7: callback decrypt-and-verify operations per second, with a Stopwatch harness: one second of warm-up, then
/// five one-second samples on one thread; the median sample is reported.
/// </summary>
internal static class CryptoBenchmark
{
    private const int Samples = 5;
    private static readonly TimeSpan SampleLength = TimeSpan.FromSeconds(1);

    /// <summary>The decrypted XML of a member's text message as WeCom sends it (doc 90239).</summary>
    public static string TypicalCallbackXml(string corpId, string user, string text) =>
        $"<xml><ToUserName><![CDATA[{corpId}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName><CreateTime>1795741200</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{text}]]></Content><MsgId>7412345678901234567</MsgId><AgentID>1000002</AgentID></xml>";

    public static BenchSection Run()
    {
        var crypto = new WeComCrypto(BenchHost.Token, BenchHost.EncodingAesKey, BenchHost.CorpId);
        const string timestamp = "1795741200";
        const string nonce = "1372623149";
        var plaintext = TypicalCallbackXml(BenchHost.CorpId, "wangjianguo", "我的提案");
        var encrypted = crypto.Encrypt(plaintext);
        var signature = WeComCrypto.ComputeSignature(BenchHost.Token, timestamp, nonce, encrypted);
        var envelope = $"<xml><ToUserName><![CDATA[{BenchHost.CorpId}]]></ToUserName><AgentID><![CDATA[1000002]]></AgentID><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>";
        var reply = WeComXml.BuildTextReply("wangjianguo", BenchHost.CorpId, 1795741200, "您目前没有提案。发送“帮助”查看我能做什么。");

        if (crypto.VerifyAndDecrypt(signature, timestamp, nonce, encrypted) != plaintext)
        {
            throw new InvalidOperationException("The typical callback does not round-trip.");
        }

        var rows = new List<(string Name, Measurement Result)>
        {
            ("Verify signature + decrypt (`WeComCrypto.VerifyAndDecrypt`)", Measure(() => crypto.VerifyAndDecrypt(signature, timestamp, nonce, encrypted).Length)),
            ("Parse envelope + verify + decrypt + parse message", Measure(() => WeComXml.ParseMessage(crypto.VerifyAndDecrypt(signature, timestamp, nonce, WeComXml.ParseEnvelope(envelope).Encrypt)).Content!.Length)),
            ("Encrypted passive reply (`BuildEncryptedReply`)", Measure(() => crypto.BuildEncryptedReply(reply, timestamp, nonce).Length)),
        };

        var md = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        md.AppendLine("### Callback crypto (issue 7)").AppendLine();
        md.AppendLine(c, $"A member's text message ({Encoding.UTF8.GetByteCount(plaintext)} bytes of XML, {encrypted.Length} characters of ciphertext), one thread, median of {Samples} one-second samples after a one-second warm-up.").AppendLine();
        md.AppendLine("| Operation | ops/s (one thread) | µs/op | allocated bytes/op |");
        md.AppendLine("|---|---:|---:|---:|");
        foreach (var (name, result) in rows)
        {
            md.AppendLine(c, $"| {name} | {result.OpsPerSecond:N0} | {1_000_000 / result.OpsPerSecond:0.00} | {result.BytesPerOp:0} |");
        }

        return new BenchSection(md.ToString(), true);
    }

    private static Measurement Measure(Func<int> operation)
    {
        var sink = 0;
        RunFor(operation, SampleLength, ref sink);
        var samples = new List<Measurement>();
        for (var i = 0; i < Samples; i++)
        {
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var started = Stopwatch.GetTimestamp();
            var count = RunFor(operation, SampleLength, ref sink);
            var elapsed = Stopwatch.GetElapsedTime(started);
            samples.Add(new Measurement(count / elapsed.TotalSeconds, (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)count));
        }

        GC.KeepAlive(sink);
        return samples.OrderBy(s => s.OpsPerSecond).ElementAt(Samples / 2);
    }

    private static long RunFor(Func<int> operation, TimeSpan length, ref int sink)
    {
        var stopAt = Stopwatch.GetTimestamp() + (long)(length.TotalSeconds * Stopwatch.Frequency);
        long count = 0;
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            // Batches of 64 keep the clock out of the measurement.
            for (var i = 0; i < 64; i++)
            {
                sink += operation();
            }

            count += 64;
        }

        return count;
    }

    private readonly record struct Measurement(double OpsPerSecond, double BytesPerOp);
}
