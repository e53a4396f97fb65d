using Linping.CppccBot.Features.Opinions;
using Linping.CppccBot.Features.Reminders;
using Linping.CppccBot.LocalChat.FakeWeCom;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Features.Proposals;
using Linping.CppccBot.Tests.Features.Reminders;
using Linping.CppccBot.Tests.Features.Staff;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Features.Notifications;

/// <summary>
/// The office's news from members (a new 社情民意 report for the information office, an evaluation for the proposal
/// office) is not lost when WeCom is busy: the member's turn ends as usual, and the minute job tells the staff once,
/// later, while it is still news. S001 (lims) holds both roles in the demo data.
/// </summary>
public sealed class StaffNoticeTests : StaffApiHost
{
    private const string OpinionTitle = "关于增设公交夜班线路的建议";

    private async Task<string> SubmitOpinionAsync()
    {
        await using var scope = Host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OpinionService>().SubmitAsync(
            "M004", new OpinionDraft(OpinionTitle, "临平新城晚间公交班次少，建议增设夜班线路，方便市民出行。", null), Ct);
    }

    private IReadOnlyList<FakeWeComMessage> SendsToOffice() => [.. WeCom.Sends().Where(s => s.Recipients.Contains("lims"))];

    private Task<List<ReminderDelivery>> StaffNoticesAsync() =>
        Host.DbAsync(db => db.ReminderDeliveries.AsNoTracking().Where(r => r.RecipientType == ReminderRecipientType.Staff).OrderBy(r => r.Id).ToListAsync(Ct));

    [Fact]
    public async Task ANewReport_WhileWeComIsBusy_IsToldToTheInfoOfficeLater_Once()
    {
        WeCom.InjectFault(FakeWeComFault.SystemBusy, 1, FakeWeComEndpoint.MessageSend);

        var id = await SubmitOpinionAsync();

        Assert.Equal(OpinionStatus.Submitted, (await Host.DbAsync(db => db.Opinions.SingleAsync(o => o.Id == id, Ct))).Status);
        Assert.Empty(SendsToOffice());
        var queued = Assert.Single(await StaffNoticesAsync());
        Assert.Equal((ReminderDeliveryStatus.Failed, "opinion-submitted", "S001", "notice:opinion:" + id), (queued.Status, queued.Kind, queued.RecipientId, queued.MeetingId));

        Host.Time.Advance(TimeSpan.FromMinutes(1));
        await RunMinuteJobAsync();
        await RunMinuteJobAsync();

        var told = Assert.Single(SendsToOffice());
        Assert.Equal($"新的社情民意信息待审核：{id}《{OpinionTitle}》，报送人：张丽华委员。回复“{id}”可查看内容。", told.Content);
        Assert.Equal((ReminderDeliveryStatus.Sent, 2), (await StaffNoticesAsync()) is [var row] ? (row.Status, row.Attempts) : default);
    }

    [Fact]
    public async Task ANewReport_AlreadyTakenUpByTheOffice_IsNotToldLater()
    {
        WeCom.InjectFault(FakeWeComFault.SystemBusy, 1, FakeWeComEndpoint.MessageSend);
        var id = await SubmitOpinionAsync();

        var (moved, body) = await PostAsync($"/api/admin/opinions/{id}/status", new { status = "UnderReview" });
        Host.Time.Advance(TimeSpan.FromMinutes(1));
        await RunMinuteJobAsync();

        Assert.True(moved.IsSuccessStatusCode, body.ToString());
        Assert.Empty(SendsToOffice());
        Assert.Equal(ReminderDeliveryStatus.Obsolete, Assert.Single(await StaffNoticesAsync()).Status);
    }

    [Fact]
    public async Task AQueuedNotice_ToStaffWhoLeftTheOffice_IsDropped()
    {
        WeCom.InjectFault(FakeWeComFault.SystemBusy, 1, FakeWeComEndpoint.MessageSend);
        await SubmitOpinionAsync();

        await Host.DbAsync(async db =>
        {
            (await db.Staff.SingleAsync(s => s.Id == "S001", Ct)).Roles = [StaffRoles.MeetingOrganiser];
            return await db.SaveChangesAsync(Ct);
        });
        Host.Time.Advance(TimeSpan.FromMinutes(1));
        await RunMinuteJobAsync();

        Assert.Empty(SendsToOffice());
        Assert.Equal(ReminderDeliveryStatus.Obsolete, Assert.Single(await StaffNoticesAsync()).Status);
    }

    [Fact]
    public async Task AnEvaluation_WhileWeComIsBusy_ReachesTheProposalOfficeLater_Once()
    {
        await ProposalEvaluationTests.ReplyAsync(Host, 12);
        WeCom.InjectFault(FakeWeComFault.WithErrCode(45009), 1, FakeWeComEndpoint.MessageSend);

        await Host.Member("wangjianguo").SendAsync("评价 12 不满意，答复没有解决问题");
        var answer = await Host.Member("wangjianguo").AskAsync("确认");

        Assert.Contains("已转为“重新办理”", answer, StringComparison.Ordinal);
        Assert.Empty(SendsToOffice());
        Assert.Equal((ReminderDeliveryStatus.Failed, "proposal-evaluated"), Assert.Single(await StaffNoticesAsync()) is var row ? (row.Status, row.Kind) : default);

        Host.Time.Advance(TimeSpan.FromMinutes(1));
        await RunMinuteJobAsync();
        await RunMinuteJobAsync();

        var told = Assert.Single(SendsToOffice());
        Assert.StartsWith("【提案评价】王建国对提案 一届五次第0012号《关于高水平建设临平数智城的建议》的办理评价：不满意。", told.Content, StringComparison.Ordinal);
        Assert.Contains("意见：答复没有解决问题", told.Content, StringComparison.Ordinal);
        Assert.Contains("请商请承办单位重新办理", told.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANewReport_WithNobodyInTheInfoOffice_IsStoredWithoutANotice()
    {
        await Host.DbAsync(async db =>
        {
            (await db.Staff.SingleAsync(s => s.Id == "S001", Ct)).IsActive = false;
            return await db.SaveChangesAsync(Ct);
        });

        var id = await SubmitOpinionAsync();

        Assert.StartsWith("SQMY-", id, StringComparison.Ordinal);
        Assert.Empty(await StaffNoticesAsync());
        Assert.Empty(SendsToOffice());
    }
}
