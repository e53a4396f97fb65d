using Linping.CppccBot.Features.Reminders;
using Linping.CppccBot.LocalChat.FakeWeCom;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Features.Reminders;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Features.Proposals;

/// <summary>
/// The lead proposer evaluates a replied proposal in chat: at once ("评价 12 满意") or step by step ("评价提案").
/// Proposal 12 of the demo data is put in 已答复; M001 (wangjianguo) leads it, M003 (liuzhiqiang) co-signed it.
/// The proposal office (lims, S001) is told through the fake WeCom API.
/// </summary>
public sealed class ProposalEvaluationTests : IAsyncLifetime
{
    private BotHostFactory _host = null!;
    private FakeWeComServer _wecom = null!;

    public async ValueTask InitializeAsync()
    {
        _host = new BotHostFactory();
        _wecom = await ReminderHarness.StartWeComAsync(_host);
        _host.Settings["WeCom:ApiBaseUrl"] = _wecom.BaseAddress.ToString();
        await ReplyAsync(_host, 12);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _wecom.DisposeAsync();
    }

    /// <summary>Puts a proposal in 已答复 the way the office's import does.</summary>
    internal static Task<int> ReplyAsync(BotHostFactory host, int serial) =>
        host.DbAsync(async db =>
        {
            var now = host.Time.GetUtcNow();
            var proposal = await db.Proposals.SingleAsync(p => p.Serial == serial);
            db.StateChanges.Add(new StateChange
            {
                EntityType = StateChangeEntityTypes.Proposal,
                EntityId = proposal.Key,
                From = proposal.Status.ToString(),
                To = nameof(ProposalStatus.Replied),
                Actor = StateChangeActors.Import,
                At = now,
            });
            proposal.Status = ProposalStatus.Replied;
            proposal.ReplyClass = AnswerClass.B;
            proposal.RepliedAt = now;
            return await db.SaveChangesAsync();
        });

    private Task<Proposal> ProposalAsync(int serial) =>
        _host.DbAsync(db => db.Proposals.AsNoTracking().SingleAsync(p => p.Serial == serial));

    private Task<List<StateChange>> ChangesAsync(int serial) =>
        _host.DbAsync(db => db.StateChanges.AsNoTracking()
            .Where(c => c.EntityType == StateChangeEntityTypes.Proposal && c.EntityId == "一届五次/" + serial.ToString(System.Globalization.CultureInfo.InvariantCulture) && c.Actor != StateChangeActors.Import)
            .ToListAsync());

    private async Task<FakeWeComMessage> WaitForOfficeAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!_wecom.Sends().Any(s => s.Recipients.Contains("lims")) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        return Assert.Single(_wecom.Sends(), s => s.Recipients.Contains("lims"));
    }

    [Fact]
    public async Task OneCommand_StoresTheEvaluation_WithAStateChange_AndTellsTheProposalOffice()
    {
        var answer = await _host.Member("wangjianguo").AskAsync("评价 12 满意，答复很及时");

        Assert.Contains("已收到您对提案 一届五次第0012号《关于高水平建设临平数智城的建议》的评价：满意", answer, StringComparison.Ordinal);
        var stored = await ProposalAsync(12);
        Assert.Equal((EvaluationResult.Satisfied, ProposalStatus.Replied, "答复很及时"), (stored.Evaluation, stored.Status, stored.EvaluationComment));
        Assert.Equal(_host.Time.GetUtcNow(), stored.EvaluatedAt);
        var change = Assert.Single(await ChangesAsync(12));
        Assert.Equal(("Replied", "Evaluated", "M001"), (change.From, change.To, change.Actor));
        var office = await WaitForOfficeAsync();
        Assert.Contains("【提案评价】王建国对提案 一届五次第0012号《关于高水平建设临平数智城的建议》的办理评价：满意", office.Content, StringComparison.Ordinal);
        Assert.Contains("意见：答复很及时", office.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsatisfied_MovesTheProposalToRehandling()
    {
        // Said in one message, 不满意 is confirmed first: it cannot be undone.
        var ask = await _host.Member("wangjianguo").AskAsync("评价12号提案 不满意");
        Assert.Contains("提交后提案将转为“重新办理”", ask, StringComparison.Ordinal);
        Assert.Equal(ProposalStatus.Replied, (await ProposalAsync(12)).Status);
        Assert.Contains("“基本满意”", await _host.Member("wangjianguo").AskAsync("不对，改成基本满意"), StringComparison.Ordinal);
        Assert.Contains("提交后提案将转为“重新办理”", await _host.Member("wangjianguo").AskAsync("还是不满意"), StringComparison.Ordinal);
        var answer = await _host.Member("wangjianguo").AskAsync("确认");

        Assert.Contains("已转为“重新办理”", answer, StringComparison.Ordinal);
        var stored = await ProposalAsync(12);
        Assert.Equal((EvaluationResult.Unsatisfied, ProposalStatus.Rehandling), (stored.Evaluation, stored.Status));
        Assert.Equal(("Replied", "Rehandling"), Assert.Single(await ChangesAsync(12)) is var c ? (c.From, c.To) : default);
        Assert.Contains("请商请承办单位重新办理", (await WaitForOfficeAsync()).Content, StringComparison.Ordinal);
        Assert.Contains("状态：重新办理", await _host.Member("wangjianguo").AskAsync("查提案12号"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDialog_PicksTheProposal_TheLevel_AComment_AndAsksToConfirm()
    {
        await ReplyAsync(_host, 35);
        await _host.DbAsync(async db =>
        {
            // Proposal 35 (lead M006) gets M001 as its lead for this test: two proposals wait for one member.
            var p = await db.Proposals.Include(x => x.Proposers).SingleAsync(x => x.Serial == 35);
            p.Evaluation = null;
            p.Proposers.Clear();
            p.Proposers.Add(new ProposalProposer { MemberId = "M001", Position = 0 });
            return await db.SaveChangesAsync();
        });

        await _host.Member("wangjianguo").Script()
            .Send("评价提案").Expect("您有2件已答复待评价的提案", "1. 一届五次第0012号", "2. 一届五次第0035号")
            .Send("2").Expect("评价提案 一届五次第0035号", "1 满意　2 基本满意　3 不满意")
            .Send("很好").Expect("没有看懂您的评价")
            .Send("2").Expect("评价：基本满意", "有什么意见或建议吗")
            .Send("无").Expect("请确认：对提案 一届五次第0035号《关于完善居家养老服务照料中心功能的建议》的办理评价为“基本满意”。")
            .RunAsync();
        Assert.Null((await ProposalAsync(35)).Evaluation);

        Assert.Contains("评价：基本满意", await _host.Member("wangjianguo").AskAsync("确认"), StringComparison.Ordinal);
        var stored = await ProposalAsync(35);
        Assert.Equal((EvaluationResult.BasicallySatisfied, null), (stored.Evaluation, stored.EvaluationComment));
        Assert.Null((await ProposalAsync(12)).Evaluation);
    }

    [Fact]
    public async Task ALevelSaidOfTheProposal_WithoutTheWordPingJia_IsTakenAsTheEvaluation()
    {
        // Members answer the request to evaluate in their own words; a detail view instead would leave them believing
        // they had evaluated while nothing was stored.
        var answer = await _host.Member("wangjianguo").AskAsync("12号提案满意");

        Assert.Contains("已收到您对提案 一届五次第0012号《关于高水平建设临平数智城的建议》的评价：满意", answer, StringComparison.Ordinal);
        Assert.Equal(EvaluationResult.Satisfied, (await ProposalAsync(12)).Evaluation);
    }

    [Fact]
    public async Task UnsatisfiedSaidOfTheReply_IsAskedToConfirm()
    {
        var answer = await _host.Member("wangjianguo").AskAsync("我对12号提案的答复不太满意");

        Assert.Contains("提交后提案将转为“重新办理”", answer, StringComparison.Ordinal);
        Assert.Contains("已转为“重新办理”", await _host.Member("wangjianguo").AskAsync("确认"), StringComparison.Ordinal);
        Assert.Equal((EvaluationResult.Unsatisfied, ProposalStatus.Rehandling), await ProposalAsync(12) is var p ? (p.Evaluation, p.Status) : default);
    }

    [Fact]
    public async Task ALevelAlone_EvaluatesThePendingProposal_AfterAComment()
    {
        await _host.Member("wangjianguo").Script()
            .Send("很满意").Expect("评价提案 一届五次第0012号《关于高水平建设临平数智城的建议》：满意", "有什么意见或建议吗")
            .Send("无").Expect("请确认")
            .Send("确认").Expect("评价：满意")
            .RunAsync();

        Assert.Equal(EvaluationResult.Satisfied, (await ProposalAsync(12)).Evaluation);
        Assert.Contains("您目前没有需要评价的提案", await _host.Member("wangjianguo").AskAsync("满意"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASatisfactionSurvey_AsksForTheLevel_AndTakesNoManYiDuForSatisfied()
    {
        var answer = await _host.Member("wangjianguo").AskAsync("12号提案满意度测评");

        Assert.Contains("1 满意　2 基本满意　3 不满意", answer, StringComparison.Ordinal);
        Assert.Null((await ProposalAsync(12)).Evaluation);
    }

    [Theory]
    [InlineData("12号提案满意吗？")]
    [InlineData("12号提案的答复你满意吗")]
    public async Task AQuestionAboutSatisfaction_EvaluatesNothing(string text)
    {
        await _host.Member("wangjianguo").AskAsync(text);

        Assert.Null((await ProposalAsync(12)).Evaluation);
    }

    [Fact]
    public async Task ACommentOverTheLimit_InOneCommand_IsNotStored_TheMemberIsAskedToShortenIt_AndTheLevelIsKept()
    {
        var comment = string.Concat(Enumerable.Repeat("希望承办单位加快推进。", 120));

        var answer = await _host.Member("wangjianguo").AskAsync("评价 12 满意 " + comment);

        Assert.Contains("意见请控制在500字以内", answer, StringComparison.Ordinal);
        Assert.Null((await ProposalAsync(12)).Evaluation);
        await _host.Member("wangjianguo").Script()
            .Send("希望加快进度").Expect("请确认", "“满意”", "意见：希望加快进度")
            .Send("确认").Expect("评价：满意")
            .RunAsync();
        Assert.Equal((EvaluationResult.Satisfied, "希望加快进度"), await ProposalAsync(12) is var p ? (p.Evaluation, p.EvaluationComment) : default);
    }

    [Theory]
    [InlineData("liuzhiqiang", "评价 12 满意", "由领衔提案人作出")]
    [InlineData("chenxiaoyan", "评价 12 满意", "您不是提案 一届五次第0012号")]
    [InlineData("zhouwei", "评价 27 不满意", "您不是提案")]
    [InlineData("shenjiayi", "评价 27 不满意", "已评价过（满意）")]
    [InlineData("liuzhiqiang", "评价 41 满意", "目前状态为“已交办”，答复后才能评价")]
    [InlineData("wangjianguo", "评价 99 满意", "没有找到")]
    [InlineData("liuzhiqiang", "评价提案", "联名提案的评价由领衔提案人作出")]
    public async Task OthersAndWrongStates_GetAClearAnswer_AndNothingChanges(string user, string text, string expected)
    {
        var before = await _host.DbAsync(db => db.Proposals.AsNoTracking().OrderBy(p => p.Serial).Select(p => new { p.Serial, p.Status, p.Evaluation }).ToListAsync());

        var answer = await _host.Member(user).AskAsync(text);

        Assert.Contains(expected, answer, StringComparison.Ordinal);
        Assert.Equal(before, await _host.DbAsync(db => db.Proposals.AsNoTracking().OrderBy(p => p.Serial).Select(p => new { p.Serial, p.Status, p.Evaluation }).ToListAsync()));
        Assert.Empty(await ChangesAsync(12));
    }

    [Fact]
    public async Task StaffWhoAreNotMembers_AreToldWhoEvaluates()
    {
        Assert.Contains("由领衔提案的政协委员作出", await _host.Member("lims").AskAsync("评价 12 满意"), StringComparison.Ordinal);
        Assert.Null((await ProposalAsync(12)).Evaluation);
    }

    [Fact]
    public async Task TheEvaluationReminder_SaysHowToEvaluate_AndStopsOnceEvaluated()
    {
        await using (var scope = _host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ProposalNewsDispatcher>().RunAsync(TestContext.Current.CancellationToken);
        }

        var news = Assert.Single(_wecom.Sends(), s => s.Recipients.SequenceEqual(["wangjianguo"]));
        Assert.Contains("直接回复“评价 12 满意”", news.Content, StringComparison.Ordinal);
        var co = Assert.Single(_wecom.Sends(), s => s.Recipients.SequenceEqual(["liuzhiqiang"]));
        Assert.Contains("办理评价由领衔提案人作出", co.Content, StringComparison.Ordinal);

        await _host.Member("wangjianguo").AskAsync("评价 12 基本满意");
        _wecom.ClearMessages();
        _host.Time.Advance(TimeSpan.FromDays(15));
        await using (var scope = _host.Services.CreateAsyncScope())
        {
            Assert.Equal(0, (await scope.ServiceProvider.GetRequiredService<ProposalNewsDispatcher>().RunAsync(TestContext.Current.CancellationToken)).Claimed);
        }

        Assert.DoesNotContain(_wecom.Sends(), s => s.Content.Contains("提案评价提醒", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Channels))]
    public async Task TheDialog_RunsOnEveryChannel(string channel)
    {
        await using var chat = await ChannelChat.StartAsync(channel);
        await ReplyAsync(chat.Host, 12);

        Assert.Contains("评价提案 一届五次第0012号", await chat.SayAsync("wangjianguo", "我要评价提案"), StringComparison.Ordinal);
        Assert.Contains("评价：不满意", await chat.SayAsync("wangjianguo", "3"), StringComparison.Ordinal);
        Assert.Contains("提交后提案将转为“重新办理”", await chat.SayAsync("wangjianguo", "希望再与我面商一次"), StringComparison.Ordinal);
        Assert.Contains("已转为“重新办理”", await chat.SayAsync("wangjianguo", "确认"), StringComparison.Ordinal);

        var stored = await chat.Host.DbAsync(db => db.Proposals.AsNoTracking().SingleAsync(p => p.Serial == 12));
        Assert.Equal((EvaluationResult.Unsatisfied, ProposalStatus.Rehandling, "希望再与我面商一次"), (stored.Evaluation, stored.Status, stored.EvaluationComment));
    }

    public static TheoryData<string> Channels() => [.. ChannelChat.Channels];
}
