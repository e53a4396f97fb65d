using Linping.CppccBot.Conversations;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Channels.DingTalk;

/// <summary>
/// Sends a turn's replies back into the conversation: through the message's <c>sessionWebhook</c> while it is valid
/// (and lives under <c>DingTalk:OapiBaseUrl</c>), else, or when the webhook fails, through the robot OpenAPI
/// (<c>groupMessages/send</c> for a group, <c>oToMessages/batchSend</c> for one person).
/// </summary>
public sealed partial class DingTalkReplier(
    IOptions<DingTalkOptions> options,
    IServiceProvider services,
    TimeProvider time,
    ILogger<DingTalkReplier> logger)
{
    /// <summary>A webhook this close to its expiry is not used: the reply could arrive after it.</summary>
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromMinutes(1);

    public async Task ReplyAsync(DingTalkRobotMessage message, TurnResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(result);
        var client = services.GetRequiredService<DingTalkApiClient>();
        foreach (var reply in result.Replies)
        {
            var content = DingTalkContent.Plain(reply.Text);
            try
            {
                if (UsableWebhook(message) is { } webhook)
                {
                    try
                    {
                        await client.SendBySessionWebhookAsync(webhook, content, message.IsGroup ? message.SenderStaffId : null, cancellationToken);
                        continue;
                    }
                    catch (DingTalkApiException ex)
                    {
                        LogWebhookFailed(logger, ex.HttpStatus ?? 0, ex.Code ?? "-");
                    }
                }

                await SendByOpenApiAsync(client, message, content, cancellationToken);
            }
            catch (Exception ex) when (ex is DingTalkApiException or InvalidOperationException or ArgumentException)
            {
                LogReplyFailed(logger, ex.GetType().Name);
                return;
            }
        }
    }

    private async Task SendByOpenApiAsync(DingTalkApiClient client, DingTalkRobotMessage message, DingTalkContent content, CancellationToken cancellationToken)
    {
        if (message.IsGroup)
        {
            await client.SendToGroupAsync(message.ConversationId, content, cancellationToken);
            return;
        }

        if (string.IsNullOrEmpty(message.SenderStaffId))
        {
            // Someone outside the org: only the session webhook could reach them.
            LogNoRecipient(logger);
            return;
        }

        var sent = await client.SendToUsersAsync([message.SenderStaffId], content, cancellationToken);
        if (!sent.AllDelivered)
        {
            LogReplyFailed(logger, sent.FlowControlledStaffIds.Count > 0 ? "flow-controlled" : "invalid-staff-id");
        }
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
            LogForeignWebhook(logger);
            return null;
        }

        return webhook;
    }

    [LoggerMessage(EventId = 5011, Level = LogLevel.Warning, Message = "DingTalk sessionWebhook reply failed (HTTP {Status}, code {Code}); sending through the OpenAPI")]
    private static partial void LogWebhookFailed(ILogger logger, int status, string code);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Error, Message = "A DingTalk reply could not be sent ({Failure})")]
    private static partial void LogReplyFailed(ILogger logger, string failure);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Warning, Message = "A DingTalk reply was not sent: the session webhook expired and the sender has no staff id")]
    private static partial void LogNoRecipient(ILogger logger);

    [LoggerMessage(EventId = 5014, Level = LogLevel.Warning, Message = "A DingTalk message's sessionWebhook is not under DingTalk:OapiBaseUrl; not used")]
    private static partial void LogForeignWebhook(ILogger logger);
}
