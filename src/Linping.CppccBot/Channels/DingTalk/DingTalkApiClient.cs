using System.Text.Json;
using System.Text.Json.Nodes;
using Linping.CppccBot.Channels.WeCom;
using Linping.CppccBot.Hosting;
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
    DingTalkCustomRobotLimiter customRobotLimiter,
    IOptions<DingTalkOptions> options,
    TimeProvider time,
    RepeatedFailures failures,
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
    internal const string CustomRobotPath = "robot/send";

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
        var filtered = new List<string>();
        var keys = new List<string>();
        var partsSent = new Dictionary<string, int>(StringComparer.Ordinal);
        var settled = new HashSet<string>(StringComparer.Ordinal);
        var parts = Parts(content);
        DingTalkUserSendResult Result() => new(
            invalid.Distinct(StringComparer.Ordinal).ToList(), throttled.Distinct(StringComparer.Ordinal).ToList(), keys, filtered.Distinct(StringComparer.Ordinal).ToList(), partsSent)
        {
            StaffIds = [.. users.Where(settled.Contains)],
        };

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
                JsonDocument posted;
                try
                {
                    posted = await PostPartAsync(BatchSendPath, body, i, cancellationToken);
                }
                catch (DingTalkApiException ex)
                {
                    // The earlier calls' users and those left out before are settled; this call's got i parts; the rest nothing.
                    throw ex.WithPartialResult(Result(), [.. pending]);
                }

                using var answer = posted;
                var badIds = DingTalkHttp.GetStrings(answer.RootElement, "invalidStaffIdList");
                var slowIds = DingTalkHttp.GetStrings(answer.RootElement, "flowControlledStaffIdList");
                var filteredIds = DingTalkHttp.GetStrings(answer.RootElement, "filteredStaffIdList");
                if (DingTalkHttp.GetString(answer.RootElement, "processQueryKey") is { } key)
                {
                    keys.Add(key);
                }

                if (badIds.Count + slowIds.Count + filteredIds.Count > 0)
                {
                    // A flow-controlled member is retried on each reminder run and each reply: a line each time would be
                    // a line per message while DingTalk holds them back.
                    if (failures.ShouldLog(logger, DingTalkHttp.Api("/" + BatchSendPath), "DingTalk batchSend left users out (invalid, flow-controlled or filtered)"))
                    {
                        DingTalkApiLog.BatchPartlyRefused(logger, badIds.Count, slowIds.Count, filteredIds.Count, pending.Count);
                    }

                    invalid.AddRange(badIds);
                    throttled.AddRange(slowIds);
                    filtered.AddRange(filteredIds);
                    var leftOut = pending.Where(u => badIds.Contains(u, StringComparer.Ordinal) || slowIds.Contains(u, StringComparer.Ordinal) || filteredIds.Contains(u, StringComparer.Ordinal)).ToList();
                    if (i > 0)
                    {
                        // They have the first parts: the rest, not the whole text, is what they still need.
                        leftOut.ForEach(u => partsSent[u] = i);
                    }

                    pending.RemoveAll(leftOut.Contains);
                    settled.UnionWith(leftOut);
                }
                else
                {
                    failures.Answered(logger, DingTalkHttp.Api("/" + BatchSendPath));
                }

                DingTalkApiLog.Sent(logger, "/" + BatchSendPath, i + 1, parts.Count);
            }

            settled.UnionWith(pending);
        }

        return Result();
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
            using var answer = await PostPartAsync(GroupSendPath, body, i, cancellationToken);
            failures.Answered(logger, DingTalkHttp.Api("/" + GroupSendPath));
            DingTalkApiLog.Sent(logger, "/" + GroupSendPath, i + 1, parts.Count);
        }
    }

    /// <summary>
    /// Replies through a message's <paramref name="sessionWebhook"/> (no token: the URL is the credential), in parts.
    /// In a group the reply @-mentions <paramref name="atUserId"/> when given: DingTalk mentions a user of
    /// <c>at.atUserIds</c> only when the text also carries <c>@userId</c> (shown as @ and the name), so the first part
    /// begins with it and carries the <c>at</c>; later parts do not notify again. A failure after some parts went out says
    /// how many in <see cref="DingTalkApiException.PartsSent"/> (the rest: <see cref="Unsent"/>).
    /// </summary>
    public async Task SendBySessionWebhookAsync(Uri sessionWebhook, DingTalkContent content, string? atUserId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionWebhook);
        ArgumentNullException.ThrowIfNull(content);
        var mention = !string.IsNullOrEmpty(atUserId);
        var parts = Parts(content with { Text = MentionedText(content.Text, atUserId) });
        for (var i = 0; i < parts.Count; i++)
        {
            var body = WebhookBody(parts[i]);
            if (mention && i == 0)
            {
                body["at"] = new JsonObject { ["atUserIds"] = new JsonArray(atUserId) };
            }

            JsonDocument answer;
            try
            {
                answer = await DingTalkHttp.PostAsync(httpClient, sessionWebhook, body, SessionWebhookPath, null, logger, failures, cancellationToken);
            }
            catch (DingTalkApiException ex) when (i > 0)
            {
                throw ex.WithPartsSent(i);
            }

            using (answer)
            {
                var errCode = DingTalkHttp.GetString(answer.RootElement, "errcode");
                if (errCode is not null && errCode != "0")
                {
                    if (failures.ShouldLog(logger, DingTalkHttp.Api(SessionWebhookPath), $"DingTalk {SessionWebhookPath} answered errcode {errCode}"))
                    {
                        DingTalkApiLog.WebhookError(logger, SessionWebhookPath, errCode);
                    }

                    throw new DingTalkApiException($"DingTalk sessionWebhook answered errcode {errCode}.", SessionWebhookPath, 200, errCode) { PartsSent = i };
                }
            }

            failures.Answered(logger, DingTalkHttp.Api(SessionWebhookPath));
            DingTalkApiLog.Sent(logger, SessionWebhookPath, i + 1, parts.Count);
        }
    }

    /// <summary>The text as <see cref="SendBySessionWebhookAsync"/> sends it: after <c>@userId</c> when one is mentioned.</summary>
    public static string MentionedText(string text, string? atUserId) =>
        string.IsNullOrEmpty(atUserId) ? text : "@" + atUserId + " " + text;

    /// <summary>
    /// What of <paramref name="text"/> did not go out when a send of it (through the session webhook when
    /// <paramref name="atUserId"/> is given) stopped after <paramref name="partsSent"/> parts: the rest, in order. The
    /// mention is in the first part, so it is not in the rest.
    /// </summary>
    public static string Unsent(string text, string? atUserId, int partsSent)
    {
        ArgumentNullException.ThrowIfNull(text);
        return partsSent <= 0 ? text : string.Concat(WeComText.Split(MentionedText(text, atUserId), MaxContentBytes).Skip(partsSent));
    }

    /// <summary>
    /// Posts into a group through its custom group robot (自定义机器人, <c>oapi/robot/send</c>), signing each request with
    /// <paramref name="secret"/> (the robot's <c>SEC...</c> 加签 secret) when given. DingTalk allows 20 messages a minute per
    /// robot and blocks it for 10 minutes beyond that, so the 21st part within a minute is refused here, retryably, with code
    /// <c>LocalRateLimit</c> before DingTalk sees it. Errcodes (310000 signature, 130101 too fast, 300001 token) throw; a
    /// failure after some parts went out says how many in <see cref="DingTalkApiException.PartsSent"/> (the rest:
    /// <see cref="Unsent"/>).
    /// </summary>
    public async Task SendCustomRobotAsync(string accessToken, string? secret, DingTalkContent content, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        ArgumentNullException.ThrowIfNull(content);
        var parts = Parts(content);
        for (var i = 0; i < parts.Count; i++)
        {
            if (!customRobotLimiter.TryTake(accessToken, time.GetUtcNow()))
            {
                if (failures.ShouldLog(logger, DingTalkHttp.Api(CustomRobotPath), $"DingTalk {CustomRobotPath} answered errcode LocalRateLimit"))
                {
                    DingTalkApiLog.WebhookError(logger, CustomRobotPath, "LocalRateLimit");
                }

                throw new DingTalkApiException("The custom robot already sent 20 messages this minute.", CustomRobotPath, null, "LocalRateLimit") { PartsSent = i };
            }

            var uri = new Uri(options.Value.OapiBaseUrl, CustomRobotPath + "?access_token=" + Uri.EscapeDataString(accessToken) + SignQuery(secret));
            JsonDocument posted;
            try
            {
                posted = await DingTalkHttp.PostAsync(httpClient, uri, WebhookBody(parts[i]), CustomRobotPath, null, logger, failures, cancellationToken);
            }
            catch (DingTalkApiException ex) when (i > 0)
            {
                throw ex.WithPartsSent(i);
            }

            using var answer = posted;
            var errCode = DingTalkHttp.GetString(answer.RootElement, "errcode");
            if (errCode is not null && errCode != "0")
            {
                if (failures.ShouldLog(logger, DingTalkHttp.Api(CustomRobotPath), $"DingTalk {CustomRobotPath} answered errcode {errCode}"))
                {
                    DingTalkApiLog.WebhookError(logger, CustomRobotPath, errCode);
                }

                throw new DingTalkApiException($"DingTalk robot/send answered errcode {errCode}.", CustomRobotPath, 200, errCode) { PartsSent = i };
            }

            failures.Answered(logger, DingTalkHttp.Api(CustomRobotPath));
            DingTalkApiLog.Sent(logger, CustomRobotPath, i + 1, parts.Count);
        }
    }

    /// <summary><c>&amp;timestamp=..&amp;sign=..</c>, signed now (a signature goes stale after an hour), or nothing without a secret.</summary>
    private string SignQuery(string? secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return string.Empty;
        }

        var timestamp = time.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return "&timestamp=" + timestamp + "&sign=" + Uri.EscapeDataString(DingTalkSignature.Compute(timestamp, secret));
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

    /// <summary>Posts part <paramref name="part"/> of a text; a failure after earlier parts went out says how many did.</summary>
    private async Task<JsonDocument> PostPartAsync(string path, JsonObject body, int part, CancellationToken cancellationToken)
    {
        try
        {
            return await PostWithTokenAsync(path, body, cancellationToken);
        }
        catch (DingTalkApiException ex) when (part > 0)
        {
            throw ex.WithPartsSent(part);
        }
    }

    private async Task<JsonDocument> PostWithTokenAsync(string path, JsonObject body, CancellationToken cancellationToken)
    {
        var uri = new Uri(path, UriKind.Relative);
        var token = await tokenCache.GetTokenAsync(cancellationToken);
        try
        {
            return await DingTalkHttp.PostAsync(httpClient, uri, body, "/" + path, token, logger, failures, cancellationToken);
        }
        catch (DingTalkApiException ex) when (ex.HttpStatus == 401 || (ex.Code?.Contains("InvalidAuthentication", StringComparison.Ordinal) ?? false))
        {
            // Refreshed and retried: while DingTalk keeps refusing tokens, a line a minute, not one a message. The answer
            // itself is counted under the API already (DingTalkHttp), so this line has a name of its own.
            if (failures.ShouldLog(logger, DingTalkHttp.Api("access token"), $"DingTalk /{path} refused the access token (HTTP {ex.HttpStatus ?? 0})"))
            {
                DingTalkApiLog.TokenRefused(logger, "/" + path, ex.HttpStatus ?? 0);
            }

            tokenCache.Invalidate(token);
            token = await tokenCache.GetTokenAsync(cancellationToken);
            return await DingTalkHttp.PostAsync(httpClient, uri, body, "/" + path, token, logger, failures, cancellationToken);
        }
    }
}
