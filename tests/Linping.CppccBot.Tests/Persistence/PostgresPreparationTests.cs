using System.Data.Common;
using Linping.CppccBot.Features.Meetings;
using Linping.CppccBot.Persistence;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Linping.CppccBot.Tests.Persistence;

/// <summary>On PostgreSQL the host has Npgsql prepare the statements it runs again and again, unless told not to.</summary>
public sealed class PostgresPreparationTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task TheMeetingsListOfAMember_IsPreparedOnItsConnection_AfterAFewRuns()
    {
        await using var host = BotHostFactory.OnPostgres(await postgres.GetAsync());
        var ct = TestContext.Current.CancellationToken;
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var meetings = scope.ServiceProvider.GetRequiredService<MeetingService>();

        // One physical connection for the whole test, so the session that prepared is the session asked.
        await db.Database.OpenConnectionAsync(ct);
        var connection = db.Database.GetDbConnection();
        var before = await PreparedMeetingStatementsAsync(connection, ct);
        IReadOnlyList<MeetingView> first = [];
        for (var i = 0; i < 8; i++)
        {
            var views = await meetings.UpcomingAsync("M001", ct);
            first = i == 0 ? views : first;
            Assert.Equal(first.Select(v => v.Meeting.Id), views.Select(v => v.Meeting.Id));
        }

        Assert.Equal(0, before);
        Assert.NotEmpty(first);
        Assert.Equal(1, await PreparedMeetingStatementsAsync(connection, ct));
    }

    [Theory]
    [InlineData("Host=db.internal;Database=cppccbot", PersistenceExtensions.AutoPreparedStatements)]
    [InlineData("Host=db.internal;Database=cppccbot;Max Auto Prepare=0", 0)]
    [InlineData("Host=db.internal;Database=cppccbot;Max Auto Prepare=5", 5)]
    [InlineData("Host=db.internal;Database=cppccbot;maxautoprepare=0", 0)]
    public void AnExplicitMaxAutoPrepare_IsKept_ElseItIsTurnedOn(string configured, int expected)
    {
        var builder = new NpgsqlConnectionStringBuilder(PersistenceExtensions.WithAutomaticPreparation(configured));

        Assert.Equal(expected, builder.MaxAutoPrepare);
        Assert.Equal(("db.internal", "cppccbot"), (builder.Host, builder.Database));
    }

    private static async Task<long> PreparedMeetingStatementsAsync(DbConnection connection, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%FROM \"Meetings\"%' AND statement LIKE '%LEFT JOIN \"Participations\"%'";
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}
