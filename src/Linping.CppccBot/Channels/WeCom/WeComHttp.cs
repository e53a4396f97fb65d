using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

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
                WeComApiLog.TransportFailure(logger, apiPath, "HTTP " + status.ToString(System.Globalization.CultureInfo.InvariantCulture));
                throw new WeComApiException($"WeCom {apiPath} answered HTTP {status}.", WeComErrorKind.Network, null, apiPath);
            }

            return await response.Content.ReadFromJsonAsync(responseType, cancellationToken)
                ?? throw new JsonException("The body is JSON null.");
        }
        catch (HttpRequestException ex)
        {
            // The exception type is enough: messages of some handlers could include the request line.
            WeComApiLog.TransportFailure(logger, apiPath, ex.HttpRequestError.ToString());
            throw new WeComApiException($"WeCom {apiPath} could not be reached ({ex.HttpRequestError}).", WeComErrorKind.Network, null, apiPath, ex);
        }
        catch (IOException ex)
        {
            WeComApiLog.TransportFailure(logger, apiPath, "connection closed while reading the answer");
            throw new WeComApiException($"WeCom {apiPath} closed the connection.", WeComErrorKind.Network, null, apiPath, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Not the caller's cancellation: HttpClient.Timeout elapsed.
            WeComApiLog.TransportFailure(logger, apiPath, "timeout");
            throw new WeComApiException($"WeCom {apiPath} did not answer in time.", WeComErrorKind.Network, null, apiPath, ex);
        }
        catch (JsonException ex)
        {
            WeComApiLog.TransportFailure(logger, apiPath, "the answer is not WeCom JSON");
            throw new WeComApiException($"WeCom {apiPath} answered something that is not WeCom JSON.", WeComErrorKind.InvalidResponse, null, apiPath, ex);
        }
    }
}
