using System.Text.Json.Nodes;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Linping.CppccBot.Tests.Persistence;

/// <summary>The import on each database provider: SQLite (<see cref="DataImporterSqliteTests"/>) and PostgreSQL.</summary>
public abstract class DataImporterTests
{
    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private static readonly string Demo = File.ReadAllText(TestDatabase.DemoFile);

    [Fact]
    public async Task Demo_file_imports_with_the_right_counts()
    {
        await using var database = await CreateDatabaseAsync();

        var result = await database.ImportAsync(Demo);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(new(8, 0, 0), result.Counts.Members);
        Assert.Equal(new(1, 0, 0), result.Counts.Staff);
        Assert.Equal(new(1, 0, 0), result.Counts.Groups);
        Assert.Equal(new(4, 0, 0), result.Counts.Meetings);
        Assert.Equal(new(6, 0, 0), result.Counts.Proposals);
        Assert.Equal(new(1, 0, 0), result.Counts.Opinions);

        await using var db = database.NewContext();
        var ct = TestContext.Current.CancellationToken;
        var proposal = await db.Proposals.Include(p => p.Proposers).Include(p => p.Units).Include(p => p.History)
            .SingleAsync(p => p.Serial == 27, ct);
        Assert.Equal("一届五次第0027号", proposal.Number);
        Assert.Equal(ProposalStatus.Replied, proposal.Status);
        Assert.Equal(AnswerClass.A, proposal.ReplyClass);
        Assert.Equal(EvaluationResult.Satisfied, proposal.Evaluation);
        Assert.Equal(6, proposal.History.Count);
        Assert.Equal("M008", Assert.Single(proposal.Proposers).MemberId);
        Assert.Equal(UnitRole.Lead, Assert.Single(proposal.Units).Role);

        var lead = await db.Proposals.Where(p => p.Serial == 12).SelectMany(p => p.Proposers).SingleAsync(p => p.Position == 0, ct);
        Assert.Equal("M001", lead.MemberId);

        // Times are stored as UTC and order in the database (SQLite: UTC ticks).
        var meetings = await db.Meetings.OrderBy(m => m.StartsAt).Select(m => m.Id).ToListAsync(ct);
        Assert.Equal(["MT-2027-01", "MT-2027-03", "MT-2027-02", "MT-2027-04"], meetings);
        var first = await db.Meetings.SingleAsync(m => m.Id == "MT-2027-01", ct);
        Assert.Equal(new DateTimeOffset(2027, 3, 18, 6, 30, 0, TimeSpan.Zero), first.StartsAt);
        Assert.True(first.InviteAllMembers);
        Assert.Equal(8, await db.Set<MeetingInvitee>().CountAsync(i => i.MeetingId == "MT-2027-03", ct));
        Assert.Equal(4 + 6 + 1, await db.StateChanges.CountAsync(c => c.Actor == StateChangeActors.Import, ct));
    }

    [Fact]
    public async Task Importing_the_same_file_twice_changes_nothing()
    {
        await using var database = await CreateDatabaseAsync();
        Assert.True((await database.ImportAsync(Demo)).Succeeded);
        var before = await database.SnapshotAsync();

        database.Time.Advance(TimeSpan.FromHours(1));
        var second = await database.ImportAsync(Demo);

        Assert.True(second.Succeeded);
        Assert.Equal(new(0, 0, 8), second.Counts.Members);
        Assert.Equal(new(0, 0, 4), second.Counts.Meetings);
        Assert.Equal(new(0, 0, 6), second.Counts.Proposals);
        Assert.Equal(new(0, 0, 1), second.Counts.Opinions);
        Assert.Equal(before, await database.SnapshotAsync());
    }

    [Fact]
    public async Task Changed_title_and_status_are_applied_and_the_state_change_recorded()
    {
        await using var database = await CreateDatabaseAsync();
        Assert.True((await database.ImportAsync(Demo)).Succeeded);
        var file = JsonNode.Parse(Demo)!;
        var proposal = file["proposals"]![0]!;
        proposal["title"] = "关于高水平建设临平数智城的建议（修改）";
        proposal["status"] = "Replied";
        proposal["history"]!.AsArray().Add(new JsonObject { ["status"] = "Replied", ["at"] = "2025-08-01T09:00:00+08:00" });
        file["opinions"]![0]!["status"] = "ReportedUpward";

        var result = await database.ImportAsync(file.ToJsonString());

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(new(0, 1, 5), result.Counts.Proposals);
        Assert.Equal(new(0, 1, 0), result.Counts.Opinions);
        await using var db = database.NewContext();
        var ct = TestContext.Current.CancellationToken;
        var stored = await db.Proposals.Include(p => p.History).SingleAsync(p => p.Serial == 12, ct);
        Assert.Equal("关于高水平建设临平数智城的建议（修改）", stored.Title);
        Assert.Equal(ProposalStatus.Replied, stored.Status);
        Assert.Equal(6, stored.History.Count);
        var change = await db.StateChanges.SingleAsync(c => c.EntityType == StateChangeEntityTypes.Proposal && c.EntityId == "一届五次/12" && c.From != null, ct);
        Assert.Equal(("InHandling", "Replied", "import", database.Time.GetUtcNow()), (change.From, change.To, change.Actor, change.At));
        Assert.Equal(1, await db.OpinionHistory.CountAsync(h => h.OpinionId == "SQMY-2025-0001" && h.Status == OpinionStatus.ReportedUpward, ct));
        Assert.Single(await db.StateChanges.Where(c => c.EntityType == StateChangeEntityTypes.Opinion && c.To == "ReportedUpward").ToListAsync(ct));
    }

    public static TheoryData<string, string, string> BadFiles => new()
    {
        { "$.meetings[2].startsAt", "明天上午", "meetings[2] (MT-2027-03).startsAt: 不是有效的时间" },
        { "$.meetings[2].startsAt", "2027-03-25T09:00:00", "meetings[2] (MT-2027-03).startsAt: 不是有效的时间" },
        { "$.meetings[0].endsAt", "2027-03-18T13:00:00+08:00", "meetings[0] (MT-2027-01).endsAt: 结束时间必须晚于开始时间" },
        { "$.meetings[1].type", "Party", "meetings[1] (MT-2027-02).type: 未知的取值“Party”" },
        { "$.meetings[2].invitees[3]", "M099", "meetings[2] (MT-2027-03).invitees[3]: 引用了不存在的委员 M099" },
        { "$.meetings[0].groups[0]", "G-NONE", "meetings[0] (MT-2027-01).groups[0]: 引用了不存在的群 G-NONE" },
        { "$.meetings[3].id", "MT-2027-01", "meetings[3] (MT-2027-01).id: id 重复，与 meetings[0] (MT-2027-01) 相同" },
        { "$.members[1].name", "", "members[1] (M002).name: 缺少必填值" },
        { "$.members[2].id", "M001", "members[2] (M001).id: id 重复" },
        { "$.members[3].wecomUserId", "wangjianguo", "members[3] (M004).wecomUserId: 账号重复，与 members[0] (M001) 相同" },
        { "$.staff[0].roles[0]", "Boss", "staff[0] (S001).roles[0]: 未知的角色“Boss”" },
        { "$.proposals[0].status", "Done", "proposals[0] (一届五次第0012号).status: 未知的取值“Done”" },
        { "$.proposals[0].number", "第12号", "proposals[0] (第12号).number: 案号格式应为" },
        { "$.proposals[0].number", "一届五次第0013号", "proposals[0] (一届五次第0013号).number: 案号中的序号与 serial 12 不一致" },
        { "$.proposals[1].serial", "12", "proposals[1] (一届五次第0027号).number: 案号中的序号与 serial 12 不一致" },
        { "$.proposals[3].proposers[0]", "M404", "proposals[3] (一届五次第0041号).proposers[0]: 引用了不存在的委员 M404" },
        { "$.proposals[1].reply.resultClass", "D", "proposals[1] (一届五次第0027号).reply.resultClass: 未知的取值“D”" },
        { "$.proposals[2].evaluation.result", "VerySatisfied", "proposals[2] (一届五次第0035号).evaluation.result: 未知的取值" },
        { "$.proposals[0].history[1].at", "soon", "proposals[0] (一届五次第0012号).history[1].at: 不是有效的时间" },
        { "$.opinions[0].submittedBy", "M999", "opinions[0] (SQMY-2025-0001).submittedBy: 引用了不存在的委员 M999" },
        { "$.opinions[0].status", "Published", "opinions[0] (SQMY-2025-0001).status: 未知的取值" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_file_is_rejected_naming_record_and_field_and_nothing_changes(string path, string value, string expectedError)
    {
        await using var database = await CreateDatabaseAsync();
        Assert.True((await database.ImportAsync(Demo)).Succeeded);
        var before = await database.SnapshotAsync();

        // Every record of the bad file differs from the database, so a partial write would show in the snapshot.
        var file = JsonNode.Parse(Demo)!;
        foreach (var proposal in file["proposals"]!.AsArray())
        {
            proposal!["title"] = proposal["title"]!.GetValue<string>() + "（新）";
        }

        foreach (var meeting in file["meetings"]!.AsArray())
        {
            meeting!["title"] = meeting["title"]!.GetValue<string>() + "（新）";
        }

        Set(file, path, value);
        var result = await database.ImportAsync(file.ToJsonString());

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.ToString().StartsWith(expectedError, StringComparison.Ordinal));
        Assert.Equal(before, await database.SnapshotAsync());
    }

    [Fact]
    public async Task A_file_can_neither_leave_fewer_seats_than_sign_ups_nor_change_a_cancelled_meeting()
    {
        await using var database = await CreateDatabaseAsync();
        Assert.True((await database.ImportAsync(Demo)).Succeeded);
        var ct = TestContext.Current.CancellationToken;
        await using (var db = database.NewContext())
        {
            var now = database.Time.GetUtcNow();
            db.Participations.AddRange(
                new Participation { MeetingId = "MT-2027-01", MemberId = "M001", Status = ParticipationStatus.SignedUp, CreatedAt = now, UpdatedAt = now },
                new Participation { MeetingId = "MT-2027-01", MemberId = "M002", Status = ParticipationStatus.CheckedIn, CreatedAt = now, UpdatedAt = now },
                new Participation { MeetingId = "MT-2027-01", MemberId = "M003", Status = ParticipationStatus.SignedUp, CreatedAt = now, UpdatedAt = now },
                new Participation { MeetingId = "MT-2027-01", MemberId = "M004", Status = ParticipationStatus.Cancelled, CreatedAt = now, UpdatedAt = now });
            (await db.Meetings.SingleAsync(m => m.Id == "MT-2027-02", ct)).Status = MeetingStatus.Cancelled;
            await db.SaveChangesAsync(ct);
        }

        var before = await database.SnapshotAsync();
        var file = JsonNode.Parse(Demo)!;
        var meetings = file["meetings"]!.AsArray();
        var first = meetings.Single(m => (string?)m!["id"] == "MT-2027-01")!;
        var cancelled = meetings.Single(m => (string?)m!["id"] == "MT-2027-02")!;
        var location = (string?)cancelled["location"];
        first["capacity"] = 2;
        cancelled["location"] = "区政协三楼会议室";

        var refused = await database.ImportAsync(file.ToJsonString());

        Assert.False(refused.Succeeded);
        Assert.Equal(
            [$"meetings[{meetings.IndexOf(first)}] (MT-2027-01).capacity: 名额不能少于已报名的 3 人", $"meetings[{meetings.IndexOf(cancelled)}] (MT-2027-02): 该会议已取消，不能再修改；如要重新安排，请用新的会议 id"],
            refused.Errors.Select(e => e.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(before, await database.SnapshotAsync());

        // Seats for everyone signed up, and the cancelled meeting as it is stored: the file imports.
        first["capacity"] = 3;
        cancelled["location"] = location;
        var imported = await database.ImportAsync(file.ToJsonString());

        Assert.True(imported.Succeeded, string.Join("\n", imported.Errors));
        await using var check = database.NewContext();
        Assert.Equal(3, (await check.Meetings.SingleAsync(m => m.Id == "MT-2027-01", ct)).Capacity);
        Assert.Equal(MeetingStatus.Cancelled, (await check.Meetings.SingleAsync(m => m.Id == "MT-2027-02", ct)).Status);
    }

    [Fact]
    public async Task A_roster_at_the_limit_imports_and_one_beyond_it_is_refused_whole()
    {
        await using var database = await CreateDatabaseAsync();
        static string Roster(int count) => new JsonObject
        {
            ["members"] = new JsonArray([.. Enumerable.Range(1, count).Select(i => (JsonNode)new JsonObject
            {
                ["id"] = $"R{i:D6}",
                ["name"] = $"委员{i}",
                ["wecomUserId"] = $"member{i:D6}",
                ["sector"] = "经济界",
            })]),
        }.ToJsonString();

        var beyond = await database.ImportAsync(Roster(Linping.CppccBot.Persistence.Import.ImportValidator.MaxRecordsPerList + 1));
        Assert.Equal("members: 一次最多导入 5000 条委员记录，这份有 5001 条；请检查文件或分批导入", Assert.Single(beyond.Errors).ToString());
        Assert.Equal("0, 0, 0, 0, 0, 0, 0, 0, 0, 0, , ", await database.SnapshotAsync());

        var atLimit = await database.ImportAsync(Roster(Linping.CppccBot.Persistence.Import.ImportValidator.MaxRecordsPerList));
        Assert.True(atLimit.Succeeded, string.Join("\n", atLimit.Errors.Take(3)));
        Assert.Equal(new(5000, 0, 0), atLimit.Counts.Members);
        var again = await database.ImportAsync(Roster(Linping.CppccBot.Persistence.Import.ImportValidator.MaxRecordsPerList));
        Assert.Equal(new(0, 0, 5000), again.Counts.Members);
    }

    [Fact]
    public async Task All_errors_are_collected_not_only_the_first()
    {
        await using var database = await CreateDatabaseAsync();
        var file = JsonNode.Parse(Demo)!;
        Set(file, "$.meetings[0].type", "Party");
        Set(file, "$.proposals[0].status", "Done");
        Set(file, "$.opinions[0].submittedAt", "");

        var result = await database.ImportAsync(file.ToJsonString());

        Assert.Equal(3, result.Errors.Count);
        Assert.Equal("opinions[0] (SQMY-2025-0001).submittedAt: 缺少必填值", result.Errors[2].ToString());
        Assert.Equal("0, 0, 0, 0, 0, 0, 0, 0, 0, 0, , ", await database.SnapshotAsync());
    }

    [Fact]
    public async Task A_wecom_account_of_another_member_in_the_database_is_rejected()
    {
        await using var database = await CreateDatabaseAsync();
        Assert.True((await database.ImportAsync(Demo)).Succeeded);

        var result = await database.ImportAsync("""{ "members": [ { "id": "M100", "name": "新委员", "wecomUserId": "wangjianguo" } ] }""");

        Assert.Equal("members[0] (M100).wecomUserId: 账号已属于数据库中的委员 M001", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public async Task Malformed_json_is_reported_with_its_path()
    {
        await using var database = await CreateDatabaseAsync();

        var result = await database.ImportAsync("""{ "meetings": [ { "id": "X", "capacity": "many" } ] }""");

        Assert.StartsWith("$.meetings[0].capacity: JSON 无法解析", Assert.Single(result.Errors).ToString(), StringComparison.Ordinal);
    }

    private static void Set(JsonNode root, string path, string value)
    {
        // path like $.a[1].b.c[0]; the last segment is replaced.
        var segments = path[2..].Replace("[", ".[", StringComparison.Ordinal).Split('.');
        var node = root;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            node = Step(node, segments[i]);
        }

        var last = segments[^1];
        JsonNode? newValue = int.TryParse(value, out var number) && path.EndsWith("serial", StringComparison.Ordinal) ? number : value;
        if (last.StartsWith('['))
        {
            node.AsArray()[int.Parse(last[1..^1], System.Globalization.CultureInfo.InvariantCulture)] = newValue;
        }
        else
        {
            node[last] = newValue;
        }
    }

    private static JsonNode Step(JsonNode node, string segment) =>
        segment.StartsWith('[')
            ? node.AsArray()[int.Parse(segment[1..^1], System.Globalization.CultureInfo.InvariantCulture)]!
            : node[segment]!;
}

public sealed class DataImporterSqliteTests : DataImporterTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.CreateAsync();
}

public sealed class DataImporterPostgresTests(PostgresServerFixture postgres) : DataImporterTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await TestDatabase.CreateAsync(server: await postgres.GetAsync());
}
