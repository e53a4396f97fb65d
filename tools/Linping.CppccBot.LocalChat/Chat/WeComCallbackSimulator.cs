using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Linping.CppccBot.Channels.WeCom;

namespace Linping.CppccBot.LocalChat.Chat;

/// <summary>The app the simulator plays WeCom for: what the host has as <c>WeCom:*</c>.</summary>
public sealed record WeComAppSettings(string CorpId, string Token, string EncodingAesKey, int AgentId)
{
    /// <summary>The values of the host's <c>appsettings.Development.json</c>.</summary>
    public static WeComAppSettings LocalDefaults { get; } = new(
        LocalChatDefaults.CorpId, LocalChatDefaults.Token, LocalChatDefaults.EncodingAesKey, LocalChatDefaults.AgentId);
}

/// <summary>How the host answered one callback.</summary>
public enum CallbackOutcomeKind
{
    /// <summary>An encrypted passive reply whose signature matched; <see cref="CallbackOutcome.ReplyText"/> holds it.</summary>
    PassiveReply,

    /// <summary>An empty 200: no answer now; a late answer comes as an active send.</summary>
    Empty,

    /// <summary>A 4xx/5xx; <see cref="CallbackOutcome.Body"/> holds what the host said.</summary>
    Refused,

    /// <summary>A 200 whose body is not a valid encrypted reply for this app (bad signature, receiveid, XML).</summary>
    InvalidReply,
}

/// <summary>A callback encrypted and signed, ready to post: the callback address with its query, and the envelope.</summary>
public sealed record PreparedCallback(Uri Address, byte[] Body);

/// <summary>The host's answer to one simulated callback.</summary>
/// <param name="Kind">What kind of answer it was.</param>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="ReplyText">The decrypted text of a passive reply.</param>
/// <param name="Body">The raw body for refusals, or why an answer was not a valid reply.</param>
public sealed record CallbackOutcome(CallbackOutcomeKind Kind, HttpStatusCode StatusCode, string? ReplyText, string? Body);

/// <summary>
/// Plays WeCom's side of the self-built app callback against a running host: builds the plaintext XML of a message
/// or event as WeCom does (docs 90239/90240), encrypts it with a fresh random prefix, signs it, POSTs the envelope to
/// <c>/wecom/callback</c>, and checks and decrypts the passive reply the way WeCom would.
/// </summary>
/// <param name="http">The client; its lifetime is the caller's.</param>
/// <param name="host">The host's root, e.g. <c>http://localhost:5000</c>.</param>
/// <param name="app">The app settings shared with the host.</param>
/// <param name="time">The clock for CreateTime and timestamp; the host refuses times far from its own clock.</param>
public sealed class WeComCallbackSimulator(HttpClient http, Uri host, WeComAppSettings app, TimeProvider? time = null)
{
    private readonly WeComCrypto _crypto = new(app.Token, app.EncodingAesKey, app.CorpId);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Uri _callback = new(new Uri(host.ToString().TrimEnd('/') + "/"), "wecom/callback");

    public WeComAppSettings App { get; } = app;

    /// <summary>The callback address the simulator posts to.</summary>
    public Uri CallbackAddress => _callback;

    /// <summary>A text message from <paramref name="user"/>.</summary>
    /// <exception cref="HttpRequestException">The host is not reachable.</exception>
    public Task<CallbackOutcome> SendTextAsync(string user, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        return PostAsync(BuildMessageXml(user, "text", $"<Content>{WeComXml.Cdata(text)}</Content>"), cancellationToken);
    }

    /// <summary>An image message (with a made-up PicUrl and MediaId), to see how the bot answers what it cannot read.</summary>
    public Task<CallbackOutcome> SendImageAsync(string user, CancellationToken cancellationToken)
    {
        var mediaId = "local-media-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var fields = $"<PicUrl>{WeComXml.Cdata("https://wework.qpic.cn/local-chat/" + mediaId)}</PicUrl><MediaId>{WeComXml.Cdata(mediaId)}</MediaId>";
        return PostAsync(BuildMessageXml(user, "image", fields), cancellationToken);
    }

    /// <summary>An event, e.g. <c>enter_agent</c> (empty key) or a menu <c>click</c> with the menu key.</summary>
    public Task<CallbackOutcome> SendEventAsync(string user, string eventName, string eventKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        ArgumentNullException.ThrowIfNull(eventKey);

        // Events carry no MsgId; WeCom's samples put AgentID before Event and EventKey.
        var xml = new StringBuilder(256)
            .Append(CommonFields(user, "event"))
            .Append("<AgentID>").Append(App.AgentId.ToString(CultureInfo.InvariantCulture)).Append("</AgentID>")
            .Append("<Event>").Append(WeComXml.Cdata(eventName)).Append("</Event>")
            .Append("<EventKey>").Append(WeComXml.Cdata(eventKey)).Append("</EventKey></xml>");
        return PostAsync(xml.ToString(), cancellationToken);
    }

    /// <summary>Encrypts, signs and posts one plaintext callback, then reads the host's answer.</summary>
    public async Task<CallbackOutcome> PostAsync(string plaintextXml, CancellationToken cancellationToken)
    {
        var (status, body) = await SendAsync(Prepare(plaintextXml), cancellationToken);
        return ReadAnswer(status, body);
    }

    /// <summary>
    /// A text message from <paramref name="user"/>, encrypted and signed as WeCom sends it, to be posted later with
    /// <see cref="SendAsync"/> (within <c>WeCom:TimestampTolerance</c> of now): a load generator prepares its callbacks
    /// ahead, as WeCom's own servers do that work, not the machine under test.
    /// </summary>
    public PreparedCallback PrepareText(string user, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Prepare(BuildMessageXml(user, "text", $"<Content>{WeComXml.Cdata(text)}</Content>"));
    }

    /// <summary>Encrypts and signs one plaintext callback: its address (signature, timestamp, nonce) and envelope.</summary>
    public PreparedCallback Prepare(string plaintextXml)
    {
        ArgumentNullException.ThrowIfNull(plaintextXml);

        var timestamp = WeComCrypto.UnixTimestamp(_time);
        var nonce = RandomNonce();
        var encrypted = _crypto.Encrypt(plaintextXml);
        var signature = WeComCrypto.ComputeSignature(App.Token, timestamp, nonce, encrypted);
        var envelope = new StringBuilder(encrypted.Length + 160)
            .Append("<xml><ToUserName>").Append(WeComXml.Cdata(App.CorpId)).Append("</ToUserName>")
            .Append("<AgentID>").Append(WeComXml.Cdata(App.AgentId.ToString(CultureInfo.InvariantCulture))).Append("</AgentID>")
            .Append("<Encrypt>").Append(WeComXml.Cdata(encrypted)).Append("</Encrypt></xml>")
            .ToString();
        var address = new Uri(_callback, string.Create(
            CultureInfo.InvariantCulture,
            $"?msg_signature={Uri.EscapeDataString(signature)}&timestamp={timestamp}&nonce={Uri.EscapeDataString(nonce)}"));
        return new PreparedCallback(address, Encoding.UTF8.GetBytes(envelope));
    }

    /// <summary>Posts a prepared callback; the answer's status and body, unchecked (see <see cref="ReadAnswer"/>).</summary>
    /// <exception cref="HttpRequestException">The host is not reachable.</exception>
    public async Task<(HttpStatusCode Status, string Body)> SendAsync(PreparedCallback callback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(callback);
        using var content = new ByteArrayContent(callback.Body);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        using var response = await http.PostAsync(callback.Address, content, cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>What the host's answer to a callback is, checked as WeCom checks it.</summary>
    public CallbackOutcome ReadAnswer(HttpStatusCode status, string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if ((int)status is < 200 or > 299)
        {
            return new CallbackOutcome(CallbackOutcomeKind.Refused, status, null, body);
        }

        // WeCom treats an empty body (or "success") as "no passive reply".
        return string.IsNullOrWhiteSpace(body)
            ? new CallbackOutcome(CallbackOutcomeKind.Empty, status, null, null)
            : ReadReply(status, body);
    }

    /// <summary>The plaintext of a message (text, image …): common fields, the type's fields, MsgId, AgentID.</summary>
    internal string BuildMessageXml(string user, string msgType, string typeFields) =>
        new StringBuilder(256)
            .Append(CommonFields(user, msgType))
            .Append(typeFields)
            .Append("<MsgId>").Append(NewMsgId()).Append("</MsgId>")
            .Append("<AgentID>").Append(App.AgentId.ToString(CultureInfo.InvariantCulture)).Append("</AgentID></xml>")
            .ToString();

    private string CommonFields(string user, string msgType)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        return new StringBuilder(160)
            .Append("<xml><ToUserName>").Append(WeComXml.Cdata(App.CorpId)).Append("</ToUserName>")
            .Append("<FromUserName>").Append(WeComXml.Cdata(user)).Append("</FromUserName>")
            .Append("<CreateTime>").Append(_time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)).Append("</CreateTime>")
            .Append("<MsgType>").Append(WeComXml.Cdata(msgType)).Append("</MsgType>")
            .ToString();
    }

    /// <summary>Checks the reply as WeCom does: signature over (token, TimeStamp, Nonce, Encrypt), then decrypt and parse.</summary>
    private CallbackOutcome ReadReply(HttpStatusCode status, string body)
    {
        try
        {
            var envelope = WeComXml.ParseEnvelope(body);
            if (!_crypto.VerifySignature(envelope.MsgSignature, envelope.TimeStamp, envelope.Nonce, envelope.Encrypt))
            {
                return new CallbackOutcome(CallbackOutcomeKind.InvalidReply, status, null, "the reply's MsgSignature does not match");
            }

            var reply = WeComXml.ParseMessage(_crypto.Decrypt(envelope.Encrypt));
            if (!string.Equals(reply.FromUserName, App.CorpId, StringComparison.Ordinal))
            {
                return new CallbackOutcome(CallbackOutcomeKind.InvalidReply, status, null, $"the reply's FromUserName is '{reply.FromUserName}', not the corp id");
            }

            return reply.MsgType == "text"
                ? new CallbackOutcome(CallbackOutcomeKind.PassiveReply, status, reply.Content ?? string.Empty, null)
                : new CallbackOutcome(CallbackOutcomeKind.InvalidReply, status, null, $"a passive reply of type '{reply.MsgType}', which the chat does not show");
        }
        catch (WeComCryptoException ex)
        {
            return new CallbackOutcome(CallbackOutcomeKind.InvalidReply, status, null, $"{ex.Error}: {ex.Message}");
        }
    }

    // WeCom's MsgIds are 64-bit numbers of about 19 digits; a random one keeps redelivery de-duplication out of the way.
    private static string NewMsgId()
    {
        var random = BinaryPrimitives.ReadUInt64LittleEndian(RandomNumberGenerator.GetBytes(8));
        return (1_000_000_000_000_000_000UL + random % 8_000_000_000_000_000_000UL).ToString(CultureInfo.InvariantCulture);
    }

    // WeCom's nonces are decimal digits (the spec's samples: 1372623149, 1409659813).
    private static string RandomNonce() =>
        RandomNumberGenerator.GetInt32(1_000_000_000, int.MaxValue).ToString(CultureInfo.InvariantCulture);
}
