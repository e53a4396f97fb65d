using Linping.CppccBot.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Linping.CppccBot.Persistence;

/// <summary>The bot's database. Provider-neutral: SQLite by default, PostgreSQL for several hosts.</summary>
public sealed class BotDbContext(DbContextOptions<BotDbContext> options) : DbContext(options)
{
    public DbSet<Member> Members => Set<Member>();

    public DbSet<StaffMember> Staff => Set<StaffMember>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(BotDbContext).Assembly);
    }
}
