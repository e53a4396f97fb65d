using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Linping.CppccBot.Persistence;

/// <summary>
/// Sets of compiled queries (<c>EF.CompileAsyncQuery</c>), one instance of each set per model: a compiled query serves
/// the model it first ran on only, and SQLite and PostgreSQL have different models (the tests run both in one
/// process). For the queries that run on every message of their kind; compiling them spares EF Core translating the
/// LINQ and looking up its query cache each time.
/// </summary>
public static class CompiledQueries
{
    /// <summary>The <typeparamref name="TQueries"/> (a class whose properties are compiled queries) for <paramref name="db"/>'s model.</summary>
    public static TQueries For<TQueries>(DbContext db)
        where TQueries : new() => PerModel<TQueries>.Sets.GetOrAdd(db.Model, static _ => new TQueries());

    /// <summary>Reads a compiled query's rows into a list.</summary>
    public static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> rows, CancellationToken cancellationToken)
    {
        var list = new List<T>();
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            list.Add(row);
        }

        return list;
    }

    private static class PerModel<TQueries>
    {
        public static readonly ConcurrentDictionary<IModel, TQueries> Sets = new();
    }
}
