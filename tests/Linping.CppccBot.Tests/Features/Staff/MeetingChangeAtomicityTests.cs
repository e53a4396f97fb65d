using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Features.Reminders;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Features.Staff;

/// <summary>A staff change of a meeting and the notice it brings are saved together, or neither is (SQLite and PostgreSQL).</summary>
public sealed class MeetingChangeAtomicityTests(PostgresServerFixture postgres)
{
    private const string Title = "关于加快数字经济发展的专题协商会";
    private const string NewTitle = "关于数字经济高质量发展的专题协商会";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AChangeWhoseNoticeCannotBeSaved_IsNotSavedEither_AndStaffSendingItAgain_TellsTheMembersOnce(bool onPostgres)
    {
        var fault = new FailingNoticeClaim();
        await using var host = BotHostFactory.On(onPostgres ? await postgres.GetAsync() : null).WithDbOptions(o => o.AddInterceptors(fault));
        await using var weCom = await ReminderHarness.StartWeComAsync(host);
        host.Settings["WeCom:ApiBaseUrl"] = weCom.BaseAddress.ToString();
        host.Settings["Admin:ApiKey"] = StaffApiHost.StaffKey;
        using var staff = host.CreateClient();
        staff.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StaffApiHost.StaffKey);

        var created = await staff.PostAsJsonAsync("/api/admin/meetings", new
        {
            title = Title,
            type = "ThematicConsultation",
            location = "区政协三楼会议室",
            startsAt = "2026-12-02T14:30:00+08:00",
            endsAt = "2026-12-02T17:00:00+08:00",
            participation = "OpenSignup",
            capacity = 30,
            invitees = new[] { "M001" },
            groups = new[] { "G-ALL" },
        }, Ct);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await staff.PostAsync($"/api/admin/meetings/{id}/publish", null, Ct)).StatusCode);
        weCom.ClearMessages();

        // The host fails between saving the change and putting its notice in the ledger.
        fault.Armed = true;
        var failed = await staff.PatchAsJsonAsync($"/api/admin/meetings/{id}", new { title = NewTitle }, Ct);
        fault.Armed = false;

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal(Title, await TitleAsync(staff, id));
        Assert.Equal(0, await host.DbAsync(db => db.MeetingChanges.CountAsync(c => c.MeetingId == id, Ct)));
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Linping.CppccBot.Features.Reminders.ReminderJob>().RunAsync(Ct);
        }

        Assert.Empty(weCom.Sends());
        Assert.Empty(weCom.Webhooks());

        // Staff send the change again: it is saved, and members and the group hear of it once.
        var again = await staff.PatchAsJsonAsync($"/api/admin/meetings/{id}", new { title = NewTitle }, Ct);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(NewTitle, await TitleAsync(staff, id));
        var send = Assert.Single(weCom.Sends());
        Assert.Equal(["wangjianguo"], send.Recipients);
        Assert.Contains($"会议名称由“{Title}”改为“{NewTitle}”。", send.Content, StringComparison.Ordinal);
        Assert.Contains($"会议名称由“{Title}”改为“{NewTitle}”。", Assert.Single(weCom.Webhooks()).Content, StringComparison.Ordinal);
    }

    private static async Task<string?> TitleAsync(HttpClient staff, string id) =>
        (await staff.GetFromJsonAsync<JsonElement>($"/api/admin/meetings/{id}", Ct)).GetProperty("meeting").GetProperty("title").GetString();

    /// <summary>While armed, fails every save that puts a notice in the reminder ledger, as a host stopping there would.</summary>
    private sealed class FailingNoticeClaim : SaveChangesInterceptor
    {
        public volatile bool Armed;

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (Armed && eventData.Context!.ChangeTracker.Entries<ReminderDelivery>().Any(e => e.State == EntityState.Added))
            {
                throw new InvalidOperationException("Injected failure: the host stopped before the notice was claimed.");
            }

            return ValueTask.FromResult(result);
        }
    }
}
