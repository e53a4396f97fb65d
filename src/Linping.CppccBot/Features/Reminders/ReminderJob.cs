using Hangfire;
using Linping.CppccBot.Features.Meetings;
using Linping.CppccBot.Features.Notifications;
using Linping.CppccBot.Hosting;

namespace Linping.CppccBot.Features.Reminders;

/// <summary>
/// The recurring Hangfire job: one dispatcher run. Hangfire does not retry it; the next minute's run picks up
/// whatever is left, from the ledger. A run the database or Redis being away stops is one line in the log (the outage
/// itself is reported by <see cref="DependencyOutages"/>), not a failed job with a stack trace every minute.
/// </summary>
public sealed partial class ReminderJob(ReminderDispatcher dispatcher, ProposalNewsDispatcher proposalNews, NoticeDispatcher notices, MeetingService meetings, ILogger<ReminderJob> logger)
{
    public const string RecurringJobId = "reminders";

    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Send due meeting reminders, proposal news and notices; give free seats to waitlists")]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Seats freed outside the staff API and the import (the number changed in the database, a promotion a
            // crash interrupted) go to the waitlist before anything is sent, so the promotion notices go out in this run.
            await meetings.FillFreeSeatsAsync(cancellationToken);
            await dispatcher.RunAsync(cancellationToken);
            await proposalNews.RunAsync(cancellationToken);
            await notices.RunAsync(cancellationToken);
        }
        catch (Exception ex) when (InfrastructureFailure.Is(ex) && !cancellationToken.IsCancellationRequested)
        {
            LogRunStopped(logger, ex.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "Reminder run stopped: the database or Redis is unavailable ({ExceptionType}); the next run picks up what is left")]
    private static partial void LogRunStopped(ILogger logger, string exceptionType);
}
