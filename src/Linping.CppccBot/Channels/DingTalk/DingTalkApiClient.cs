using System.Text.Json;
using System.Text.Json.Nodes;
using Linping.CppccBot.Channels.WeCom;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Channels.DingTalk;

/// <summary>
/// DingTalk robot sends: <c>robot/oToMessages/batchSend</c> (one-to-one, at most 20 users a call),
/// <c>robot/groupMessages/send</c> (a group the robot is in) and a message's <c>sessionWebhook</c> (the reply path).
/// Long text is split into parts sent in order. A refused token (HTTP 401) is dropped and the call retried once.
/// </summary>
public sealed class DingTalkApiClient(
    HttpClient httpClient,
    DingTalkAccessTokenCache tokenCache,
    IOptions<DingTalkOptions> options,
    ILogger<DingTalkApiClient> logger) : IDingTalkMessenger
{
    public const string HttpClientName = "DingTalkApi";

    /// <summary>DingTalk's limit on <c>userIds</c> of <c>batchSend</c>.</summary>
    public const int MaxUsersPerCall = 20;

    /// <summary>The most UTF-8 bytes of text in one message; longer text goes as several (msgParam may hold 15,000 bytes).</summary>
    public const int MaxContentBytes = 4000;

    internal const string BatchSendPath = "v1.0/robot/oToMessages/batchSend";
    internal const string GroupSendPath = "v1.0/robot/groupMessages/send";
    internal const string SessionWebhookPath = "sessionWebhook";

    public async Task<DingTalkUserSendResult> SendToUsersAsync(IReadOnlyCollection<string> staffIds, DingTalkContent content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staffIds);
        ArgumentNullException.ThrowIfNull(content);
        var users = staffIds.Where(u => !string.IsNullOrWhiteSpace(u)).Distinct(StringComparer.Ordinal).ToList();
        if (users.Count == 0)
        {
            throw new ArgumentException("At least one user id is needed.", nameof(staffIds));
        }

        var invalid = new List<string>();
        var throttled = new List<string>();
        var keys = new List<string>();
        var parts = Parts(content);
        foreach (var batch in users.Chunk(MaxUsersPerCall))
        {
            // A user refused for one part is not sent the later parts: they would arrive without the beginning.
            var pending = batch.ToList();
            for (var i = 0; i < parts.Count && pending.Count > 0; i++)
            {
                var (msgKey, msgParam) = MsgParam(parts[i]);
                var body = new JsonObject
                {
                    ["robotCode"] = RobotCode,
                    ["userIds"] = new JsonArray([.. pending.Select(u => (JsonNode)u)]),
                    ["msgKey"] = msgKey,
                    ["msgParam"] = msgParam,
                };
                using var answer = await PostWithTokenAsync(BatchSendPath, body, cancellationToken);
                var badIds = DingTalkHttp.GetStrings(answer.RootElement, "invalidStaffIdList");
                var slowIds = DingTalkHttp.GetStrings(answer.RootElement, "flowControlledStaffIdList");
                if (DingTalkHttp.GetString(answer.RootElement, "processQueryKey") is { } key)
                {
                    keys.Add(key);
                }

                if (badIds.Count + slowIds.Count > 0)
                {
                    DingTalkApiLog.BatchPartlyRefused(logger, badIds.Count, slowIds.Count, pending.Count);
                    invalid.AddRange(badIds);
                    throttled.AddRange(slowIds);
                    pending.RemoveAll(u => badIds.Contains(u, StringComparer.Ordinal) || slowIds.Contains(u, StringComparer.Ordinal));
                }

                DingTalkApiLog.Sent(logger, "/" + BatchSendPath, i + 1, parts.Count);
            }
        }

        return new DingTalkUserSendResult(invalid.Distinct(StringComparer.Ordinal).ToList(), throttled.Distinct(StringComparer.Ordinal).ToList(), keys);
    }

    public async Task SendToGroupAsync(string openConversationId, DingTalkContent content, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(openConversationId);
        ArgumentNullException.ThrowIfNull(content);
        var parts = Parts(content);
        for (var i = 0; i < parts.Count; i++)
        {
            var (msgKey, msgParam) = MsgParam(parts[i]);
            var body = new JsonObject
            {
                ["robotCode"] = RobotCode,
                ["openConversationId"] = openConversationId,
                ["msgKey"] = msgKey,
                ["msgParam"] = msgParam,
            };
            using var answer = await PostWithTokenAsync(GroupSendPath, body, cancellationToken);
            DingTalkApiLog.Sent(logger, "/" + GroupSendPath, i + 1, parts.Count);
        }
    }

    /// <summary>
    /// Replies through a message's <paramref name="sessionWebhook"/> (no token: the URL is the credential), in parts.
    /// In a group the reply @-mentions <paramref name="atUserId"/> when given.
    /// </summary>
    public async Task SendBySessionWebhookAsync(Uri sessionWebhook, DingTalkContent content, string? atUserId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionWebhook);
        ArgumentNullException.ThrowIfNull(content);
        var parts = Parts(content);
        for (var i = 0; i < parts.Count; i++)
        {
            var body = WebhookBody(parts[i]);
            if (!string.IsNullOrEmpty(atUserId))
            {
                body["at"] = new JsonObject { ["atUserIds"] = new JsonArray(atUserId) };
            }

            using var answer = await DingTalkHttp.PostAsync(httpClient, sessionWebhook, body, SessionWebhookPath, null, logger, cancellationToken);
            var errCode = DingTalkHttp.GetString(answer.RootElement, "errcode");
            if (errCode is not null && errCode != "0")
            {
                DingTalkApiLog.WebhookError(logger, SessionWebhookPath, errCode);
                throw new DingTalkApiException($"DingTalk sessionWebhook answered errcode {errCode}.", SessionWebhookPath, 200, errCode);
            }

            DingTalkApiLog.Sent(logger, SessionWebhookPath, i + 1, parts.Count);
        }
    }

    /// <summary>The webhook-format body: <c>{"msgtype":"text","text":{"content":...}}</c> or the markdown one.</summary>
    public static JsonObject WebhookBody(DingTalkContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return content.IsMarkdown
            ? new JsonObject { ["msgtype"] = "markdown", ["markdown"] = new JsonObject { ["title"] = content.MarkdownTitle, ["text"] = content.Text } }
            : new JsonObject { ["msgtype"] = "text", ["text"] = new JsonObject { ["content"] = content.Text } };
    }

    private string RobotCode => options.Value.EffectiveRobotCode
        ?? throw new InvalidOperationException("DingTalk:RobotCode (or DingTalk:ClientId) is needed to send robot messages.");

    private static List<DingTalkContent> Parts(DingTalkContent content)
    {
        var parts = WeComText.Split(content.Text, MaxContentBytes);
        if (parts.Count == 0)
        {
            throw new ArgumentException("The text is empty.", nameof(content));
        }

        return parts.Select(p => content with { Text = p }).ToList();
    }

    /// <summary>msgKey and msgParam (a JSON string, not an object) of the robot OpenAPI.</summary>
    private static (string MsgKey, string MsgParam) MsgParam(DingTalkContent part) => part.IsMarkdown
        ? ("sampleMarkdown", new JsonObject { ["title"] = part.MarkdownTitle, ["text"] = part.Text }.ToJsonString())
        : ("sampleText", new JsonObject { ["content"] = part.Text }.ToJsonString());

    private async Task<JsonDocument> PostWithTokenAsync(string path, JsonObject body, CancellationToken cancellationToken)
    {
        var uri = new Uri(path, UriKind.Relative);
        var token = await tokenCache.GetTokenAsync(cancellationToken);
        try
        {
            return await DingTalkHttp.PostAsync(httpClient, uri, body, "/" + path, token, logger, cancellationToken);
        }
        catch (DingTalkApiException ex) when (ex.HttpStatus == 401 || (ex.Code?.Contains("InvalidAuthentication", StringComparison.Ordinal) ?? false))
        {
            DingTalkApiLog.TokenRefused(logger, "/" + path, ex.HttpStatus ?? 0);
            tokenCache.Invalidate(token);
            token = await tokenCache.GetTokenAsync(cancellationToken);
            return await DingTalkHttp.PostAsync(httpClient, uri, body, "/" + path, token, logger, cancellationToken);
        }
    }
}
