using Linping.CppccBot.Hosting;
using Linping.CppccBot.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Linping.CppccBot.Features.Reminders;

/// <summary>
/// One ledger row as staff see it: who was reminded of what, and who was not reached. <see cref="Chat"/> is the app of
/// a group's robot (a group in both apps has a row for each); empty for a member.
/// </summary>
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
    DateTimeOffset? NextAttemptAt,
    string Chat = "");

public static class ReminderEndpoints
{
    /// <summary>
    /// <c>GET /api/admin/reminders/{meetingId}</c>: the meeting's reminder ledger, with the notices about its
    /// participants (leave decisions, waitlist promotions), for staff (<c>Admin:ApiKey</c>).
    /// </summary>
    public static IEndpointRouteBuilder MapReminderAdmin(this IEndpointRouteBuilder app)
    {
        app.MapAdminGroup().MapGet("/reminders/{meetingId}", async Task<IResult> (string meetingId, BotDbContext db, CancellationToken cancellationToken) =>
            {
                var rows = await ReminderLedger.ForMeetingAsync(db, meetingId, cancellationToken);
                if (rows.Count == 0 && !await db.Meetings.AnyAsync(m => m.Id == meetingId, cancellationToken))
                {
                    return Features.Staff.StaffResults.NotFound($"会议 {meetingId}");
                }

                var memberIds = rows.Select(r => r.RecipientId).Distinct().ToList();
                var members = await db.Members.AsNoTracking().Where(m => EF.Parameter(memberIds).Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.Name, cancellationToken);
                var groups = await db.Groups.AsNoTracking().Where(g => EF.Parameter(memberIds).Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Name, cancellationToken);
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
                    r.NextAttemptAt,
                    r.Chat)));
            });
        return app;
    }
}
