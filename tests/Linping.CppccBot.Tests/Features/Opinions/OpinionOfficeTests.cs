using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Linping.CppccBot.Tests.Features.Opinions;

/// <summary>
/// The information office reads a 社情民意 report in the chat by the number its notice names (lims, S001, is staff with
/// the InfoOffice role in the demo data; SQMY-2025-0001 is 周伟's).
/// </summary>
public sealed class OpinionOfficeTests : IDisposable
{
    private readonly BotHostFactory _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task TheInfoOffice_ReadsAnyReport_WithItsSubmitter_AndWhereToReviewIt()
    {
        var reply = await _host.Member("lims").AskAsync("SQMY-2025-0001");

        Assert.StartsWith("SQMY-2025-0001《关于特色农产品产业链培育的几点建议》\n报送人：周伟委员\n", reply, StringComparison.Ordinal);
        Assert.Contains("状态：已采用", reply, StringComparison.Ordinal);
        Assert.Contains("正文（共", reply, StringComparison.Ordinal);
        Assert.EndsWith("全文、审核和处理请在区政协管理后台办理。", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownNumber_IsSaidSo_ToTheOffice()
    {
        var reply = await _host.Member("lims").AskAsync("SQMY-2025-0099");

        Assert.Equal("没有编号为 SQMY-2025-0099 的社情民意信息，请核对编号（如 SQMY-2026-0001）。", reply);
    }

    [Fact]
    public async Task StaffOutsideTheInfoOffice_AndOtherMembers_DoNotReadAReport()
    {
        await _host.DbAsync(async db =>
        {
            (await db.Staff.SingleAsync(s => s.Id == "S001")).Roles = [StaffRoles.MeetingOrganiser];
            return await db.SaveChangesAsync();
        });

        var staff = await _host.Member("lims").AskAsync("SQMY-2025-0001");
        var member = await _host.Member("wangjianguo").AskAsync("SQMY-2025-0001");

        Assert.DoesNotContain("特色农产品", staff, StringComparison.Ordinal);
        Assert.DoesNotContain("特色农产品", member, StringComparison.Ordinal);
        Assert.Contains("没有找到您报送的编号为 SQMY-2025-0001 的社情民意信息", member, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOfficesMenu_SaysHowToReadAReport()
    {
        var reply = await _host.Member("lims").AskAsync("帮助");

        Assert.Contains("发社情民意编号（如“SQMY-2026-0001”）查看报送内容和处理过程", reply, StringComparison.Ordinal);
    }
}
