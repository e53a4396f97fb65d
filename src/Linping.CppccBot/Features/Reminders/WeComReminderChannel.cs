using Linping.CppccBot.Channels.WeCom;
using Linping.CppccBot.Persistence.Entities;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Features.Reminders;

/// <summary>
/// Reminders through WeCom: personal ones as app template cards with buttons when the reminder has a card (else text),
/// through <c>message/send</c>, up to 1000 users a call (meeting reminders with WeCom's duplicate check, 4 hours); a card WeCom refuses as
/// such (a request error, not a limit or an outage) is sent once more as text. Group ones go through each group robot's webhook as text. A refused token is refreshed and retried once by <see cref="WeComApiClient"/>.
/// </summary>
public sealed partial class WeComReminderChannel(IOptions<WeComOptions> options, IServiceProvider services, ILogger<WeComReminderChannel> logger) : IReminderChannel
{
    public string Name => "WeCom";

    public int MembersPerCall => WeComApiClient.MaxUsersPerCall;

    public int GroupMessagesPerMinute => 20;

    /// <summary>
    /// A meeting reminder sent again (its call got no answer, or the host died with the call in flight) is the same
    /// request when its text has not changed: WeCom's duplicate check then keeps the member from getting it twice.
    /// </summary>
    private static TimeSpan? DuplicateCheck(ReminderMessage message) => message.DuplicateCheck ? WeComApiClient.MaxDuplicateCheckInterval : null;

    private static Task<WeComSendResult> SendTextAsync(WeComApiClient client, IReadOnlyCollection<string> userIds, ReminderMessage message, CancellationToken cancellationToken) =>
        DuplicateCheck(message) is { } interval
            ? client.SendTextAsync(userIds, message.Text, interval, cancellationToken)
            : client.SendTextAsync(userIds, message.Text, cancellationToken);

    public bool CanReach(MemberAddress member) => options.Value.CanSend && !string.IsNullOrWhiteSpace(member?.WeComUserId);

    public bool CanReach(GroupAddress group) => !string.IsNullOrWhiteSpace(group?.WeComWebhookKey);

    public async Task<IReadOnlyDictionary<string, DeliveryOutcome>> SendToMembersAsync(
        IReadOnlyList<MemberAddress> members, ReminderMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(message);
        var client = services.GetRequiredService<WeComApiClient>();

        // WeCom user ids are case-insensitive: two roster entries with one account (WangJianGuo, wangjianguo) are one
        // recipient, sent to once, and each entry gets its outcome.
        var byUser = members.GroupBy(m => m.WeComUserId!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Select(m => m.MemberId).ToList(), StringComparer.OrdinalIgnoreCase);
        var outcomes = new Dictionary<string, DeliveryOutcome>(StringComparer.Ordinal);

        // The client batches by 1000 and stops at the first call that fails; each user's calls say what they got.
        try
        {
            var result = message.Card is { } card
                ? await client.SendTemplateCardAsync(byUser.Keys, ToWeCom(card), message.MeetingId, DuplicateCheck(message), cancellationToken)
                : await SendTextAsync(client, byUser.Keys, message, cancellationToken);
            if (message.Card is not null && !result.Succeeded && result.ErrorKind == WeComErrorKind.Rejected
                && result.FirstFailure!.ErrCode != WeComErrorCodes.AllRecipientsInvalid)
            {
                // The card itself was refused (type or field not accepted): the text says the same, once.
                LogCardFallback(logger, result.FirstFailure.ErrCode);
                result = await SendTextAsync(client, byUser.Keys, message, cancellationToken);
            }

            // Those no call reached wait for the next run rather than hammering a busy, limited or unreachable channel.
            var stop = result.FirstFailure is { } failure ? Failed(failure.Kind, failure.ErrCode) : new DeliveryOutcome(ReminderDeliveryStatus.Failed, Error: "NoAnswer");
            Record(byUser, outcomes, result, message.Text, stop, []);
        }
        catch (WeComApiException ex)
        {
            // The call that failed may have the first parts of a long text, or, without an answer, all of it.
            var failed = Failed(ex.Kind, ex.ErrCode);
            var inFlight = ex.PartialResult is null ? byUser.Keys.ToList() : ex.UserIdsInFlight;
            foreach (var userId in inFlight)
            {
                // One WeCom named invalid in an earlier part of this text is refused for good, not in flight.
                Record(outcomes, byUser[userId], InvalidFrom(ex.PartialResult?.Calls ?? [], userId, message.Text)
                    ?? Rest(failed, message.Text, ex.PartsSent) with { Unanswered = ex.Unanswered });
            }

            Record(byUser, outcomes, ex.PartialResult, message.Text, failed, inFlight);
        }

        return outcomes;
    }

    /// <summary>
    /// What each user got from the calls of <paramref name="result"/>: the users of a call that failed mid-text keep the
    /// rest, those no call reached get <paramref name="unreached"/>; <paramref name="skip"/> is settled already.
    /// </summary>
    private static void Record(
        Dictionary<string, List<string>> byUser, Dictionary<string, DeliveryOutcome> outcomes, WeComSendResult? result, string text, DeliveryOutcome unreached, IReadOnlyList<string> skip)
    {
        var callsOf = new Dictionary<string, List<WeComSendCall>>(StringComparer.OrdinalIgnoreCase);
        foreach (var call in result?.Calls ?? [])
        {
            foreach (var userId in call.UserIds)
            {
                if (!callsOf.TryGetValue(userId, out var calls))
                {
                    callsOf[userId] = calls = [];
                }

                calls.Add(call);
            }
        }

        var settled = skip.ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (userId, memberIds) in byUser)
        {
            if (settled.Contains(userId))
            {
                continue;
            }

            var calls = callsOf.GetValueOrDefault(userId) ?? [];
            var outcome = InvalidFrom(calls, userId, text)
                ?? (calls.FirstOrDefault(c => c.ErrCode != WeComErrorCodes.Ok) is { } failure ? Rest(Failed(failure.Kind, failure.ErrCode), text, failure.PartIndex)
                : calls.Count == 0 || calls.Count < calls[0].PartCount ? unreached
                : DeliveryOutcome.Sent);
            Record(outcomes, memberIds, outcome);
        }
    }

    /// <summary>
    /// Invalid when one of <paramref name="calls"/> named <paramref name="userId"/> in <c>invaliduser</c> (or refused its
    /// whole batch, 81013), else null. WeCom may name a member only at a later part of a long text (they left meanwhile):
    /// they have the parts before it, so the outcome keeps the rest, which is all the other app is to send.
    /// </summary>
    private static DeliveryOutcome? InvalidFrom(IEnumerable<WeComSendCall> calls, string userId, string text)
    {
        var refused = calls
            .Where(c => c.InvalidUsers.Contains(userId, StringComparer.OrdinalIgnoreCase)
                || (c.ErrCode == WeComErrorCodes.AllRecipientsInvalid && c.UserIds.Contains(userId, StringComparer.OrdinalIgnoreCase)))
            .MinBy(c => c.PartIndex);
        if (refused is null)
        {
            return null;
        }

        var invalid = refused.ErrCode == WeComErrorCodes.AllRecipientsInvalid ? DeliveryOutcome.Invalid with { ErrCode = refused.ErrCode } : DeliveryOutcome.Invalid;
        return Rest(invalid, text, refused.PartIndex);
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

    private static void Record(Dictionary<string, DeliveryOutcome> outcomes, IEnumerable<string> memberIds, DeliveryOutcome outcome)
    {
        foreach (var memberId in memberIds)
        {
            outcomes[memberId] = outcome;
        }
    }
}
