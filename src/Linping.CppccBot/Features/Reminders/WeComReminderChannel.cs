using Linping.CppccBot.Channels.WeCom;
using Linping.CppccBot.Persistence.Entities;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Features.Reminders;

/// <summary>
/// Reminders through WeCom: personal ones as app text messages (<c>message/send</c>, up to 1000 users a call), group
/// ones through each group robot's webhook. A refused token is refreshed and retried once by <see cref="WeComApiClient"/>.
/// </summary>
public sealed class WeComReminderChannel(IOptions<WeComOptions> options, IServiceProvider services) : IReminderChannel
{
    public string Name => "WeCom";

    public int GroupMessagesPerMinute => 20;

    public bool CanReach(MemberAddress member) => options.Value.CanSend && !string.IsNullOrWhiteSpace(member?.WeComUserId);

    public bool CanReach(GroupAddress group) => !string.IsNullOrWhiteSpace(group?.WeComWebhookKey);

    public async Task<IReadOnlyDictionary<string, DeliveryOutcome>> SendToMembersAsync(
        IReadOnlyList<MemberAddress> members, ReminderMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(message);
        var client = services.GetRequiredService<WeComApiClient>();
        var outcomes = new Dictionary<string, DeliveryOutcome>(StringComparer.Ordinal);
        DeliveryOutcome? stop = null;
        foreach (var batch in members.Chunk(WeComApiClient.MaxUsersPerCall))
        {
            if (stop is not null)
            {
                // The channel is busy, limited or unreachable: the rest waits for the next run rather than hammering it.
                Record(outcomes, batch, stop);
                continue;
            }

            var byUser = batch.ToDictionary(m => m.WeComUserId!, m => m.MemberId, StringComparer.OrdinalIgnoreCase);
            try
            {
                var result = await client.SendTextAsync(byUser.Keys, message.Text, cancellationToken);
                if (result.Succeeded || result.ErrorKind == WeComErrorKind.None)
                {
                    var invalid = result.InvalidUsers.ToHashSet(StringComparer.OrdinalIgnoreCase);
                    foreach (var (userId, memberId) in byUser)
                    {
                        outcomes[memberId] = invalid.Contains(userId) ? DeliveryOutcome.Invalid : DeliveryOutcome.Sent;
                    }

                    continue;
                }

                var failure = result.FirstFailure!;
                if (failure.ErrCode == WeComErrorCodes.AllRecipientsInvalid)
                {
                    Record(outcomes, batch, DeliveryOutcome.Invalid with { ErrCode = failure.ErrCode });
                    continue;
                }

                stop = Failed(failure.Kind, failure.ErrCode);
                Record(outcomes, batch, stop);
            }
            catch (WeComApiException ex)
            {
                stop = Failed(ex.Kind, ex.ErrCode);
                Record(outcomes, batch, stop);
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
            var result = await services.GetRequiredService<WeComApiClient>().SendWebhookTextAsync(group.WeComWebhookKey!, message.Text, cancellationToken);
            return result.Succeeded ? DeliveryOutcome.Sent : Failed(result.ErrorKind, result.FirstFailure?.ErrCode);
        }
        catch (WeComApiException ex)
        {
            return Failed(ex.Kind, ex.ErrCode);
        }
    }

    private static DeliveryOutcome Failed(WeComErrorKind kind, int? errCode) =>
        new(ReminderDeliveryStatus.Failed, errCode, kind.ToString(), kind == WeComErrorKind.RateLimited);

    private static void Record(Dictionary<string, DeliveryOutcome> outcomes, IEnumerable<MemberAddress> batch, DeliveryOutcome outcome)
    {
        foreach (var member in batch)
        {
            outcomes[member.MemberId] = outcome;
        }
    }
}
