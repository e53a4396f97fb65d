using Linping.CppccBot.Channels.DingTalk;
using Linping.CppccBot.Persistence.Entities;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Features.Reminders;

/// <summary>
/// Reminders through DingTalk, when the DingTalk app is configured (<c>DingTalk:ClientId</c> and <c>ClientSecret</c>):
/// personal ones as one-to-one robot messages (<c>robot/oToMessages/batchSend</c>, at most 20 users a call), group ones
/// through each group's custom robot webhook (<c>robot/send</c>, signed with the robot's 加签 secret, at most 20 a minute).
/// Users DingTalk lists in <c>invalidStaffIdList</c> or <c>filteredStaffIdList</c> (it delivered nothing to them, and
/// will not on a retry) are recorded as Invalid, so the other app is tried (with only the rest of a long text whose
/// first parts they got); those in <c>flowControlledStaffIdList</c>,
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
        var byUser = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            var userId = member.DingTalkUserId!.Trim();
            if (!byUser.TryGetValue(userId, out var ids))
            {
                byUser[userId] = ids = [];
            }

            ids.Add(member.MemberId);
        }

        // The messenger batches by 20 and says who got what, also when a call fails midway.
        var outcomes = new Dictionary<string, DeliveryOutcome>(StringComparer.Ordinal);
        try
        {
            Record(byUser, byUser.Keys, outcomes, await messenger.SendToUsersAsync(byUser.Keys, DingTalkContent.Plain(message.Text), cancellationToken), message.Text);
        }
        catch (DingTalkApiException ex)
        {
            var failed = Failed(ex);
            if (ex.PartialResult is { } partial)
            {
                Record(byUser, partial.StaffIds, outcomes, partial, message.Text);
            }

            // The users of the call that failed may have the first parts of a long text; the later ones have nothing.
            IEnumerable<string> inFlight = ex.PartialResult is null ? byUser.Keys : ex.StaffIdsInFlight;
            foreach (var userId in inFlight)
            {
                Record(outcomes, byUser[userId], Rest(failed, message.Text, ex.PartsSent) with { Unanswered = ex.Unanswered });
            }

            foreach (var (_, memberIds) in byUser)
            {
                foreach (var memberId in memberIds)
                {
                    outcomes.TryAdd(memberId, failed);
                }
            }
        }

        return outcomes;
    }

    /// <summary>
    /// The outcome of <paramref name="userIds"/> in <paramref name="result"/>. One left out after the first parts of a
    /// long text has them: a retry, or the other app when DingTalk refuses them for good, sends only the rest.
    /// </summary>
    private static void Record(Dictionary<string, List<string>> byUser, IEnumerable<string> userIds, Dictionary<string, DeliveryOutcome> outcomes, DingTalkUserSendResult result, string text)
    {
        var invalid = result.InvalidStaffIds.ToHashSet(StringComparer.Ordinal);
        var throttled = result.FlowControlledStaffIds.ToHashSet(StringComparer.Ordinal);
        var filtered = result.FilteredStaffIds.ToHashSet(StringComparer.Ordinal);
        foreach (var userId in userIds)
        {
            var refused = invalid.Contains(userId) ? DeliveryOutcome.Invalid
                : filtered.Contains(userId) ? Filtered
                : throttled.Contains(userId) ? FlowControlled
                : null;
            var outcome = refused is null ? DeliveryOutcome.Sent : Rest(refused, text, result.PartsSent?.GetValueOrDefault(userId) ?? 0);
            Record(outcomes, byUser[userId], outcome);
        }
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

    private static void Record(Dictionary<string, DeliveryOutcome> outcomes, IEnumerable<string> memberIds, DeliveryOutcome outcome)
    {
        foreach (var memberId in memberIds)
        {
            outcomes[memberId] = outcome;
        }
    }
}
