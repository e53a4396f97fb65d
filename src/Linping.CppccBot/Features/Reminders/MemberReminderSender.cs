using Linping.CppccBot.Persistence;
using Linping.CppccBot.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Linping.CppccBot.Features.Reminders;

/// <summary>
/// Sends one message to the members of claimed ledger rows, for meeting reminders and proposal news alike: each member
/// on one channel (<see cref="ReminderRouting.ChannelFor"/>), in calls of <see cref="IReminderChannel.MembersPerCall"/>,
/// and every row settled with what the channel answered (NoChannel for a member no configured app can reach). The rows
/// are saved after each call: a host that dies later in the run must not leave these members Pending, or the host that
/// takes over after the claim lease would send to them a second time.
/// </summary>
internal static class MemberReminderSender
{
    public static async Task SendAsync(
        BotDbContext db, IReadOnlyList<IReminderChannel> channels, IReadOnlyList<ReminderDelivery> rows, ReminderMessage message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var ids = rows.Select(r => r.RecipientId).ToList();
        var addresses = await db.Members.AsNoTracking()
            .Where(m => ids.Contains(m.Id))
            .Select(m => new MemberAddress(m.Id, m.WeComUserId, m.DingTalkUserId, m.PreferredApp))
            .ToDictionaryAsync(m => m.MemberId, cancellationToken);

        var byChannel = new Dictionary<IReminderChannel, List<MemberAddress>>();
        foreach (var row in rows)
        {
            var address = addresses.GetValueOrDefault(row.RecipientId);
            var channel = address is null ? null : ReminderRouting.ChannelFor(address, channels);
            if (channel is null)
            {
                ReminderDispatcher.Settle(row, now, new DeliveryOutcome(ReminderDeliveryStatus.NoChannel));
                continue;
            }

            row.Channel = channel.Name;
            if (!byChannel.TryGetValue(channel, out var list))
            {
                byChannel[channel] = list = [];
            }

            list.Add(address!);
        }

        var byId = rows.ToDictionary(r => r.RecipientId, StringComparer.Ordinal);
        var refused = new List<MemberAddress>();
        foreach (var (channel, members) in byChannel)
        {
            // One call at a time, each saved as soon as it is answered: a host that dies in the middle of a long list
            // leaves only the call in flight to be sent again. A call refused as a whole (busy, limited, unreachable)
            // leaves the rest of the list for the next run rather than hammering the channel.
            DeliveryOutcome? stop = null;
            foreach (var call in members.Chunk(channel.MembersPerCall))
            {
                var outcomes = stop is null ? await channel.SendToMembersAsync(call, message, cancellationToken) : null;
                foreach (var member in call)
                {
                    var outcome = stop ?? outcomes!.GetValueOrDefault(member.MemberId) ?? new DeliveryOutcome(ReminderDeliveryStatus.Failed, Error: "NoAnswer");
                    ReminderDispatcher.Settle(byId[member.MemberId], now, outcome);
                    if (outcome.Status == ReminderDeliveryStatus.Invalid)
                    {
                        refused.Add(member);
                    }
                }

                await db.SaveChangesAsync(CancellationToken.None);
                if (outcomes is not null && call.All(m => outcomes.GetValueOrDefault(m.MemberId)?.Status is null or ReminderDeliveryStatus.Failed))
                {
                    stop = outcomes.GetValueOrDefault(call[0].MemberId) ?? new DeliveryOutcome(ReminderDeliveryStatus.Failed, Error: "NoAnswer");
                }
            }
        }

        await SendInOtherAppAsync(db, channels, refused, byId, message, now, cancellationToken);
    }

    /// <summary>
    /// A member the preferred app does not know (left the company's WeCom, an old DingTalk id) is reached in their other
    /// app, once, as the leave notices are: the row records the app that took it.
    /// </summary>
    private static async Task SendInOtherAppAsync(
        BotDbContext db, IReadOnlyList<IReminderChannel> channels, List<MemberAddress> refused, Dictionary<string, ReminderDelivery> byId, ReminderMessage message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var byChannel = refused
            .Select(m => (Member: m, Other: ReminderRouting.ChannelsFor(m, channels).FirstOrDefault(c => c.Name != byId[m.MemberId].Channel)))
            .Where(x => x.Other is not null)
            .GroupBy(x => x.Other!, x => x.Member);
        foreach (var members in byChannel)
        {
            var outcomes = await members.Key.SendToMembersAsync([.. members], message, cancellationToken);
            foreach (var member in members)
            {
                if (outcomes.GetValueOrDefault(member.MemberId) is { Status: not ReminderDeliveryStatus.Invalid } outcome)
                {
                    // Sent, or to retry in that app (a rate limit): it is the app that can reach them.
                    byId[member.MemberId].Channel = members.Key.Name;
                    ReminderDispatcher.Settle(byId[member.MemberId], now, outcome);
                }
            }

            await db.SaveChangesAsync(CancellationToken.None);
        }
    }
}
