using System.Text.Json;
using Linping.CppccBot.Channels.WeCom;
using Linping.CppccBot.Conversations;

namespace Linping.CppccBot.Hosting;

/// <summary>
/// Counts every call of the WeCom or DingTalk API clients in <see cref="BotMetrics"/>: the API by its known path (never the
/// query, which carries tokens and keys), and the failure class read from the HTTP status or the answer's <c>errcode</c>.
/// </summary>
public sealed class ApiCallMetricsHandler(BotMetrics metrics, string channel) : DelegatingHandler
{
    private static readonly string[] WeComApis = ["/cgi-bin/gettoken", "/cgi-bin/message/send", "/cgi-bin/webhook/send"];

    private static readonly string[] DingTalkApis =
    [
        "/v1.0/oauth2/accessToken", "/v1.0/robot/oToMessages/batchSend", "/v1.0/robot/groupMessages/send",
        "/v1.0/gateway/connections/open", "/robot/sendBySession", "/robot/send",
    ];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var api = ApiName(channel, request.RequestUri);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException)
        {
            metrics.ApiCall(channel, api, "network");
            throw;
        }
        catch (OperationCanceledException)
        {
            metrics.ApiCall(channel, api, cancellationToken.IsCancellationRequested ? "cancelled" : "timeout");
            throw;
        }

        metrics.ApiCall(channel, api, await ClassifyAsync(response, cancellationToken));
        return response;
    }

    /// <summary>The API's path as a bounded label: a known API, else <c>other</c>.</summary>
    public static string ApiName(string channel, Uri? uri)
    {
        var path = uri is null ? string.Empty : uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString.Split('?')[0];
        var known = channel == ChannelNames.WeCom ? WeComApis : DingTalkApis;
        return known.FirstOrDefault(k => path.EndsWith(k, StringComparison.Ordinal) || ("/" + path).EndsWith(k, StringComparison.Ordinal)) ?? "other";
    }

    private async Task<string?> ClassifyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (status == 429)
        {
            return "throttled";
        }

        if (status >= 500)
        {
            return "server_error";
        }

        if (status >= 400)
        {
            // DingTalk throttles with 403 Forbidden.AccessDenied.QpsLimitForApi.
            return channel == ChannelNames.DingTalk && await ContainsAsync(response, "QpsLimit", cancellationToken) ? "throttled"
                : status is 401 or 403 ? "unauthorized"
                : "rejected";
        }

        if (status >= 300)
        {
            return "unexpected_status";
        }

        // Both platforms may answer 200 with an errcode; the body is buffered so the client can still read it.
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        string? errCode;
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (text.Length == 0)
            {
                return null;
            }

            using var document = JsonDocument.Parse(text);
            errCode = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("errcode", out var value)
                ? value.ValueKind switch
                {
                    JsonValueKind.Number => value.GetRawText(),
                    JsonValueKind.String => value.GetString(),
                    _ => null,
                }
                : null;
        }
        catch (JsonException)
        {
            return "invalid_response";
        }

        if (errCode is null or "0")
        {
            return null;
        }

        if (channel == ChannelNames.WeCom)
        {
            return int.TryParse(errCode, System.Globalization.CultureInfo.InvariantCulture, out var code)
                ? SnakeCase(WeComErrorCodes.Classify(code).ToString())
                : "invalid_response";
        }

        return errCode == "130101" ? "throttled" : "errcode";
    }

    private static async Task<bool> ContainsAsync(HttpResponseMessage response, string value, CancellationToken cancellationToken)
    {
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        return (await response.Content.ReadAsStringAsync(cancellationToken)).Contains(value, StringComparison.Ordinal);
    }

    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : string.Empty) + char.ToLowerInvariant(c) : c.ToString()));
}
