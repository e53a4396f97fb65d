using Linping.CppccBot.Channels.WeCom;
using Linping.CppccBot.Persistence.Entities;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Features.Reminders;

/// <summary>
/// Reminders through WeCom: personal ones as app template cards with buttons when the reminder has a card (else text),
/// through <c>message/send</c>, up to 1000 users a call; a card WeCom refuses as such (a request error, not a limit or
/// an outage) is sent once more as text. Group ones go through each group robot's webhook as text. A refused token is refreshed and retried once by <see cref="WeComApiClient"/>.
/// </summary>
public sealed partial class WeComReminderChannel(IOptions<WeComOptions> options, IServiceProvider services, ILogger<WeComReminderChannel> logger) : IReminderChannel
{
    public string Name => "WeCom";

    public int MembersPerCall => WeComApiClient.MaxUsersPerCall;

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

            // WeCom user ids are case-insensitive: two roster entries with one account (WangJianGuo, wangjianguo) are one
            // recipient, sent to once, and each entry gets its outcome.
            var byUser = batch.GroupBy(m => m.WeComUserId!, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.Select(m => m.MemberId).ToList(), StringComparer.OrdinalIgnoreCase);
            try
            {
                var result = message.Card is { } card
                    ? await client.SendTemplateCardAsync(byUser.Keys, ToWeCom(card), message.MeetingId, cancellationToken)
                    : await client.SendTextAsync(byUser.Keys, message.Text, cancellationToken);
                if (message.Card is not null && !result.Succeeded && result.ErrorKind == WeComErrorKind.Rejected
                    && result.FirstFailure!.ErrCode != WeComErrorCodes.AllRecipientsInvalid)
                {
                    // The card itself was refused (type or field not accepted): the text says the same, once.
                    LogCardFallback(logger, result.FirstFailure.ErrCode);
                    result = await client.SendTextAsync(byUser.Keys, message.Text, cancellationToken);
                }

                if (result.Succeeded || result.ErrorKind == WeComErrorKind.None)
                {
                    var invalid = result.InvalidUsers.ToHashSet(StringComparer.OrdinalIgnoreCase);
                    foreach (var (userId, memberIds) in byUser)
                    {
                        foreach (var memberId in memberIds)
                        {
                            outcomes[memberId] = invalid.Contains(userId) ? DeliveryOutcome.Invalid : DeliveryOutcome.Sent;
                        }
                    }

                    continue;
                }

                var failure = result.FirstFailure!;
                if (failure.ErrCode == WeComErrorCodes.AllRecipientsInvalid)
                {
                    Record(outcomes, batch, DeliveryOutcome.Invalid with { ErrCode = failure.ErrCode });
                    continue;
                }

                // This batch may have the first parts of a long text (the rest of the list has nothing).
                stop = Failed(failure.Kind, failure.ErrCode);
                Record(outcomes, batch, Rest(stop, message.Text, result.PartsSent));
            }
            catch (WeComApiException ex)
            {
                stop = Failed(ex.Kind, ex.ErrCode);
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
            var result = await services.GetRequiredService<WeComApiClient>().SendWebhookTextAsync(group.WeComWebhookKey!, message.Text, cancellationToken);
            return result.Succeeded ? DeliveryOutcome.Sent : Rest(Failed(result.ErrorKind, result.FirstFailure?.ErrCode), message.Text, result.PartsSent);
        }
        catch (WeComApiException ex)
        {
            return Rest(Failed(ex.Kind, ex.ErrCode), message.Text, ex.PartsSent) with { Unanswered = ex.Unanswered };
        }
    }

    private static WeComTemplateCard ToWeCom(ReminderCard card) => new()
    {
        Source = new WeComCardSource(card.Heading),
        MainTitle = new WeComCardTitle(card.Title, card.Lead),
        SubTitleText = card.Note,
        HorizontalContentList = [.. card.Fields.Select(f => new WeComCardField(f.Key, f.Value))],
        ButtonList = [.. card.Buttons.Select((b, i) => new WeComCardButton(b.Text, b.Key, i == 0 ? 1 : 2))],
    };

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "WeCom refused a reminder card (errcode {ErrCode}); the reminder was sent as text")]
    private static partial void LogCardFallback(ILogger logger, int errCode);

    private static DeliveryOutcome Failed(WeComErrorKind kind, int? errCode) =>
        new(ReminderDeliveryStatus.Failed, errCode, kind.ToString(), kind == WeComErrorKind.RateLimited);

    /// <summary><paramref name="failed"/>, with the rest of <paramref name="text"/> when its first parts went out.</summary>
    private static DeliveryOutcome Rest(DeliveryOutcome failed, string text, int partsSent) =>
        partsSent > 0 ? failed with { Unsent = WeComApiClient.Unsent(text, partsSent) } : failed;

    private static void Record(Dictionary<string, DeliveryOutcome> outcomes, IEnumerable<MemberAddress> batch, DeliveryOutcome outcome)
    {
        foreach (var member in batch)
        {
            outcomes[member.MemberId] = outcome;
        }
    }
}
