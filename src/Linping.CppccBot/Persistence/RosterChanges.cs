using System.Runtime.CompilerServices;
using Linping.CppccBot.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Linping.CppccBot.Persistence;

/// <summary>
/// Counts the saved changes to the roster (members and staff) made through this host, so a cache of roster lookups
/// knows when what it holds may be out of date.
/// </summary>
public sealed class RosterChanges
{
    private long _generation;

    /// <summary>Grows after every save that added, changed or removed a member or staff row.</summary>
    public long Generation => Volatile.Read(ref _generation);

    internal void Changed() => Interlocked.Increment(ref _generation);
}

/// <summary>
/// Advances <see cref="RosterChanges"/> once a save that touched members or staff has reached the database (or
/// failed: then the rows may or may not have changed). Advancing after the commit, not before, is what lets a reader
/// that read the old rows know they are old.
/// </summary>
public sealed class RosterChangeInterceptor(RosterChanges changes) : SaveChangesInterceptor
{
    private static readonly object Touched = new();

    private readonly ConditionalWeakTable<DbContext, object> _saving = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Settle(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Settle(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Settle(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Settle(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => Settle(eventData.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Settle(eventData.Context);
        return Task.CompletedTask;
    }

    private void Note(DbContext? context)
    {
        if (context is not null && context.ChangeTracker.Entries().Any(e => e.Entity is Member or StaffMember && e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted))
        {
            _saving.AddOrUpdate(context, Touched);
        }
    }

    private void Settle(DbContext? context)
    {
        if (context is not null && _saving.Remove(context))
        {
            changes.Changed();
        }
    }
}
