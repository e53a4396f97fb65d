using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Linping.CppccBot.Hosting;

namespace Linping.CppccBot.Channels.DingTalk;

/// <summary>One DingTalk JSON exchange, turning every way it can fail into a <see cref="DingTalkApiException"/>.</summary>
internal static class DingTalkHttp
{
    public const string AccessTokenHeader = "x-acs-dingtalk-access-token";

    /// <summary>Posts <paramref name="body"/> and returns the parsed answer; a non-2xx answer throws with DingTalk's <c>code</c>.</summary>
    public static async Task<JsonDocument> PostAsync(
        HttpClient httpClient,
        Uri uri,
        JsonObject body,
        string apiPath,
        string? accessToken,
        ILogger logger,
        RepeatedFailures failures,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (accessToken is not null)
        {
            request.Headers.TryAddWithoutValidation(AccessTokenHeader, accessToken);
        }

        try
        {
            using var response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                var code = ErrorCode(text) ?? "-";
                if (failures.ShouldLog(logger, Api(apiPath), $"DingTalk {apiPath} answered HTTP {status}, code {code}"))
                {
                    DingTalkApiLog.ApiError(logger, apiPath, status, code);
                }

                throw new DingTalkApiException($"DingTalk {apiPath} answered HTTP {status.ToString(CultureInfo.InvariantCulture)} ({code}).", apiPath, status, code);
            }

            return JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        }
        catch (HttpRequestException ex)
        {
            TransportFailure(logger, failures, apiPath, ex.HttpRequestError.ToString());
            throw new DingTalkApiException($"DingTalk {apiPath} could not be reached ({ex.HttpRequestError}).", apiPath, null, null, ex);
        }
        catch (IOException ex)
        {
            TransportFailure(logger, failures, apiPath, "connection closed while reading the answer");
            throw new DingTalkApiException($"DingTalk {apiPath} closed the connection.", apiPath, null, null, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            TransportFailure(logger, failures, apiPath, "timeout");
            throw new DingTalkApiException($"DingTalk {apiPath} did not answer in time.", apiPath, null, null, ex);
        }
        catch (JsonException ex)
        {
            TransportFailure(logger, failures, apiPath, "the answer is not JSON");
            throw new DingTalkApiException($"DingTalk {apiPath} answered something that is not JSON.", apiPath, 200, "InvalidResponse", ex);
        }
    }

    private static void TransportFailure(ILogger logger, RepeatedFailures failures, string apiPath, string failure)
    {
        if (failures.ShouldLog(logger, Api(apiPath), $"DingTalk {apiPath} call failed without an answer: {failure}"))
        {
            DingTalkApiLog.TransportFailure(logger, apiPath, failure);
        }
    }

    /// <summary>How <see cref="RepeatedFailures"/> names the API of <paramref name="apiPath"/>.</summary>
    public static string Api(string apiPath) => "DingTalk " + apiPath;

    public static string? GetString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    public static IReadOnlyList<string> GetStrings(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList()
            : [];

    private static string? ErrorCode(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return GetString(document.RootElement, "code");
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
