namespace Linping.CppccBot.Hosting;

/// <summary>
/// Failures of what the host depends on (the database, Redis), as opposed to bugs: the same request works again once
/// the server is back.
/// </summary>
public static class InfrastructureFailure
{
    /// <summary>True when <paramref name="exception"/>, or one it wraps, is a database, Redis or timeout failure.</summary>
    public static bool Is(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (Exception? ex = exception; ex is not null; ex = ex.InnerException)
        {
            if (ex is StackExchange.Redis.RedisException or TimeoutException or System.Data.Common.DbException
                or Microsoft.EntityFrameworkCore.DbUpdateException)
            {
                return true;
            }
        }

        return false;
    }
}
