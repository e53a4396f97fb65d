using System.Data.Common;
using System.Globalization;
using Linping.CppccBot.Features.Common;
using Linping.CppccBot.Features.Notifications;
using Linping.CppccBot.Persistence;
using Linping.CppccBot.Persistence.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Linping.CppccBot.Features.Opinions;

/// <summary>A report as the member confirmed it.</summary>
public sealed record OpinionDraft(string Title, string Content, string? Category);

/// <summary>One line of "我的社情民意".</summary>
public sealed record OpinionSummary(string TrackingNumber, string Title, DateTimeOffset SubmittedAt, OpinionStatus Status);

/// <summary>Stores 社情民意 reports under tracking numbers and tells the information office about new ones.</summary>
public sealed partial class OpinionService(
    BotDbContext db,
    NoticeDispatcher notices,
    ChineseTime chineseTime,
    TimeProvider time,
    ILogger<OpinionService> logger)
{
    public const string TrackingPrefix = "SQMY";

    /// <summary>How often a submission tries the next number after another one took it first.</summary>
    private const int MaxAttempts = 5;

    /// <summary>
    /// Stores the report as 已报送 under the next tracking number of the year (Beijing time), with its history row, a
    /// <see cref="StateChange"/> naming the member and a notice to every active InfoOffice staff member (sent at once,
    /// and again later when WeCom or DingTalk did not take it).
    /// </summary>
    /// <returns>The tracking number.</returns>
    public async Task<string> SubmitAsync(string memberId, OpinionDraft draft, CancellationToken cancellationToken)
    {
        var (trackingNumber, token) = await StoreAsync(memberId, draft, cancellationToken);
        LogSubmitted(logger, trackingNumber);

        // The report and its notices are stored: a send that fails is retried by the minute job, and must not fail the
        // member's turn.
        var outcomes = await notices.SendAllAsync(token, cancellationToken);
        var sent = outcomes.Count(o => o == NotificationOutcome.Sent);
        LogStaffNotified(logger, trackingNumber, sent, outcomes.Count);
        return trackingNumber;
    }

    /// <summary>The member's reports, newest first.</summary>
    public async Task<IReadOnlyList<OpinionSummary>> ListForMemberAsync(string memberId, int max, CancellationToken cancellationToken) =>
        await db.Opinions.AsNoTracking()
            .Where(o => o.SubmittedById == memberId)
            .OrderByDescending(o => o.SubmittedAt)
            .ThenByDescending(o => o.Id)
            .Take(max)
            .Select(o => new OpinionSummary(o.Id, o.Title, o.SubmittedAt, o.Status))
            .ToListAsync(cancellationToken);

    public Task<int> CountForMemberAsync(string memberId, CancellationToken cancellationToken) =>
        db.Opinions.CountAsync(o => o.SubmittedById == memberId, cancellationToken);

    /// <summary>One of the member's own reports with its history; null for another member's or an unknown number.</summary>
    public Task<Opinion?> OwnAsync(string memberId, string trackingNumber, CancellationToken cancellationToken) =>
        db.Opinions.AsNoTracking().Include(o => o.History)
            .FirstOrDefaultAsync(o => o.Id == trackingNumber && o.SubmittedById == memberId, cancellationToken);

    /// <summary>
    /// Any report with its history and its submitter's name, for the information office reading it in the chat; null
    /// for an unknown number.
    /// </summary>
    public async Task<(Opinion Opinion, string? Submitter)?> ForOfficeAsync(string trackingNumber, CancellationToken cancellationToken)
    {
        var opinion = await db.Opinions.AsNoTracking().Include(o => o.History).FirstOrDefaultAsync(o => o.Id == trackingNumber, cancellationToken);
        if (opinion is null)
        {
            return null;
        }

        var submitter = await db.Members.AsNoTracking().Where(m => m.Id == opinion.SubmittedById).Select(m => m.Name).FirstOrDefaultAsync(cancellationToken);
        return (opinion, submitter);
    }

    /// <summary>The member's reports the office returned for revision, the latest return first.</summary>
    public async Task<IReadOnlyList<Opinion>> ReturnedAsync(string memberId, CancellationToken cancellationToken) =>
        [.. (await db.Opinions.AsNoTracking().Include(o => o.History)
                .Where(o => o.SubmittedById == memberId && o.Status == OpinionStatus.Returned)
                .ToListAsync(cancellationToken))
            .OrderByDescending(o => o.History.Where(h => h.Status == OpinionStatus.Returned).Select(h => h.At).DefaultIfEmpty(o.SubmittedAt).Max())];

    /// <summary>
    /// A returned report, revised by its submitter, goes back to the office as 已报送 under its number (history, audit,
    /// and the information office told again). False when it is no longer the member's returned report (the office
    /// moved it meanwhile).
    /// </summary>
    public async Task<bool> ResubmitAsync(string memberId, string trackingNumber, OpinionDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var staffIds = await InfoOfficeAsync(cancellationToken);
        var now = time.GetUtcNow();
        string token;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var changed = await db.Opinions
                .Where(o => o.Id == trackingNumber && o.SubmittedById == memberId && o.Status == OpinionStatus.Returned)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(o => o.Title, draft.Title)
                        .SetProperty(o => o.Content, draft.Content)
                        .SetProperty(o => o.Category, draft.Category)
                        .SetProperty(o => o.Status, OpinionStatus.Submitted),
                    cancellationToken);
            if (changed == 0)
            {
                return false;
            }

            db.OpinionHistory.Add(new OpinionStatusEntry { OpinionId = trackingNumber, Status = OpinionStatus.Submitted, At = now, Note = ResubmittedNote });
            db.StateChanges.Add(new StateChange
            {
                EntityType = StateChangeEntityTypes.Opinion,
                EntityId = trackingNumber,
                From = nameof(OpinionStatus.Returned),
                To = nameof(OpinionStatus.Submitted),
                Actor = memberId,
                At = now,
                Note = "revised",
            });
            token = notices.Enqueue(staffIds.Select(staffId => Notice.OpinionSubmitted(trackingNumber, now, staffId)));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        LogResubmitted(logger, trackingNumber);
        var outcomes = await notices.SendAllAsync(token, cancellationToken);
        var sent = outcomes.Count(o => o == NotificationOutcome.Sent);
        LogStaffNotified(logger, trackingNumber, sent, outcomes.Count);
        return true;
    }

    /// <summary>The history note of a report submitted again after revision.</summary>
    public const string ResubmittedNote = "委员修改后重新报送";

    private async Task<List<string>> InfoOfficeAsync(CancellationToken cancellationToken) =>
        await db.Staff.AsNoTracking()
            .Where(s => s.IsActive && s.Roles.Contains(StaffRoles.InfoOffice))
            .OrderBy(s => s.Id)
            .Select(s => s.Id)
            .ToListAsync(cancellationToken);

    /// <summary>"SQMY-2026-".</summary>
    public static string YearPrefix(int year) => string.Create(CultureInfo.InvariantCulture, $"{TrackingPrefix}-{year}-");

    private async Task<(string TrackingNumber, string NoticeToken)> StoreAsync(string memberId, OpinionDraft draft, CancellationToken cancellationToken)
    {
        var staffIds = await InfoOfficeAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var now = time.GetUtcNow();
            var prefix = YearPrefix(chineseTime.ToLocal(now).Year);

            // The transaction makes "read the highest number, insert the next" one unit: on SQLite it takes the write
            // lock at its start, so concurrent submissions queue; on PostgreSQL two may still pick the same number, and
            // the primary key turns the later insert into a conflict, which is retried with a fresh number.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var trackingNumber = prefix + (await HighestSequenceAsync(prefix, cancellationToken) + 1).ToString("D4", CultureInfo.InvariantCulture);
            var opinion = new Opinion
            {
                Id = trackingNumber,
                Title = draft.Title,
                Content = draft.Content,
                Category = draft.Category,
                SubmittedById = memberId,
                SubmittedAt = now,
                Status = OpinionStatus.Submitted,
            };
            opinion.History.Add(new OpinionStatusEntry { OpinionId = trackingNumber, Status = OpinionStatus.Submitted, At = now });
            db.Opinions.Add(opinion);
            db.StateChanges.Add(new StateChange
            {
                EntityType = StateChangeEntityTypes.Opinion,
                EntityId = trackingNumber,
                From = null,
                To = nameof(OpinionStatus.Submitted),
                Actor = memberId,
                At = now,
            });
            var token = notices.Enqueue(staffIds.Select(staffId => Notice.OpinionSubmitted(trackingNumber, now, staffId)));

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return (trackingNumber, token);
            }
            catch (DbUpdateException ex) when (attempt < MaxAttempts && IsUniqueViolation(ex))
            {
                // The only unique key this insert can break is the tracking number (history and audit ids are
                // generated): another submission stored it first. Start over with a fresh read.
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                LogNumberTaken(logger, trackingNumber, attempt);
            }
        }
    }

    private static bool IsUniqueViolation(DbUpdateException ex) => ex.InnerException switch
    {
        // SQLITE_CONSTRAINT_PRIMARYKEY, SQLITE_CONSTRAINT_UNIQUE.
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 1555 or 2067,

        // PostgreSQL unique_violation.
        DbException other => other.SqlState == "23505",
        _ => false,
    };

    /// <summary>The highest sequence of the year's numbers, imported ones included; 0 when there are none yet.</summary>
    private async Task<int> HighestSequenceAsync(string prefix, CancellationToken cancellationToken)
    {
        // Parsed here rather than ordered in SQL: text order would put "SQMY-2026-10000" before "SQMY-2026-9999".
        // A year holds hundreds of reports, not millions.
        var ids = await db.Opinions.AsNoTracking().Where(o => o.Id.StartsWith(prefix)).Select(o => o.Id).ToListAsync(cancellationToken);
        var highest = 0;
        foreach (var id in ids)
        {
            if (int.TryParse(id.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) && sequence > highest)
            {
                highest = sequence;
            }
        }

        return highest;
    }

    [LoggerMessage(EventId = 4400, Level = LogLevel.Information, Message = "Opinion {TrackingNumber} submitted")]
    private static partial void LogSubmitted(ILogger logger, string trackingNumber);

    [LoggerMessage(EventId = 4410, Level = LogLevel.Information, Message = "Opinion {TrackingNumber} revised and submitted again")]
    private static partial void LogResubmitted(ILogger logger, string trackingNumber);

    [LoggerMessage(EventId = 4401, Level = LogLevel.Information, Message = "Tracking number {TrackingNumber} was taken by a concurrent submission (attempt {Attempt}); retrying with the next one")]
    private static partial void LogNumberTaken(ILogger logger, string trackingNumber, int attempt);

    [LoggerMessage(EventId = 4402, Level = LogLevel.Information, Message = "Opinion {TrackingNumber}: {Sent} of {Total} InfoOffice staff notified at once")]
    private static partial void LogStaffNotified(ILogger logger, string trackingNumber, int sent, int total);
}
