using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Linping.CppccBot.Hosting;

namespace Linping.CppccBot.Channels.WeCom;

/// <summary>One WeCom HTTP exchange, turning every way it can fail without an errcode into a <see cref="WeComApiException"/>.</summary>
internal static class WeComHttp
{
    public static async Task<TResponse> SendAsync<TResponse>(
        HttpClient httpClient,
        HttpRequestMessage request,
        JsonTypeInfo<TResponse> responseType,
        string apiPath,
        ILogger logger,
        RepeatedFailures? failures,
        CancellationToken cancellationToken)
        where TResponse : class
    {
        try
        {
            using var response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                // WeCom answers errors with HTTP 200 and an errcode; another status comes from a proxy or an outage.
                var status = (int)response.StatusCode;
                TransportFailure(logger, failures, apiPath, "HTTP " + status.ToString(System.Globalization.CultureInfo.InvariantCulture));
                throw new WeComApiException($"WeCom {apiPath} answered HTTP {status}.", WeComErrorKind.Network, null, apiPath);
            }

            return await response.Content.ReadFromJsonAsync(responseType, cancellationToken)
                ?? throw new JsonException("The body is JSON null.");
        }
        catch (HttpRequestException ex)
        {
            // The exception type is enough: messages of some handlers could include the request line.
            TransportFailure(logger, failures, apiPath, ex.HttpRequestError.ToString());
            throw new WeComApiException($"WeCom {apiPath} could not be reached ({ex.HttpRequestError}).", WeComErrorKind.Network, null, apiPath, ex);
        }
        catch (IOException ex)
        {
            TransportFailure(logger, failures, apiPath, "connection closed while reading the answer");
            throw new WeComApiException($"WeCom {apiPath} closed the connection.", WeComErrorKind.Network, null, apiPath, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Not the caller's cancellation: HttpClient.Timeout elapsed.
            TransportFailure(logger, failures, apiPath, "timeout");
            throw new WeComApiException($"WeCom {apiPath} did not answer in time.", WeComErrorKind.Network, null, apiPath, ex);
        }
        catch (JsonException ex)
        {
            TransportFailure(logger, failures, apiPath, "the answer is not WeCom JSON");
            throw new WeComApiException($"WeCom {apiPath} answered something that is not WeCom JSON.", WeComErrorKind.InvalidResponse, null, apiPath, ex);
        }
    }

    /// <summary>How <see cref="RepeatedFailures"/> names the API of <paramref name="apiPath"/>.</summary>
    public static string Api(string apiPath) => "WeCom " + apiPath;

    /// <summary>Logs a failure without an answer; the same one again only once a minute while it goes on (a one-off command has no limit).</summary>
    private static void TransportFailure(ILogger logger, RepeatedFailures? failures, string apiPath, string failure)
    {
        if (failures?.ShouldLog(logger, Api(apiPath), $"WeCom {apiPath} call failed without an answer: {failure}") ?? true)
        {
            WeComApiLog.TransportFailure(logger, apiPath, failure);
        }
    }
}
