using Linping.CppccBot.Persistence.Entities;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Linping.CppccBot.Persistence;

/// <summary>
/// The bot's database. This type is the SQLite context (the default, one host); <see cref="PostgresBotDbContext"/> is
/// the same model on PostgreSQL (several hosts). The two carry their own migrations, told apart by context type.
/// </summary>
public class BotDbContext : DbContext, IDataProtectionKeyContext
{
    public BotDbContext(DbContextOptions<BotDbContext> options)
        : base(options)
    {
    }

    /// <summary>For a provider-specific derived context, which has its own options type and so its own migrations.</summary>
    protected BotDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<Member> Members => Set<Member>();

    public DbSet<StaffMember> Staff => Set<StaffMember>();

    public DbSet<Group> Groups => Set<Group>();

    public DbSet<Meeting> Meetings => Set<Meeting>();

    public DbSet<Participation> Participations => Set<Participation>();

    public DbSet<MeetingChange> MeetingChanges => Set<MeetingChange>();

    public DbSet<Proposal> Proposals => Set<Proposal>();

    public DbSet<ProposalStatusEntry> ProposalHistory => Set<ProposalStatusEntry>();

    public DbSet<Opinion> Opinions => Set<Opinion>();

    public DbSet<OpinionStatusEntry> OpinionHistory => Set<OpinionStatusEntry>();

    public DbSet<StateChange> StateChanges => Set<StateChange>();

    public DbSet<ReminderDelivery> ReminderDeliveries => Set<ReminderDelivery>();

    /// <summary>The keys that protect the staff console's cookies and forms, shared by every host (<c>ConsoleRegistration</c>).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>The staff console's open sessions (one row per login, deleted on logout).</summary>
    public DbSet<ConsoleSession> ConsoleSessions => Set<ConsoleSession>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored by name: readable in the database and in SQL consoles, and stable when members are reordered.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);

        // Times are DateTimeOffset in UTC. SQLite has no date type and EF cannot ORDER BY or compare DateTimeOffset
        // stored as text there, so on SQLite every DateTimeOffset is stored as UTC ticks (INTEGER): ordering and range
        // queries then run in the database. PostgreSQL keeps its native timestamptz, which holds UTC instants only:
        // Npgsql refuses to write an offset other than zero, so values are turned to UTC on the way in.
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        }
        else
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<ToUtcConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(BotDbContext).Assembly);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        BumpVersions();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        BumpVersions();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    // The concurrency token changes on each update; EF compares the original value in the UPDATE's WHERE clause.
    private void BumpVersions()
    {
        foreach (var entry in ChangeTracker.Entries<Participation>())
        {
            if (entry.State == EntityState.Modified)
            {
                entry.Entity.Version++;
            }
        }
    }
}
