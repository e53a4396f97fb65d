namespace Linping.CppccBot.Channels;

/// <summary>What a call that failed without an answer says about the request.</summary>
internal static class TransportFailures
{
    /// <summary>
    /// True when <paramref name="failure"/> (what lies under a call that got no answer) may have come after the request
    /// went out: a timeout, a connection closed while the answer was awaited. False when no connection was made
    /// (refused, unknown host): then the request surely did not arrive.
    /// </summary>
    public static bool MayHaveArrived(Exception? failure)
    {
        for (var ex = failure; ex is not null; ex = ex.InnerException)
        {
            if (ex is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError })
            {
                return false;
            }

            if (ex is HttpRequestException or IOException or TaskCanceledException)
            {
                return true;
            }
        }

        return false;
    }
}
