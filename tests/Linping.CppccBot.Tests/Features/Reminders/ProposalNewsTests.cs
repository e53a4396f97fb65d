using Linping.CppccBot.Channels.WeCom;
using Linping.CppccBot.Features.Reminders;
using Linping.CppccBot.LocalChat.FakeWeCom;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Features.Reminders;

/// <summary>
/// Proposal news against the fake WeCom API: 已交办 and 已答复 reach each proposer once, the reminder to evaluate comes
/// once after <c>Reminders:EvaluationReminderAfter</c>, and old news (outside <c>Reminders:ProposalNewsWindow</c>) is not sent.
/// Proposal 12 of the demo data (区发改局 lead, 区经信局 co) has M001 (wangjianguo) as lead and M003 (liuzhiqiang) as co-proposer.
/// </summary>
/// <remarks>On SQLite (<see cref="ProposalNewsSqliteTests"/>) and PostgreSQL (<see cref="ProposalNewsPostgresTests"/>).</remarks>
public abstract class ProposalNewsTests : IAsyncLifetime
{
    private const int Serial = 12;
    private const string Subject = "proposal:一届五次/12";
    private BotHostFactory _host = null!;
    private FakeWeComServer _wecom = null!;

    /// <summary>The PostgreSQL server to run on; null for SQLite.</summary>
    protected abstract Task<PostgresServer?> ServerAsync();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    private async Task StartAsync(IReadOnlyCollection<string>? knownUsers = null)
    {
        _host = BotHostFactory.On(await ServerAsync());
        _wecom = await ReminderHarness.StartWeComAsync(_host, knownUsers);
        _host.Settings["WeCom:ApiBaseUrl"] = _wecom.BaseAddress.ToString();
        _host.Settings["Reminders:ProposalNewsWindow"] = "7.00:00:00";
        _host.Settings["Reminders:EvaluationReminderAfter"] = "15.00:00:00";
        _ = _host.Services;
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
            await _wecom.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    private async Task<ReminderRunSummary> RunAsync()
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ProposalNewsDispatcher>().RunAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// What the importer or staff do: the new status, its history entry (dated now, or as a file says) and a StateChange
    /// naming the old one.
    /// </summary>
    private Task<int> MoveAsync(ProposalStatus status, Action<Proposal>? change = null, DateTimeOffset? historyAt = null) =>
        _host.DbAsync(async db =>
        {
            var now = _host.Time.GetUtcNow();
            var proposal = await db.Proposals.Include(p => p.History).SingleAsync(p => p.Serial == Serial);
            db.StateChanges.Add(new StateChange
            {
                EntityType = StateChangeEntityTypes.Proposal,
                EntityId = "一届五次/12",
                From = proposal.Status.ToString(),
                To = status.ToString(),
                Actor = StateChangeActors.Import,
                At = now,
            });
            proposal.Status = status;
            proposal.History.Add(new ProposalStatusEntry { Status = status, At = historyAt ?? now });
            change?.Invoke(proposal);
            return await db.SaveChangesAsync();
        });

    private Task<int> ReplyAsync() => MoveAsync(ProposalStatus.Replied, p =>
    {
        p.ReplyClass = AnswerClass.A;
        p.ReplySummary = "已将数智城建设纳入年度重点工作。";
        p.RepliedAt = _host.Time.GetUtcNow();
    });

    [Fact]
    public async Task Assigned_TellsEachProposerOnce_LeadAndCoProposerInTheirOwnWords()
    {
        await StartAsync();
        Assert.Equal(0, (await RunAsync()).Claimed);

        await MoveAsync(ProposalStatus.Assigned);
        var first = await RunAsync();
        var again = await RunAsync();

        Assert.Equal(2, first.Sent);
        Assert.Equal(0, again.Claimed);
        var sends = _wecom.Sends();
        Assert.Equal(2, sends.Count);
        var lead = Assert.Single(sends, s => s.Recipients.SequenceEqual(["wangjianguo"]));
        var co = Assert.Single(sends, s => s.Recipients.SequenceEqual(["liuzhiqiang"]));
        Assert.Contains("【提案交办】您领衔的提案 一届五次第0012号《关于高水平建设临平数智城的建议》已交办", lead.Content, StringComparison.Ordinal);
        Assert.Contains("承办单位：区发改局（主办）、区经信局（协办）", lead.Content, StringComparison.Ordinal);
        Assert.Contains("办理期限：2025年10月7日", lead.Content, StringComparison.Ordinal);
        Assert.Contains("您联名的提案", co.Content, StringComparison.Ordinal);
        var ledger = await _host.LedgerAsync(Subject);
        Assert.Equal(2, ledger.Count);
        Assert.All(ledger, r => Assert.Equal(ReminderDeliveryStatus.Sent, r.Status));
        Assert.All(ledger, r => Assert.Equal(ProposalNewsDispatcher.AssignedKind, r.Kind));

        // The meeting reminders' run leaves the proposal rows alone.
        Assert.Equal(0, (await _host.RunRemindersAsync()).Claimed);
    }

    [Fact]
    public async Task Replied_TellsTheProposers_ThenRemindsOnceToEvaluate_AfterTheConfiguredTime()
    {
        await StartAsync();
        var repliedAt = _host.Time.GetUtcNow();
        await ReplyAsync();

        Assert.Equal(2, (await RunAsync()).Sent);
        var news = _wecom.Sends()[0];
        Assert.Contains("已答复（A 类）", news.Content, StringComparison.Ordinal);
        Assert.Contains("答复摘要：已将数智城建设纳入年度重点工作。", news.Content, StringComparison.Ordinal);
        Assert.Contains("请发送“查提案12号”查看答复，并对办理情况作出评价", news.Content, StringComparison.Ordinal);

        _host.Time.SetUtcNow(repliedAt + TimeSpan.FromDays(14));
        Assert.Equal(0, (await RunAsync()).Claimed);

        _host.Time.SetUtcNow(repliedAt + TimeSpan.FromDays(15));
        Assert.Equal(2, (await RunAsync()).Sent);
        Assert.Equal(0, (await RunAsync()).Claimed);
        _host.Time.SetUtcNow(repliedAt + TimeSpan.FromDays(16));
        Assert.Equal(0, (await RunAsync()).Claimed);

        var sends = _wecom.Sends();
        Assert.Equal(4, sends.Count);
        Assert.All(sends.Skip(2), s => Assert.Contains("【提案评价提醒】", s.Content, StringComparison.Ordinal));
        Assert.Contains("已于2026年11月27日答复，尚未收到您的评价", sends[2].Content, StringComparison.Ordinal);
        var ledger = await _host.LedgerAsync(Subject);
        Assert.Equal(2, ledger.Count(r => r.Kind == ProposalNewsDispatcher.EvaluateKind && r.Status == ReminderDeliveryStatus.Sent));
    }

    [Fact]
    public async Task AnEvaluatedReply_BringsNoReminderToEvaluate()
    {
        await StartAsync();
        var repliedAt = _host.Time.GetUtcNow();
        await ReplyAsync();
        await RunAsync();
        await _host.DbAsync(async db =>
        {
            var proposal = await db.Proposals.SingleAsync(p => p.Serial == Serial);
            proposal.Evaluation = EvaluationResult.Satisfied;
            proposal.EvaluatedAt = repliedAt + TimeSpan.FromDays(3);
            return await db.SaveChangesAsync();
        });

        _host.Time.SetUtcNow(repliedAt + TimeSpan.FromDays(15));
        Assert.Equal(0, (await RunAsync()).Claimed);
        Assert.Equal(2, _wecom.Sends().Count);
    }

    [Fact]
    public async Task AReplyNotice_RetriedAfterTheLeadEvaluated_NoLongerAsksForTheEvaluation()
    {
        await StartAsync();
        await ReplyAsync();
        _wecom.InjectFault(FakeWeComFault.SystemBusy, 2, FakeWeComEndpoint.MessageSend);
        Assert.Equal(0, (await RunAsync()).Sent);
        Assert.Contains("已收到您对提案", await _host.Member("wangjianguo").AskAsync("评价 12 满意"), StringComparison.Ordinal);

        _host.Time.Advance(TimeSpan.FromMinutes(5));
        await RunAsync();

        var news = Assert.Single(_wecom.Sends(), s => s.Recipients.SequenceEqual(["wangjianguo"]) && s.Content.Contains("【提案答复】", StringComparison.Ordinal));
        Assert.Contains("您已作出办理评价（满意）。发送“查提案12号”可查看答复。", news.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("作出评价：", news.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewsOlderThanTheWindow_IsNotSent_NorTheDemoDatasOldReplies()
    {
        await StartAsync();
        var changedAt = _host.Time.GetUtcNow();
        await MoveAsync(ProposalStatus.Assigned);

        _host.Time.SetUtcNow(changedAt + TimeSpan.FromDays(8));
        Assert.Equal(0, (await RunAsync()).Claimed);
        Assert.Empty(_wecom.Sends());
        Assert.Empty(await _host.LedgerAsync(Subject));
    }

    [Fact]
    public async Task AStatusImportedToday_WithItsDateFromMonthsAgo_IsNewsToday()
    {
        // An office sheet catching up: 已交办 dated in July reaches the bot only now. The proposers hear it now, once.
        await StartAsync();
        await MoveAsync(ProposalStatus.Assigned, historyAt: _host.Time.GetUtcNow().AddMonths(-4));

        var run = await RunAsync();
        _host.Time.Advance(TimeSpan.FromDays(8));
        var later = await RunAsync();

        Assert.Equal(2, run.Sent);
        Assert.Equal(0, later.Claimed);
        Assert.All(_wecom.Sends(), s => Assert.Contains("【提案交办】", s.Content, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AProposerWeComDoesNotKnow_IsRecordedInvalid_AndNotRetried()
    {
        await StartAsync(knownUsers: ["wangjianguo"]);
        await MoveAsync(ProposalStatus.Assigned);

        var run = await RunAsync();
        var requests = _wecom.MessageSendRequests;
        _host.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, (await RunAsync()).Claimed);

        Assert.Equal(1, run.Sent);
        Assert.Equal(1, run.Invalid);
        var ledger = await _host.LedgerAsync(Subject);
        Assert.Equal(ReminderDeliveryStatus.Sent, Assert.Single(ledger, r => r.RecipientId == "M001").Status);
        Assert.Equal(ReminderDeliveryStatus.Invalid, Assert.Single(ledger, r => r.RecipientId == "M003").Status);
        Assert.Equal(requests, _wecom.MessageSendRequests);
        Assert.Contains(_wecom.Sends(), s => s.Recipients.SequenceEqual(["wangjianguo"]));
    }

    [Fact]
    public async Task ALongReplyStoppedAfterItsFirstPart_SendsOnlyTheRestOnRetry_EachPartOnce()
    {
        await StartAsync();
        var summary = string.Concat(Enumerable.Range(1, 120).Select(i => $"第{i}项：已将数智城建设纳入年度重点工作并落实。"));
        await MoveAsync(ProposalStatus.Replied, p =>
        {
            p.ReplyClass = AnswerClass.A;
            p.ReplySummary = summary;
            p.RepliedAt = _host.Time.GetUtcNow();
        });

        // The first part reaches the first proposer; WeCom's limit stops the second.
        _wecom.InjectFault(FakeWeComFault.RateLimited, 1, FakeWeComEndpoint.MessageSend, afterCalls: 1);
        var first = await RunAsync();
        _host.Time.Advance(TimeSpan.FromMinutes(2));
        var retry = await RunAsync();
        _host.Time.Advance(TimeSpan.FromMinutes(10));
        await RunAsync();

        Assert.Equal((1, 1), (first.Sent, first.Failed));
        Assert.Equal((1, 1), (retry.Claimed, retry.Sent));
        foreach (var user in new[] { "wangjianguo", "liuzhiqiang" })
        {
            var parts = _wecom.Sends().Where(s => s.Recipients.SequenceEqual([user])).Select(s => s.Content).ToList();
            var text = string.Concat(parts);
            Assert.Equal(WeComText.Split(text), parts);
            Assert.True(parts.Count >= 3, $"{user}: {parts.Count} parts");
            Assert.StartsWith("【提案答复】", text, StringComparison.Ordinal);
            Assert.Equal(0, text.LastIndexOf("【提案答复】", StringComparison.Ordinal));
            Assert.Equal(text.IndexOf("第1项：", StringComparison.Ordinal), text.LastIndexOf("第1项：", StringComparison.Ordinal));
            Assert.Contains("第120项：已将数智城建设纳入年度重点工作并落实。", text, StringComparison.Ordinal);
        }

        Assert.All(await _host.LedgerAsync(Subject), r => Assert.Equal(ReminderDeliveryStatus.Sent, r.Status));
    }
}

public sealed class ProposalNewsSqliteTests : ProposalNewsTests
{
    protected override Task<PostgresServer?> ServerAsync() => Task.FromResult<PostgresServer?>(null);
}

public sealed class ProposalNewsPostgresTests(PostgresServerFixture postgres) : ProposalNewsTests
{
    protected override async Task<PostgresServer?> ServerAsync() => await postgres.GetAsync();
}
