using System.Net;
using Linping.CppccBot.Features.Opinions;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Features.Reminders;
using Linping.CppccBot.Tests.Features.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Features.Opinions;

/// <summary>
/// A report the office returns (退回修改) reaches its submitter with the office's note; the member reads it in the bot,
/// revises the report and submits it again under its number, and the information office hears of it.
/// </summary>
public sealed class OpinionRevisionTests : StaffApiHost
{
    private const string Original = "临平新城晚间公交班次少，居民夜间出行不便，建议增设夜班线路。";
    private const string Revised = "临平新城晚间公交班次少，21点后仅两条线路运营。建议增设临平新城至地铁站的夜班线路，发车间隔30分钟。";

    private async Task<string> SubmitAndReturnAsync()
    {
        string id;
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            id = await scope.ServiceProvider.GetRequiredService<OpinionService>().SubmitAsync(
                "M004", new OpinionDraft("关于增设公交夜班线路的建议", Original, "社会"), Ct);
        }

        Host.Time.Advance(TimeSpan.FromHours(3));
        var (response, body) = await PostAsync($"/api/admin/opinions/{id}/status", new { status = "退回修改", note = "请补充具体线路和班次建议" });
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal("Sent", body.GetProperty("submitterTold").GetString());
        return id;
    }

    [Fact]
    public async Task AReturnWithoutANote_IsRefused_AndChangesNothing()
    {
        string id;
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            id = await scope.ServiceProvider.GetRequiredService<OpinionService>().SubmitAsync("M004", new OpinionDraft("关于增设公交夜班线路的建议", Original, null), Ct);
        }

        var (response, body) = await PostAsync($"/api/admin/opinions/{id}/status", new { status = "退回修改" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("退回修改时请在 note 中写明修改意见", body.GetProperty("errors").GetProperty("note")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(OpinionStatus.Submitted, (await Host.DbAsync(db => db.Opinions.SingleAsync(o => o.Id == id, Ct))).Status);
        Assert.DoesNotContain(WeCom.Sends(), s => s.Recipients.Contains("zhanglihua"));
    }

    [Fact]
    public async Task AReturnedReport_IsToldWithTheNote_ShownInTheBot_AndRevisedAndSubmittedAgain()
    {
        var id = await SubmitAndReturnAsync();
        var member = Host.Member("zhanglihua");

        var told = Assert.Single(WeCom.Sends(), s => s.Recipients.Contains("zhanglihua"));
        Assert.Contains("修改意见：请补充具体线路和班次建议", told.Content, StringComparison.Ordinal);
        Assert.Contains($"回复“修改 {id}”", told.Content, StringComparison.Ordinal);

        var list = await member.AskAsync("我的社情民意");
        Assert.Contains("退回修改（需修改后重新报送）", list, StringComparison.Ordinal);
        var detail = await member.AskAsync("1");
        Assert.StartsWith($"{id}《关于增设公交夜班线路的建议》", detail, StringComparison.Ordinal);
        Assert.Contains("退回修改（请补充具体线路和班次建议）", detail, StringComparison.Ordinal);
        Assert.Contains("退回修改（请补充具体线路和班次建议）", await member.AskAsync("为什么退回了"), StringComparison.Ordinal);

        var revising = await member.AskAsync("修改社情民意");
        Assert.StartsWith($"修改后重新报送 {id}。\n区政协的修改意见：请补充具体线路和班次建议\n请核对", revising, StringComparison.Ordinal);
        Assert.Contains("请重新发送正文", await member.AskAsync("3"), StringComparison.Ordinal);
        await member.SendAsync(Revised);
        Assert.Contains("请核对", await member.AskAsync("完成"), StringComparison.Ordinal);
        WeCom.ClearMessages();
        var done = await member.AskAsync("1");

        Assert.StartsWith("已重新报送！", done, StringComparison.Ordinal);
        Assert.Contains(id, done, StringComparison.Ordinal);
        var stored = await Host.DbAsync(db => db.Opinions.AsNoTracking().Include(o => o.History).SingleAsync(o => o.Id == id, Ct));
        Assert.Equal((OpinionStatus.Submitted, Revised, "社会"), (stored.Status, stored.Content, stored.Category));
        var last = stored.History.OrderBy(h => h.Id).Last();
        Assert.Equal((OpinionStatus.Submitted, OpinionService.ResubmittedNote), (last.Status, last.Note));
        Assert.Single(await Host.DbAsync(db => db.Opinions.Where(o => o.SubmittedById == "M004").ToListAsync(Ct)));
        var office = Assert.Single(WeCom.Sends(), s => s.Recipients.Contains("lims"));
        Assert.Contains(id, office.Content, StringComparison.Ordinal);
        Assert.Equal(OpinionTexts.NoneReturned, await member.AskAsync("修改社情民意"));
    }

    [Fact]
    public async Task ARevisionLeftAtTheSummary_ChangesNothing_AndAnotherMembersReportCannotBeRevised()
    {
        var id = await SubmitAndReturnAsync();

        Assert.Contains("请核对", await Host.Member("zhanglihua").AskAsync($"修改 {id}"), StringComparison.Ordinal);
        Assert.DoesNotContain("已重新报送", await Host.Member("zhanglihua").AskAsync("4"), StringComparison.Ordinal);
        var other = await Host.Member("wangjianguo").AskAsync($"修改 {id}");

        Assert.Equal(OpinionTexts.NotOwn(id), other);
        var stored = await Host.DbAsync(db => db.Opinions.AsNoTracking().SingleAsync(o => o.Id == id, Ct));
        Assert.Equal((OpinionStatus.Returned, Original), (stored.Status, stored.Content));
    }
}
