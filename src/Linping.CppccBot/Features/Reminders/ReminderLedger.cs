using System.Linq.Expressions;
using Linping.CppccBot.Persistence;
using Linping.CppccBot.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Linping.CppccBot.Features.Reminders;

/// <summary>Claims ledger rows for sending; the ledger's unique key lets exactly one run or host win each row.</summary>
internal static class ReminderLedger
{
    /// <summary>Claims <paramref name="due"/> for the run holding <paramref name="token"/>: one Pending row each, first attempt.</summary>
    /// <returns>How many rows another run or host had claimed first (those are not ours to send).</returns>
    public static Task<int> ClaimAsync(BotDbContext db, IEnumerable<DueReminder> due, DateTimeOffset now, string token, CancellationToken cancellationToken) =>
        ClaimAsync(db, [.. due.Select(d => NewClaim(d, now, token))], cancellationToken);

    /// <summary>
    /// A meeting's ledger as staff read it: its reminders and notices to members and groups, and the notices about its
    /// participants (leave decided, seat freed from the waitlist), which are kept under their participation, oldest first.
    /// </summary>
    public static async Task<List<ReminderDelivery>> ForMeetingAsync(BotDbContext db, string meetingId, CancellationToken cancellationToken)
    {
        var participations = await db.Participations.AsNoTracking().Where(p => p.MeetingId == meetingId).Select(p => p.Id).ToListAsync(cancellationToken);
        var subjects = participations.Select(Notifications.NoticeDispatcher.ParticipationSubject).Append(meetingId).ToList();
        return await db.ReminderDeliveries.AsNoTracking().Where(r => EF.Parameter(subjects).Contains(r.MeetingId)).OrderBy(r => r.Id).ToListAsync(cancellationToken);
    }

    /// <summary>The ledger row of <paramref name="due"/>, Pending and claimed by <paramref name="token"/>: its first attempt.</summary>
    public static ReminderDelivery NewClaim(DueReminder due, DateTimeOffset now, string token) => new()
    {
        MeetingId = due.MeetingId,
        Kind = due.Kind,
        MeetingStartsAt = due.MeetingStartsAt,
        RecipientType = due.RecipientType,
        RecipientId = due.RecipientId,
        Chat = due.Chat,
        Status = ReminderDeliveryStatus.Pending,
        Attempts = 1,
        CreatedAt = now,
        ClaimedAt = now,
        ClaimToken = token,
    };

    /// <summary>
    /// Claims for <paramref name="token"/> the rows of <paramref name="subjects"/> to try again: Failed ones whose retry
    /// time came, and Pending ones older than <paramref name="lease"/> (left by a run that stopped). One UPDATE decides:
    /// a row another run took over in the meantime no longer matches.
    /// </summary>
    public static Task<int> ClaimRetriesAsync(
        BotDbContext db, Expression<Func<ReminderDelivery, bool>> subjects, DateTimeOffset now, TimeSpan lease, string token, CancellationToken cancellationToken)
    {
        var abandoned = now - lease;
        return db.ReminderDeliveries
            .Where(subjects)
            .Where(r => (r.Status == ReminderDeliveryStatus.Pending && r.ClaimedAt < abandoned) || (r.Status == ReminderDeliveryStatus.Failed && r.NextAttemptAt <= now))
            .ExecuteUpdateAsync(
                s => s.SetProperty(r => r.Status, ReminderDeliveryStatus.Pending)
                    .SetProperty(r => r.ClaimToken, token)
                    .SetProperty(r => r.ClaimedAt, now)
                    .SetProperty(r => r.Attempts, r => r.Attempts + 1),
                cancellationToken);
    }

    /// <summary>Inserts <paramref name="rows"/> as Pending claims, all at once when no one else holds any of them, else one by one.</summary>
    /// <returns>How many rows another run or host had claimed first (those are not ours to send).</returns>
    public static async Task<int> ClaimAsync(BotDbContext db, IReadOnlyList<ReminderDelivery> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return 0;
        }

        db.ReminderDeliveries.AddRange(rows);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return 0;
        }
        catch (DbUpdateException)
        {
            // Another host claimed some first: claim the rest one by one; the unique key refuses the taken ones.
            db.ChangeTracker.Clear();
        }

        var lost = 0;
        foreach (var row in rows)
        {
            row.Id = 0;
            db.ReminderDeliveries.Add(row);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                lost++;
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }

        return lost;
    }
}
