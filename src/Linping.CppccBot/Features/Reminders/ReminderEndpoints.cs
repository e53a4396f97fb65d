using System.Security.Cryptography;
using System.Text;
using Linping.CppccBot.Hosting;
using Linping.CppccBot.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Features.Reminders;

/// <summary>One ledger row as staff see it: who was reminded of what, and who was not reached.</summary>
public sealed record ReminderDeliveryView(
    string Kind,
    DateTimeOffset MeetingStartsAt,
    string RecipientType,
    string RecipientId,
    string? RecipientName,
    string Status,
    string? Channel,
    int? ErrCode,
    string? Error,
    int Attempts,
    DateTimeOffset? SentAt,
    DateTimeOffset? NextAttemptAt);

public static class ReminderEndpoints
{
    /// <summary><c>GET /api/admin/reminders/{meetingId}</c>: the meeting's reminder ledger, for staff (<c>Admin:ApiKey</c>).</summary>
    public static IEndpointRouteBuilder MapReminderAdmin(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/admin/reminders/{meetingId}", async (string meetingId, BotDbContext db, CancellationToken cancellationToken) =>
            {
                var rows = await db.ReminderDeliveries.AsNoTracking().Where(r => r.MeetingId == meetingId).OrderBy(r => r.Id).ToListAsync(cancellationToken);
                var memberIds = rows.Select(r => r.RecipientId).Distinct().ToList();
                var members = await db.Members.AsNoTracking().Where(m => memberIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.Name, cancellationToken);
                var groups = await db.Groups.AsNoTracking().Where(g => memberIds.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Name, cancellationToken);
                return Results.Ok(rows.Select(r => new ReminderDeliveryView(
                    r.Kind,
                    r.MeetingStartsAt,
                    r.RecipientType.ToString(),
                    r.RecipientId,
                    (r.RecipientType == Persistence.Entities.ReminderRecipientType.Member ? members : groups).GetValueOrDefault(r.RecipientId),
                    r.Status.ToString(),
                    r.Channel,
                    r.ErrCode,
                    r.Error,
                    r.Attempts,
                    r.SentAt,
                    r.NextAttemptAt)));
            })
            .AddEndpointFilter(async (context, next) =>
            {
                var key = context.HttpContext.RequestServices.GetRequiredService<IOptions<AdminOptions>>().Value.ApiKey;
                var header = context.HttpContext.Request.Headers.Authorization.ToString();
                return !string.IsNullOrEmpty(key) && header.StartsWith("Bearer ", StringComparison.Ordinal)
                    && CryptographicOperations.FixedTimeEquals(
                        SHA256.HashData(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim())), SHA256.HashData(Encoding.UTF8.GetBytes(key)))
                    ? await next(context)
                    : Results.Unauthorized();
            });
        return app;
    }
}
