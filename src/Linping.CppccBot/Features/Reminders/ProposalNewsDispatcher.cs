using System.Globalization;
using Linping.CppccBot.Hosting;
using Linping.CppccBot.Persistence;
using Linping.CppccBot.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Features.Reminders;

/// <summary>
/// Proposal news for the proposers, on the reminder ledger (exactly once per proposal, event and member): 已交办,
/// 已答复 and 不予立案 when the proposal reached it within <see cref="ReminderOptions.ProposalNewsWindow"/> and has not
/// gone past it (已交办 still holds in 办理中, 已答复 in 已办结: staff moving on at once must not swallow the news), and
/// one reminder to evaluate <see cref="ReminderOptions.EvaluationReminderAfter"/> after 已答复 when no evaluation came.
/// The ledger row's subject (<see cref="ReminderDelivery.MeetingId"/>) is <c>proposal:{session}/{serial}</c> and its
/// <see cref="ReminderDelivery.MeetingStartsAt"/> the time of the status change, so a later change is news again.
/// The same minute job runs it after the meeting reminders.
/// </summary>
public sealed partial class ProposalNewsDispatcher(
    BotDbContext db,
    ProposalNewsTexts texts,
    IEnumerable<IReminderChannel> channels,
    IOptions<ReminderOptions> options,
    TimeProvider time,
    BotMetrics metrics,
    ILogger<ProposalNewsDispatcher> logger)
{
    public const string SubjectPrefix = "proposal:";
    public const string AssignedKind = "proposal-assigned";
    public const string RepliedKind = "proposal-replied";
    public const string EvaluateKind = "proposal-evaluate";
    public const string NotFiledKind = "proposal-not-filed";

    private readonly IReadOnlyList<IReminderChannel> _channels = [.. channels];

    public static string Subject(Proposal proposal) => SubjectPrefix + proposal.Key;

    public async Task<ReminderRunSummary> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var token = Guid.NewGuid().ToString("N");
        var due = await DueAsync(now, cancellationToken);
        await ClaimAsync(due, now, token, cancellationToken);
        await ReminderLedger.ClaimRetriesAsync(db, r => r.MeetingId.StartsWith(SubjectPrefix), now, options.Value.ClaimLease, token, cancellationToken);

        db.ChangeTracker.Clear();
        var claimed = await db.ReminderDeliveries.AsNoTracking()
            .Where(r => r.ClaimToken == token && r.Status == ReminderDeliveryStatus.Pending)
            .ToListAsync(cancellationToken);
        if (claimed.Count == 0)
        {
            return new ReminderRunSummary(0, 0, 0, 0, 0, 0);
        }

        var current = due.Select(d => (d.Subject, d.Kind, d.At.UtcTicks)).ToHashSet();
        var keys = claimed.Select(r => r.MeetingId[SubjectPrefix.Length..]).ToHashSet(StringComparer.Ordinal);
        var serials = keys.Select(k => ProposalNumber.TryParseKey(k, out _, out var serial) ? serial : -1).Distinct().ToList();
        var proposals = (await db.Proposals.AsNoTracking().Include(p => p.Proposers).Include(p => p.Units).Include(p => p.History)
                .Where(p => EF.Parameter(serials).Contains(p.Serial)).AsSplitQuery().ToListAsync(cancellationToken))
            .Where(p => keys.Contains(p.Key)).ToDictionary(p => p.Key, StringComparer.Ordinal);
        var latestSession = ProposalNumber.Latest(await db.Proposals.AsNoTracking().Select(p => p.Session).Distinct().ToListAsync(cancellationToken));
        foreach (var batch in claimed.GroupBy(r => (r.MeetingId, r.Kind, r.MeetingStartsAt)))
        {
            // Only the batch's rows are tracked while they are settled and saved: each save looks at one proposal's
            // rows, not again at every row of the run (10,000 after an import in which 5,000 proposals were answered).
            db.ChangeTracker.Clear();
            db.ReminderDeliveries.AttachRange(batch);
            var proposal = proposals.GetValueOrDefault(batch.Key.MeetingId[SubjectPrefix.Length..]);
            var positions = proposal?.Proposers.ToDictionary(p => p.MemberId, p => p.Position, StringComparer.Ordinal) ?? [];
            var stillDue = current.Contains((batch.Key.MeetingId, batch.Key.Kind, batch.Key.MeetingStartsAt.UtcTicks))
                || (proposal is not null && StillWanted(proposal, batch.Key.Kind));
            foreach (var row in batch.Where(r => proposal is null || !stillDue || !positions.ContainsKey(r.RecipientId)))
            {
                // Moved on, evaluated or no longer a proposer since the claim (a retry): nothing to say any more.
                ReminderDispatcher.Settle(row, now, new DeliveryOutcome(ReminderDeliveryStatus.Obsolete));
            }

            if (proposal is null || !stillDue)
            {
                await db.SaveChangesAsync(CancellationToken.None);
                continue;
            }

            foreach (var byRole in batch.Where(r => positions.ContainsKey(r.RecipientId)).GroupBy(r => positions[r.RecipientId] == 0))
            {
                await MemberReminderSender.SendAsync(db, _channels, [.. byRole], texts.For(proposal, batch.Key.Kind, lead: byRole.Key, latestSession), now, cancellationToken);
            }

            await db.SaveChangesAsync(CancellationToken.None);
        }

        db.ChangeTracker.Clear();
        var summary = ReminderRunSummary.Of(claimed);
        LogRun(logger, summary.Claimed, summary.Sent, summary.Invalid, summary.NoChannel, summary.Failed, summary.Obsolete);
        metrics.RemindersRun("proposal_news", summary.Claimed, summary.Sent, summary.Failed, summary.Invalid + summary.NoChannel);
        return summary;
    }

    private static bool StillWanted(Proposal proposal, string kind) => kind switch
    {
        AssignedKind or RepliedKind or NotFiledKind => NewsOf(proposal.Status) is { } news && news.Kind == kind,
        _ => proposal.Status == ProposalStatus.Replied && proposal.Evaluation is null,
    };

    /// <summary>The news a proposal in <paramref name="status"/> may still have to tell, and the status that made it.</summary>
    private static (string Kind, ProposalStatus Reached)? NewsOf(ProposalStatus status) => status switch
    {
        ProposalStatus.Assigned or ProposalStatus.InHandling => (AssignedKind, ProposalStatus.Assigned),
        ProposalStatus.Replied or ProposalStatus.Closed => (RepliedKind, ProposalStatus.Replied),
        ProposalStatus.NotFiled => (NotFiledKind, ProposalStatus.NotFiled),
        _ => null,
    };

    private sealed record DueNews(string Subject, string Kind, DateTimeOffset At, string MemberId);

    /// <summary>The news due now and not yet in the ledger.</summary>
    private async Task<List<DueNews>> DueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var window = options.Value.ProposalNewsWindow;
        var after = options.Value.EvaluationReminderAfter;
        var oldest = now - window - after;
        var withNews = new[] { ProposalStatus.Assigned, ProposalStatus.InHandling, ProposalStatus.Replied, ProposalStatus.Closed, ProposalStatus.NotFiled };

        // A status change by the importer or staff is recorded as a StateChange with a From; creating a record is not news.
        // Only changes and history since the oldest time that can still be news are read: the job runs every minute and
        // years of settled proposals have nothing left to tell.
        var toStates = new[] { nameof(ProposalStatus.Assigned), nameof(ProposalStatus.Replied), nameof(ProposalStatus.NotFiled) };
        var changes = await db.StateChanges.AsNoTracking()
            .Where(c => c.EntityType == StateChangeEntityTypes.Proposal && c.From != null && toStates.Contains(c.To) && c.At >= oldest)
            .Select(c => new { c.EntityId, c.To, c.At })
            .ToListAsync(cancellationToken);
        var changesByKey = changes.ToLookup(c => c.EntityId, StringComparer.Ordinal);
        var changedKeys = changes.Select(c => c.EntityId).ToHashSet(StringComparer.Ordinal);
        var changedSerials = changedKeys.Select(k => ProposalNumber.TryParseKey(k, out _, out var serial) ? serial : -1).Where(s => s > 0).Distinct().ToList();
        var proposals = (await db.Proposals.AsNoTracking().Include(p => p.Proposers).Include(p => p.History)
                .Where(p => withNews.Contains(p.Status) && (p.History.Any(h => h.At >= oldest) || EF.Parameter(changedSerials).Contains(p.Serial)))
                .AsSplitQuery().ToListAsync(cancellationToken))
            .Where(p => p.History.Any(h => h.At >= oldest) || changedKeys.Contains(p.Key))
            .ToList();
        if (proposals.Count == 0)
        {
            return [];
        }

        var planned = new List<DueNews>();
        foreach (var proposal in proposals)
        {
            var (kind, reached) = NewsOf(proposal.Status)!.Value;
            var entityId = proposal.Key;
            var status = reached.ToString();
            var times = proposal.History.Where(h => h.Status == reached).Select(h => h.At)
                .Concat(changesByKey[entityId].Where(c => c.To == status).Select(c => c.At))
                .Where(t => t <= now)
                .ToList();
            if (times.Count == 0)
            {
                continue;
            }

            var at = times.Max();
            var kinds = new List<string>();
            if (now - at <= window)
            {
                kinds.Add(kind);
            }

            if (proposal.Status == ProposalStatus.Replied && proposal.Evaluation is null && at + after <= now && now - (at + after) <= window)
            {
                kinds.Add(EvaluateKind);
            }

            var subject = Subject(proposal);
            planned.AddRange(kinds.SelectMany(k => proposal.Proposers.OrderBy(p => p.Position).Select(p => new DueNews(subject, k, at, p.MemberId))));
        }

        if (planned.Count == 0)
        {
            return [];
        }

        var memberIds = planned.Select(p => p.MemberId).Distinct().ToList();
        var active = (await db.Members.AsNoTracking().Where(m => m.IsActive && EF.Parameter(memberIds).Contains(m.Id)).Select(m => m.Id).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        var subjects = planned.Select(p => p.Subject).Distinct().ToList();
        var ledger = (await db.ReminderDeliveries.AsNoTracking()
                .Where(r => EF.Parameter(subjects).Contains(r.MeetingId))
                .Select(r => new { r.MeetingId, r.Kind, r.MeetingStartsAt, r.RecipientId })
                .ToListAsync(cancellationToken))
            .Select(r => (r.MeetingId, r.Kind, r.MeetingStartsAt.UtcTicks, r.RecipientId))
            .ToHashSet();
        return [.. planned.Where(p => active.Contains(p.MemberId) && !ledger.Contains((p.Subject, p.Kind, p.At.UtcTicks, p.MemberId)))];
    }

    private async Task ClaimAsync(List<DueNews> due, DateTimeOffset now, string token, CancellationToken cancellationToken)
    {
        if (due.Count == 0)
        {
            return;
        }

        await ReminderLedger.ClaimAsync(
            db, due.Select(d => new DueReminder(d.Subject, d.Kind, d.At, ReminderRecipientType.Member, d.MemberId)), now, token, cancellationToken);
    }

    [LoggerMessage(EventId = 4020, Level = LogLevel.Information, Message = "Proposal news: {Claimed} claimed, {Sent} sent, {Invalid} invalid recipients, {NoChannel} without a channel, {Failed} to retry, {Obsolete} obsolete")]
    private static partial void LogRun(ILogger logger, int claimed, int sent, int invalid, int noChannel, int failed, int obsolete);
}
