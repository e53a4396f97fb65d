using System.Data.Common;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Linping.CppccBot.LocalChat.FakeWeCom;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Persistence.Import;
using Linping.CppccBot.Tests.Features.Meetings;
using Linping.CppccBot.Tests.Features.Reminders;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Features.Staff;

/// <summary>
/// A member's sign-up and a staff change of the same meeting at the same moment (SQLite and PostgreSQL): each is
/// interleaved with the other where it read the meeting and has not saved yet. The side that loses the meeting's
/// version re-reads and applies on what is stored now; neither sees a 500.
/// </summary>
public sealed class MeetingChangeRaceTests(PostgresServerFixture postgres)
{
    private const string MeetingId = "MT-2027-04";
    private const string NewTitle = "大运河临平段文化遗产保护专题视察";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AStaffChange_WhoseMeetingAMemberSignedUpToMeanwhile_IsSaved_AndTheSignUpStays(bool onPostgres)
    {
        var hook = new BeforeNextTransaction();
        await using var host = BotHostFactory.On(onPostgres ? await postgres.GetAsync() : null).WithDbOptions(o => o.AddInterceptors(hook));
        await using var weCom = await ReminderHarness.StartWeComAsync(host);
        using var staff = StaffClient(host, weCom);
        IReadOnlyList<string> memberReplies = [];

        // The staff change has read the meeting; before it saves, 王建国 signs up (the meeting's version moves on).
        hook.Arm(async () => memberReplies = await host.Member("wangjianguo").SendAsync($"报名 {MeetingId}"));
        var response = await staff.PatchAsJsonAsync($"/api/admin/meetings/{MeetingId}", new { title = NewTitle }, Ct);

        Assert.True(hook.Ran, "The member's sign-up should have run between the staff change's read and its save.");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("报名成功", Assert.Single(memberReplies), StringComparison.Ordinal);
        var meeting = await host.DbAsync(db => db.Meetings.AsNoTracking().SingleAsync(m => m.Id == MeetingId, Ct));
        Assert.Equal(NewTitle, meeting.Title);
        Assert.Equal(ParticipationStatus.SignedUp, (await host.ParticipationAsync(MeetingId, "M001"))?.Status);
        Assert.Single(await host.DbAsync(db => db.MeetingChanges.AsNoTracking().Where(c => c.MeetingId == MeetingId).ToListAsync(Ct)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AMemberSigningUp_WhileStaffTakeTheLastFreeSeatAway_IsToldTheMeetingIsFull(bool onPostgres)
    {
        var hook = BeforeNextSave.OfASignUp();
        await using var host = BotHostFactory.On(onPostgres ? await postgres.GetAsync() : null).WithDbOptions(o => o.AddInterceptors(hook));
        await using var weCom = await ReminderHarness.StartWeComAsync(host);
        using var staff = StaffClient(host, weCom);
        await host.UpdateMeetingAsync(MeetingId, m => m.Capacity = 2);
        Assert.Contains("报名成功", await host.Member("chenxiaoyan").AskAsync($"报名 {MeetingId}"), StringComparison.Ordinal);

        // 王建国's sign-up has read one seat free; before it saves, staff cut the seats to the one already taken.
        HttpResponseMessage? staffResponse = null;
        hook.Arm(async () => staffResponse = await staff.PatchAsJsonAsync($"/api/admin/meetings/{MeetingId}", new { capacity = 1 }, Ct));
        var reply = await host.Member("wangjianguo").AskAsync($"报名 {MeetingId}");

        Assert.True(hook.Ran, "The staff change should have run between the sign-up's read and its save.");
        Assert.Equal(HttpStatusCode.OK, staffResponse?.StatusCode);
        Assert.Contains("名额已满（共1个）", reply, StringComparison.Ordinal);
        Assert.Null(await host.ParticipationAsync(MeetingId, "M001"));
        Assert.Equal(1, await host.DbAsync(db => db.Participations.CountAsync(p => p.MeetingId == MeetingId && p.Status == ParticipationStatus.SignedUp, Ct)));
    }

    [Fact]
    public async Task AFileImport_ChangingAMeetingAMemberSignedUpToMeanwhile_IsApplied_AndTheSignUpStays()
    {
        // PostgreSQL only: on SQLite the import's transaction holds the write lock from its first read, so the sign-up
        // waits for it instead of slipping in between.
        var hook = BeforeNextSave.OfAnImport();
        await using var host = BotHostFactory.On(await postgres.GetAsync()).WithDbOptions(o => o.AddInterceptors(hook));
        IReadOnlyList<string> memberReplies = [];

        // The import has read the meeting; before it saves, 王建国 signs up (the meeting's version moves on).
        hook.Arm(async () => memberReplies = await host.Member("wangjianguo").SendAsync($"报名 {MeetingId}"));
        var result = await ImportMeetingAsync(host, NewTitle, capacity: 20);

        Assert.True(hook.Ran, "The member's sign-up should have run between the import's read and its save.");
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Message)));
        Assert.Contains("报名成功", Assert.Single(memberReplies), StringComparison.Ordinal);
        var meeting = await host.DbAsync(db => db.Meetings.AsNoTracking().SingleAsync(m => m.Id == MeetingId, Ct));
        Assert.Equal(NewTitle, meeting.Title);
        Assert.Equal(ParticipationStatus.SignedUp, (await host.ParticipationAsync(MeetingId, "M001"))?.Status);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AMemberSigningUp_WhileAFileImportTakesTheLastFreeSeatAway_IsToldTheMeetingIsFull(bool onPostgres)
    {
        var hook = BeforeNextSave.OfASignUp();
        await using var host = BotHostFactory.On(onPostgres ? await postgres.GetAsync() : null).WithDbOptions(o => o.AddInterceptors(hook));
        await host.UpdateMeetingAsync(MeetingId, m => m.Capacity = 2);
        Assert.Contains("报名成功", await host.Member("chenxiaoyan").AskAsync($"报名 {MeetingId}"), StringComparison.Ordinal);

        // 王建国's sign-up has read one seat free; before it saves, the office's file cuts the seats to the one taken.
        ImportResult? imported = null;
        hook.Arm(async () => imported = await ImportMeetingAsync(host, "大运河临平段文化遗产保护视察", capacity: 1));
        var reply = await host.Member("wangjianguo").AskAsync($"报名 {MeetingId}");

        Assert.True(hook.Ran, "The import should have run between the sign-up's read and its save.");
        Assert.True(imported?.Succeeded, string.Join("; ", imported?.Errors.Select(e => e.Message) ?? []));
        Assert.Contains("名额已满（共1个）", reply, StringComparison.Ordinal);
        Assert.Null(await host.ParticipationAsync(MeetingId, "M001"));
        Assert.Equal(1, await host.DbAsync(db => db.Participations.CountAsync(p => p.MeetingId == MeetingId && p.Status == ParticipationStatus.SignedUp, Ct)));
    }

    /// <summary>The office's file with the demo's 大运河 inspection, its title and seats as given, imported as a staff upload is.</summary>
    private static async Task<ImportResult> ImportMeetingAsync(BotHostFactory host, string title, int capacity)
    {
        var file = JsonSerializer.SerializeToUtf8Bytes(new
        {
            meetings = new[]
            {
                new
                {
                    id = MeetingId,
                    title,
                    type = "Inspection",
                    location = "塘栖古镇",
                    startsAt = "2027-05-12T08:30:00+08:00",
                    endsAt = "2027-05-12T12:30:00+08:00",
                    capacity,
                    participation = "OpenSignup",
                    signupDeadline = "2027-05-11T11:30:00+08:00",
                    invitees = new[] { "*" },
                    groups = new[] { "G-ALL" },
                },
            },
        });
        using var scope = host.Services.CreateScope();
        using var stream = new MemoryStream(file);
        return await scope.ServiceProvider.GetRequiredService<DataImporter>().ImportAsync(stream, Ct);
    }

    private static HttpClient StaffClient(BotHostFactory host, FakeWeComServer weCom)
    {
        host.Settings["WeCom:ApiBaseUrl"] = weCom.BaseAddress.ToString();
        host.Settings["Admin:ApiKey"] = StaffApiHost.StaffKey;
        var staff = host.CreateClient();
        staff.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StaffApiHost.StaffKey);
        return staff;
    }

    /// <summary>Runs an action once, when the next transaction is about to begin (the staff change's, after its reads).</summary>
    private sealed class BeforeNextTransaction : DbTransactionInterceptor
    {
        private Func<Task>? _action;

        public bool Ran { get; private set; }

        public void Arm(Func<Task> action) => _action = action;

        public override async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
            DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Exchange(ref _action, null) is { } action)
            {
                await action();
                Ran = true;
            }

            return result;
        }
    }

    /// <summary>Runs an action once, when a save that <paramref name="when"/> picks is about to write.</summary>
    private sealed class BeforeNextSave(Func<ChangeTracker, bool> when) : SaveChangesInterceptor
    {
        private Func<Task>? _action;

        /// <summary>A save that adds a participation: a member's sign-up.</summary>
        public static BeforeNextSave OfASignUp() => new(tracker => tracker.Entries<Participation>().Any(e => e.State == EntityState.Added));

        /// <summary>A save that changes a meeting and no participation: the import's.</summary>
        public static BeforeNextSave OfAnImport() => new(tracker =>
        {
            tracker.DetectChanges();
            return tracker.Entries<Meeting>().Any(e => e.State == EntityState.Modified) && !tracker.Entries<Participation>().Any();
        });

        public bool Ran { get; private set; }

        public void Arm(Func<Task> action) => _action = action;

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (_action is not null && when(eventData.Context!.ChangeTracker) && Interlocked.Exchange(ref _action, null) is { } action)
            {
                await action();
                Ran = true;
            }

            return result;
        }
    }
}
