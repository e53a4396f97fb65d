using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Sqlite.Storage.Internal;
using Microsoft.EntityFrameworkCore.Storage;

namespace Linping.CppccBot.Persistence;

// SQLite parses and plans a statement anew each time it is prepared, and Microsoft.Data.Sqlite prepares each new
// command's text anew (there is no statement cache, efcore#14044); EF Core creates a command per query and closes the
// connection after it, which finalizes every statement. For the bot's small queries the preparing was most of their
// cost (the 会议 query: some 100 of its 120 µs). So, on SQLite, each pooled context keeps its connection open between
// uses and keeps one prepared command per SQL text on it; a query whose text ran before on that connection binds its
// parameters to the prepared statement and runs it.

/// <summary>
/// EF Core's SQLite connection, kept open while its pooled context lives, so the statements prepared on it
/// (<see cref="SqliteStatementReuse"/>) are kept too. Closed when the context is disposed, or by
/// <see cref="SqliteStatementReuse"/> when the host stops (EF Core does not dispose the contexts idle in its pool). The
/// connection holds no lock between queries: readers reset their statements when disposed, and transactions end with
/// the unit of work that began them.
/// </summary>
[SuppressMessage("Usage", "EF1001:Internal EF Core API usage.", Justification = "The provider's connection is the documented way to replace how it opens and closes (ReplaceService).")]
public sealed class StatementReusingSqliteConnection(
    RelationalConnectionDependencies dependencies,
    IRawSqlCommandBuilder rawSqlCommandBuilder,
    IDiagnosticsLogger<DbLoggerCategory.Infrastructure> logger)
    : SqliteRelationalConnection(dependencies, rawSqlCommandBuilder, logger)
{
    // EF Core closes the connection after each query and when the pooled context is returned; it stays open instead,
    // with its prepared statements. EF Core opens it only when it is not open, so nothing else changes.
    protected override void CloseDbConnection()
    {
        if (DbConnection.State != ConnectionState.Open)
        {
            base.CloseDbConnection();
        }
    }

    protected override Task CloseDbConnectionAsync()
    {
        CloseDbConnection();
        return Task.CompletedTask;
    }

    protected override void DisposeDbConnection()
    {
        base.CloseDbConnection();
        base.DisposeDbConnection();
    }

    protected override async ValueTask DisposeDbConnectionAsync()
    {
        await base.CloseDbConnectionAsync();
        await base.DisposeDbConnectionAsync();
    }
}

/// <summary>
/// The idle prepared commands of one open SQLite connection, one per SQL text; the least recently used goes when more
/// than <see cref="Capacity"/> are idle (the seed import at start runs many statements once). Used by one thread at a
/// time, as its connection is, except when the host stops: it closes the connections of pooled contexts, which empties
/// their caches while a last turn may still give a command back; the lock (never contended otherwise) keeps that safe.
/// Emptied when the connection closes (closing finalizes the statements).
/// </summary>
internal sealed class SqliteStatementCache
{
    /// <summary>More than the distinct statements the bot runs per message.</summary>
    public const int Capacity = 64;

    private readonly Dictionary<string, LinkedListNode<SqliteCommand>> _idle = new(StringComparer.Ordinal);
    private readonly LinkedList<SqliteCommand> _recency = new();
    private readonly Lock _gate = new();

    public SqliteStatementCache(SqliteConnection connection)
    {
        Connection = connection;
        connection.StateChange += (_, e) =>
        {
            if (e.CurrentState != ConnectionState.Open)
            {
                Clear();
            }
        };
    }

    public SqliteConnection Connection { get; }

    /// <summary>The idle command for <paramref name="commandText"/> (its statements prepared when it ran before), or a new one.</summary>
    public SqliteCommand Rent(string commandText)
    {
        lock (_gate)
        {
            if (_idle.Remove(commandText, out var node))
            {
                _recency.Remove(node);
                return node.Value;
            }
        }

        var command = Connection.CreateCommand();
        command.CommandText = commandText;
        return command;
    }

    /// <summary>Takes a command back once its reader is disposed; keeps it unless one of its text is idle already.</summary>
    public void Return(SqliteCommand command)
    {
        command.Parameters.Clear();
        command.Transaction = null;
        SqliteCommand? evicted = null;
        SqliteCommand? unwanted = command;
        lock (_gate)
        {
            if (Connection.State == ConnectionState.Open && !_idle.ContainsKey(command.CommandText))
            {
                _idle.Add(command.CommandText, _recency.AddFirst(command));
                unwanted = null;
                if (_idle.Count > Capacity)
                {
                    evicted = _recency.Last!.Value;
                    _recency.RemoveLast();
                    _idle.Remove(evicted.CommandText);
                }
            }
        }

        unwanted?.Dispose();
        evicted?.Dispose();
    }

    public void Clear()
    {
        List<SqliteCommand> commands;
        lock (_gate)
        {
            commands = [.. _recency];
            _idle.Clear();
            _recency.Clear();
        }

        foreach (var command in commands)
        {
            command.Dispose();
        }
    }
}

/// <summary>
/// The command EF Core gets on a SQLite connection: it runs the connection's idle prepared command for its text
/// (<see cref="SqliteStatementCache"/>) and gives it back when disposed.
/// </summary>
internal sealed class ReusedStatementCommand(SqliteStatementCache cache) : DbCommand
{
    private SqliteCommand? _inner;
    private string _commandText = string.Empty;

    [AllowNull]
    public override string CommandText
    {
        get => _commandText;
        set
        {
            value ??= string.Empty;
            if (_inner is not null && !string.Equals(value, _commandText, StringComparison.Ordinal))
            {
                // Parameters added before the text move to the command of the new text.
                var parameters = _inner.Parameters.Cast<SqliteParameter>().ToList();
                cache.Return(_inner);
                _inner = cache.Rent(value);
                _inner.Parameters.AddRange(parameters);
            }

            _commandText = value;
        }
    }

    public override int CommandTimeout { get; set; } = 30;

    public override CommandType CommandType
    {
        get => CommandType.Text;
        set
        {
            if (value != CommandType.Text)
            {
                throw new ArgumentException($"SQLite runs text commands only, not {value}.", nameof(value));
            }
        }
    }

    public override bool DesignTimeVisible { get; set; }

    public override UpdateRowSource UpdatedRowSource { get; set; }

    protected override DbConnection? DbConnection
    {
        get => cache.Connection;
        set
        {
            if (value is not null && !ReferenceEquals(value, cache.Connection))
            {
                throw new NotSupportedException("A reused statement runs on the connection that prepared it.");
            }
        }
    }

    protected override DbParameterCollection DbParameterCollection => Inner.Parameters;

    protected override DbTransaction? DbTransaction { get; set; }

    private SqliteCommand Inner => _inner ??= cache.Rent(_commandText);

    public override void Cancel() => _inner?.Cancel();

    public override void Prepare() => Ready().Prepare();

    public override int ExecuteNonQuery() => Ready().ExecuteNonQuery();

    public override object? ExecuteScalar() => Ready().ExecuteScalar();

    public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) => Ready().ExecuteNonQueryAsync(cancellationToken);

    public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) => Ready().ExecuteScalarAsync(cancellationToken);

    protected override DbParameter CreateDbParameter() => new SqliteParameter();

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => Ready().ExecuteReader(behavior);

    protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
        await Ready().ExecuteReaderAsync(behavior, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing && _inner is not null)
        {
            cache.Return(_inner);
            _inner = null;
        }

        base.Dispose(disposing);
    }

    private SqliteCommand Ready()
    {
        var inner = Inner;
        inner.Transaction = (SqliteTransaction?)DbTransaction;
        inner.CommandTimeout = CommandTimeout;
        return inner;
    }
}

/// <summary>
/// Hands EF Core a <see cref="ReusedStatementCommand"/> for every command on a SQLite connection, from that
/// connection's <see cref="SqliteStatementCache"/>; one per host. When the host stops, it closes the connections it
/// served that are still open (the ones of pooled contexts).
/// </summary>
public sealed class SqliteStatementReuse : DbCommandInterceptor, IDisposable
{
    private readonly ConditionalWeakTable<SqliteConnection, SqliteStatementCache> _caches = [];

    public override InterceptionResult<DbCommand> CommandCreating(CommandCorrelatedEventData eventData, InterceptionResult<DbCommand> result) =>
        !result.HasResult && eventData.Connection is SqliteConnection connection
            ? InterceptionResult<DbCommand>.SuppressWithResult(new ReusedStatementCommand(_caches.GetValue(connection, static c => new SqliteStatementCache(c))))
            : result;

    public void Dispose()
    {
        foreach (var (connection, _) in _caches)
        {
            connection.Close(); // finalizes its statements
        }

        _caches.Clear();
    }
}
