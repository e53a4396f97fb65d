using System.Data.Common;
using Linping.CppccBot.Hosting;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Linping.CppccBot.Persistence;

/// <summary>
/// Tells <see cref="DependencyOutages"/> when a connection or a command fails because the database is away (what
/// <see cref="InfrastructureFailure"/> calls so) and when a command succeeds again. A statement the database refuses is
/// no outage: its exception reaches the code that ran it, which logs it as an error.
/// </summary>
public sealed class DatabaseOutageInterceptor(DependencyOutages outages) : DbCommandInterceptor, IDbConnectionInterceptor
{
    public void ConnectionFailed(DbConnection connection, ConnectionErrorEventData eventData) => Failed(eventData.Exception);

    public Task ConnectionFailedAsync(DbConnection connection, ConnectionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Failed(eventData.Exception);
        return Task.CompletedTask;
    }

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Failed(eventData.Exception);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Failed(eventData.Exception);
        return Task.CompletedTask;
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        outages.Succeeded(Dependency.Database);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        outages.Succeeded(Dependency.Database);
        return ValueTask.FromResult(result);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        outages.Succeeded(Dependency.Database);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        outages.Succeeded(Dependency.Database);
        return ValueTask.FromResult(result);
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        outages.Succeeded(Dependency.Database);
        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        outages.Succeeded(Dependency.Database);
        return ValueTask.FromResult(result);
    }

    private void Failed(Exception exception)
    {
        if (InfrastructureFailure.Is(exception))
        {
            outages.Failed(Dependency.Database, DependencyOutages.Reason(exception));
        }
    }
}
