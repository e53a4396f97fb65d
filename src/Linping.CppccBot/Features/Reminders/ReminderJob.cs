using Hangfire;
using Linping.CppccBot.Features.Meetings;
using Linping.CppccBot.Features.Notifications;

namespace Linping.CppccBot.Features.Reminders;

/// <summary>
/// The recurring Hangfire job: one dispatcher run. Hangfire does not retry it; the next minute's run picks up
/// whatever is left, from the ledger.
/// </summary>
public sealed class ReminderJob(ReminderDispatcher dispatcher, ProposalNewsDispatcher proposalNews, NoticeDispatcher notices, MeetingService meetings)
{
    public const string RecurringJobId = "reminders";

    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Send due meeting reminders, proposal news and notices; give free seats to waitlists")]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // Seats a change outside the staff API freed (an import raised the number) go to the waitlist before anything
        // is sent, so the promotion notices go out in this run.
        await meetings.FillFreeSeatsAsync(cancellationToken);
        await dispatcher.RunAsync(cancellationToken);
        await proposalNews.RunAsync(cancellationToken);
        await notices.RunAsync(cancellationToken);
    }
}
