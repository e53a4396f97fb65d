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
            .Where(m => EF.Parameter(ids).Contains(m.Id))
            .Select(m => new MemberAddress(m.Id, m.WeComUserId, m.DingTalkUserId, m.PreferredApp))
            .ToDictionaryAsync(m => m.MemberId, cancellationToken);

        // A member who has the first parts of a long text from an earlier attempt gets only the rest, in that app.
        var byChannel = new Dictionary<(IReminderChannel Channel, string? Unsent), List<MemberAddress>>();
        foreach (var row in rows)
        {
            var address = addresses.GetValueOrDefault(row.RecipientId);
            var same = address is null || row.UnsentText is null ? null : channels.FirstOrDefault(c => c.Name == row.Channel && c.CanReach(address));
            var channel = same ?? (address is null ? null : ReminderRouting.ChannelFor(address, channels));
            if (channel is null)
            {
                ReminderDispatcher.Settle(row, now, new DeliveryOutcome(ReminderDeliveryStatus.NoChannel));
                continue;
            }

            if (same is null)
            {
                // The whole text goes now (the app that has the first parts cannot be used any more).
                row.UnsentText = null;
            }

            row.Channel = channel.Name;
            var key = (channel, row.UnsentText);
            if (!byChannel.TryGetValue(key, out var list))
            {
                byChannel[key] = list = [];
            }

            list.Add(address!);
        }

        var byId = rows.ToDictionary(r => r.RecipientId, StringComparer.Ordinal);
        var refused = new List<(MemberAddress Member, string? Unsent)>();
        foreach (var ((channel, rest), members) in byChannel)
        {
            // One call at a time, each saved as soon as it is answered: a host that dies in the middle of a long list
            // leaves only the call in flight to be sent again. A call refused as a whole (busy, limited, unreachable)
            // leaves the rest of the list for the next run rather than hammering the channel.
            var text = rest is null ? message : message with { Text = rest, Card = null };
            DeliveryOutcome? stop = null;
            foreach (var call in members.Chunk(channel.MembersPerCall))
            {
                var outcomes = stop is null ? await channel.SendToMembersAsync(call, text, cancellationToken) : null;
                foreach (var member in call)
                {
                    var outcome = stop ?? outcomes!.GetValueOrDefault(member.MemberId) ?? new DeliveryOutcome(ReminderDeliveryStatus.Failed, Error: "NoAnswer");
                    ReminderDispatcher.Settle(byId[member.MemberId], now, outcome);
                    if (outcome.Status == ReminderDeliveryStatus.Invalid)
                    {
                        // What the other app is to send: all of it, or what this one did not deliver of a long text.
                        refused.Add((member, outcome.Unsent ?? rest));
                    }
                }

                await db.SaveChangesAsync(CancellationToken.None);
                if (outcomes is not null && call.All(m => outcomes.GetValueOrDefault(m.MemberId)?.Status is null or ReminderDeliveryStatus.Failed))
                {
                    // The later calls got nothing: none of them has a rest to keep.
                    stop = (outcomes.GetValueOrDefault(call[0].MemberId) ?? new DeliveryOutcome(ReminderDeliveryStatus.Failed, Error: "NoAnswer")) with { Unsent = null };
                }
            }
        }

        await SendInOtherAppAsync(db, channels, refused, byId, message, now, cancellationToken);
    }

    /// <summary>
    /// A member the preferred app does not know (left the company's WeCom, an old DingTalk id) is reached in their other
    /// app, once, as the leave notices are: the row records the app that took it. One who got the first parts of a long
    /// text before the app refused them gets only the rest there, which a retry continues in that app.
    /// </summary>
    private static async Task SendInOtherAppAsync(
        BotDbContext db, IReadOnlyList<IReminderChannel> channels, List<(MemberAddress Member, string? Unsent)> refused, Dictionary<string, ReminderDelivery> byId, ReminderMessage message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var byChannel = refused
            .Select(x => (x.Member, x.Unsent, Other: ReminderRouting.ChannelsFor(x.Member, channels).FirstOrDefault(c => c.Name != byId[x.Member.MemberId].Channel)))
            .Where(x => x.Other is not null)
            .GroupBy(x => (Channel: x.Other!, x.Unsent), x => x.Member);
        foreach (var group in byChannel)
        {
            var (channel, rest) = group.Key;
            var text = rest is null ? message : message with { Text = rest, Card = null };
            foreach (var call in group.Chunk(channel.MembersPerCall))
            {
                var outcomes = await channel.SendToMembersAsync(call, text, cancellationToken);
                foreach (var member in call)
                {
                    if (outcomes.GetValueOrDefault(member.MemberId) is { Status: not ReminderDeliveryStatus.Invalid } outcome)
                    {
                        // Sent, or to retry in that app (a rate limit): it is the app that can reach them.
                        var row = byId[member.MemberId];
                        (row.Channel, row.UnsentText) = (channel.Name, rest);
                        ReminderDispatcher.Settle(row, now, outcome);
                    }
                }

                await db.SaveChangesAsync(CancellationToken.None);
            }
        }
    }
}
