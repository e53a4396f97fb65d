using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Linping.CppccBot.Channels.WeCom;
using Linping.CppccBot.Tests.Infrastructure;

namespace Linping.CppccBot.Tests.BadInput;

/// <summary>Builds WeCom callback pieces the way an attacker or a broken proxy would: odd frames, keys, paddings, signatures.</summary>
public static class WeComForge
{
    public const string Nonce = "1372623149";

    private static readonly byte[] Key = Convert.FromBase64String(BotHostFactory.EncodingAesKey + "=");

    public static string OtherAesKey => "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

    public static string Sign(string timestamp, string nonce, string encrypt, string token = BotHostFactory.Token) =>
        WeComCrypto.ComputeSignature(token, timestamp, nonce, encrypt);

    public static string Query(string? signature, string? timestamp, string? nonce, string? echo = null)
    {
        var parts = new List<string>();
        if (signature is not null)
        {
            parts.Add("msg_signature=" + Uri.EscapeDataString(signature));
        }

        if (timestamp is not null)
        {
            parts.Add("timestamp=" + Uri.EscapeDataString(timestamp));
        }

        if (nonce is not null)
        {
            parts.Add("nonce=" + Uri.EscapeDataString(nonce));
        }

        if (echo is not null)
        {
            parts.Add("echostr=" + Uri.EscapeDataString(echo));
        }

        return "?" + string.Join('&', parts);
    }

    public static string Envelope(string encrypt) =>
        $"<xml><ToUserName><![CDATA[{BotHostFactory.CorpId}]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt><AgentID><![CDATA[{BotHostFactory.AgentId}]]></AgentID></xml>";

    public static string TextXml(string user, long now, string text, string? msgId = null) =>
        WeComCallbackSender.TextXml(BotHostFactory.CorpId, user, now, text, msgId ?? WeComCallbackSender.NextMsgId());

    /// <summary>Encrypts a frame laid out by hand: 16 random bytes, a (possibly lying) length, the body, the receiveid and a (possibly bad) padding.</summary>
    public static string EncryptFrame(byte[] body, string receiveId, uint? declaredLength = null, Func<int, byte[]>? padding = null, byte[]? key = null)
    {
        var receive = Encoding.UTF8.GetBytes(receiveId);
        var frameLength = 16 + 4 + body.Length + receive.Length;
        var pad = 32 - (frameLength % 32);
        var tail = padding?.Invoke(pad) ?? Enumerable.Repeat((byte)pad, pad).ToArray();
        var buffer = new byte[frameLength + tail.Length];
        RandomNumberGenerator.Fill(buffer.AsSpan(0, 16));
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(16, 4), declaredLength ?? (uint)body.Length);
        body.CopyTo(buffer, 20);
        receive.CopyTo(buffer, 20 + body.Length);
        tail.CopyTo(buffer, frameLength);
        var aesKey = key ?? Key;
        using var aes = Aes.Create();
        aes.Key = aesKey;
        return Convert.ToBase64String(aes.EncryptCbc(buffer, aesKey.AsSpan(0, 16), PaddingMode.None));
    }

    public static byte[] KeyOf(string encodingAesKey) => Convert.FromBase64String(encodingAesKey + "=");

    public static string Timestamp(long seconds) => seconds.ToString(CultureInfo.InvariantCulture);

    /// <summary>Flips one hex digit of a signature.</summary>
    public static string Flip(string hex, int index)
    {
        var chars = hex.ToCharArray();
        chars[index] = chars[index] == '0' ? '1' : '0';
        return new string(chars);
    }

    public static string Nested(string name, int depth) =>
        string.Concat(Enumerable.Repeat($"<{name}>", depth)) + string.Concat(Enumerable.Repeat($"</{name}>", depth));
}
