using Linping.CppccBot.Persistence;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Features.Meetings;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Linping.CppccBot.Tests.Features.Roster;

/// <summary>
/// Who a member is, is remembered between messages; a roster change saved through the host is seen by the very next
/// message, and a person not (yet) on the roster is looked up afresh each time.
/// </summary>
public sealed class CallerLookupTests : IDisposable
{
    private readonly BotHostFactory _host = new();

    public void Dispose() => _host.Dispose();

    private static async Task<int> RenameAsync(BotDbContext db, string memberId, string name)
    {
        var member = await db.Members.SingleAsync(m => m.Id == memberId);
        member.Name = name;
        return await db.SaveChangesAsync();
    }

    [Fact]
    public async Task ARenameSavedThroughTheHost_IsUsedByTheNextMessage()
    {
        var member = _host.Member("wangjianguo");
        Assert.Contains("王建国", await member.AskAsync("帮助"), StringComparison.Ordinal);

        await _host.DbAsync(db => RenameAsync(db, "M001", "王建民"));

        var after = await member.AskAsync("帮助");
        Assert.Contains("王建民", after, StringComparison.Ordinal);
        Assert.DoesNotContain("王建国", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMemberDeactivated_IsNoLongerServed_FromTheNextMessage()
    {
        var member = _host.Member("wangjianguo");
        Assert.Contains("王建国", await member.AskAsync("帮助"), StringComparison.Ordinal);

        await _host.DbAsync(async db =>
        {
            (await db.Members.SingleAsync(m => m.Id == "M001")).IsActive = false;
            return await db.SaveChangesAsync();
        });

        Assert.Contains("暂未查到您的委员信息", await member.AskAsync("帮助"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SomeoneAddedToTheRoster_AfterBeingTurnedAway_IsServedAtOnce()
    {
        var newcomer = _host.Member("qianguoqiang");
        Assert.Contains("暂未查到您的委员信息", await newcomer.AskAsync("帮助"), StringComparison.Ordinal);

        await _host.DbAsync(db =>
        {
            db.Members.Add(new Member { Id = "M090", Name = "钱国强", WeComUserId = "qianguoqiang", Sector = "经济界" });
            return db.SaveChangesAsync();
        });

        Assert.Contains("钱国强", await newcomer.AskAsync("帮助"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStaffRoleWithdrawn_AppliesToTheNextMessage()
    {
        var staff = _host.Member("lims");
        Assert.DoesNotContain("仅供会议组织人员", await staff.AskAsync("报名情况 MT-2027-04"), StringComparison.Ordinal);

        await _host.DbAsync(async db =>
        {
            var lims = await db.Staff.SingleAsync(s => s.Id == "S001");
            lims.Roles = [.. lims.Roles.Where(r => r != StaffRoles.MeetingOrganiser)];
            return await db.SaveChangesAsync();
        });

        Assert.Contains("仅供会议组织人员", await staff.AskAsync("报名情况 MT-2027-04"), StringComparison.Ordinal);
    }
}
