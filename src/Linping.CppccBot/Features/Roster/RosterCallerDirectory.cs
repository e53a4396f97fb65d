using Linping.CppccBot.Conversations;
using Linping.CppccBot.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Linping.CppccBot.Features.Roster;

/// <summary>Recognises members and staff by their channel user id, from the roster in the database (through <see cref="CallerCache"/>).</summary>
public sealed class RosterCallerDirectory(BotDbContext db, CallerCache cache) : ICallerDirectory
{
    public async Task<Caller?> FindAsync(string channel, string userId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(userId))
        {
            return null;
        }

        if (cache.TryGet(channel, userId, out var known))
        {
            return known;
        }

        var generation = cache.Generation;
        var caller = await LookUpAsync(channel, userId, cancellationToken);
        if (caller is not null)
        {
            cache.Remember(channel, userId, caller, generation);
        }

        return caller;
    }

    private async Task<Caller?> LookUpAsync(string channel, string userId, CancellationToken cancellationToken)
    {
        var members = db.Members.AsNoTracking().Where(m => m.IsActive);
        var staff = db.Staff.AsNoTracking().Where(s => s.IsActive);
        (members, staff) = channel switch
        {
            ChannelNames.WeCom or ChannelNames.Test => (members.Where(m => m.WeComUserId == userId), staff.Where(s => s.WeComUserId == userId)),
            ChannelNames.DingTalk => (members.Where(m => m.DingTalkUserId == userId), staff.Where(s => s.DingTalkUserId == userId)),
            _ => (members.Where(_ => false), staff.Where(_ => false)),
        };

        var member = await members.Select(m => new { m.Id, m.Name }).FirstOrDefaultAsync(cancellationToken);
        var staffMember = await staff.Select(s => new { s.Id, s.Name, s.Roles }).FirstOrDefaultAsync(cancellationToken);
        if (member is null && staffMember is null)
        {
            return null;
        }

        return new Caller(
            member?.Name ?? staffMember!.Name,
            member?.Id,
            staffMember?.Id,
            new HashSet<string>(staffMember?.Roles ?? [], StringComparer.Ordinal));
    }
}
