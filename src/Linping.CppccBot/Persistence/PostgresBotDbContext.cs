using Microsoft.EntityFrameworkCore;

namespace Linping.CppccBot.Persistence;

/// <summary>
/// <see cref="BotDbContext"/> on PostgreSQL. It exists so that the PostgreSQL migrations
/// (<c>Persistence/Migrations/Postgres</c>) are told apart from the SQLite ones by their context type; the host registers
/// it as <see cref="BotDbContext"/>, so the rest of the code never names it.
/// </summary>
public sealed class PostgresBotDbContext(DbContextOptions<PostgresBotDbContext> options) : BotDbContext(options);
