using Hangfire;
using Linping.CppccBot.Features.Notifications;

namespace Linping.CppccBot.Features.Reminders;

/// <summary>
/// The recurring Hangfire job: one dispatcher run. Hangfire does not retry it; the next minute's run picks up
/// whatever is left, from the ledger.
/// </summary>
public sealed class ReminderJob(ReminderDispatcher dispatcher, ProposalNewsDispatcher proposalNews, NoticeDispatcher memberNotices)
{
    public const string RecurringJobId = "reminders";

    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Send due meeting reminders, proposal news and members' notices")]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await dispatcher.RunAsync(cancellationToken);
        await proposalNews.RunAsync(cancellationToken);
        await memberNotices.RunAsync(cancellationToken);
    }
}
