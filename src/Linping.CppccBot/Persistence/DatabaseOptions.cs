using System.ComponentModel.DataAnnotations;

namespace Linping.CppccBot.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Database settings (section <c>Database</c>; the connection string is <c>ConnectionStrings:Database</c>).</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    public const string DefaultSqliteConnectionString = "Data Source=cppccbot.db";

    [EnumDataType(typeof(DatabaseProvider))]
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending migrations at start. On by default; turn off when migrations are applied by a release step.</summary>
    public bool MigrateOnStart { get; set; } = true;
}
