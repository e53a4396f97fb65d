using System.Globalization;
using System.Text;
using Linping.CppccBot.Conversations;
using Linping.CppccBot.Hosting;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Channels.WeCom;

/// <summary>
/// The WeCom callback, step by step: verify the signature, check the timestamp, decrypt, check the receiveid,
/// parse, run the turn (which claims the delivery once: a redelivery is answered empty), and answer within WeCom's
/// 5 s: an encrypted passive reply when the answer is ready within the budget, else an empty 200 and an active
/// <c>message/send</c> when it is.
/// Bad input is refused with a 4xx before anything is stored or run.
/// </summary>
public sealed partial class WeComCallbackHandler(
    IOptions<WeComOptions> options,
    TurnRunner turns,
    IServiceProvider services,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    RepeatedFailures failures,
    ILogger<WeComCallbackHandler> logger)
{
    /// <summary>
    /// How long an active send of an answer waits before each new try after WeCom was busy, rate-limited or unreachable:
    /// the member is waiting for that answer, and nothing else sends it again.
    /// </summary>
    internal static readonly TimeSpan[] ActiveSendRetryDelays = [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)];

    /// <summary>A passive reply carries at most this many UTF-8 bytes; WeCom truncates longer text.</summary>
    public const int PassiveReplyMaxBytes = 2048;

    private readonly WeComCrypto? _crypto = options.Value.IsEnabled
        ? new WeComCrypto(options.Value.Token!, options.Value.EncodingAESKey!, options.Value.CorpId!)
        : null;

    /// <summary>GET: URL verification. Answers the decrypted echostr as plain text.</summary>
    public IResult VerifyUrl(string? signature, string? timestamp, string? nonce, string? echo)
    {
        if (_crypto is null)
        {
            return Results.NotFound();
        }

        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(nonce) || string.IsNullOrEmpty(echo))
        {
            return Refuse(StatusCodes.Status400BadRequest, "missing-parameters");
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return Refuse(StatusCodes.Status400BadRequest, "bad-timestamp");
        }

        // Base64 never contains spaces: a space here is a '+' that a proxy failed to percent-encode.
        echo = echo.Replace(' ', '+');
        if (!_crypto.VerifySignature(signature, timestamp, nonce, echo))
        {
            return Refuse(StatusCodes.Status403Forbidden, "bad-signature");
        }

        // The GET signs (token, timestamp, nonce, echostr) as a POST signs its Encrypt: without these two checks it
        // would decrypt any captured callback or passive reply for whoever asks, however old.
        if (!IsFresh(timestamp))
        {
            return Refuse(StatusCodes.Status403Forbidden, "stale-timestamp");
        }

        string plain;
        try
        {
            plain = _crypto.Decrypt(echo);
        }
        catch (WeComCryptoException ex)
        {
            return Refuse(StatusCodes.Status400BadRequest, $"decrypt-{ex.Error}");
        }

        // WeCom's echostr is a short random token (digits in every official sample), never a message.
        return IsEchoToken(plain) ? Results.Text(plain, "text/plain", Encoding.UTF8) : Refuse(StatusCodes.Status400BadRequest, "echostr-not-a-token");
    }

    /// <summary>The longest echostr plaintext answered; WeCom's are about 19 digits.</summary>
    private const int MaxEchoTokenLength = 64;

    private static bool IsEchoToken(string plain) =>
        plain.Length is > 0 and <= MaxEchoTokenLength && plain.All(char.IsAsciiLetterOrDigit);

    /// <summary>True when <paramref name="timestamp"/> is within <see cref="WeComOptions.TimestampTolerance"/> of now.</summary>
    private bool IsFresh(string timestamp) =>
        long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
        && Math.Abs((time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253402300799))).TotalSeconds) <= options.Value.TimestampTolerance.TotalSeconds;

    /// <summary>POST: an encrypted message or event.</summary>
    public async Task<IResult> ReceiveAsync(string? signature, string? timestamp, string? nonce, string body, CancellationToken cancellationToken)
    {
        if (_crypto is null)
        {
            return Results.NotFound();
        }

        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(nonce))
        {
            return Refuse(StatusCodes.Status400BadRequest, "missing-parameters");
        }

        WeComEnvelope envelope;
        try
        {
            envelope = WeComXml.ParseEnvelope(body);
        }
        catch (WeComCryptoException)
        {
            return Refuse(StatusCodes.Status400BadRequest, "bad-envelope");
        }

        if (!_crypto.VerifySignature(signature, timestamp, nonce, envelope.Encrypt))
        {
            return Refuse(StatusCodes.Status403Forbidden, "bad-signature");
        }

        if (!IsFresh(timestamp))
        {
            return Refuse(StatusCodes.Status403Forbidden, "stale-timestamp");
        }

        WeComCallbackMessage message;
        try
        {
            message = WeComXml.ParseMessage(_crypto.Decrypt(envelope.Encrypt));
        }
        catch (WeComCryptoException ex)
        {
            return Refuse(ex.Error == WeComCryptoError.ValidateCorpId ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest, $"decrypt-{ex.Error}");
        }

        if (string.IsNullOrEmpty(message.FromUserName) || string.IsNullOrEmpty(message.MsgType))
        {
            return Refuse(StatusCodes.Status400BadRequest, "incomplete-message");
        }

        var inbound = message.ToInboundMessage();
        var turn = turns.Start(inbound);
        TurnResult result;
        try
        {
            // WaitAsync drops its timer as soon as the turn is done, unlike a Task.Delay left to run out.
            result = await turn.WaitAsync(options.Value.PassiveReplyBudget, time, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException && !turn.IsCompleted)
        {
            // Over budget, or WeCom gave up on the request: the turn goes on and its answer is sent actively.
            LogLateAnswer(logger, options.Value.PassiveReplyBudget.TotalMilliseconds);
            turns.Track(SendLaterAsync(turn, inbound.UserId));
            return Results.Text(string.Empty);
        }

        if (result.CardUpdate is { } update)
        {
            turns.Track(UpdateCardAsync(update, inbound.UserId));
        }

        if (result.Replies.Count == 0)
        {
            return Results.Text(string.Empty);
        }

        var text = result.JoinedText;
        if (Encoding.UTF8.GetByteCount(text) > PassiveReplyMaxBytes && options.Value.CanSend)
        {
            // Too long for one passive reply: send every part actively instead of letting WeCom cut it.
            turns.Track(SendActivelyAsync(result, inbound.UserId));
            return Results.Text(string.Empty);
        }

        return PassiveReply(message, text);
    }

    private IResult PassiveReply(WeComCallbackMessage message, string text)
    {
        var replyXml = WeComXml.BuildTextReply(message.FromUserName!, options.Value.CorpId!, time.GetUtcNow().ToUnixTimeSeconds(), WeComText.Truncate(text, PassiveReplyMaxBytes));
        var replyNonce = RandomNonce();
        var envelopeXml = _crypto!.BuildEncryptedReply(replyXml, time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), replyNonce);
        return Results.Text(envelopeXml, "application/xml", Encoding.UTF8);
    }

    private async Task SendLaterAsync(Task<TurnResult> turn, string userId)
    {
        var result = await turn;
        if (result.CardUpdate is { } update)
        {
            await UpdateCardAsync(update, userId);
        }

        if (result.Replies.Count > 0)
        {
            await SendActivelyAsync(result, userId);
        }
    }

    private async Task SendActivelyAsync(TurnResult result, string userId)
    {
        if (!options.Value.CanSend)
        {
            LogCannotSend(logger);
            return;
        }

        var client = services.GetRequiredService<WeComApiClient>();
        foreach (var reply in result.Replies)
        {
            if (!await SendReplyAsync(client, userId, reply.Text))
            {
                // The parts of an answer go in order: one that did not go out stops the rest.
                return;
            }
        }
    }

    /// <summary>
    /// Sends one reply, trying again after <see cref="ActiveSendRetryDelays"/> while WeCom refuses it for a passing
    /// reason (busy, rate limit, no answer) and none of it went out yet; a send WeCom answered with an errcode is not
    /// thrown but returned, so its result is checked too.
    /// </summary>
    private async Task<bool> SendReplyAsync(WeComApiClient client, string userId, string text)
    {
        for (var attempt = 0; ; attempt++)
        {
            WeComErrorKind kind;
            bool partlySent;
            try
            {
                var sent = await client.SendTextAsync([userId], text, CancellationToken.None);
                if (sent.Succeeded)
                {
                    return true;
                }

                kind = sent.ErrorKind;
                partlySent = sent.Calls.Any(c => c.ErrCode == WeComErrorCodes.Ok);
            }
            catch (WeComApiException ex)
            {
                kind = ex.Kind;
                partlySent = ex.PartialResult?.Calls.Any(c => c.ErrCode == WeComErrorCodes.Ok) == true;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                kind = WeComErrorKind.Network;
                partlySent = false;
            }

            if (partlySent || !WeComErrorCodes.IsTransient(kind) || attempt >= ActiveSendRetryDelays.Length || lifetime.ApplicationStopping.IsCancellationRequested)
            {
                ActiveSendFailed(kind, attempt + 1);
                return false;
            }

            if (failures.ShouldLog(logger, WeComHttp.Api(WeComApiClient.MessageSendPath), $"Active send of an answer failed ({kind})"))
            {
                LogActiveSendRetry(logger, kind.ToString(), ActiveSendRetryDelays[attempt].TotalSeconds);
            }

            try
            {
                await Task.Delay(ActiveSendRetryDelays[attempt], time, lifetime.ApplicationStopping);
            }
            catch (OperationCanceledException)
            {
                ActiveSendFailed(kind, attempt + 1);
                return false;
            }
        }
    }

    /// <summary>
    /// Greys out the clicked card's buttons for the member (<c>message/update_template_card</c> with the click's
    /// response code), so the card shows what was done and cannot be used twice.
    /// </summary>
    private async Task UpdateCardAsync(CardUpdate update, string userId)
    {
        if (!options.Value.CanSend)
        {
            LogCannotSend(logger);
            return;
        }

        try
        {
            var errCode = await services.GetRequiredService<WeComApiClient>().UpdateTemplateCardButtonAsync([userId], update.ResponseCode, update.ReplaceName, CancellationToken.None);
            if (errCode != WeComErrorCodes.Ok)
            {
                CardUpdateFailed(errCode.ToString(CultureInfo.InvariantCulture));
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or WeComApiException or TaskCanceledException)
        {
            CardUpdateFailed(ex.GetType().Name);
        }
    }

    /// <summary>
    /// The member did not get an answer: an Error, but while WeCom is away one line at once and then one a minute with
    /// the count, not one per member; the line that WeCom answers again follows the first send that works.
    /// </summary>
    private void ActiveSendFailed(WeComErrorKind kind, int attempts)
    {
        if (failures.ShouldLog(logger, WeComHttp.Api(WeComApiClient.MessageSendPath), $"Active send of an answer failed for good ({kind})"))
        {
            LogActiveSendFailed(logger, kind.ToString(), attempts);
        }
    }

    private void CardUpdateFailed(string reason)
    {
        if (failures.ShouldLog(logger, WeComHttp.Api(WeComApiClient.UpdateCardPath), $"A clicked card could not be updated ({reason})"))
        {
            LogCardUpdateFailed(logger, reason);
        }
    }

    private static string RandomNonce() =>
        System.Security.Cryptography.RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue).ToString(CultureInfo.InvariantCulture);

    private IResult Refuse(int status, string reason)
    {
        LogRefused(logger, status, reason);
        return Results.Text(status == StatusCodes.Status403Forbidden ? "forbidden" : "bad request", "text/plain", Encoding.UTF8, status);
    }

    [LoggerMessage(EventId = 2000, Level = LogLevel.Warning, Message = "WeCom callback refused with {Status}: {Reason}")]
    private static partial void LogRefused(ILogger logger, int status, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Answer not ready within {BudgetMs} ms; it will be sent actively")]
    private static partial void LogLateAnswer(ILogger logger, double budgetMs);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "An answer could not be sent actively: WeCom:Secret or WeCom:AgentId is not configured")]
    private static partial void LogCannotSend(ILogger logger);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "A clicked card could not be updated ({Reason})")]
    private static partial void LogCardUpdateFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "Active send of an answer failed ({Reason}) after {Attempts} tries; the member did not get it")]
    private static partial void LogActiveSendFailed(ILogger logger, string reason, int attempts);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Active send of an answer failed ({Reason}); trying again in {DelaySeconds} s")]
    private static partial void LogActiveSendRetry(ILogger logger, string reason, double delaySeconds);
}
