using Linping.CppccBot.Channels.DingTalk;
using Linping.CppccBot.Persistence.Entities;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Features.Reminders;

/// <summary>
/// Reminders through DingTalk, when the DingTalk app is configured (<c>DingTalk:ClientId</c> and <c>ClientSecret</c>):
/// personal ones as one-to-one robot messages (<c>robot/oToMessages/batchSend</c>, at most 20 users a call), group ones
/// through each group's custom robot webhook (<c>robot/send</c>, signed with the robot's 加签 secret, at most 20 a minute).
/// Users DingTalk lists in <c>invalidStaffIdList</c> or <c>filteredStaffIdList</c> (it delivered nothing to them, and
/// will not on a retry) are recorded as Invalid, so the other app is tried; those in <c>flowControlledStaffIdList</c>,
/// throttling, a busy server and network failures are Failed and retried by the dispatcher. A refused token is refreshed
/// and the call retried once by <see cref="DingTalkApiClient"/>. In the ledger <c>ErrCode</c> is the webhook's errcode or
/// the OpenAPI's HTTP status, and <c>Error</c> DingTalk's code.
/// </summary>
public sealed class DingTalkReminderChannel(IOptions<DingTalkOptions> options, IServiceProvider services) : IReminderChannel
{
    public string Name => nameof(MessagingApp.DingTalk);

    public int MembersPerCall => DingTalkApiClient.MaxUsersPerCall;

    public int GroupMessagesPerMinute => DingTalkCustomRobotLimiter.MessagesPerMinute;

    public bool CanReach(MemberAddress member) => options.Value.IsEnabled && !string.IsNullOrWhiteSpace(member?.DingTalkUserId);

    public bool CanReach(GroupAddress group) => options.Value.IsEnabled && !string.IsNullOrWhiteSpace(group?.DingTalkAccessToken);

    public async Task<IReadOnlyDictionary<string, DeliveryOutcome>> SendToMembersAsync(
        IReadOnlyList<MemberAddress> members, ReminderMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(message);
        var messenger = services.GetRequiredService<IDingTalkMessenger>();
        var content = DingTalkContent.Plain(message.Text);
        var outcomes = new Dictionary<string, DeliveryOutcome>(StringComparer.Ordinal);
        DeliveryOutcome? stop = null;

        // One call per 20 users, so a failed call settles exactly the members it carried.
        foreach (var batch in members.Chunk(DingTalkApiClient.MaxUsersPerCall))
        {
            if (stop is not null)
            {
                // DingTalk is busy, throttling or unreachable: the rest waits for the next run rather than hammering it.
                Record(outcomes, batch, stop);
                continue;
            }

            var byUser = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var member in batch)
            {
                var userId = member.DingTalkUserId!.Trim();
                if (!byUser.TryGetValue(userId, out var ids))
                {
                    byUser[userId] = ids = [];
                }

                ids.Add(member.MemberId);
            }

            try
            {
                var result = await messenger.SendToUsersAsync(byUser.Keys, content, cancellationToken);
                var invalid = result.InvalidStaffIds.ToHashSet(StringComparer.Ordinal);
                var throttled = result.FlowControlledStaffIds.ToHashSet(StringComparer.Ordinal);
                var filtered = result.FilteredStaffIds.ToHashSet(StringComparer.Ordinal);
                foreach (var (userId, memberIds) in byUser)
                {
                    var outcome = invalid.Contains(userId) ? DeliveryOutcome.Invalid
                        : filtered.Contains(userId) ? Filtered
                        : throttled.Contains(userId) ? Rest(FlowControlled, message.Text, result.PartsSent?.GetValueOrDefault(userId) ?? 0)
                        : DeliveryOutcome.Sent;
                    foreach (var memberId in memberIds)
                    {
                        outcomes[memberId] = outcome;
                    }
                }
            }
            catch (DingTalkApiException ex)
            {
                // This batch may have the first parts of a long text (the rest of the list has nothing).
                stop = Failed(ex);
                Record(outcomes, batch, Rest(stop, message.Text, ex.PartsSent) with { Unanswered = ex.Unanswered });
            }
        }

        return outcomes;
    }

    public async Task<DeliveryOutcome> SendToGroupAsync(GroupAddress group, ReminderMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            await services.GetRequiredService<DingTalkApiClient>()
                .SendCustomRobotAsync(group.DingTalkAccessToken!, group.DingTalkSecret, DingTalkContent.Plain(message.Text), cancellationToken);
            return DeliveryOutcome.Sent;
        }
        catch (DingTalkApiException ex) when (ex.Code == "300001")
        {
            // The robot's access token does not exist (the robot was removed from the group): staff fix the group's settings.
            return new DeliveryOutcome(ReminderDeliveryStatus.Invalid, 300001, "UnknownRobot");
        }
        catch (DingTalkApiException ex)
        {
            return Rest(Failed(ex), message.Text, ex.PartsSent) with { Unanswered = ex.Unanswered };
        }
    }

    /// <summary><paramref name="failed"/>, with the rest of <paramref name="text"/> when its first parts went out.</summary>
    private static DeliveryOutcome Rest(DeliveryOutcome failed, string text, int partsSent) =>
        partsSent > 0 ? failed with { Unsent = DingTalkApiClient.Unsent(text, null, partsSent) } : failed;

    private static DeliveryOutcome Filtered { get; } = new(ReminderDeliveryStatus.Invalid, Error: "Filtered");

    private static DeliveryOutcome FlowControlled { get; } = new(ReminderDeliveryStatus.Failed, Error: "FlowControlled", RateLimited: true);

    private static DeliveryOutcome Failed(DingTalkApiException ex)
    {
        // Webhook errcodes are numbers (130101 too fast, 310000 signature); the OpenAPI answers an HTTP status and a code.
        var errCode = int.TryParse(ex.Code, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : ex.HttpStatus;
        var error = ex.HttpStatus is null ? "Network" : ex.Code ?? "HTTP " + ex.HttpStatus.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var rateLimited = ex.HttpStatus == 429
            || ex.Code is "130101" or "LocalRateLimit"
            || (ex.Code?.Contains("QpsLimit", StringComparison.Ordinal) ?? false);
        return new DeliveryOutcome(ReminderDeliveryStatus.Failed, errCode, error.Length > 64 ? error[..64] : error, rateLimited);
    }

    private static void Record(Dictionary<string, DeliveryOutcome> outcomes, IEnumerable<MemberAddress> batch, DeliveryOutcome outcome)
    {
        foreach (var member in batch)
        {
            outcomes[member.MemberId] = outcome;
        }
    }
}
