using System.Diagnostics;
using System.Globalization;
using System.Text;
using Hangfire;
using Hangfire.Storage;
using Linping.CppccBot.Channels.DingTalk;
using Linping.CppccBot.Channels.WeCom;
using Linping.CppccBot.Features.Reminders;
using Linping.CppccBot.Hosting;
using Linping.CppccBot.LocalChat.FakeWeCom;
using Linping.CppccBot.Persistence;
using Linping.CppccBot.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Linping.CppccBot.Bench;

/// <summary>
/// Issue 4: one meeting reminder to 10,000 signed-up members and 20 groups. The host is composed in this process
/// exactly as Program.cs does (its own SQLite file, Hangfire with its SQLite storage) and its recurring
/// <c>reminders</c> job is triggered through Hangfire; the fake WeCom API on loopback counts the calls and checks that
/// every recipient gets exactly one reminder.
/// </summary>
internal static class ReminderBenchmark
{
    private const string MeetingId = "MT-BENCH-01";

    public static async Task<BenchSection> RunAsync(BenchOptions options)
    {
        var directory = MachineInfo.NewTempDirectory("reminders");
        try
        {
            var users = Enumerable.Range(1, options.ReminderMembers).Select(n => string.Create(CultureInfo.InvariantCulture, $"r{n:00000}")).ToList();
            var keys = Enumerable.Range(1, options.ReminderGroups).Select(n => string.Create(CultureInfo.InvariantCulture, $"bench-robot-{n:00}")).ToList();
            await using var weCom = await FakeWeComServer.StartAsync(new FakeWeComOptions
            {
                CorpId = BenchHost.CorpId,
                Secret = BenchHost.Secret,
                AgentId = BenchHost.AgentId,
                KnownUsers = users,
                WebhookKeys = keys,
            });

            await using var app = await BuildHostAsync(directory, weCom.BaseAddress);
            var startsAt = TimeProvider.System.GetUtcNow().AddMinutes(90);
            var seeding = Stopwatch.StartNew();
            await SeedAsync(app, users, keys, startsAt);
            seeding.Stop();
            await app.StartAsync();

            // The job Hangfire runs every minute, triggered now (its schedule is set far away so it does not fire by itself).
            var jobs = app.Services.GetRequiredService<IRecurringJobManagerV2>();
            var monitoring = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            var jobId = jobs.TriggerJob(ReminderJob.RecurringJobId);
            var (state, data) = await WaitForFinalStateAsync(monitoring, jobId, TimeSpan.FromMinutes(10));
            wall.Stop();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;

            var ledger = await InScopeAsync(app, db => db.ReminderDeliveries.AsNoTracking().Where(r => r.MeetingId == MeetingId)
                .GroupBy(r => new { r.RecipientType, r.Status }).Select(g => new { g.Key.RecipientType, g.Key.Status, Count = g.Count() }).ToListAsync());
            await app.StopAsync();

            var perUser = weCom.Messages.Where(m => m.Endpoint == FakeWeComEndpoint.MessageSend)
                .SelectMany(m => m.Recipients).GroupBy(u => u, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var perGroup = weCom.Messages.Where(m => m.Endpoint == FakeWeComEndpoint.WebhookSend)
                .GroupBy(m => m.WebhookKey!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var dropped = weCom.Messages.Sum(m => m.DroppedRecipients.Count);
            var membersOnce = users.Count(u => perUser.GetValueOrDefault(u) == 1);
            var membersTwice = perUser.Values.Count(v => v > 1);
            var groupsOnce = keys.Count(k => perGroup.GetValueOrDefault(k) == 1);
            var groupsTwice = perGroup.Values.Count(v => v > 1);
            var sentRows = ledger.Where(r => r.Status == ReminderDeliveryStatus.Sent).Sum(r => r.Count);
            var otherRows = ledger.Where(r => r.Status != ReminderDeliveryStatus.Sent).Sum(r => r.Count);
            var passed = state == "Succeeded" && membersOnce == users.Count && groupsOnce == keys.Count && membersTwice == 0 && groupsTwice == 0
                && dropped == 0 && sentRows == users.Count + keys.Count && otherRows == 0;

            var md = new StringBuilder();
            var c = CultureInfo.InvariantCulture;
            md.AppendLine("### Meeting reminder to 10,000 members and 20 groups (issue 4)").AppendLine();
            md.AppendLine(c, $"{users.Count:N0} members signed up to one meeting that starts in 90 minutes (its 2-hour reminder is due) and {keys.Count} groups with a WeCom robot key; the host's recurring `reminders` job triggered through Hangfire (SQLite job storage) against the fake WeCom API on loopback. Seeding the database ({seeding.Elapsed.TotalSeconds:0.0} s) is not timed.").AppendLine();
            md.AppendLine("| API | Calls |");
            md.AppendLine("|---|---:|");
            md.AppendLine(c, $"| `gettoken` | {weCom.GetTokenRequests} |");
            md.AppendLine(c, $"| `message/send` (≤ 1000 users a call) | {weCom.MessageSendRequests} |");
            md.AppendLine(c, $"| `webhook/send` | {weCom.WebhookSendRequests} |");
            md.AppendLine();
            md.AppendLine("| Measure | Value |");
            md.AppendLine("|---|---:|");
            md.AppendLine(c, $"| Job outcome | {state} |");
            md.AppendLine(c, $"| Members reached exactly once | {membersOnce:N0} of {users.Count:N0} |");
            md.AppendLine(c, $"| Groups reached exactly once | {groupsOnce} of {keys.Count} |");
            md.AppendLine(c, $"| Recipients reached more than once | {membersTwice + groupsTwice} |");
            md.AppendLine(c, $"| Recipients dropped by WeCom's per-member limit | {dropped} |");
            md.AppendLine(c, $"| Ledger rows Sent / other | {sentRows:N0} / {otherRows} |");
            md.AppendLine(c, $"| Wall time, trigger → job succeeded | {wall.Elapsed.TotalSeconds:0.00} s |");
            md.AppendLine(c, $"| of which Hangfire queue latency | {Seconds(data, "Latency")} |");
            md.AppendLine(c, $"| of which the job itself (plan, claim, send, settle) | {Seconds(data, "PerformanceDuration")} |");
            md.AppendLine(c, $"| Processor time of the process meanwhile (host and fake WeCom API) | {cpu.TotalSeconds:0.00} s |");
            md.AppendLine().AppendLine(passed ? "Every recipient got exactly one reminder." : "**The run is wrong: not every recipient got exactly one reminder (see the table).**");
            return new BenchSection(md.ToString(), passed);
        }
        finally
        {
            MachineInfo.DeleteQuietly(directory, options.Keep);
        }
    }

    /// <summary>The host's services as Program.cs composes them, on its own SQLite file, without Redis.</summary>
    private static async Task<WebApplication> BuildHostAsync(string directory, Uri weComApi)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(ReminderJob).Assembly.GetName().Name,
            ContentRootPath = directory,
            EnvironmentName = "Production",
            Args = [],
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = $"Data Source={Path.Combine(directory, "reminders.db")}",
            ["ConnectionStrings:Redis"] = string.Empty,
            ["WeCom:CorpId"] = BenchHost.CorpId,
            ["WeCom:Token"] = BenchHost.Token,
            ["WeCom:EncodingAESKey"] = BenchHost.EncodingAesKey,
            ["WeCom:AgentId"] = BenchHost.AgentId.ToString(CultureInfo.InvariantCulture),
            ["WeCom:Secret"] = BenchHost.Secret,
            ["WeCom:ApiBaseUrl"] = weComApi.ToString(),
            // Registered and run by Hangfire's server, but only when triggered: 1 January, 00:00.
            ["Reminders:Schedule"] = "0 0 1 1 *",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");

        builder.AddBotCore();
        builder.AddPersistence();
        builder.AddConversationStorage();
        builder.AddWeComChannel();
        builder.AddDingTalkChannel();
        builder.AddBackgroundJobs();

        var app = builder.Build();
        await app.InitializeDatabaseAsync();
        return app;
    }

    private static Task<int> SeedAsync(WebApplication app, List<string> users, List<string> keys, DateTimeOffset startsAt) =>
        InScopeAsync(app, async db =>
        {
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var memberIds = users.Select((_, i) => string.Create(CultureInfo.InvariantCulture, $"R{i + 1:00000}")).ToList();
            db.Members.AddRange(users.Select((user, i) => new Member { Id = memberIds[i], Name = string.Create(CultureInfo.InvariantCulture, $"委员{i + 1:00000}"), WeComUserId = user }));
            db.Groups.AddRange(keys.Select((key, i) => new Group { Id = string.Create(CultureInfo.InvariantCulture, $"G-BENCH-{i + 1:00}"), Name = string.Create(CultureInfo.InvariantCulture, $"第{i + 1}组委员群"), WeComWebhookKey = key }));
            db.Meetings.Add(new Meeting
            {
                Id = MeetingId,
                Title = "临平区政协全体委员学习会",
                Type = MeetingType.Training,
                Location = "区政协一楼报告厅",
                StartsAt = startsAt,
                EndsAt = startsAt.AddHours(2),
                Participation = ParticipationMode.OpenSignup,
                Groups = [.. keys.Select((_, i) => new MeetingGroup { MeetingId = MeetingId, GroupId = string.Create(CultureInfo.InvariantCulture, $"G-BENCH-{i + 1:00}") })],
            });
            var now = TimeProvider.System.GetUtcNow();
            db.Participations.AddRange(memberIds.Select(id => new Participation
            {
                MeetingId = MeetingId,
                MemberId = id,
                Status = ParticipationStatus.SignedUp,
                CreatedAt = now,
                UpdatedAt = now,
            }));
            db.ChangeTracker.DetectChanges();
            return await db.SaveChangesAsync();
        });

    private static async Task<T> InScopeAsync<T>(WebApplication app, Func<BotDbContext, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<BotDbContext>());
    }

    private static async Task<(string State, IDictionary<string, string> Data)> WaitForFinalStateAsync(IMonitoringApi monitoring, string jobId, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var state = monitoring.JobDetails(jobId)?.History.FirstOrDefault();
            if (state?.StateName is "Succeeded" or "Failed" or "Deleted")
            {
                return (state.StateName, state.Data);
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"The reminders job {jobId} did not finish within {timeout.TotalMinutes:0} minutes.");
    }

    private static string Seconds(IDictionary<string, string> data, string key) =>
        data.TryGetValue(key, out var value) && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? (ms / 1000.0).ToString("0.00 s", CultureInfo.InvariantCulture)
            : "–";
}
