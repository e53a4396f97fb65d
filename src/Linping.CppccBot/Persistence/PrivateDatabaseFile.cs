using Microsoft.Data.Sqlite;

namespace Linping.CppccBot.Persistence;

/// <summary>
/// SQLite files hold members' mobile numbers, leave notes and reports (and the console's data-protection keys): on
/// Linux only the host's own user may read them. A new file is created owner-only before SQLite opens it (SQLite gives
/// its -wal and -shm files the database file's permissions); an existing one loses any group and other permissions.
/// </summary>
public static class PrivateDatabaseFile
{
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Prepares the file a SQLite connection string names (relative to the working folder, as SQLite reads it).</summary>
    public static void PrepareFor(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.Mode == SqliteOpenMode.Memory || string.IsNullOrWhiteSpace(builder.DataSource)
            || builder.DataSource == ":memory:" || builder.DataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        Prepare(Path.GetFullPath(builder.DataSource));
    }

    /// <summary>Creates <paramref name="path"/> owner-only when missing, and takes group and other permissions off it and its companions.</summary>
    public static void Prepare(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            if (!File.Exists(path))
            {
                // An empty file is an empty database to SQLite.
                using var created = new FileStream(path, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.Write,
                    UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                });
            }

            foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
            {
                if (File.Exists(file) && File.GetUnixFileMode(file) is var mode && (mode & GroupOrOther) != 0)
                {
                    File.SetUnixFileMode(file, mode & ~GroupOrOther);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Created by another host meanwhile, a missing folder, a file of another user: SQLite opens it (or says
            // why it cannot) as before.
        }
    }
}
