using Linping.CppccBot.Persistence;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Features.Meetings;

/// <summary>Reads and arranges the seeded demo data of a test host.</summary>
internal static class MeetingData
{
    public static Task<Participation?> ParticipationAsync(this BotHostFactory host, string meetingId, string memberId) =>
        host.DbAsync(db => db.Participations.AsNoTracking().FirstOrDefaultAsync(p => p.MeetingId == meetingId && p.MemberId == memberId));

    public static Task<List<StateChange>> ChangesAsync(this BotHostFactory host, string meetingId, string memberId) =>
        host.DbAsync(db => db.StateChanges.AsNoTracking()
            .Where(c => c.EntityType == StateChangeEntityTypes.Participation && c.EntityId == meetingId + "/" + memberId)
            .OrderBy(c => c.Id).ToListAsync());

    public static Task<int> ParticipationCountAsync(this BotHostFactory host) => host.DbAsync(db => db.Participations.CountAsync());

    public static Task UpdateMeetingAsync(this BotHostFactory host, string meetingId, Action<Meeting> change) =>
        host.DbAsync(async db =>
        {
            var meeting = await db.Meetings.Include(m => m.Invitees).SingleAsync(m => m.Id == meetingId);
            change(meeting);
            return await db.SaveChangesAsync();
        });
}
