using Linping.CppccBot.Conversations;
using Linping.CppccBot.Persistence;
using Linping.CppccBot.Persistence.Import;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Persistence;

public sealed class StartupAndCommandTests
{
    [Fact]
    public async Task Seed_at_start_makes_the_roster_known()
    {
        await using var database = await EmptyFileAsync();
        await using var factory = Factory(database.ConnectionString, TestDatabase.DemoFile);
        using var client = factory.CreateClient();

        using var scope = factory.Services.CreateScope();
        var directory = scope.ServiceProvider.GetRequiredService<ICallerDirectory>();
        var ct = TestContext.Current.CancellationToken;
        var member = await directory.FindAsync(ChannelNames.WeCom, "wangjianguo", ct);
        var staff = await directory.FindAsync(ChannelNames.WeCom, "lims", ct);

        Assert.Equal(("王建国", "M001"), (member?.Name, member?.MemberId));
        Assert.Equal("S001", staff?.StaffId);
        Assert.Contains("ProposalOffice", staff!.StaffRoles);
    }

    [Fact]
    public async Task A_restart_does_not_undo_what_staff_changed_until_the_seed_file_itself_changes()
    {
        await using var database = await EmptyFileAsync();
        var seed = Path.Combine(Path.GetTempPath(), $"cppccbot-seed-{Guid.NewGuid():N}.json");
        File.Copy(TestDatabase.DemoFile, seed);
        var ct = TestContext.Current.CancellationToken;
        try
        {
            await StartAsync(database.ConnectionString, seed);
            await using (var db = database.NewContext())
            {
                // What staff might do between two starts: correct a member's account.
                var member = await db.Members.SingleAsync(m => m.Id == "M001", ct);
                member.WeComUserId = "wangjianguo2";
                await db.SaveChangesAsync(ct);
            }

            await StartAsync(database.ConnectionString, seed);
            var afterRestart = await WeComUserIdAsync(database, "M001");

            await File.WriteAllTextAsync(seed, (await File.ReadAllTextAsync(seed, ct)).Replace("\"name\": \"陈晓燕\"", "\"name\": \"陈小燕\"", StringComparison.Ordinal), ct);
            await StartAsync(database.ConnectionString, seed);

            Assert.Equal("wangjianguo2", afterRestart);
            Assert.Equal("wangjianguo", await WeComUserIdAsync(database, "M001"));
            await using var check = database.NewContext();
            Assert.Equal("陈小燕", (await check.Members.SingleAsync(m => m.Id == "M002", ct)).Name);
        }
        finally
        {
            File.Delete(seed);
        }

        static async Task StartAsync(string connectionString, string seedPath)
        {
            await using var factory = Factory(connectionString, seedPath);
            using var client = factory.CreateClient();
        }

        static async Task<string?> WeComUserIdAsync(TestDatabase database, string memberId)
        {
            await using var db = database.NewContext();
            return (await db.Members.AsNoTracking().SingleAsync(m => m.Id == memberId, TestContext.Current.CancellationToken)).WeComUserId;
        }
    }

    [Fact]
    public async Task A_missing_seed_file_stops_the_start_naming_the_setting()
    {
        await using var database = await EmptyFileAsync();
        await using var factory = Factory(database.ConnectionString, "data/no-such-file.json");

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Seed:Path", error.ToString(), StringComparison.Ordinal);
        await using var db = database.NewContext();
        Assert.Empty(await db.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken)); // stopped before migrating
    }

    [Fact]
    public async Task Import_command_fails_with_the_errors_for_a_bad_file()
    {
        await using var database = await EmptyFileAsync();
        await using var factory = Factory(database.ConnectionString, seedPath: "");
        var bad = Path.Combine(Path.GetTempPath(), $"cppccbot-bad-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(bad, """{ "meetings": [ { "id": "MT-1", "title": "t", "type": "Party" } ] }""", TestContext.Current.CancellationToken);
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();

            var exitCode = await ImportCommand.RunAsync(factory.Services, bad, output, error, TestContext.Current.CancellationToken);

            Assert.Equal(1, exitCode);
            Assert.Contains("meetings[0] (MT-1).type: 未知的取值“Party”", error.ToString(), StringComparison.Ordinal);
            Assert.Contains("meetings[0] (MT-1).startsAt: 缺少必填值", error.ToString(), StringComparison.Ordinal);
            await using var db = database.NewContext();
            Assert.Equal(0, await db.Meetings.CountAsync(TestContext.Current.CancellationToken));
        }
        finally
        {
            File.Delete(bad);
        }
    }

    [Fact]
    public async Task Import_command_succeeds_for_the_demo_file()
    {
        await using var database = await EmptyFileAsync();
        await using var factory = Factory(database.ConnectionString, seedPath: "");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await ImportCommand.RunAsync(factory.Services, TestDatabase.DemoFile, output, error, TestContext.Current.CancellationToken);

        Assert.Equal(0, exitCode);
        Assert.Contains("委员 新增 8", output.ToString(), StringComparison.Ordinal);
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public void Relative_seed_paths_fall_back_to_the_app_base_directory()
    {
        var resolved = DatabaseStartup.ResolvePath("data/linping-demo.json", Path.GetTempPath());

        Assert.Equal(Path.GetFullPath(TestDatabase.DemoFile), resolved);
        Assert.Null(DatabaseStartup.ResolvePath("data/none.json", Path.GetTempPath()));
    }

    [Fact]
    public void Import_errors_read_record_then_field()
    {
        Assert.Equal("meetings[2] (MT-2027-03).startsAt: 不是有效的时间", new ImportError("meetings[2] (MT-2027-03)", "startsAt", "不是有效的时间").ToString());
    }

    // A temp file whose schema the host itself creates at start (migrations, not EnsureCreated).
    private static Task<TestDatabase> EmptyFileAsync() => TestDatabase.CreateAsync(migrate: false);

    private static WebApplicationFactory<Program> Factory(string connectionString, string seedPath) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment("Testing");
            host.UseSetting("ConnectionStrings:Database", connectionString);
            host.UseSetting(DatabaseStartup.SeedPathKey, seedPath);
        });
}
