using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Linping.CppccBot.Persistence;

/// <summary>
/// Lets <c>dotnet ef</c> build the context without starting the host (which would connect channels and Redis).
/// Migrations in <c>Persistence/Migrations</c> are generated for SQLite.
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
