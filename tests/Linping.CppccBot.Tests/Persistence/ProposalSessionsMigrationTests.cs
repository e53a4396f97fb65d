using Linping.CppccBot.Persistence;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Linping.CppccBot.Tests.Persistence;

/// <summary>
/// A database from before proposals were kept per session: the migration gives each proposal the session of its
/// number, and the reminder ledger and change log, which named a proposal by its serial, now name session and serial,
/// so news already sent is not sent again.
/// </summary>
public sealed class ProposalSessionsMigrationTests(PostgresServerFixture postgres)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StoredProposals_LedgerAndChangeLog_AreKeyedBySessionAndSerial_AfterTheMigration(bool onPostgres)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync(migrate: false, server: onPostgres ? await postgres.GetAsync() : null);
        await using (var db = database.NewContext())
        {
            var migrations = db.Database.GetMigrations().ToList();
            var before = migrations[migrations.FindIndex(m => m.EndsWith("_ProposalSessions", StringComparison.Ordinal)) - 1];
            await db.GetService<IMigrator>().MigrateAsync(before, ct);
            // Times are ticks on SQLite and timestamptz on PostgreSQL.
            var rows = """
                INSERT INTO "Proposals" ("Number", "Serial", "Title", "Status", "IsKey") VALUES ('一届五次第0012号', 12, '关于高水平建设临平数智城的建议', 'Replied', FALSE);
                INSERT INTO "ReminderDeliveries" ("MeetingId", "Kind", "MeetingStartsAt", "RecipientType", "RecipientId", "Chat", "Status", "Attempts", "ClaimedAt", "CreatedAt")
                VALUES ('proposal:12', 'proposal-replied', AT, 'Member', 'M001', '', 'Sent', 1, AT, AT),
                       ('MT-2027-12', 'meeting-1d', AT, 'Member', 'M001', '', 'Sent', 1, AT, AT);
                INSERT INTO "StateChanges" ("EntityType", "EntityId", "From", "To", "Actor", "At")
                VALUES ('Proposal', '12', 'InHandling', 'Replied', 'staff-api', AT),
                       ('Meeting', '12', 'Draft', 'Published', 'staff-api', AT);
                """;
            await db.Database.ExecuteSqlRawAsync(rows.Replace("AT", onPostgres ? "TIMESTAMPTZ '2026-11-01T00:00:00Z'" : "1", StringComparison.Ordinal), ct);
            await db.Database.MigrateAsync(ct);
        }

        await using var after = database.NewContext();
        var proposal = await after.Proposals.AsNoTracking().SingleAsync(ct);
        Assert.Equal(("一届五次", 12, "一届五次/12"), (proposal.Session, proposal.Serial, proposal.Key));
        Assert.Equal(
            ["MT-2027-12", "proposal:一届五次/12"],
            await after.ReminderDeliveries.AsNoTracking().OrderBy(r => r.MeetingId).Select(r => r.MeetingId).ToListAsync(ct));
        Assert.Equal(
            ["Meeting 12", "Proposal 一届五次/12"],
            await after.StateChanges.AsNoTracking().OrderBy(c => c.EntityType).Select(c => c.EntityType + " " + c.EntityId).ToListAsync(ct));
    }
}
