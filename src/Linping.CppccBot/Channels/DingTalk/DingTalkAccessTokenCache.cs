using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Channels.DingTalk;

/// <summary>
/// The app access token of <c>POST /v1.0/oauth2/accessToken</c>, shared by every sender: fetched once, refreshed 5 minutes
/// (at most half its lifetime) before it expires, one fetch at a time, and dropped when DingTalk refuses it.
/// </summary>
public sealed class DingTalkAccessTokenCache(
    IHttpClientFactory httpClientFactory,
    IOptions<DingTalkOptions> options,
    TimeProvider timeProvider,
    ILogger<DingTalkAccessTokenCache> logger) : IDisposable
{
    internal const string AccessTokenPath = "v1.0/oauth2/accessToken";
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private CachedToken? _current;

    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken = default)
    {
        var cached = Volatile.Read(ref _current);
        if (cached is not null && timeProvider.GetUtcNow() < cached.RefreshAt)
        {
            return cached.Token;
        }

        await _refreshGate.WaitAsync(cancellationToken);
        try
        {
            cached = Volatile.Read(ref _current);
            var now = timeProvider.GetUtcNow();
            if (cached is not null && now < cached.RefreshAt)
            {
                return cached.Token;
            }

            try
            {
                var fresh = await FetchAsync(cancellationToken);
                Volatile.Write(ref _current, fresh);
                return fresh.Token;
            }
            catch (DingTalkApiException ex) when (ex.IsRetryable && cached is not null && now < cached.ExpiresAt)
            {
                // Refreshing early is a courtesy; the current token still works until it expires.
                return cached.Token;
            }
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    /// <summary>Forgets <paramref name="refusedToken"/> if it is still the cached one.</summary>
    public bool Invalidate(string refusedToken)
    {
        var cached = Volatile.Read(ref _current);
        return cached is not null
            && string.Equals(cached.Token, refusedToken, StringComparison.Ordinal)
            && ReferenceEquals(Interlocked.CompareExchange(ref _current, null, cached), cached);
    }

    public void Dispose() => _refreshGate.Dispose();

    private async Task<CachedToken> FetchAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.IsEnabled)
        {
            throw new InvalidOperationException("DingTalk:ClientId and DingTalk:ClientSecret are needed to call the DingTalk API.");
        }

        using var httpClient = httpClientFactory.CreateClient(DingTalkApiClient.HttpClientName);
        var body = new JsonObject { ["appKey"] = settings.ClientId, ["appSecret"] = settings.ClientSecret };
        using var answer = await DingTalkHttp.PostAsync(httpClient, new Uri(AccessTokenPath, UriKind.Relative), body, "/" + AccessTokenPath, null, logger, cancellationToken);
        var token = DingTalkHttp.GetString(answer.RootElement, "accessToken");
        if (string.IsNullOrEmpty(token))
        {
            throw new DingTalkApiException("DingTalk answered without an access token.", "/" + AccessTokenPath, 200, "InvalidResponse");
        }

        var seconds = long.TryParse(DingTalkHttp.GetString(answer.RootElement, "expireIn"), System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 7200;
        var lifetime = TimeSpan.FromSeconds(seconds);
        var margin = TimeSpan.FromTicks(Math.Min(Margin.Ticks, lifetime.Ticks / 2));
        var now = timeProvider.GetUtcNow();
        DingTalkApiLog.TokenFetched(logger, (int)lifetime.TotalSeconds);
        return new CachedToken(token, now + lifetime - margin, now + lifetime);
    }

    private sealed record CachedToken(string Token, DateTimeOffset RefreshAt, DateTimeOffset ExpiresAt);
}
