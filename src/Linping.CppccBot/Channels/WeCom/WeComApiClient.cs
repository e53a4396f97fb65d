using System.Net.Http.Json;
using System.Text.Json;
using Linping.CppccBot.Hosting;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Channels.WeCom;

/// <summary>
/// WeCom active messaging: app messages (<c>message/send</c>) and group-robot webhooks (<c>webhook/send</c>).
/// <para>
/// Errors: errcodes of the send calls come back in <see cref="WeComSendResult"/> (per call, with
/// <see cref="WeComSendResult.ErrorKind"/> telling system busy, rate limit and the rest apart). A refused token (40014/42001)
/// is refreshed and the call retried once. Failures without an errcode (network, timeout, HTTP status, bad JSON) and a
/// failed <c>gettoken</c> throw <see cref="WeComApiException"/> carrying what was already sent in
/// <see cref="WeComApiException.PartialResult"/>. Cancellation by the caller throws <see cref="OperationCanceledException"/>.
/// </para>
/// </summary>
public sealed class WeComApiClient(
    HttpClient httpClient,
    WeComAccessTokenCache tokenCache,
    IOptions<WeComOptions> options,
    RepeatedFailures failures,
    ILogger<WeComApiClient> logger)
{
    /// <summary>The name of the <see cref="HttpClient"/> configuration shared with <see cref="WeComAccessTokenCache"/>.</summary>
    public const string HttpClientName = "WeComApi";

    /// <summary>WeCom's limit on <c>touser</c>.</summary>
    public const int MaxUsersPerCall = 1000;

    internal const string MessageSendPath = "/cgi-bin/message/send";
    internal const string WebhookSendPath = "/cgi-bin/webhook/send";
    internal const string UpdateCardPath = "/cgi-bin/message/update_template_card";

    /// <summary>WeCom's limit on a template card's <c>task_id</c>, in bytes.</summary>
    public const int MaxTaskIdBytes = 128;

    /// <summary>
    /// A fresh task id: WeCom refuses a task id used before by the app, so every send gets one. Digits, letters and
    /// <c>_-@</c> only; <paramref name="prefix"/> (e.g. a meeting id) is kept readable where its characters allow.
    /// </summary>
    public static string NewTaskId(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return TaskId(prefix, Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)));
    }

    /// <summary><paramref name="prefix"/> where its characters allow, then <paramref name="unique"/>.</summary>
    private static string TaskId(string prefix, string unique)
    {
        var clean = new string([.. prefix.Where(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '@').Take(60)]);
        return clean.Length == 0 ? unique : $"{clean}-{unique}";
    }

    /// <summary>True when <paramref name="taskId"/> follows WeCom's rules (charset and length).</summary>
    public static bool IsValidTaskId(string? taskId) =>
        !string.IsNullOrEmpty(taskId) && taskId.Length <= MaxTaskIdBytes && taskId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '@');

    /// <summary>The longest <c>duplicate_check_interval</c> WeCom takes ("最大不超过4小时").</summary>
    public static readonly TimeSpan MaxDuplicateCheckInterval = TimeSpan.FromHours(4);

    /// <summary>
    /// Sends <paramref name="card"/> to <paramref name="userIds"/> as an app template card, one call per 1000 users, each
    /// call with a fresh task id starting with <paramref name="taskIdPrefix"/>. Errcodes come back as for text.
    /// </summary>
    public Task<WeComSendResult> SendTemplateCardAsync(IReadOnlyCollection<string> userIds, WeComTemplateCard card, string taskIdPrefix, CancellationToken cancellationToken = default) =>
        SendTemplateCardAsync(userIds, card, taskIdPrefix, null, cancellationToken);

    /// <summary>
    /// As <see cref="SendTemplateCardAsync(IReadOnlyCollection{string}, WeComTemplateCard, string, CancellationToken)"/>,
    /// with WeCom's duplicate check (<c>enable_duplicate_check</c>) over <paramref name="duplicateCheckInterval"/> when
    /// given: the task id is then derived from the call's recipients and card, so the same card sent again to the same
    /// users within the interval (a retry of a call whose answer was lost) is the same request, which WeCom does not deliver twice.
    /// </summary>
    public async Task<WeComSendResult> SendTemplateCardAsync(
        IReadOnlyCollection<string> userIds, WeComTemplateCard card, string taskIdPrefix, TimeSpan? duplicateCheckInterval, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        ArgumentNullException.ThrowIfNull(card);
        var duplicateCheck = DuplicateCheckSeconds(duplicateCheckInterval);
        var agentId = options.Value.AgentId
            ?? throw new InvalidOperationException("WeCom:AgentId is needed to send app messages.");
        var users = userIds.Where(u => !string.IsNullOrWhiteSpace(u)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (users.Count == 0)
        {
            throw new ArgumentException("At least one user id is needed.", nameof(userIds));
        }

        var batches = users.Chunk(MaxUsersPerCall).ToList();
        var calls = new List<WeComSendCall>(batches.Count);
        foreach (var batch in batches)
        {
            WeComMessageRequest Body(string? taskId) => new()
            {
                ToUser = string.Join('|', batch),
                MsgType = "template_card",
                AgentId = agentId,
                TemplateCard = new WeComTemplateCard
                {
                    CardType = card.CardType,
                    Source = card.Source,
                    MainTitle = card.MainTitle,
                    SubTitleText = card.SubTitleText,
                    HorizontalContentList = card.HorizontalContentList,
                    ButtonList = card.ButtonList,
                    TaskId = taskId,
                },
                EnableDuplicateCheck = duplicateCheck is null ? null : 1,
                DuplicateCheckInterval = duplicateCheck,
            };

            var body = Body(duplicateCheck is null ? NewTaskId(taskIdPrefix) : DerivedTaskId(taskIdPrefix, Body(null)));

            WeComSendResponse response;
            try
            {
                response = await PostMessageAsync(body, cancellationToken);
            }
            catch (WeComApiException ex)
            {
                throw ex.WithPartialResult(new WeComSendResult(calls, batches.Count), 0, batch);
            }

            var invalid = SplitUserList(response.InvalidUser);
            calls.Add(new WeComSendCall(batch, 0, 1, response.ErrCode, response.ErrMsg ?? string.Empty, invalid, response.MsgId));
            if (response.ErrCode == WeComErrorCodes.Ok)
            {
                failures.Answered(logger, WeComHttp.Api(MessageSendPath));
                WeComApiLog.Sent(logger, MessageSendPath, 1, 1, batch.Length, invalid.Count);
                continue;
            }

            ApiError(MessageSendPath, response.ErrCode);
            if (response.ErrCode != WeComErrorCodes.AllRecipientsInvalid)
            {
                return new WeComSendResult(calls, batches.Count);
            }
        }

        return new WeComSendResult(calls, batches.Count);
    }

    /// <summary>
    /// Replaces the clicked card's buttons for <paramref name="userIds"/> with a greyed-out <paramref name="replaceName"/>
    /// (<c>message/update_template_card</c>); <paramref name="responseCode"/> works once, within 72 hours.
    /// </summary>
    /// <returns>WeCom's errcode (0 when done).</returns>
    public async Task<int> UpdateTemplateCardButtonAsync(IReadOnlyList<string> userIds, string responseCode, string replaceName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        ArgumentException.ThrowIfNullOrEmpty(responseCode);
        ArgumentException.ThrowIfNullOrEmpty(replaceName);
        var agentId = options.Value.AgentId
            ?? throw new InvalidOperationException("WeCom:AgentId is needed to update cards.");
        var body = new WeComUpdateCardRequest { UserIds = userIds, AgentId = agentId, ResponseCode = responseCode, Button = new WeComReplaceButton(replaceName) };
        var token = await tokenCache.GetTokenAsync(cancellationToken);
        var response = await PostUpdateAsync(body, token, cancellationToken);
        if (WeComErrorCodes.IsTokenRefused(response.ErrCode))
        {
            TokenRefused(UpdateCardPath, response.ErrCode);
            tokenCache.Invalidate(token);
            token = await tokenCache.GetTokenAsync(cancellationToken);
            response = await PostUpdateAsync(body, token, cancellationToken);
        }

        if (response.ErrCode != WeComErrorCodes.Ok)
        {
            ApiError(UpdateCardPath, response.ErrCode);
        }
        else
        {
            failures.Answered(logger, WeComHttp.Api(UpdateCardPath));
        }

        return response.ErrCode;
    }

    private async Task<WeComUpdateCardResponse> PostUpdateAsync(WeComUpdateCardRequest body, string token, CancellationToken cancellationToken)
    {
        var uri = new Uri("cgi-bin/message/update_template_card?access_token=" + Uri.EscapeDataString(token), UriKind.Relative);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = JsonContent.Create(body, WeComApiJsonContext.Default.WeComUpdateCardRequest),
        };
        return await WeComHttp.SendAsync(httpClient, request, WeComApiJsonContext.Default.WeComUpdateCardResponse, UpdateCardPath, logger, failures, cancellationToken);
    }

    /// <summary>Sends <paramref name="text"/> to <paramref name="userIds"/> as app text messages, splitting as needed.</summary>
    public Task<WeComSendResult> SendTextAsync(IReadOnlyCollection<string> userIds, string text, CancellationToken cancellationToken = default) =>
        SendAppMessageAsync(userIds, "text", text, null, cancellationToken);

    /// <summary>
    /// As <see cref="SendTextAsync(IReadOnlyCollection{string}, string, CancellationToken)"/>, with WeCom's duplicate check
    /// over <paramref name="duplicateCheckInterval"/>: each call sent again within it (the same part to the same users, a
    /// retry of a call whose answer was lost) is not delivered again. Not for answers in a chat, where the same answer to
    /// the same question asked twice is to arrive twice.
    /// </summary>
    public Task<WeComSendResult> SendTextAsync(IReadOnlyCollection<string> userIds, string text, TimeSpan duplicateCheckInterval, CancellationToken cancellationToken = default) =>
        SendAppMessageAsync(userIds, "text", text, DuplicateCheckSeconds(duplicateCheckInterval), cancellationToken);

    /// <summary>Sends WeCom markdown to <paramref name="userIds"/>; same limits as text. The WeChat plugin cannot show it.</summary>
    public Task<WeComSendResult> SendMarkdownAsync(IReadOnlyCollection<string> userIds, string markdown, CancellationToken cancellationToken = default) =>
        SendAppMessageAsync(userIds, "markdown", markdown, null, cancellationToken);

    /// <summary>Posts <paramref name="text"/> through the group robot with <paramref name="webhookKey"/> (20 messages a minute per robot).</summary>
    public async Task<WeComSendResult> SendWebhookTextAsync(string webhookKey, string text, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(webhookKey);
        var parts = SplitOrThrow(text);
        var uri = new Uri("cgi-bin/webhook/send?key=" + Uri.EscapeDataString(webhookKey), UriKind.Relative);
        var calls = new List<WeComSendCall>(parts.Count);
        for (var i = 0; i < parts.Count; i++)
        {
            var body = new WeComWebhookRequest { MsgType = "text", Text = new WeComContent(parts[i]) };
            WeComSendResponse response;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, uri)
                {
                    Content = JsonContent.Create(body, WeComApiJsonContext.Default.WeComWebhookRequest),
                };
                response = await WeComHttp.SendAsync(httpClient, request, WeComApiJsonContext.Default.WeComSendResponse, WebhookSendPath, logger, failures, cancellationToken);
            }
            catch (WeComApiException ex)
            {
                throw ex.WithPartialResult(new WeComSendResult(calls, parts.Count), i);
            }

            calls.Add(new WeComSendCall([], i, parts.Count, response.ErrCode, response.ErrMsg ?? string.Empty, [], null));
            if (response.ErrCode != WeComErrorCodes.Ok)
            {
                ApiError(WebhookSendPath, response.ErrCode);
                break;
            }

            failures.Answered(logger, WeComHttp.Api(WebhookSendPath));
            WeComApiLog.Sent(logger, WebhookSendPath, i + 1, parts.Count, 0, 0);
        }

        return new WeComSendResult(calls, parts.Count);
    }

    /// <summary>
    /// What of <paramref name="text"/> did not go out when a send of it (text, markdown or a group robot's) stopped after
    /// <paramref name="partsSent"/> parts (<see cref="WeComSendResult.PartsSent"/>, <see cref="WeComApiException.PartsSent"/>):
    /// the rest, in order, which splits into the parts that were still to come.
    /// </summary>
    public static string Unsent(string text, int partsSent)
    {
        ArgumentNullException.ThrowIfNull(text);
        return partsSent <= 0 ? text : string.Concat(WeComText.Split(text).Skip(partsSent));
    }

    private async Task<WeComSendResult> SendAppMessageAsync(IReadOnlyCollection<string> userIds, string msgType, string content, int? duplicateCheck, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        var agentId = options.Value.AgentId
            ?? throw new InvalidOperationException("WeCom:AgentId is needed to send app messages.");
        var users = userIds.Where(u => !string.IsNullOrWhiteSpace(u)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (users.Count == 0)
        {
            throw new ArgumentException("At least one user id is needed.", nameof(userIds));
        }

        var parts = SplitOrThrow(content);
        var batches = users.Chunk(MaxUsersPerCall).ToList();
        var planned = batches.Count * parts.Count;
        var calls = new List<WeComSendCall>(planned);
        foreach (var batch in batches)
        {
            var toUser = string.Join('|', batch);
            for (var i = 0; i < parts.Count; i++)
            {
                var body = new WeComMessageRequest
                {
                    ToUser = toUser,
                    MsgType = msgType,
                    AgentId = agentId,
                    Text = msgType == "text" ? new WeComContent(parts[i]) : null,
                    Markdown = msgType == "markdown" ? new WeComContent(parts[i]) : null,
                    EnableDuplicateCheck = duplicateCheck is null ? null : 1,
                    DuplicateCheckInterval = duplicateCheck,
                };

                WeComSendResponse response;
                try
                {
                    response = await PostMessageAsync(body, cancellationToken);
                }
                catch (WeComApiException ex)
                {
                    throw ex.WithPartialResult(new WeComSendResult(calls, planned), i, batch);
                }

                var invalid = SplitUserList(response.InvalidUser);
                calls.Add(new WeComSendCall(batch, i, parts.Count, response.ErrCode, response.ErrMsg ?? string.Empty, invalid, response.MsgId));
                if (response.ErrCode == WeComErrorCodes.Ok)
                {
                    failures.Answered(logger, WeComHttp.Api(MessageSendPath));
                    WeComApiLog.Sent(logger, MessageSendPath, i + 1, parts.Count, batch.Length, invalid.Count);
                    continue;
                }

                ApiError(MessageSendPath, response.ErrCode);
                if (response.ErrCode == WeComErrorCodes.AllRecipientsInvalid)
                {
                    // The other parts would be refused the same way; the other batches may still be reached.
                    break;
                }

                // Anything else (busy, rate limit, bad request) would hit the next call too, and sending later parts
                // would deliver them out of order: stop and let the caller decide.
                return new WeComSendResult(calls, planned);
            }
        }

        return new WeComSendResult(calls, planned);
    }

    /// <summary>The interval in whole seconds (1 s to 4 hours), or null for no duplicate check.</summary>
    private static int? DuplicateCheckSeconds(TimeSpan? interval)
    {
        if (interval is not { } given)
        {
            return null;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(given, TimeSpan.FromSeconds(1), nameof(interval));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(given, MaxDuplicateCheckInterval, nameof(interval));
        return (int)given.TotalSeconds;
    }

    /// <summary>A task id from <paramref name="prefix"/> and a hash of <paramref name="body"/> (sent without a task id).</summary>
    private static string DerivedTaskId(string prefix, WeComMessageRequest body)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(body, WeComApiJsonContext.Default.WeComMessageRequest));
        return TaskId(prefix, Convert.ToHexStringLower(hash.AsSpan(0, 12)));
    }

    private async Task<WeComSendResponse> PostMessageAsync(WeComMessageRequest body, CancellationToken cancellationToken)
    {
        var token = await tokenCache.GetTokenAsync(cancellationToken);
        var response = await PostMessageWithTokenAsync(body, token, cancellationToken);
        if (WeComErrorCodes.IsTokenRefused(response.ErrCode))
        {
            // WeCom can revoke tokens early; only the first caller holding this token causes a refresh.
            TokenRefused(MessageSendPath, response.ErrCode);
            tokenCache.Invalidate(token);
            token = await tokenCache.GetTokenAsync(cancellationToken);
            response = await PostMessageWithTokenAsync(body, token, cancellationToken);
        }

        return response;
    }

    private async Task<WeComSendResponse> PostMessageWithTokenAsync(WeComMessageRequest body, string token, CancellationToken cancellationToken)
    {
        // The token must travel in the query string (41001 otherwise); the client's loggers are removed so it is never logged.
        var uri = new Uri("cgi-bin/message/send?access_token=" + Uri.EscapeDataString(token), UriKind.Relative);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = JsonContent.Create(body, WeComApiJsonContext.Default.WeComMessageRequest),
        };
        return await WeComHttp.SendAsync(httpClient, request, WeComApiJsonContext.Default.WeComSendResponse, MessageSendPath, logger, failures, cancellationToken);
    }

    private static IReadOnlyList<string> SplitOrThrow(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = WeComText.Split(text);
        return parts.Count > 0 ? parts : throw new ArgumentException("The message text is empty; WeCom refuses empty content (44004).", nameof(text));
    }

    private static List<string> SplitUserList(string? list) =>
        string.IsNullOrEmpty(list)
            ? []
            : [.. list.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u => u.ToLowerInvariant())];

    /// <summary>Logs a refused token (refreshed and the call retried); again only once a minute while WeCom keeps refusing them.</summary>
    private void TokenRefused(string apiPath, int errCode)
    {
        if (failures.ShouldLog(logger, WeComHttp.Api(apiPath), $"WeCom {apiPath} refused the access token with errcode {errCode}"))
        {
            WeComApiLog.TokenRefused(logger, apiPath, errCode);
        }
    }

    /// <summary>Logs an errcode answer; the same one again only once a minute while it goes on.</summary>
    private void ApiError(string apiPath, int errCode)
    {
        if (failures.ShouldLog(logger, WeComHttp.Api(apiPath), $"WeCom {apiPath} answered errcode {errCode}"))
        {
            WeComApiLog.ApiError(logger, apiPath, errCode, WeComErrorCodes.Classify(errCode));
        }
    }
}
