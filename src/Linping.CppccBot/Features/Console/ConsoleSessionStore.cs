using System.Security.Cryptography;
using Linping.CppccBot.Persistence;
using Linping.CppccBot.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Linping.CppccBot.Features.Console;

/// <summary>
/// The console's sessions in the database, shared by every host: a login adds one, 退出登录 deletes it, and each
/// console request looks its own up by primary key.
/// </summary>
public static class ConsoleSessionStore
{
    /// <summary>How long a session lasts after login at most, however active.</summary>
    public static readonly TimeSpan AbsoluteLifetime = TimeSpan.FromHours(12);

    /// <summary>Records a new session and returns its id; sessions already expired are cleared on the way.</summary>
    public static async Task<string> StartAsync(BotDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.ConsoleSessions.Where(s => s.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        var session = new ConsoleSession
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            CreatedAt = now,
            ExpiresAt = now + AbsoluteLifetime,
        };
        db.ConsoleSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return session.Id;
    }

    /// <summary>True while the session exists (not logged out) and has not reached its absolute end.</summary>
    public static Task<bool> IsOpenAsync(BotDbContext db, string? id, DateTimeOffset now, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(id)
            ? Task.FromResult(false)
            : db.ConsoleSessions.AsNoTracking().AnyAsync(s => s.Id == id && s.ExpiresAt > now, cancellationToken);

    /// <summary>Ends the session for every host: its cookie opens nothing any more.</summary>
    public static async Task EndAsync(BotDbContext db, string? id, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(id))
        {
            await db.ConsoleSessions.Where(s => s.Id == id).ExecuteDeleteAsync(cancellationToken);
        }
    }
}
