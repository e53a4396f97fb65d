using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Linping.CppccBot.Persistence;

/// <summary>
/// Lets <c>dotnet ef</c> build the SQLite context without starting the host (which would connect channels and Redis).
/// Its migrations are in <c>Persistence/Migrations</c>. <c>scripts/add-migration.sh</c> adds a migration for both providers.
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<BotDbContext>
{
    public BotDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<BotDbContext>()
            .UseSqlite(DatabaseOptions.DefaultSqliteConnectionString)
            .Options;
        return new BotDbContext(options);
    }
}

/// <summary>
/// The PostgreSQL context for <c>dotnet ef --context PostgresBotDbContext</c>; migrations in
/// <c>Persistence/Migrations/Postgres</c>. Generating a migration does not connect, so the connection string is a placeholder.
/// </summary>
internal sealed class PostgresDesignTimeDbContextFactory : IDesignTimeDbContextFactory<PostgresBotDbContext>
{
    public PostgresBotDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgresBotDbContext>()
            .UseNpgsql("Host=localhost;Database=cppccbot")
            .Options;
        return new PostgresBotDbContext(options);
    }
}
