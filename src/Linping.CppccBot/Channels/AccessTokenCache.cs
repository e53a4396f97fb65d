namespace Linping.CppccBot.Channels;

/// <summary>
/// A platform's app access token, shared by every sender of that platform (a singleton: a token only works for the app
/// whose secret fetched it). Platforms throttle fetching tokens, so it is fetched once and reused until shortly before it
/// expires (5 minutes or a tenth of its lifetime before, whichever is earlier, but never later than half-way); callers
/// that find it stale at the same time share one fetch. A platform may revoke a token early: a caller whose token was
/// refused calls <see cref="Invalidate"/> with it, and only the first of many such callers causes a new fetch. When an
/// early refresh fails for a passing reason (<see cref="IsTransient"/>), the current token is used until it expires.
/// </summary>
public abstract class AccessTokenCache(TimeProvider timeProvider) : IDisposable
{
    private static readonly TimeSpan MinimumMargin = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private CachedToken? _current;

    /// <summary>A token valid for at least the refresh margin, fetching a new one if needed.</summary>
    /// <exception cref="Exception">The platform's API exception: fetching failed and no still-valid token is cached.</exception>
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
                var (token, lifetime) = await FetchAsync(cancellationToken);
                var margin = TimeSpan.FromTicks(Math.Min(Math.Max(MinimumMargin.Ticks, lifetime.Ticks / 10), lifetime.Ticks / 2));
                var fetchedAt = timeProvider.GetUtcNow();
                var fresh = new CachedToken(token, fetchedAt + lifetime - margin, fetchedAt + lifetime);
                Volatile.Write(ref _current, fresh);
                return fresh.Token;
            }
            catch (Exception ex) when (IsTransient(ex) && cached is not null && now < cached.ExpiresAt)
            {
                // Refreshing early is a courtesy; a token that has not expired still works, so a busy platform does not stop sends.
                OnRefreshFailedKeepingCurrent(ex);
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

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _refreshGate.Dispose();
        }
    }

    /// <summary>Fetches a new token from the platform: the token and how long it lives.</summary>
    protected abstract Task<(string Token, TimeSpan Lifetime)> FetchAsync(CancellationToken cancellationToken);

    /// <summary>Whether a fetch failed for a passing reason, so a still-valid token may be kept.</summary>
    protected abstract bool IsTransient(Exception exception);

    /// <summary>A refresh failed for a passing reason and the current token is kept.</summary>
    protected virtual void OnRefreshFailedKeepingCurrent(Exception exception)
    {
    }

    private sealed record CachedToken(string Token, DateTimeOffset RefreshAt, DateTimeOffset ExpiresAt);
}
