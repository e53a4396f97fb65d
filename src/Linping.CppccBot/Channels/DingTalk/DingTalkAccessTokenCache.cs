using System.Text.Json.Nodes;
using Linping.CppccBot.Hosting;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Channels.DingTalk;

/// <summary>
/// The DingTalk app's access token of <c>POST /v1.0/oauth2/accessToken</c>, cached and refreshed as
/// <see cref="AccessTokenCache"/> says.
/// </summary>
public sealed class DingTalkAccessTokenCache(
    IHttpClientFactory httpClientFactory,
    IOptions<DingTalkOptions> options,
    TimeProvider timeProvider,
    RepeatedFailures failures,
    ILogger<DingTalkAccessTokenCache> logger) : AccessTokenCache(timeProvider)
{
    internal const string AccessTokenPath = "v1.0/oauth2/accessToken";

    protected override bool IsTransient(Exception exception) => exception is DingTalkApiException { IsRetryable: true };

    protected override async Task<(string Token, TimeSpan Lifetime)> FetchAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.IsEnabled)
        {
            throw new InvalidOperationException("DingTalk:ClientId and DingTalk:ClientSecret are needed to call the DingTalk API.");
        }

        using var httpClient = httpClientFactory.CreateClient(DingTalkApiClient.HttpClientName);
        var body = new JsonObject { ["appKey"] = settings.ClientId, ["appSecret"] = settings.ClientSecret };
        using var answer = await DingTalkHttp.PostAsync(httpClient, new Uri(AccessTokenPath, UriKind.Relative), body, "/" + AccessTokenPath, null, logger, failures, cancellationToken);
        var token = DingTalkHttp.GetString(answer.RootElement, "accessToken");
        if (string.IsNullOrEmpty(token))
        {
            throw new DingTalkApiException("DingTalk answered without an access token.", "/" + AccessTokenPath, 200, "InvalidResponse");
        }

        var seconds = long.TryParse(DingTalkHttp.GetString(answer.RootElement, "expireIn"), System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 7200;
        var lifetime = TimeSpan.FromSeconds(seconds);
        failures.Answered(logger, DingTalkHttp.Api("/" + AccessTokenPath));
        DingTalkApiLog.TokenFetched(logger, (int)lifetime.TotalSeconds);
        return (token, lifetime);
    }
}
