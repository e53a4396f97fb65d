using Linping.CppccBot.Conversations;
using Linping.CppccBot.Hosting;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Channels.DingTalk;

/// <summary>
/// Sends a turn's replies back into the conversation: through the message's <c>sessionWebhook</c> while it is valid
/// (and lives under <c>DingTalk:OapiBaseUrl</c>), else, or when the webhook fails, through the robot OpenAPI
/// (<c>groupMessages/send</c> for a group, <c>oToMessages/batchSend</c> for one person). A reply DingTalk refuses for a
/// passing reason (throttling, 5xx, a connection refused, the member flow-controlled) is tried again after 2, 10 and 30 s, as WeCom's
/// active sends are; the replies of a turn go in order, and one that did not go out stops the rest. A long reply goes in
/// parts: when the webhook stops after some, only the rest goes through the OpenAPI. A call that got no answer after the
/// request went out (a timeout, a dropped connection) may have delivered the reply: it is not sent again; the turn's
/// later replies follow it. In a group the first reply
/// @-mentions the asker (through the OpenAPI, whose group messages cannot mention, it addresses them by their DingTalk
/// name: "徐海涛，…"); the rest of the
/// turn's replies follow it without notifying them again.
/// </summary>
public sealed partial class DingTalkReplier(
    IOptions<DingTalkOptions> options,
    IServiceProvider services,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    RepeatedFailures failures,
    ILogger<DingTalkReplier> logger)
{
    /// <summary>A webhook this close to its expiry is not used: the reply could arrive after it.</summary>
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromMinutes(1);

    /// <summary>The waits before trying a refused reply again (WeCom's active sends wait the same).</summary>
    internal static readonly TimeSpan[] RetryDelays = [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)];

    public async Task ReplyAsync(DingTalkRobotMessage message, TurnResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(result);
        var client = services.GetRequiredService<DingTalkApiClient>();
        var mention = message.IsGroup ? message.SenderStaffId : null;
        var allAnswered = true;
        foreach (var reply in result.Replies)
        {
            var outcome = await SendReplyAsync(client, message, reply.Text, mention, cancellationToken);
            if (outcome == ReplyOutcome.NotSent)
            {
                return;
            }

            // A reply that may have arrived is not sent again; the turn's later replies surely did not go, so they follow.
            allAnswered &= outcome == ReplyOutcome.Sent;
            mention = null;
        }

        if (allAnswered)
        {
            failures.Answered(logger, RepliesApi);
        }
    }

    private enum ReplyOutcome
    {
        Sent,

        /// <summary>The call got no answer after the request went out: DingTalk may have delivered it.</summary>
        MayHaveArrived,

        NotSent,
    }

    /// <summary>
    /// Sends one reply, trying again while DingTalk refuses it for a passing reason. Of a reply in several parts only
    /// what did not go out is sent on, by the OpenAPI or on the next try: a part that went out does not come twice. A try
    /// is made again only while what is left fits one message (a batchSend that stops mid-text does not say where).
    /// </summary>
    private async Task<ReplyOutcome> SendReplyAsync(DingTalkApiClient client, DingTalkRobotMessage message, string text, string? mention, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            string failure;
            bool retryable;
            try
            {
                if (UsableWebhook(message) is { } webhook)
                {
                    try
                    {
                        await client.SendBySessionWebhookAsync(webhook, DingTalkContent.Plain(text), mention, cancellationToken);
                        return ReplyOutcome.Sent;
                    }
                    catch (DingTalkApiException ex) when (!ex.Unanswered)
                    {
                        // The client logged the failure (through RepeatedFailures); it is not counted a second time here.
                        (text, mention) = ex.PartsSent > 0 ? (DingTalkApiClient.Unsent(text, mention, ex.PartsSent), null) : (text, mention);
                        LogWebhookFailed(logger, ex.HttpStatus ?? 0, ex.Code ?? "-");
                    }
                }

                // The OpenAPI cannot @-mention: in a group the reply that was to mention the asker addresses them by name.
                var openApiText = message.IsGroup && mention is not null ? AddressedTo(message.SenderNick, text) : text;
                try
                {
                    var outcome = await SendByOpenApiAsync(client, message, DingTalkContent.Plain(openApiText), cancellationToken);
                    if (outcome is null)
                    {
                        return ReplyOutcome.Sent;
                    }

                    if (outcome == NoRecipient)
                    {
                        return ReplyOutcome.NotSent;
                    }

                    failure = outcome;
                    retryable = failure == FlowControlled;
                }
                catch (DingTalkApiException ex) when (ex.PartsSent > 0)
                {
                    (text, mention) = (DingTalkApiClient.Unsent(openApiText, null, ex.PartsSent), null);
                    throw;
                }
            }
            catch (DingTalkApiException ex) when (ex.Unanswered)
            {
                // No answer after the request went out (a timeout, a dropped connection): DingTalk may have delivered it,
                // so it is not sent again, by the OpenAPI or on a later try, as a notice is not handed to the other app.
                if (failures.ShouldLog(logger, RepliesApi, "A DingTalk reply got no answer and may have arrived"))
                {
                    LogReplyUnanswered(logger, ex.ApiPath ?? "-");
                }

                return ReplyOutcome.MayHaveArrived;
            }
            catch (DingTalkApiException ex)
            {
                failure = ex.Code ?? (ex.HttpStatus is null ? "network" : "HTTP " + ex.HttpStatus.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                retryable = ex.IsRetryable;
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
            {
                ReplyFailed(ex.GetType().Name);
                return ReplyOutcome.NotSent;
            }

            // Counted as the session webhook sends it, with the mention: "@userId " can make a reply that fits two parts.
            retryable &= System.Text.Encoding.UTF8.GetByteCount(DingTalkApiClient.MentionedText(text, mention)) <= DingTalkApiClient.MaxContentBytes;
            if (!retryable || attempt >= RetryDelays.Length || lifetime.ApplicationStopping.IsCancellationRequested)
            {
                ReplyFailed(failure);
                return ReplyOutcome.NotSent;
            }

            if (failures.ShouldLog(logger, RepliesApi, $"A DingTalk reply was refused ({failure})"))
            {
                LogReplyRetry(logger, failure, RetryDelays[attempt].TotalSeconds);
            }

            try
            {
                await Task.Delay(RetryDelays[attempt], time, lifetime.ApplicationStopping);
            }
            catch (OperationCanceledException)
            {
                ReplyFailed(failure);
                return ReplyOutcome.NotSent;
            }
        }
    }

    /// <summary>
    /// <paramref name="text"/> addressed to <paramref name="name"/> ("徐海涛，…"), for a group reply that cannot @-mention:
    /// an "@徐海涛" typed into the text would notify nobody. Unchanged without a name or when it already begins with it.
    /// </summary>
    internal static string AddressedTo(string? name, string text) =>
        name?.Trim() is not { Length: > 0 } who || text.StartsWith(who, StringComparison.Ordinal) ? text : who + "，" + text;

    /// <summary>The member did not get a reply: an Error, but one line a minute for each reason while DingTalk is away, not one a message.</summary>
    private void ReplyFailed(string failure)
    {
        if (failures.ShouldLog(logger, RepliesApi, $"A DingTalk reply could not be sent ({failure})"))
        {
            LogReplyFailed(logger, failure);
        }
    }

    /// <summary>How <see cref="RepeatedFailures"/> names the replies as a whole, whichever way they go.</summary>
    private const string RepliesApi = "DingTalk replies";

    /// <summary>How <see cref="RepeatedFailures"/> names the check of a message's webhook address (nothing answers it again).</summary>
    private const string WebhookCheck = "DingTalk sessionWebhook address";

    private const string FlowControlled = "flow-controlled";

    private const string NoRecipient = "no-recipient";

    /// <summary>Sends through the OpenAPI; null when sent, else why not (<see cref="FlowControlled"/> may pass).</summary>
    private async Task<string?> SendByOpenApiAsync(DingTalkApiClient client, DingTalkRobotMessage message, DingTalkContent content, CancellationToken cancellationToken)
    {
        if (message.IsGroup)
        {
            await client.SendToGroupAsync(message.ConversationId, content, cancellationToken);
            return null;
        }

        if (string.IsNullOrEmpty(message.SenderStaffId))
        {
            // Someone outside the org: only the session webhook could reach them.
            if (failures.ShouldLog(logger, RepliesApi, "A DingTalk reply was not sent: the session webhook expired and the sender has no staff id"))
            {
                LogNoRecipient(logger);
            }

            return NoRecipient;
        }

        var sent = await client.SendToUsersAsync([message.SenderStaffId], content, cancellationToken);
        return sent.AllDelivered ? null
            : sent.FlowControlledStaffIds.Count > 0 ? FlowControlled
            : sent.FilteredStaffIds.Count > 0 ? "filtered" : "invalid-staff-id";
    }

    private Uri? UsableWebhook(DingTalkRobotMessage message)
    {
        if (string.IsNullOrEmpty(message.SessionWebhook)
            || !Uri.TryCreate(message.SessionWebhook, UriKind.Absolute, out var webhook)
            || message.SessionWebhookExpiresAt is not { } expiresAt
            || time.GetUtcNow() + ExpiryMargin >= expiresAt)
        {
            return null;
        }

        // The URL comes from the message; posting only to DingTalk's own host keeps a forged one from steering the bot.
        var oapi = options.Value.OapiBaseUrl;
        if (!string.Equals(webhook.Scheme, oapi.Scheme, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(webhook.Authority, oapi.Authority, StringComparison.OrdinalIgnoreCase))
        {
            if (failures.ShouldLog(logger, WebhookCheck, "A DingTalk message's sessionWebhook is not under DingTalk:OapiBaseUrl"))
            {
                LogForeignWebhook(logger);
            }

            return null;
        }

        return webhook;
    }

    [LoggerMessage(EventId = 5011, Level = LogLevel.Debug, Message = "DingTalk sessionWebhook reply failed (HTTP {Status}, code {Code}); sending through the OpenAPI")]
    private static partial void LogWebhookFailed(ILogger logger, int status, string code);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Error, Message = "A DingTalk reply could not be sent ({Failure})")]
    private static partial void LogReplyFailed(ILogger logger, string failure);

    [LoggerMessage(EventId = 5015, Level = LogLevel.Warning, Message = "A DingTalk reply was refused ({Failure}); trying again in {Seconds} s")]
    private static partial void LogReplyRetry(ILogger logger, string failure, double seconds);

    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "A DingTalk reply through {ApiPath} got no answer; it may have arrived, so it is not sent again")]
    private static partial void LogReplyUnanswered(ILogger logger, string apiPath);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Warning, Message = "A DingTalk reply was not sent: the session webhook expired and the sender has no staff id")]
    private static partial void LogNoRecipient(ILogger logger);

    [LoggerMessage(EventId = 5014, Level = LogLevel.Warning, Message = "A DingTalk message's sessionWebhook is not under DingTalk:OapiBaseUrl; not used")]
    private static partial void LogForeignWebhook(ILogger logger);
}
