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

    /// <summary>Not delivered yet (rate limit, busy, network): kept in the ledger and sent again automatically.</summary>
    Queued,
}

/// <summary>
/// Tells a staff member something outside a conversation turn (a new 社情民意 report arrived, a proposal was evaluated),
/// once, on their channel: WeCom or DingTalk. Members' news goes through the ledger instead (<see cref="MemberNoticeDispatcher"/>),
/// so it is retried.
/// </summary>
public interface IStaffNotifier
{
    Task<NotificationOutcome> NotifyStaffAsync(string staffId, string text, CancellationToken cancellationToken);
}

/// <summary>
/// Sends staff notifications: first in WeCom, else (or when WeCom refuses or cannot be reached) in DingTalk:
/// the WeCom app (<c>message/send</c>) when they have a WeCom user id and WeCom can send, a one-to-one DingTalk robot
/// message (<c>oToMessages/batchSend</c>) when they have a DingTalk user id and DingTalk is on. A notification goes
/// out on one channel, never on both.
/// </summary>
public sealed partial class StaffNotifier(
    BotDbContext db,
    IOptions<WeComOptions> wecomOptions,
    IOptions<DingTalkOptions> dingTalkOptions,
    IServiceProvider services,
    ILogger<StaffNotifier> logger) : IStaffNotifier
{
    public async Task<NotificationOutcome> NotifyStaffAsync(string staffId, string text, CancellationToken cancellationToken)
    {
        var ids = await db.Staff.AsNoTracking().Where(s => s.Id == staffId)
            .Select(s => new { s.WeComUserId, s.DingTalkUserId }).FirstOrDefaultAsync(cancellationToken);
        return await SendAsync(ids?.WeComUserId, ids?.DingTalkUserId, text, cancellationToken);
    }

    private async Task<NotificationOutcome> SendAsync(string? weComUserId, string? dingTalkUserId, string text, CancellationToken cancellationToken)
    {
        // WeCom first; DingTalk only when WeCom cannot take it.
        MessagingApp[] order = [MessagingApp.WeCom, MessagingApp.DingTalk];
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
