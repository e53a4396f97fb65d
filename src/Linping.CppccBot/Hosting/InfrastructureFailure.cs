namespace Linping.CppccBot.Hosting;

/// <summary>
/// Failures of what the host depends on (the database, Redis), as opposed to bugs: the same request works again once
/// the server is back.
/// </summary>
public static class InfrastructureFailure
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteIoError = 10;
    private const int SqliteFull = 13;

    /// <summary>
    /// True when <paramref name="exception"/>, or one it wraps, is a Redis failure, a timeout, or the database being away
    /// or busy (a refused or broken connection, a server shutting down, a locked SQLite file): what the provider itself
    /// calls transient. A statement the database refuses (a constraint, a value too long) is a bug and fails the same way
    /// every time: not this.
    /// </summary>
    public static bool Is(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (Exception? ex = exception; ex is not null; ex = ex.InnerException)
        {
            // Microsoft.Data.Sqlite calls nothing transient: busy or locked (another writer held the file past the
            // timeout), an I/O error or a full disk are the file's state, not the statement's.
            if (ex is StackExchange.Redis.RedisException or TimeoutException or System.Data.Common.DbException { IsTransient: true }
                or Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked or SqliteIoError or SqliteFull })
            {
                return true;
            }
        }

        return false;
    }
}
