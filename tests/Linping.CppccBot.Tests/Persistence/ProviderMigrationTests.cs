using Linping.CppccBot.Persistence;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Persistence;

/// <summary>Each provider has its own migrations, they match the model, and <c>migrate</c> applies them.</summary>
public sealed class ProviderMigrationTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task BothProviders_HaveMigrationsMatchingTheModel_SoScriptsAddMigrationWasRunAfterEachChange()
    {
        await using var sqlite = await TestDatabase.CreateAsync(migrate: false);
        await using var pg = await TestDatabase.CreateAsync(migrate: false, server: await postgres.GetAsync());
        await using var sqliteDb = sqlite.NewContext();
        await using var pgDb = pg.NewContext();

        Assert.False(sqliteDb.Database.HasPendingModelChanges(), "The SQLite migrations lag behind the model: run scripts/add-migration.sh <Name>.");
        Assert.False(pgDb.Database.HasPendingModelChanges(), "The PostgreSQL migrations lag behind the model: run scripts/add-migration.sh <Name>.");
        Assert.IsType<PostgresBotDbContext>(pgDb);
        Assert.Empty(sqliteDb.Database.GetMigrations().Intersect(pgDb.Database.GetMigrations()));
    }

    [Fact]
    public async Task TheMigrateCommand_CreatesThePostgresSchema_OnADatabaseTheHostLeftEmpty()
    {
        await using var host = BotHostFactory.OnPostgres(await postgres.GetAsync());
        host.Settings["Database:MigrateOnStart"] = "false";
        host.Settings["Seed:Path"] = string.Empty;
        var ct = TestContext.Current.CancellationToken;
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var pendingBefore = (await db.Database.GetPendingMigrationsAsync(ct)).Count();
        using var client = host.CreateClient();
        var readyBefore = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), ct);
        using var output = new StringWriter();

        var exitCode = await MigrateCommand.RunAsync(host.Services, output, ct);

        var readyAfter = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), ct);
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, readyBefore.StatusCode); // no schema: not ready
        Assert.Equal(System.Net.HttpStatusCode.OK, readyAfter.StatusCode);
        Assert.Equal(0, exitCode);
        Assert.True(pendingBefore > 0);
        Assert.Contains($"{pendingBefore} pending migrations applied (Npgsql.EntityFrameworkCore.PostgreSQL)", output.ToString(), StringComparison.Ordinal);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(ct));
        Assert.Equal(0, await db.Members.CountAsync(ct));
    }
}
