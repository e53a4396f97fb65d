using System.Data.Common;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Linping.CppccBot.Features.Meetings;
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

    [Fact]
    public async Task AFileImport_AddingASeat_WhileTheFirstOnTheWaitlistLeavesIt_GivesTheSeatToTheNextOne()
    {
        // PostgreSQL only, as above: on SQLite the member's change waits for the import instead of slipping in between.
        var hook = BeforeNextSave.OfAnImportPromoting();
        await using var host = BotHostFactory.On(await postgres.GetAsync()).WithDbOptions(o => o.AddInterceptors(hook));
        await using var weCom = await ReminderHarness.StartWeComAsync(host);
        host.Settings["WeCom:ApiBaseUrl"] = weCom.BaseAddress.ToString();
        await host.UpdateMeetingAsync(MeetingId, m => m.Capacity = 1);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var meetings = scope.ServiceProvider.GetRequiredService<MeetingService>();
            Assert.Equal(SignUpOutcome.SignedUp, (await meetings.SignUpAsync(MeetingId, "M001", joinWaitlist: true, Ct)).Outcome);
            Assert.Equal(SignUpOutcome.Waitlisted, (await meetings.SignUpAsync(MeetingId, "M002", joinWaitlist: true, Ct)).Outcome);
            Assert.Equal(SignUpOutcome.Waitlisted, (await meetings.SignUpAsync(MeetingId, "M003", joinWaitlist: true, Ct)).Outcome);
        }

        // The import has given the new seat to 陈晓燕; before it saves, she leaves the waitlist herself.
        IReadOnlyList<string> memberReplies = [];
        hook.Arm(async () => memberReplies = await host.Member("chenxiaoyan").SendAsync($"取消报名 {MeetingId}"));
        var result = await ImportMeetingAsync(host, "大运河临平段文化遗产保护视察", capacity: 2);

        Assert.True(hook.Ran, "The member's change should have run between the import's read and its save.");
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Message)));
        Assert.StartsWith("已将您移出", Assert.Single(memberReplies), StringComparison.Ordinal);
        Assert.Equal(("M003", "刘志强"), (Assert.Single(result.Promotions).MemberId, result.Promotions[0].MemberName));
        var statuses = await host.DbAsync(db => db.Participations.AsNoTracking().Where(p => p.MeetingId == MeetingId).OrderBy(p => p.MemberId).ToListAsync(Ct));
        Assert.Equal(
            [("M001", ParticipationStatus.SignedUp), ("M002", ParticipationStatus.Cancelled), ("M003", ParticipationStatus.SignedUp)],
            statuses.Select(p => (p.MemberId, p.Status)));
        Assert.Equal(["liuzhiqiang"], weCom.Sends().Where(m => m.Content.Contains("您已由候补转为“已报名”", StringComparison.Ordinal)).Select(m => m.Recipients.Single()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AStaffChange_ThatLosesTheMeetingFiveTimesRunning_Answers409_AndChangesNothing(bool onPostgres)
    {
        var hook = new BeforeNextTransaction();
        await using var host = BotHostFactory.On(onPostgres ? await postgres.GetAsync() : null).WithDbOptions(o => o.AddInterceptors(hook));
        await using var weCom = await ReminderHarness.StartWeComAsync(host);
        using var staff = StaffClient(host, weCom);
        var before = await host.DbAsync(db => db.Meetings.AsNoTracking().SingleAsync(m => m.Id == MeetingId, Ct));

        // Each time the staff change has read the meeting, a member's sign-up or cancellation is saved first.
        hook.Arm(() => MeetingChangedMeanwhileAsync(host), times: 5);
        var response = await staff.PatchAsJsonAsync($"/api/admin/meetings/{MeetingId}", new { title = NewTitle, capacity = 40 }, Ct);

        Assert.Equal(5, hook.Runs);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("会议的报名情况刚刚有变化，修改未保存，请稍后重新提交。", problem.RootElement.GetProperty("title").GetString());
        Assert.Equal(409, problem.RootElement.GetProperty("status").GetInt32());
        var after = await host.DbAsync(db => db.Meetings.AsNoTracking().SingleAsync(m => m.Id == MeetingId, Ct));
        Assert.Equal((before.Title, before.Capacity), (after.Title, after.Capacity));
        Assert.Empty(await host.DbAsync(db => db.MeetingChanges.AsNoTracking().Where(c => c.MeetingId == MeetingId).ToListAsync(Ct)));
        Assert.Empty(weCom.Messages);

        // Sent again once the meeting is quiet, it is saved.
        var again = await staff.PatchAsJsonAsync($"/api/admin/meetings/{MeetingId}", new { title = NewTitle, capacity = 40 }, Ct);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(NewTitle, (await host.DbAsync(db => db.Meetings.AsNoTracking().SingleAsync(m => m.Id == MeetingId, Ct))).Title);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AMembersSignUpCancellationOrLeave_ThatLosesTheMeetingFiveTimesRunning_IsAskedToSendAgain_AndStoredOnceWhenSent(bool onPostgres)
    {
        const string Council = "MT-2027-03";
        var hook = BeforeNextSave.OfAMembersChange();
        await using var host = BotHostFactory.On(onPostgres ? await postgres.GetAsync() : null).WithDbOptions(o => o.AddInterceptors(hook));
        var wang = host.Member("wangjianguo");

        // Each time the sign-up has read the meeting, another member's sign-up or a staff change is saved first.
        hook.Arm(() => MeetingChangedMeanwhileAsync(host), times: 5);
        var signUp = await wang.AskAsync($"报名 {MeetingId}");

        Assert.Equal(5, hook.Runs);
        Assert.Equal(TooManyAtOnce, signUp);
        Assert.Null(await host.ParticipationAsync(MeetingId, "M001"));
        Assert.Contains("报名成功", await wang.AskAsync($"报名 {MeetingId}"), StringComparison.Ordinal);

        hook.Arm(() => MeetingChangedMeanwhileAsync(host), times: 5);
        Assert.Equal(TooManyAtOnce, await wang.AskAsync($"取消报名 {MeetingId}"));
        Assert.Equal(ParticipationStatus.SignedUp, (await host.ParticipationAsync(MeetingId, "M001"))?.Status);
        Assert.StartsWith("已取消您对", await wang.AskAsync($"取消报名 {MeetingId}"), StringComparison.Ordinal);

        // The leave request's last answer (the note) loses five times; the dialog is kept, and the note sent again makes it.
        await wang.AskAsync("常委会请假，家里有事");
        hook.Arm(() => MeetingChangedMeanwhileAsync(host, Council), times: 5);
        Assert.Equal(TooManyAtOnce, await wang.AskAsync("无"));
        Assert.Null(await host.ParticipationAsync(Council, "M001"));
        Assert.Contains("请假待批", await wang.AskAsync("无"), StringComparison.Ordinal);

        Assert.Equal(15, hook.Runs);
        var stored = await host.DbAsync(db => db.Participations.AsNoTracking().Where(p => p.MemberId == "M001" && (p.MeetingId == MeetingId || p.MeetingId == Council))
            .OrderBy(p => p.MeetingId).ToListAsync(Ct));
        Assert.Equal([(Council, ParticipationStatus.LeavePending), (MeetingId, ParticipationStatus.Cancelled)], stored.Select(p => (p.MeetingId, p.Status)));
        var audit = await host.DbAsync(db => db.StateChanges.AsNoTracking()
            .Where(c => c.EntityId == $"{MeetingId}/M001" || c.EntityId == $"{Council}/M001").OrderBy(c => c.Id).Select(c => c.EntityId + " " + c.To).ToListAsync(Ct));
        Assert.Equal([$"{MeetingId}/M001 SignedUp", $"{MeetingId}/M001 Cancelled", $"{Council}/M001 LeavePending"], audit);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TakingAMemberOffTheRoster_WhoseSeatLosesTheMeetingFiveTimesRunning_Answers409_AndSentAgainGivesTheSeatUp(bool onPostgres)
    {
        var hook = BeforeNextSave.OfAMembersChange();
        await using var host = BotHostFactory.On(onPostgres ? await postgres.GetAsync() : null).WithDbOptions(o => o.AddInterceptors(hook));
        await using var weCom = await ReminderHarness.StartWeComAsync(host);
        using var staff = StaffClient(host, weCom);
        Assert.Contains("报名成功", await host.Member("wangjianguo").AskAsync($"报名 {MeetingId}"), StringComparison.Ordinal);

        // Each time the withdrawal has read the meeting, another member's sign-up or a staff change is saved first.
        hook.Arm(() => MeetingChangedMeanwhileAsync(host), times: 5);
        var response = await staff.PostAsync("/api/admin/members/M001/deactivate", null, Ct);

        Assert.Equal(5, hook.Runs);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        using (var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)))
        {
            Assert.Equal("委员已移出名册，但部分会议的报名情况刚刚有变化，未能全部退出，请稍后重新提交一次。", problem.RootElement.GetProperty("title").GetString());
        }

        Assert.False(await host.DbAsync(db => db.Members.AsNoTracking().Where(m => m.Id == "M001").Select(m => m.IsActive).SingleAsync(Ct)));
        Assert.Equal(ParticipationStatus.SignedUp, (await host.ParticipationAsync(MeetingId, "M001"))?.Status);

        var again = await staff.PostAsync("/api/admin/members/M001/deactivate", null, Ct);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(ParticipationStatus.Cancelled, (await host.ParticipationAsync(MeetingId, "M001"))?.Status);
    }

    private const string TooManyAtOnce = "刚才同时办理的人较多，您这条消息没有办成，请稍后再发一次。";

    /// <summary>What another member's sign-up or a staff change saved meanwhile does to the meeting: its version moves on.</summary>
    private static Task<int> MeetingChangedMeanwhileAsync(BotHostFactory host, string meetingId = MeetingId) =>
        host.DbAsync(db => db.Meetings.Where(m => m.Id == meetingId).ExecuteUpdateAsync(s => s.SetProperty(m => m.Version, m => m.Version + 1), Ct));

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
        private readonly Armed _armed = new();

        public bool Ran => _armed.Runs > 0;

        public int Runs => _armed.Runs;

        /// <summary>Runs <paramref name="action"/> before each of the next <paramref name="times"/> transactions.</summary>
        public void Arm(Func<Task> action, int times = 1) => _armed.Arm(action, times);

        public override async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
            DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
        {
            await _armed.RunAsync(() => true);
            return result;
        }
    }

    /// <summary>An action to run a number of times at the moments a hook picks; taken before it runs, so its own saves do not run it again.</summary>
    private sealed class Armed
    {
        private readonly Lock _gate = new();
        private Func<Task>? _action;
        private int _left;
        private int _runs;

        public int Runs => Volatile.Read(ref _runs);

        public void Arm(Func<Task> action, int times)
        {
            lock (_gate)
            {
                (_action, _left) = (action, times);
            }
        }

        public async Task RunAsync(Func<bool> when)
        {
            Func<Task>? action;
            lock (_gate)
            {
                action = _action;
                if (action is null || !when())
                {
                    return;
                }

                if (--_left == 0)
                {
                    _action = null;
                }
            }

            await action();
            Interlocked.Increment(ref _runs);
        }
    }

    /// <summary>Runs an action once, when a save that <paramref name="when"/> picks is about to write.</summary>
    private sealed class BeforeNextSave(Func<ChangeTracker, bool> when) : SaveChangesInterceptor
    {
        private readonly Armed _armed = new();

        /// <summary>A save that adds a participation: a member's sign-up.</summary>
        public static BeforeNextSave OfASignUp() => new(tracker => tracker.Entries<Participation>().Any(e => e.State == EntityState.Added));

        /// <summary>A save that changes a meeting and moves a member from its waitlist to a seat: an import's that added seats.</summary>
        public static BeforeNextSave OfAnImportPromoting() => new(tracker =>
        {
            tracker.DetectChanges();
            return tracker.Entries<Meeting>().Any(e => e.State == EntityState.Modified && e.Property(m => m.Capacity).IsModified)
                && tracker.Entries<Participation>().Any(e => e.State == EntityState.Modified && e.Entity.Status == ParticipationStatus.SignedUp);
        });

        /// <summary>A save that adds or changes a participation: a member's sign-up, cancellation or leave request.</summary>
        public static BeforeNextSave OfAMembersChange() =>
            new(tracker => tracker.Entries<Participation>().Any(e => e.State is EntityState.Added or EntityState.Modified));

        /// <summary>A save that changes a meeting and no participation: the import's.</summary>
        public static BeforeNextSave OfAnImport() => new(tracker =>
        {
            tracker.DetectChanges();
            return tracker.Entries<Meeting>().Any(e => e.State == EntityState.Modified) && !tracker.Entries<Participation>().Any();
        });

        public bool Ran => _armed.Runs > 0;

        public int Runs => _armed.Runs;

        /// <summary>Runs <paramref name="action"/> before each of the next <paramref name="times"/> saves <c>when</c> picks.</summary>
        public void Arm(Func<Task> action, int times = 1) => _armed.Arm(action, times);

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            await _armed.RunAsync(() => when(eventData.Context!.ChangeTracker));
            return result;
        }
    }
}
