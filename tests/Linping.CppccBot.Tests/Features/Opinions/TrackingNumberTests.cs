using Linping.CppccBot.Persistence;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Features.Opinions;

/// <summary>Tracking numbers <c>SQMY-&lt;Beijing year&gt;-&lt;sequence&gt;</c>: continuing, per year, and unique under concurrency.</summary>
public sealed class TrackingNumberTests : IDisposable
{
    private const string Title = "关于老旧小区停车难的建议";

    private readonly BotHostFactory _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task TheSequence_ContinuesFromTheHighestNumberOfTheYear_WhereverItCameFrom()
    {
        await AddExistingAsync("SQMY-2026-0041", "M002", new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.FromHours(8)));
        await AddExistingAsync("SQMY-2026-0007", "M003", new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.FromHours(8)));

        await SubmitAsync("wangjianguo", "SQMY-2026-0042");
        await SubmitAsync("wangjianguo", "SQMY-2026-0043");
    }

    [Fact]
    public async Task TheYear_IsTheYearInBeijing_SoJustAfterMidnightOnNewYear_TheSequenceStartsAgain()
    {
        // 2026-12-31 23:50 in Beijing is still 2026; ten minutes later it is 2027 there while UTC is still in 2026.
        _host.Time.SetUtcNow(new DateTimeOffset(2026, 12, 31, 15, 50, 0, TimeSpan.Zero));
        await SubmitAsync("wangjianguo", "SQMY-2026-0001");

        _host.Time.SetUtcNow(new DateTimeOffset(2026, 12, 31, 16, 30, 0, TimeSpan.Zero));
        await SubmitAsync("chenxiaoyan", "SQMY-2027-0001");
    }

    [Fact]
    public async Task MembersConfirmingAtTheSameMoment_GetDifferentNumbers()
    {
        string[] users = ["wangjianguo", "chenxiaoyan", "liuzhiqiang", "zhanglihua", "zhouwei", "wumin"];
        foreach (var user in users)
        {
            await _host.Member(user).Script().UpToSummary(Title, "跳过", OpinionTestData.Paragraph).RunAsync();
        }

        var replies = await Task.WhenAll(users.Select(user => _host.Member(user).AskAsync("确认提交")));

        var numbers = replies.Select(r => System.Text.RegularExpressions.Regex.Match(r, @"SQMY-2026-\d{4}").Value).ToList();
        Assert.Equal(
            ["SQMY-2026-0001", "SQMY-2026-0002", "SQMY-2026-0003", "SQMY-2026-0004", "SQMY-2026-0005", "SQMY-2026-0006"],
            numbers.Order(StringComparer.Ordinal));
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var stored = await db.Opinions.AsNoTracking().Where(o => o.Id.StartsWith("SQMY-2026-")).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(6, stored.Count);
        Assert.Equal(6, stored.Select(o => o.SubmittedById).Distinct().Count());
        Assert.Equal(6, await db.StateChanges.CountAsync(c => c.EntityType == StateChangeEntityTypes.Opinion && c.EntityId.StartsWith("SQMY-2026-"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ANumberTakenAtTheLastMoment_IsRetried_AndTheMemberIsToldTheNumberActuallyStored()
    {
        var interceptor = new TakeTheNumberFirst();
        using var host = new BotHostFactory().WithServices(services =>
            services.ConfigureDbContext<BotDbContext>(options => options.AddInterceptors(interceptor)));

        await host.Member("wangjianguo").Script().UpToSummary(Title, "跳过", OpinionTestData.Paragraph).RunAsync();
        interceptor.Armed = true;
        var reply = await host.Member("wangjianguo").AskAsync("1");

        Assert.Equal(2, interceptor.Attempts);
        Assert.Contains("提交成功", reply, StringComparison.Ordinal);
        var stored = Assert.Single(await OpinionTestData.OpinionsOfAsync(host, "M001"));
        Assert.Contains(stored.Id, reply, StringComparison.Ordinal);
        Assert.Single(await OpinionTestData.StateChangesOfAsync(host, stored.Id));
        Assert.Single(stored.History);
    }

    private async Task SubmitAsync(string user, string expectedNumber)
    {
        await _host.Member(user).Script()
            .UpToSummary(Title, "跳过", OpinionTestData.Paragraph)
            .Send("1").Expect(expectedNumber)
            .RunAsync();
        Assert.Single(await OpinionTestData.StateChangesOfAsync(_host, expectedNumber));
    }

    private async Task AddExistingAsync(string id, string memberId, DateTimeOffset submittedAt)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        db.Opinions.Add(new Opinion { Id = id, Title = "已有的报送", Content = "已有的正文", SubmittedById = memberId, SubmittedAt = submittedAt, Status = OpinionStatus.UnderReview });
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// Plays another submission that stores the same number between our read and our insert: on the first save of a
    /// new report it inserts a row with that number on the same connection, so the insert fails on the primary key.
    /// </summary>
    private sealed class TakeTheNumberFirst : SaveChangesInterceptor
    {
        private int _attempts;

        /// <summary>Off while the host seeds the demo data at start.</summary>
        public bool Armed { get; set; }

        public int Attempts => Volatile.Read(ref _attempts);

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            var context = eventData.Context!;
            var added = context.ChangeTracker.Entries<Opinion>().FirstOrDefault(e => e.State == EntityState.Added);
            if (Armed && added is not null && Interlocked.Increment(ref _attempts) == 1)
            {
                await context.Database.ExecuteSqlAsync(
                    $"INSERT INTO Opinions (Id, Title, Content, SubmittedById, SubmittedAt, Status) VALUES ({added.Entity.Id}, '别人的报送', '别人的正文', 'M006', 0, 'Submitted')",
                    cancellationToken);
            }

            return result;
        }
    }
}
