using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Channels.WeCom;

/// <summary>
/// The app's access token, shared by every sender (a singleton: one per app, since a token only works for the app whose
/// secret fetched it). WeCom throttles <c>gettoken</c>, so the token is fetched once and reused until shortly before it
/// expires; concurrent callers that find it stale share one refresh. WeCom may revoke a token early: a caller whose token
/// was refused calls <see cref="Invalidate"/> with it, and only the first of many such callers causes a refresh.
/// </summary>
public sealed class WeComAccessTokenCache(
    IHttpClientFactory httpClientFactory,
    IOptions<WeComOptions> options,
    TimeProvider timeProvider,
    ILogger<WeComAccessTokenCache> logger) : IDisposable
{
    internal const string GetTokenPath = "/cgi-bin/gettoken";
    private static readonly TimeSpan MinimumMargin = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private CachedToken? _current;

    /// <summary>A token valid for at least the refresh margin, fetching a new one if needed.</summary>
    /// <exception cref="WeComApiException"><c>gettoken</c> failed and no still-valid token is cached.</exception>
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
            // Whoever held the gate before may have refreshed already.
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
            catch (WeComApiException ex) when (ex.IsTransient && cached is not null && now < cached.ExpiresAt)
            {
                // Refreshing early is a courtesy; a token that has not expired still works, so a busy WeCom does not stop sends.
                WeComApiLog.TokenRefreshFailedKeepingCurrent(logger, ex.Kind, ex.ErrCode);
                return cached.Token;
            }
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    /// <summary>
    /// Forgets <paramref name="refusedToken"/> if it is still the cached one, so the next <see cref="GetTokenAsync"/>
    /// fetches a new token. Returns false when another caller already replaced it.
    /// </summary>
    public bool Invalidate(string refusedToken)
    {
        ArgumentNullException.ThrowIfNull(refusedToken);
        var cached = Volatile.Read(ref _current);
        return cached is not null
            && string.Equals(cached.Token, refusedToken, StringComparison.Ordinal)
            && ReferenceEquals(Interlocked.CompareExchange(ref _current, null, cached), cached);
    }

    public void Dispose() => _refreshGate.Dispose();

    private async Task<CachedToken> FetchAsync(CancellationToken cancellationToken)
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
        var response = await WeComHttp.SendAsync(httpClient, request, WeComApiJsonContext.Default.WeComTokenResponse, GetTokenPath, logger, cancellationToken);
        if (response.ErrCode != WeComErrorCodes.Ok)
        {
            var kind = WeComErrorCodes.Classify(response.ErrCode);
            WeComApiLog.ApiError(logger, GetTokenPath, response.ErrCode, kind);
            throw new WeComApiException($"WeCom {GetTokenPath} answered errcode {response.ErrCode}.", kind, response.ErrCode, GetTokenPath);
        }

        if (string.IsNullOrEmpty(response.AccessToken))
        {
            throw new WeComApiException($"WeCom {GetTokenPath} answered without a token.", WeComErrorKind.InvalidResponse, response.ErrCode, GetTokenPath);
        }

        // Normally 7200 s. Refresh when less than 5 minutes or 10 % remain, but never later than half-way for short lifetimes.
        var lifetime = TimeSpan.FromSeconds(response.ExpiresIn > 0 ? response.ExpiresIn : 7200);
        var margin = TimeSpan.FromTicks(Math.Min(Math.Max(MinimumMargin.Ticks, lifetime.Ticks / 10), lifetime.Ticks / 2));
        var now = timeProvider.GetUtcNow();
        WeComApiLog.TokenFetched(logger, GetTokenPath, (int)lifetime.TotalSeconds);
        return new CachedToken(response.AccessToken, now + lifetime - margin, now + lifetime);
    }

    private sealed record CachedToken(string Token, DateTimeOffset RefreshAt, DateTimeOffset ExpiresAt);
}
