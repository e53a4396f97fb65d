using Linping.CppccBot.Channels.WeCom;
using Linping.CppccBot.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Features.Notifications;

/// <summary>What a notification achieved, for the caller to record or report.</summary>
public enum NotificationOutcome
{
    Sent,

    /// <summary>The person has no user id on any channel the bot can send on.</summary>
    NoChannel,

    /// <summary>The channel refused or could not be reached; the text was not delivered.</summary>
    Failed,
}

/// <summary>
/// Tells a member or a staff member something outside a conversation turn (a waitlist place became free, leave was
/// approved, a new 社情民意 report arrived). Sends on the person's channel; WeCom today, DingTalk with its issue.
/// </summary>
public interface INotifier
{
    Task<NotificationOutcome> NotifyMemberAsync(string memberId, string text, CancellationToken cancellationToken);

    Task<NotificationOutcome> NotifyStaffAsync(string staffId, string text, CancellationToken cancellationToken);
}

/// <summary>Sends notifications through the WeCom app (<c>message/send</c>).</summary>
public sealed partial class ChannelNotifier(
    BotDbContext db,
    IOptions<WeComOptions> wecomOptions,
    IServiceProvider services,
    ILogger<ChannelNotifier> logger) : INotifier
{
    public async Task<NotificationOutcome> NotifyMemberAsync(string memberId, string text, CancellationToken cancellationToken)
    {
        var userId = await db.Members.AsNoTracking().Where(m => m.Id == memberId).Select(m => m.WeComUserId).FirstOrDefaultAsync(cancellationToken);
        return await SendAsync(userId, text, cancellationToken);
    }

    public async Task<NotificationOutcome> NotifyStaffAsync(string staffId, string text, CancellationToken cancellationToken)
    {
        var userId = await db.Staff.AsNoTracking().Where(s => s.Id == staffId).Select(s => s.WeComUserId).FirstOrDefaultAsync(cancellationToken);
        return await SendAsync(userId, text, cancellationToken);
    }

    private async Task<NotificationOutcome> SendAsync(string? weComUserId, string text, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(weComUserId) || !wecomOptions.Value.CanSend)
        {
            LogNoChannel(logger);
            return NotificationOutcome.NoChannel;
        }

        try
        {
            var result = await services.GetRequiredService<WeComApiClient>().SendTextAsync([weComUserId], text, cancellationToken);
            if (result.Succeeded && result.InvalidUsers.Count == 0)
            {
                return NotificationOutcome.Sent;
            }

            LogFailed(logger, result.ErrorKind.ToString());
            return NotificationOutcome.Failed;
        }
        catch (WeComApiException ex)
        {
            LogFailed(logger, ex.Kind.ToString());
            return NotificationOutcome.Failed;
        }
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Warning, Message = "A notification was not sent: the person has no WeCom user id or WeCom sending is not configured")]
    private static partial void LogNoChannel(ILogger logger);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "A notification was not delivered ({ErrorKind})")]
    private static partial void LogFailed(ILogger logger, string errorKind);
}
