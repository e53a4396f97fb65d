using Linping.CppccBot.Channels.DingTalk;
using Linping.CppccBot.Channels.WeCom;
using Linping.CppccBot.Persistence;
using Linping.CppccBot.Persistence.Entities;
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
/// approved, a new 社情民意 report arrived). Sends on the person's channel: WeCom or DingTalk.
/// </summary>
public interface INotifier
{
    Task<NotificationOutcome> NotifyMemberAsync(string memberId, string text, CancellationToken cancellationToken);

    Task<NotificationOutcome> NotifyStaffAsync(string staffId, string text, CancellationToken cancellationToken);
}

/// <summary>
/// Sends notifications on the person's channel: first in the member's preferred app (<see cref="Member.PreferredApp"/>;
/// WeCom when there is none, and always for staff), else (or when that app refuses or cannot be reached) in the other:
/// the WeCom app (<c>message/send</c>) when they have a WeCom user id and WeCom can send, a one-to-one DingTalk robot
/// message (<c>oToMessages/batchSend</c>) when they have a DingTalk user id and DingTalk is on. A notification goes
/// out on one channel, never on both.
/// </summary>
public sealed partial class ChannelNotifier(
    BotDbContext db,
    IOptions<WeComOptions> wecomOptions,
    IOptions<DingTalkOptions> dingTalkOptions,
    IServiceProvider services,
    ILogger<ChannelNotifier> logger) : INotifier
{
    public async Task<NotificationOutcome> NotifyMemberAsync(string memberId, string text, CancellationToken cancellationToken)
    {
        var ids = await db.Members.AsNoTracking().Where(m => m.Id == memberId)
            .Select(m => new { m.WeComUserId, m.DingTalkUserId, m.PreferredApp }).FirstOrDefaultAsync(cancellationToken);
        return await SendAsync(ids?.WeComUserId, ids?.DingTalkUserId, ids?.PreferredApp, text, cancellationToken);
    }

    public async Task<NotificationOutcome> NotifyStaffAsync(string staffId, string text, CancellationToken cancellationToken)
    {
        var ids = await db.Staff.AsNoTracking().Where(s => s.Id == staffId)
            .Select(s => new { s.WeComUserId, s.DingTalkUserId }).FirstOrDefaultAsync(cancellationToken);
        return await SendAsync(ids?.WeComUserId, ids?.DingTalkUserId, null, text, cancellationToken);
    }

    private async Task<NotificationOutcome> SendAsync(string? weComUserId, string? dingTalkUserId, MessagingApp? preferred, string text, CancellationToken cancellationToken)
    {
        // The preferred app first (WeCom when there is no preference); the other only when the first cannot take it.
        MessagingApp[] order = preferred == MessagingApp.DingTalk ? [MessagingApp.DingTalk, MessagingApp.WeCom] : [MessagingApp.WeCom, MessagingApp.DingTalk];
        var outcome = NotificationOutcome.NoChannel;
        foreach (var app in order)
        {
            if (app == MessagingApp.WeCom && !string.IsNullOrEmpty(weComUserId) && wecomOptions.Value.CanSend)
            {
                outcome = await SendOnWeComAsync(weComUserId, text, cancellationToken);
            }
            else if (app == MessagingApp.DingTalk && !string.IsNullOrEmpty(dingTalkUserId) && dingTalkOptions.Value.IsEnabled)
            {
                outcome = await SendOnDingTalkAsync(dingTalkUserId, text, cancellationToken);
            }

            if (outcome == NotificationOutcome.Sent)
            {
                return outcome;
            }
        }

        if (outcome == NotificationOutcome.NoChannel)
        {
            LogNoChannel(logger);
        }

        return outcome;
    }

    private async Task<NotificationOutcome> SendOnWeComAsync(string weComUserId, string text, CancellationToken cancellationToken)
    {
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

    private async Task<NotificationOutcome> SendOnDingTalkAsync(string dingTalkUserId, string text, CancellationToken cancellationToken)
    {
        try
        {
            var result = await services.GetRequiredService<IDingTalkMessenger>().SendToUsersAsync([dingTalkUserId], DingTalkContent.Plain(text), cancellationToken);
            if (result.AllDelivered)
            {
                return NotificationOutcome.Sent;
            }

            LogFailed(logger, result.FlowControlledStaffIds.Count > 0 ? "DingTalkFlowControlled" : "DingTalkInvalidUser");
            return NotificationOutcome.Failed;
        }
        catch (DingTalkApiException ex)
        {
            LogFailed(logger, "DingTalk " + (ex.Code ?? "no answer"));
            return NotificationOutcome.Failed;
        }
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Warning, Message = "A notification was not sent: the person has no user id on a channel that can send (WeCom with Secret and AgentId, or DingTalk)")]
    private static partial void LogNoChannel(ILogger logger);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "A notification was not delivered ({ErrorKind})")]
    private static partial void LogFailed(ILogger logger, string errorKind);
}
