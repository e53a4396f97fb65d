using System.Globalization;
using System.Net;
using System.Text;
using Linping.CppccBot.Channels.WeCom;

namespace Linping.CppccBot.Tests.Infrastructure;

/// <summary>
/// Plays WeCom's side of the callback against a host in tests: builds the plaintext XML as WeCom does, encrypts and
/// signs it with the host's settings, posts it, and verifies and decrypts the passive reply.
/// </summary>
public sealed class WeComCallbackSender(HttpClient http, TimeProvider time, string token = BotHostFactory.Token, string aesKey = BotHostFactory.EncodingAesKey, string corpId = BotHostFactory.CorpId)
{
    private static long _msgId = 7300000000000000000;

    public WeComCrypto Crypto { get; } = new(token, aesKey, corpId);

    public static string TextXml(string corpId, string user, long createTime, string content, string msgId) =>
        $"<xml><ToUserName><![CDATA[{corpId}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName><CreateTime>{createTime}</CreateTime>" +
        $"<MsgType><![CDATA[text]]></MsgType><Content>{WeComXml.Cdata(content)}</Content><MsgId>{msgId}</MsgId><AgentID>{BotHostFactory.AgentId}</AgentID></xml>";

    public static string EventXml(string corpId, string user, long createTime, string eventName, string eventKey = "") =>
        $"<xml><ToUserName><![CDATA[{corpId}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName><CreateTime>{createTime}</CreateTime>" +
        $"<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[{eventName}]]></Event><EventKey><![CDATA[{eventKey}]]></EventKey><AgentID>{BotHostFactory.AgentId}</AgentID></xml>";

    public long Now => time.GetUtcNow().ToUnixTimeSeconds();

    public static string NextMsgId() => Interlocked.Increment(ref _msgId).ToString(CultureInfo.InvariantCulture);

    /// <summary>Sends a text as <paramref name="user"/> and returns the decrypted reply content (null for an empty answer).</summary>
    public async Task<CallbackAnswer> SendTextAsync(string user, string text, string? msgId = null) =>
        await PostPlaintextAsync(TextXml(corpId, user, Now, text, msgId ?? NextMsgId()));

    public async Task<CallbackAnswer> SendEventAsync(string user, string eventName, string eventKey = "") =>
        await PostPlaintextAsync(EventXml(corpId, user, Now, eventName, eventKey));

    /// <summary>Encrypts, signs and posts a plaintext message XML as WeCom would.</summary>
    public async Task<CallbackAnswer> PostPlaintextAsync(string plaintextXml, long? timestamp = null)
    {
        var encrypted = Crypto.Encrypt(plaintextXml);
        var ts = (timestamp ?? Now).ToString(CultureInfo.InvariantCulture);
        const string Nonce = "1372623149";
        var signature = WeComCrypto.ComputeSignature(token, ts, Nonce, encrypted);
        return await PostAsync(Query(signature, ts, Nonce), Envelope(encrypted));
    }

    public string Envelope(string encrypted) =>
        $"<xml><ToUserName><![CDATA[{corpId}]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt><AgentID><![CDATA[{BotHostFactory.AgentId}]]></AgentID></xml>";

    public static string Query(string signature, string timestamp, string nonce) =>
        $"?msg_signature={Uri.EscapeDataString(signature)}&timestamp={Uri.EscapeDataString(timestamp)}&nonce={Uri.EscapeDataString(nonce)}";

    /// <summary>Posts a raw body with a raw query: for forged, malformed and oversized callbacks.</summary>
    /// <param name="withoutLength">Sends no Content-Length, as a chunked request does: the host learns the size only by reading.</param>
    public async Task<CallbackAnswer> PostAsync(string query, string body, bool withoutLength = false)
    {
        using HttpContent content = withoutLength ? new UnsizedContent(Encoding.UTF8.GetBytes(body)) : new StringContent(body, Encoding.UTF8, "text/xml");
        using var response = await http.PostAsync(new Uri("/wecom/callback" + query, UriKind.Relative), content, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        if (response.StatusCode != HttpStatusCode.OK || text.Length == 0)
        {
            return new CallbackAnswer(response.StatusCode, text, null);
        }

        var envelope = WeComXml.ParseEnvelope(text);
        Assert.True(
            Crypto.VerifySignature(envelope.MsgSignature, envelope.TimeStamp, envelope.Nonce, envelope.Encrypt),
            "The passive reply's MsgSignature does not verify.");
        return new CallbackAnswer(response.StatusCode, text, WeComXml.ParseMessage(Crypto.Decrypt(envelope.Encrypt)));
    }
}

/// <summary>The host's answer to a callback: the status, the raw body and, for a passive reply, the decrypted message.</summary>
public sealed record CallbackAnswer(HttpStatusCode Status, string Body, WeComCallbackMessage? Reply)
{
    public string ReplyText => Reply?.Content ?? throw new InvalidOperationException($"No passive reply (status {(int)Status}, body \"{Body}\").");
}

/// <summary>A body whose length is not declared up front.</summary>
internal sealed class UnsizedContent(byte[] bytes) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(bytes).AsTask();

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
