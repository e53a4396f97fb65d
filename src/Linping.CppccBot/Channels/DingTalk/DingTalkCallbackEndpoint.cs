using System.Text;
using Linping.CppccBot.Conversations;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Channels.DingTalk;

/// <summary>
/// <c>POST /dingtalk/callback</c>, DingTalk's HTTP receiving mode: check the <c>timestamp</c> and <c>sign</c> headers,
/// parse the robot message, hand it to the <see cref="DingTalkInbox"/> and answer <c>{"msgtype":"empty"}</c> at once;
/// replies go through the session webhook. Served only when <c>DingTalk:Mode</c> is <c>Http</c>. Bad input gets a 4xx
/// and nothing runs.
/// </summary>
public static partial class DingTalkCallbackEndpoint
{
    private const string EmptyAnswer = """{"msgtype":"empty"}""";

    /// <summary>The claim namespace of the callbacks' (timestamp, sign) pairs.</summary>
    private const string SignatureClaims = "dingtalk-callback-signatures";

    /// <summary>Longer than the hour DingTalk's timestamp is accepted for, so a pair cannot come back once forgotten.</summary>
    private static readonly TimeSpan SignatureClaimWindow = TimeSpan.FromMinutes(65);

    /// <summary>
    /// How long after its timestamp a pair already taken may still bring another message: DingTalk signs the timestamp
    /// alone, so two messages it sends in the same millisecond carry the same pair, and both arrive at once.
    /// </summary>
    internal static readonly TimeSpan SameMillisecondWindow = TimeSpan.FromSeconds(30);

    public static IEndpointRouteBuilder MapDingTalkCallback(this IEndpointRouteBuilder app)
    {
        app.MapPost("/dingtalk/callback", HandleAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> HandleAsync(
        HttpContext http,
        IOptions<DingTalkOptions> options,
        DingTalkInbox inbox,
        IDeliveryDeduplicator signatures,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        var settings = options.Value;
        if (!settings.IsEnabled || settings.Mode != DingTalkMode.Http)
        {
            return Results.NotFound();
        }

        var logger = loggers.CreateLogger(typeof(DingTalkCallbackEndpoint));
        var timestamp = http.Request.Headers["timestamp"].ToString();
        var sign = http.Request.Headers["sign"].ToString();
        if (timestamp.Length == 0 || sign.Length == 0)
        {
            return Refuse(logger, StatusCodes.Status400BadRequest, "missing-headers");
        }

        if (!DingTalkSignature.Verify(timestamp, sign, settings.ClientSecret!, time.GetUtcNow()))
        {
            return Refuse(logger, StatusCodes.Status403Forbidden, "bad-signature-or-stale-timestamp");
        }

        var body = await CallbackBody.ReadUtf8Async(http, settings.MaxBodyBytes);
        if (body is null)
        {
            return Refuse(logger, StatusCodes.Status413PayloadTooLarge, "too-large");
        }

        DingTalkRobotMessage message;
        try
        {
            message = DingTalkRobotMessage.Parse(body);
        }
        catch (FormatException)
        {
            return Refuse(logger, StatusCodes.Status400BadRequest, "not-a-robot-message");
        }

        if (message.RobotCode is { Length: > 0 } robot && !string.Equals(robot, settings.EffectiveRobotCode, StringComparison.Ordinal))
        {
            return Refuse(logger, StatusCodes.Status403Forbidden, "other-robot");
        }

        // DingTalk signs the timestamp only, not the body: a (timestamp, sign) pair seen in a log or on the wire would
        // otherwise carry any body, from any sender, for the whole hour. Each pair is taken once, on every host. Another
        // message (msgId) under a pair already taken is another message DingTalk signed in the same millisecond while
        // the timestamp is fresh, each msgId once; later it is someone reusing the pair. The same message again is a
        // redelivery, which the turn takes once by its msgId.
        var pair = timestamp + ":" + sign;
        if (!await signatures.TryClaimAsync(new DeliveryClaim(SignatureClaims, pair, SignatureClaimWindow), http.RequestAborted)
            && (!SignedJustNow(timestamp, time.GetUtcNow())
                || !await signatures.TryClaimAsync(new DeliveryClaim(SignatureClaims, pair + ":" + message.MsgId, SignatureClaimWindow), http.RequestAborted)))
        {
            return Refuse(logger, StatusCodes.Status403Forbidden, "signature-used-before");
        }

        inbox.Accept(message);
        return Results.Text(EmptyAnswer, "application/json", Encoding.UTF8);
    }

    /// <summary>True when the (verified) <paramref name="timestamp"/> is within <see cref="SameMillisecondWindow"/> of now.</summary>
    private static bool SignedJustNow(string timestamp, DateTimeOffset now) =>
        (now - DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture))).Duration() <= SameMillisecondWindow;

    private static IResult Refuse(ILogger logger, int status, string reason)
    {
        LogRefused(logger, status, reason);
        return Results.Text(status == StatusCodes.Status403Forbidden ? "forbidden" : "bad request", "text/plain", Encoding.UTF8, status);
    }

    [LoggerMessage(EventId = 5000, Level = LogLevel.Warning, Message = "DingTalk callback refused with {Status}: {Reason}")]
    private static partial void LogRefused(ILogger logger, int status, string reason);
}
