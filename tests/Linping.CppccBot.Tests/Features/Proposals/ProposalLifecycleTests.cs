using System.Net;
using Linping.CppccBot.LocalChat.FakeWeCom;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Features.Reminders;
using Linping.CppccBot.Tests.Features.Staff;
using Microsoft.EntityFrameworkCore;

namespace Linping.CppccBot.Tests.Features.Proposals;

/// <summary>
/// A proposal's way through the office as its proposers live it: told of each step that concerns them even when staff
/// move on at once, an evaluation for each reply, and nothing of another member's unfiled proposal.
/// </summary>
public sealed class ProposalLifecycleTests : StaffApiHost
{
    private IReadOnlyList<FakeWeComMessage> SendsTo(string weComUserId) => [.. WeCom.Sends().Where(s => s.Recipients.Contains(weComUserId))];

    private async Task MoveAsync(int serial, object body)
    {
        var (response, answer) = await PostAsync($"/api/admin/proposals/{serial}/status", body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, answer.ToString());
    }

    [Fact]
    public async Task AReplyClosedBeforeItsNewsCouldGoOut_IsStillTold_AndTheLeadProposerCanEvaluateIt()
    {
        // 41 (刘志强 leads) is 已交办; WeCom is busy when the reply is recorded, and staff close it at once.
        await MoveAsync(41, new { status = "办理中" });
        WeCom.InjectFault(FakeWeComFault.SystemBusy, 1, FakeWeComEndpoint.MessageSend);
        await MoveAsync(41, new { status = "已答复", resultClass = "C", summary = "因用地条件限制，留作参考。" });
        await MoveAsync(41, new { status = "已办结" });

        Host.Time.Advance(TimeSpan.FromMinutes(5));
        await RunMinuteJobAsync();

        var told = Assert.Single(SendsTo("liuzhiqiang"), s => s.Content.Contains("【提案答复】", StringComparison.Ordinal));
        Assert.Contains("答复摘要：因用地条件限制，留作参考。", told.Content, StringComparison.Ordinal);
        var reply = await Host.Member("liuzhiqiang").AskAsync("评价 41 基本满意");
        Assert.StartsWith("已收到您对提案 一届五次第0041号", reply, StringComparison.Ordinal);
        var stored = await Host.DbAsync(db => db.Proposals.AsNoTracking().SingleAsync(p => p.Serial == 41, Ct));
        Assert.Equal((ProposalStatus.Closed, EvaluationResult.BasicallySatisfied), (stored.Status, stored.Evaluation));
    }

    [Fact]
    public async Task AProposalRepliedAgainAfterAnUnsatisfiedEvaluation_IsEvaluatedAnew()
    {
        var wang = Host.Member("wangjianguo");
        await MoveAsync(12, new { status = "已答复", resultClass = "B" });
        await wang.SendAsync("评价12号提案 不满意，希望再面商");
        await wang.SendAsync("确认");
        Assert.Equal(ProposalStatus.Rehandling, (await Host.DbAsync(db => db.Proposals.SingleAsync(p => p.Serial == 12, Ct))).Status);
        Assert.Contains("正在重新办理", await wang.AskAsync("评价 12 满意"), StringComparison.Ordinal);
        WeCom.ClearMessages();
        Host.Time.Advance(TimeSpan.FromDays(20));

        await MoveAsync(12, new { status = "办理中" });
        await MoveAsync(12, new { status = "已答复", resultClass = "A", summary = "已与委员面商，方案已落实。" });

        var news = Assert.Single(SendsTo("wangjianguo"));
        Assert.Contains("已答复（A 类）", news.Content, StringComparison.Ordinal);
        Assert.Contains("评价 12 满意", news.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("您已作出办理评价", news.Content, StringComparison.Ordinal);
        Assert.Contains("委员评价：尚未评价", await wang.AskAsync("查提案12号"), StringComparison.Ordinal);
        Assert.Contains("评价：满意", await wang.AskAsync("评价 12 满意"), StringComparison.Ordinal);
        Assert.Equal(EvaluationResult.Satisfied, (await Host.DbAsync(db => db.Proposals.SingleAsync(p => p.Serial == 12, Ct))).Evaluation);
    }

    [Fact]
    public async Task AProposalNotFiled_IsToldToItsProposer_WithTheReason()
    {
        await MoveAsync(58, new { status = "不予立案", note = "属个人事项，建议通过信访渠道反映" });

        var told = Assert.Single(SendsTo("xuhaitao"));
        Assert.Contains("经审查不予立案", told.Content, StringComparison.Ordinal);
        Assert.Contains("原因：属个人事项，建议通过信访渠道反映", told.Content, StringComparison.Ordinal);
        Assert.Contains("无需评价", await Host.Member("xuhaitao").AskAsync("评价 58 满意"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherMembersUnfiledProposal_IsNotNamed_WhenAskedToEvaluateIt()
    {
        var reply = await Host.Member("wangjianguo").AskAsync("评价 63 不满意");

        Assert.Equal("一届五次第0063号提案暂不公开，只有提案人和提案工作人员可以查看。", reply);
    }

    [Fact]
    public async Task AProposalWithoutALeadUnit_IsNotAssigned()
    {
        await MoveAsync(58, new { status = "已立案" });

        var (response, body) = await PostAsync("/api/admin/proposals/58/status", new { status = "已交办" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("交办前请先填写主办单位", body.GetProperty("errors").GetProperty("units")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(ProposalStatus.Filed, (await Host.DbAsync(db => db.Proposals.SingleAsync(p => p.Serial == 58, Ct))).Status);
        Assert.Empty(SendsTo("xuhaitao"));
    }
}
