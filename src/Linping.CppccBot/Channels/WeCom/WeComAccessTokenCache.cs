using Linping.CppccBot.Hosting;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Channels.WeCom;

/// <summary>The WeCom app's access token of <c>gettoken</c>, cached and refreshed as <see cref="AccessTokenCache"/> says.</summary>
public sealed class WeComAccessTokenCache(
    IHttpClientFactory httpClientFactory,
    IOptions<WeComOptions> options,
    TimeProvider timeProvider,
    RepeatedFailures failures,
    ILogger<WeComAccessTokenCache> logger) : AccessTokenCache(timeProvider)
{
    internal const string GetTokenPath = "/cgi-bin/gettoken";

    protected override bool IsTransient(Exception exception) => exception is WeComApiException { IsTransient: true };

    protected override void OnRefreshFailedKeepingCurrent(Exception exception)
    {
        // Every send tries the refresh again until one works: a line each time would be a line per message.
        var error = (WeComApiException)exception;
        if (failures.ShouldLog(logger, WeComHttp.Api(GetTokenPath), $"WeCom access token refresh failed ({error.Kind}, errcode {error.ErrCode}); the current token stays in use"))
        {
            WeComApiLog.TokenRefreshFailedKeepingCurrent(logger, error.Kind, error.ErrCode);
        }
    }

    protected override async Task<(string Token, TimeSpan Lifetime)> FetchAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.CorpId) || string.IsNullOrEmpty(settings.Secret))
        {
            throw new InvalidOperationException("WeCom:CorpId and WeCom:Secret are needed to call the WeCom API.");
        }

        var uri = new Uri(
            $"cgi-bin/gettoken?corpid={Uri.EscapeDataString(settings.CorpId)}&corpsecret={Uri.EscapeDataString(settings.Secret)}",
            UriKind.Relative);
        using var httpClient = httpClientFactory.CreateClient(WeComApiClient.HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        var response = await WeComHttp.SendAsync(httpClient, request, WeComApiJsonContext.Default.WeComTokenResponse, GetTokenPath, logger, failures, cancellationToken);
        if (response.ErrCode != WeComErrorCodes.Ok)
        {
            // Without a token every send asks again: one line at once, then one a minute with the count.
            var kind = WeComErrorCodes.Classify(response.ErrCode);
            if (failures.ShouldLog(logger, WeComHttp.Api(GetTokenPath), $"WeCom {GetTokenPath} answered errcode {response.ErrCode}"))
            {
                WeComApiLog.ApiError(logger, GetTokenPath, response.ErrCode, kind);
            }

            throw new WeComApiException($"WeCom {GetTokenPath} answered errcode {response.ErrCode}.", kind, response.ErrCode, GetTokenPath);
        }

        if (string.IsNullOrEmpty(response.AccessToken))
        {
            throw new WeComApiException($"WeCom {GetTokenPath} answered without a token.", WeComErrorKind.InvalidResponse, response.ErrCode, GetTokenPath);
        }

        // Normally 7200 s.
        var lifetime = TimeSpan.FromSeconds(response.ExpiresIn > 0 ? response.ExpiresIn : 7200);
        failures.Answered(logger, WeComHttp.Api(GetTokenPath));
        WeComApiLog.TokenFetched(logger, GetTokenPath, (int)lifetime.TotalSeconds);
        return (response.AccessToken, lifetime);
    }
}
