using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Linping.CppccBot.Persistence;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Persistence.Import;
using Linping.CppccBot.Tests.Features.Reminders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;

namespace Linping.CppccBot.Tests.Features.Staff;

/// <summary>
/// POST /api/admin/import with the files staff really have: the roster and proposal list as CSV (UTF-8, with BOM, GBK)
/// and XLSX, and bad files refused with every bad row and column named and nothing written.
/// </summary>
public sealed class StaffImportTests : StaffApiHost
{
    private static readonly Encoding Gbk = CreateGbk();

    public static TheoryData<string> Encodings => ["utf-8", "utf-8-bom", "gbk"];

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task RosterAndProposalsCsv_Import_InAnyEncodingStaffHave(string encoding)
    {
        var roster = Encode(await File.ReadAllTextAsync(Repo("data", "roster.csv"), Ct), encoding);
        var proposals = Encode(await File.ReadAllTextAsync(Repo("data", "proposals.csv"), Ct), encoding);

        var (first, firstBody) = await UploadAsync("roster.csv", roster);
        var (second, secondBody) = await UploadAsync("proposals.csv", proposals);

        Assert.True(first.StatusCode == HttpStatusCode.OK, firstBody.ToString());
        Assert.True(second.StatusCode == HttpStatusCode.OK, secondBody.ToString());
        var members = await GetAsync("/api/admin/members");
        var sun = members.EnumerateArray().Single(m => m.GetProperty("id").GetString() == "M102");
        Assert.Equal("孙丽娟", sun.GetProperty("name").GetString());
        Assert.Equal(["教科卫体委员会", "文化文史委员会"], sun.GetProperty("committees").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("sunlijuan", sun.GetProperty("wecomUserId").GetString());
        Assert.Equal("138****0102", sun.GetProperty("mobile").GetString());
        var he = members.EnumerateArray().Single(m => m.GetProperty("id").GetString() == "M101");
        Assert.True(he.GetProperty("isStandingMember").GetBoolean());
        Assert.Equal("临平新城委员工作室", he.GetProperty("studio").GetString());

        var p72 = await Host.DbAsync(db => db.Proposals.Include(p => p.Proposers).Include(p => p.Units).Include(p => p.History).AsSplitQuery().SingleAsync(p => p.Serial == 72, Ct));
        Assert.Equal("一届五次第0072号", p72.Number);
        Assert.Equal("关于加强青少年心理健康服务的建议", p72.Title);
        Assert.Equal(ProposalStatus.Replied, p72.Status);
        Assert.Equal(AnswerClass.A, p72.ReplyClass);
        Assert.Equal(EvaluationResult.Satisfied, p72.Evaluation);
        Assert.Equal(DateTimeOffset.Parse("2025-09-20T00:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture), p72.RepliedAt);
        Assert.Equal(["区教育局:Lead", "区卫健局:Co"], p72.Units.OrderBy(u => u.Position).Select(u => $"{u.Name}:{u.Role}"));
        Assert.Equal(["M102"], p72.Proposers.Select(p => p.MemberId));
        var p71 = await Host.DbAsync(db => db.Proposals.Include(p => p.Proposers).SingleAsync(p => p.Serial == 71, Ct));
        Assert.True(p71.IsKey);
        Assert.Equal(ProposalStatus.InHandling, p71.Status);
        Assert.Equal(["M101", "M003"], p71.Proposers.OrderBy(p => p.Position).Select(p => p.MemberId));

        // The same file again changes nothing.
        var (again, againBody) = await UploadAsync("roster.csv", roster);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(3, againBody.GetProperty("counts").GetProperty("members").GetProperty("unchanged").GetInt32());
    }

    [Fact]
    public async Task ARosterSheetWithFewColumns_ChangesOnlyThoseColumns_OfMembersAlreadyThere()
    {
        // The office's phone list: id, name, mobile. M001 (王建国) is in the demo data with both accounts and a sector.
        var before = await Host.DbAsync(db => db.Members.AsNoTracking().SingleAsync(m => m.Id == "M001", Ct));
        var sheet = Encoding.UTF8.GetBytes("编号,姓名,手机号码\nM001,王建国,13900000001\nM301,新委员,13900000301\n");

        var (response, body) = await UploadAsync("phones.csv", sheet);

        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        var (wang, added) = await Host.DbAsync(async db => (
            await db.Members.AsNoTracking().SingleAsync(m => m.Id == "M001", Ct),
            await db.Members.AsNoTracking().SingleAsync(m => m.Id == "M301", Ct)));
        Assert.Equal("13900000001", wang.Mobile);
        Assert.Equal(
            (before.WeComUserId, before.DingTalkUserId, before.Sector, before.Studio, before.IsStandingMember, before.PreferredApp),
            (wang.WeComUserId, wang.DingTalkUserId, wang.Sector, wang.Studio, wang.IsStandingMember, wang.PreferredApp));
        Assert.Equal(before.Committees, wang.Committees);
        Assert.Equal("wangjianguo", wang.WeComUserId);
        Assert.Equal(("新委员", null, null, "13900000301"), (added.Name, added.WeComUserId, added.Sector, added.Mobile));

        // The member still reaches the bot.
        var reply = await Host.Member("wangjianguo").AskAsync("帮助");
        Assert.DoesNotContain("暂未查到您的委员信息", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExcelFile_WithHeaderVariants_AndProposersByName_Imports()
    {
        var roster = Xlsx(
        [
            new Dictionary<string, object?> { ["委员编号"] = "M201", ["姓名"] = "林晓东", ["界别"] = "科技界", ["专委会"] = "经济委员会", ["是否常委"] = "否", ["企微ID"] = "linxiaodong", ["钉钉"] = "dt-linxiaodong", ["手机号"] = 13800000201L },
            new Dictionary<string, object?> { ["委员编号"] = "M202", ["姓名"] = "许佳", ["界别"] = "医卫界", ["专委会"] = null, ["是否常委"] = "是", ["企微ID"] = "xujia", ["钉钉"] = null, ["手机号"] = null },
        ]);
        var proposals = Xlsx(
        [
            new Dictionary<string, object?>
            {
                ["案号"] = "一届五次第0090号", ["案由"] = "关于完善社区嵌入式托育服务的建议", ["提案人"] = "许佳、M201", ["类别"] = "社会", ["是否重点"] = "否",
                ["办理状态"] = "已交办", ["主办单位"] = "区卫健局", ["协办单位"] = "区教育局、区民政局", ["交办日期"] = new DateTime(2026, 11, 20), ["答复日期"] = null, ["答复类别"] = null, ["评价"] = null,
            },
        ]);

        var (first, firstBody) = await UploadAsync("委员名单.xlsx", roster);
        var (second, secondBody) = await UploadAsync("提案办理情况.xlsx", proposals);

        Assert.True(first.StatusCode == HttpStatusCode.OK, firstBody.ToString());
        Assert.True(second.StatusCode == HttpStatusCode.OK, secondBody.ToString());
        var (lin, xu) = await Host.DbAsync(async db => (await db.Members.SingleAsync(m => m.Id == "M201", Ct), await db.Members.SingleAsync(m => m.Id == "M202", Ct)));
        Assert.Equal(("林晓东", "linxiaodong", "dt-linxiaodong", "13800000201"), (lin.Name, lin.WeComUserId, lin.DingTalkUserId, lin.Mobile));
        Assert.True(xu.IsStandingMember);
        var p90 = await Host.DbAsync(db => db.Proposals.Include(p => p.Proposers).Include(p => p.Units).Include(p => p.History).AsSplitQuery().SingleAsync(p => p.Serial == 90, Ct));
        Assert.Equal(["M202", "M201"], p90.Proposers.OrderBy(p => p.Position).Select(p => p.MemberId));
        Assert.Equal(["区卫健局:Lead", "区教育局:Co", "区民政局:Co"], p90.Units.OrderBy(u => u.Position).Select(u => $"{u.Name}:{u.Role}"));
        var assigned = Assert.Single(p90.History);
        Assert.Equal((ProposalStatus.Assigned, DateTimeOffset.Parse("2026-11-20T00:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture)), (assigned.Status, assigned.At));

        // Creating a record is not news for the proposers; only a change of its status is.
        await using var scope = Host.Services.CreateAsyncScope();
        Assert.Equal(0, (await scope.ServiceProvider.GetRequiredService<Linping.CppccBot.Features.Reminders.ProposalNewsDispatcher>().RunAsync(Ct)).Sent);
    }

    [Fact]
    public async Task ABadRoster_IsRefused_NamingEachRowAndColumn_AndNothingIsWritten()
    {
        var csv = """
            编号,姓名,界别,专委会,委员工作室,是否常委,企业微信账号,钉钉账号,手机号码
            M301,赵一,经济界,,,是,zhaoyi,,13800000301
            M302,,经济界,,,也许,wangjianguo,,13800000302
            M301,钱二,经济界,,,否,qianer,,12345abc
            M303,孙三,经济界,,,否,WangJianGuo,,
            """;
        var before = await CountsAsync();

        var (response, body) = await UploadAsync("roster.csv", Gbk.GetBytes(csv));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = Errors(body);
        Assert.Contains("第 3 行「姓名」：缺少必填值", errors);
        Assert.Contains("第 3 行「是否常委」：应填“是”或“否”，不是“也许”", errors);
        Assert.Contains("第 3 行「企业微信账号」：账号已属于数据库中的委员 M001", errors);
        Assert.Contains("第 5 行「企业微信账号」：账号重复，与 第 3 行 相同", errors);
        Assert.Contains("第 4 行「编号」：id 重复，与 第 2 行 相同", errors);
        Assert.Contains("第 4 行「手机号码」：手机号码格式不正确（应为数字，可含 +、- 和空格）", errors);
        Assert.Equal(6, errors.Count);
        Assert.Equal("文件“roster.csv”有 6 处问题，未导入任何记录。", body.GetProperty("title").GetString());
        Assert.DoesNotContain("12345abc", body.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task ARefusedFile_AnswersTheShapeOfARequestWithBadFields()
    {
        var csv = "编号,姓名,是否常委\nM301,,也许\n";

        var (file, fileBody) = await UploadAsync("roster.csv", Encoding.UTF8.GetBytes(csv));
        var (field, fieldBody) = await PutAsync("/api/admin/members/M301", new { name = "", isStandingMember = false });

        foreach (var (response, body) in new[] { (file, fileBody), (field, fieldBody) })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(400, body.GetProperty("status").GetInt32());
            Assert.Equal(fieldBody.GetProperty("type").GetString(), body.GetProperty("type").GetString());
            Assert.Equal(JsonValueKind.Object, body.GetProperty("errors").ValueKind);
        }

        Assert.Equal(["缺少必填值"], fieldBody.GetProperty("errors").GetProperty("name").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["缺少必填值"], fileBody.GetProperty("errors").GetProperty("第 2 行「姓名」").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["应填“是”或“否”，不是“也许”"], fileBody.GetProperty("errors").GetProperty("第 2 行「是否常委」").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("文件“roster.csv”有 2 处问题，未导入任何记录。", fileBody.GetProperty("title").GetString());
        Assert.StartsWith("请按 errors 所列的行和列", fileBody.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(await Host.DbAsync(db => db.Members.AnyAsync(m => m.Id == "M301", Ct)));
    }

    [Fact]
    public async Task ABadProposalList_IsRefused_UnknownStatus_UnknownProposer_DuplicateNumber_BadDate()
    {
        var csv = """
            案号,标题,提案人,类别,是否重点,办理状态,主办单位,协办单位,交办日期,答复日期,答复类别,评价
            一届五次第0091号,关于A的建议,M001,经济,否,处理中,区发改局,,2026-11-01,,,
            一届五次第0092号,关于B的建议,M999,经济,否,办理中,区发改局,,2026-13-01,,,
            一届五次第0091号,关于C的建议,M002,经济,否,已答复,区发改局,,,2026-11-02,D,满意
            第九十三号,关于D的建议,M002,经济,否,办理中,区发改局,,,,,
            一届五次第092号,关于E的建议,M002,经济,否,办理中,区发改局,,,,,
            """;
        var before = await CountsAsync();

        var (response, body) = await UploadAsync("proposals.csv", Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv)).ToArray());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = Errors(body);
        Assert.Contains("第 2 行「办理状态」：未知的办理状态“处理中”，可选：已提交、审查中、已立案、不予立案、已交办、办理中、已答复、重新办理、已办结", errors);
        Assert.Contains("第 3 行「提案人」：引用了不存在的委员 M999", errors);
        Assert.Contains("第 3 行「交办日期」：不是有效的日期“2026-13-01”（如 2025-07-01）", errors);
        Assert.Contains("第 4 行「答复类别」：未知的答复类别“D”，可选：A、B、C", errors);
        Assert.Contains("第 4 行「案号」：案号重复，与 第 2 行 相同", errors);
        Assert.Contains("第 5 行「案号」：案号格式应为“一届五次第0012号”", errors);
        Assert.Contains("第 6 行「案号」：与 第 3 行 的案号届次和序号相同，是同一件提案", errors);
        Assert.Equal(7, errors.Count);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task FullWidthIdsAndAccounts_AreStoredInHalfWidth_SoTheNextSheetFindsTheSameMember()
    {
        var (first, firstBody) = await UploadAsync("roster.csv", Encoding.UTF8.GetBytes("编号,姓名,企业微信账号,手机号码\nＭ２１３,测试丁,ｔ２１３,１３８００００２１３\n"));
        var (again, againBody) = await UploadAsync("roster.csv", Encoding.UTF8.GetBytes("编号,姓名,企业微信账号,手机号码\nM213,测试丁,t213,13800000213\n"));

        Assert.True(first.StatusCode == HttpStatusCode.OK, firstBody.ToString());
        Assert.True(again.StatusCode == HttpStatusCode.OK, againBody.ToString());
        var members = await Host.DbAsync(db => db.Members.AsNoTracking().Where(m => m.Name == "测试丁").ToListAsync(Ct));
        var member = Assert.Single(members);
        Assert.Equal(("M213", "t213", "13800000213"), (member.Id, member.WeComUserId, member.Mobile));
    }

    [Fact]
    public async Task InvisibleCharacters_AreLeftOutOfNamesNumbersAndAccounts_AndAnAlignedNameIsTheNameStaffType()
    {
        // A roster as offices align it ("钱　思远", "李　红" with an ideographic space), pasted with what the web and Word
        // leave behind: zero-width (non-)joiners and spaces, word joiners, invisible operators, soft hyphens, U+180E, BOMs.
        var roster = "编号,姓名,界别,专委会,企业微信账号,钉钉账号,手机号码\n"
            + "M\u200d301,\u2060钱\u3000思\u00ad远\u200d,经济\u200b界\u180e,经济委员会\u200c,w301\u200c\u2064,dt-301\ufeff,138\u200d0000\u20610301\n"
            + "M302, 李 \u00a0红 ,教育界,,w302,,\n"
            + "M303,John\u3000 Smith,侨联界,,w303,,\n";
        var (imported, importedBody) = await UploadAsync("roster.csv", Encoding.UTF8.GetBytes(roster));

        Assert.True(imported.StatusCode == HttpStatusCode.OK, importedBody.ToString());
        var members = await Host.DbAsync(db => db.Members.AsNoTracking().Where(m => m.Id.StartsWith("M30")).OrderBy(m => m.Id).ToListAsync(Ct));
        Assert.Equal(["M301", "M302", "M303"], members.Select(m => m.Id));
        var qian = members[0];
        Assert.Equal(("钱思远", "经济界", "经济委员会", "w301", "dt-301", "13800000301"), (qian.Name, qian.Sector, qian.Committees.Single(), qian.WeComUserId, qian.DingTalkUserId, qian.Mobile));
        Assert.Equal(("李红", "John Smith"), (members[1].Name, members[2].Name));
        Assert.StartsWith("钱思远您好", await Host.Member("w301").AskAsync("你好"), StringComparison.Ordinal);

        // A proposal sheet names proposers as staff type them, with or without the roster's spaces.
        var proposals = "案号,标题,提案人,办理状态\n一届五次第0301号,关于👨\u200d👩\u200d👧家庭\u00ad驿站的建议,钱思远、李\u3000红、John Smith,已提交\n"
            + "一届五次第0302号,关于社区食堂的建议,王\u3000建国,已提交\n";
        var (listed, listedBody) = await UploadAsync("proposals.csv", Encoding.UTF8.GetBytes(proposals));

        Assert.True(listed.StatusCode == HttpStatusCode.OK, listedBody.ToString());
        var proposal = await Host.DbAsync(db => db.Proposals.AsNoTracking().Include(p => p.Proposers).SingleAsync(p => p.Number == "一届五次第0301号", Ct));
        Assert.Equal(["M301", "M302", "M303"], proposal.Proposers.OrderBy(p => p.Position).Select(p => p.MemberId));
        Assert.Equal("M001", await Host.DbAsync(db => db.Proposals.Where(p => p.Number == "一届五次第0302号").Select(p => p.Proposers.Single().MemberId).SingleAsync(Ct)));

        // A title keeps the joiners of an emoji sequence; the soft hyphen goes.
        Assert.Equal("关于👨\u200d👩\u200d👧家庭驿站的建议", proposal.Title);

        // The staff API reads names and accounts the same way; a name of nothing but invisible characters is missing.
        var (put, putBody) = await PutAsync("/api/admin/members/M304", new { name = "\ufeff赵\u3000\u3000敏\u200c", wecomUserId = "w304\u200b", mobile = "\u2062138 0000 0304" });
        var (empty, emptyBody) = await PutAsync("/api/admin/members/M305", new { name = "\u200d\u200c\u2060\u00ad\u3000\u180e\ufeff", wecomUserId = "w305" });

        Assert.True(put.StatusCode == HttpStatusCode.OK, putBody.ToString());
        var zhao = await Host.DbAsync(db => db.Members.AsNoTracking().SingleAsync(m => m.Id == "M304", Ct));
        Assert.Equal(("赵敏", "w304", "138 0000 0304"), (zhao.Name, zhao.WeComUserId, zhao.Mobile));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(["缺少必填值"], emptyBody.GetProperty("errors").GetProperty("name").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task AProposalSheetWithFewColumns_KeepsWhatItDoesNotCarry_AndCannotMoveAStatusBack()
    {
        var before = await Host.DbAsync(db => db.Proposals.AsNoTracking().Include(p => p.History).Include(p => p.Units).Include(p => p.Proposers).SingleAsync(p => p.Serial == 12, Ct));
        var proposers = string.Join("、", before.Proposers.OrderBy(p => p.Position).Select(p => p.MemberId));

        var (few, fewBody) = await UploadAsync("proposals.csv", Encoding.UTF8.GetBytes($"案号,标题,提案人,办理状态\n{before.Number},{before.Title}（修订）,{proposers},办理中\n"));
        var (dated, datedBody) = await UploadAsync("proposals.csv", Encoding.UTF8.GetBytes($"案号,标题,提案人,办理状态,交办日期\n{before.Number},{before.Title},{proposers},办理中,2026-10-09\n"));
        var (back, backBody) = await UploadAsync("proposals.csv", Encoding.UTF8.GetBytes($"案号,标题,提案人,办理状态\n{before.Number},{before.Title},{proposers},已提交\n"));

        Assert.True(few.StatusCode == HttpStatusCode.OK, fewBody.ToString());
        Assert.True(dated.StatusCode == HttpStatusCode.OK, datedBody.ToString());
        var after = await Host.DbAsync(db => db.Proposals.AsNoTracking().Include(p => p.History).Include(p => p.Units).SingleAsync(p => p.Serial == 12, Ct));
        Assert.Equal(before.Units.OrderBy(u => u.Position).Select(u => (u.Name, u.Role)), after.Units.OrderBy(u => u.Position).Select(u => (u.Name, u.Role)));
        Assert.Equal(before.History.Select(h => h.Status).Order(), after.History.Select(h => h.Status).Order());
        var assigned = after.History.Where(h => h.Status == ProposalStatus.Assigned).MaxBy(h => h.At)!;
        Assert.Equal(new DateTimeOffset(2026, 10, 9, 0, 0, 0, TimeSpan.FromHours(8)), assigned.At);
        Assert.Equal((before.Category, before.IsKey), (after.Category, after.IsKey));

        Assert.Equal(HttpStatusCode.BadRequest, back.StatusCode);
        Assert.StartsWith("第 2 行「办理状态」：提案当前为“办理中”，表格中为“已提交”：导入不能把办理状态改回去", Errors(backBody).Single(), StringComparison.Ordinal);
        Assert.Equal(ProposalStatus.InHandling, (await Host.DbAsync(db => db.Proposals.SingleAsync(p => p.Serial == 12, Ct))).Status);
    }

    [Fact]
    public async Task ANewSessionsProposal_WithASerialTheLastSessionHas_IsStoredBesideIt()
    {
        var before = await Host.DbAsync(db => db.Proposals.AsNoTracking().Include(p => p.History).SingleAsync(p => p.Serial == 12, Ct));
        var sheet = Encoding.UTF8.GetBytes("案号,标题,提案人,办理状态\n二届一次第0012号,关于新一届的建议,M002,已提交\n");

        var (response, body) = await UploadAsync("proposals.csv", sheet);
        var (again, againBody) = await UploadAsync("proposals.csv", sheet);

        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.True(again.StatusCode == HttpStatusCode.OK, againBody.ToString());
        var twelves = await Host.DbAsync(db => db.Proposals.AsNoTracking().Include(p => p.History).Where(p => p.Serial == 12).OrderBy(p => p.Id).ToListAsync(Ct));
        Assert.Equal(["一届五次第0012号", "二届一次第0012号"], twelves.Select(p => p.Number));
        Assert.Equal((before.Number, before.Title, before.Status, before.History.Count), (twelves[0].Number, twelves[0].Title, twelves[0].Status, twelves[0].History.Count));
        Assert.Equal(("二届一次", "关于新一届的建议", ProposalStatus.Submitted), (twelves[1].Session, twelves[1].Title, twelves[1].Status));
    }

    [Fact]
    public async Task ARosterSheetBeyondTheLimit_IsRefusedWhole_InWordsOfTheSheet()
    {
        var rows = Enumerable.Range(1, ImportValidator.MaxRecordsPerList + 1).Select(i => $"R{i:D6},委员{i},经济界");
        var before = await CountsAsync();

        var (response, body) = await UploadAsync("roster.csv", Encoding.UTF8.GetBytes(string.Join("\n", ["编号,姓名,界别", .. rows])));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["整个表格：一次最多导入 5000 条记录，这份表格的数据超过 5000 行；请检查文件或分批导入"], Errors(body));
        Assert.Equal(before, await CountsAsync());
    }

    public static TheoryData<string, string> CsvBombs => new()
    {
        // 700,000 data rows in 9 MB: read whole and kept (about 330 MB) before the 5,000 limit was checked; a million
        // blank lines; a value in the 101st column.
        { "rows", "整个表格：一次最多导入 5000 条记录，这份表格的数据超过 5000 行；请检查文件或分批导入" },
        { "blank rows", "整个表格：表格超过 50000 行（含空行）；一次最多导入 5000 条记录，请删去多余的行或分批导入" },
        { "columns", "第 2 行：第 CW 列有内容，超出了可读取的范围：表格最多 100 列（A 到 CV 列）；请删去多余的列后再导入" },
    };

    [Theory]
    [MemberData(nameof(CsvBombs))]
    public async Task ACsvBeyondTheLimits_IsRefusedAtTheFirstRecordPastThem_AsAnXlsxIs(string bomb, string error)
    {
        var csv = new StringBuilder("编号,姓名\n");
        switch (bomb)
        {
            case "rows":
                for (var i = 0; i < 700_000; i++)
                {
                    csv.Append("M9,某委员\n");
                }

                break;
            case "blank rows":
                csv.Append('\n', 1_000_000);
                break;
            default:
                csv.Append("M9,某委员").Append(',', 99).Append("多余\n");
                break;
        }

        var before = await CountsAsync();

        var file = Encoding.UTF8.GetBytes(csv.ToString());
        var (response, body) = await UploadAsync("roster.csv", file);

        Assert.True(file.Length < DataImporter.MaxFileBytes, $"{file.Length} bytes");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([error], Errors(body));
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public void ReadingACsv_StopsWhenTheUploadIsAborted()
    {
        using var aborted = new CancellationTokenSource();
        aborted.Cancel();

        Assert.Throws<OperationCanceledException>(() => SheetReader.ParseCsv("编号,姓名\nM1,某委员\n", aborted.Token));
    }

    [Fact]
    public void ACsvOfExactlyTheLimit_IsReadWhole_WithBlankColumnsPastTheLastOneIgnored()
    {
        var csv = "编号,姓名" + new string(',', 150) + "\n" + string.Join("\n", Enumerable.Range(1, ImportValidator.MaxRecordsPerList).Select(i => $"M{i},委员{i}" + new string(',', 150))) + "\n\n\n";

        var sheet = SheetReader.ParseCsv(csv, TestContext.Current.CancellationToken);

        Assert.Equal(ImportValidator.MaxRecordsPerList, sheet.Rows.Count);
        Assert.Equal(("M5000", "委员5000", 5001), (sheet.Rows[^1][0], sheet.Rows[^1][1], sheet.Rows[^1].Number));
        Assert.Equal(["编号", "姓名"], sheet.Headers.Take(2));
    }

    [Fact]
    public async Task AnXlsxWithAValueInExcelsLastColumn_IsRefusedAtItsFirstRow_AndNothingIsWritten()
    {
        // 2,000 rows with one value in column XFD (16,384), a file of a few KB: laid out to that width row by row, it
        // kept a core busy for many minutes.
        var xlsx = XlsxPackage(sheet =>
        {
            sheet.Write("""<row r="1"><c r="A1" t="inlineStr"><is><t>编号</t></is></c><c r="B1" t="inlineStr"><is><t>姓名</t></is></c></row>""");
            for (var i = 2; i <= 2001; i++)
            {
                sheet.Write(string.Create(CultureInfo.InvariantCulture, $"""<row r="{i}"><c r="XFD{i}"><v>1</v></c></row>"""));
            }
        });
        var before = await CountsAsync();

        var (response, body) = await UploadAsync("roster.xlsx", xlsx);

        Assert.True(xlsx.Length < 16 * 1024, $"{xlsx.Length} bytes");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["第 2 行：第 XFD 列有内容，超出了可读取的范围：表格最多 100 列（A 到 CV 列）；请删去多余的列后再导入"], Errors(body));
        Assert.Equal(before, await CountsAsync());
    }

    public static TheoryData<string, string> XlsxBombs => new()
    {
        // 400,000 data rows (38 MB of XML): read whole and kept before the 5,000 limit was checked (12 million rows ran
        // out of memory); a million blank rows; 60 MB of XML, here blanks.
        { "rows", "整个表格：一次最多导入 5000 条记录，这份表格的数据超过 5000 行；请检查文件或分批导入" },
        { "blank rows", "整个表格：表格超过 50000 行（含空行）；一次最多导入 5000 条记录，请删去多余的行或分批导入" },
        { "xml", "整个表格：表格解压后超过 50 MB，无法读取；请检查文件（如大量空行或多余内容）或分批导入" },
    };

    [Theory]
    [MemberData(nameof(XlsxBombs))]
    public async Task AnXlsxThatUnpacksToTooMuch_IsRefusedSayingSo_AndNothingIsWritten(string bomb, string error)
    {
        var xlsx = XlsxPackage(sheet =>
        {
            sheet.Write("""<row><c t="inlineStr"><is><t>编号</t></is></c><c t="inlineStr"><is><t>姓名</t></is></c></row>""");
            var (row, count) = bomb switch
            {
                "rows" => ("""<row><c t="inlineStr"><is><t>M9</t></is></c><c t="inlineStr"><is><t>某委员</t></is></c></row>""", 400_000),
                "blank rows" => ("<row/>", 1_000_000),
                _ => (new string(' ', 1024 * 1024), 60),
            };
            for (var i = 0; i < count; i++)
            {
                sheet.Write(row);
            }
        });
        var before = await CountsAsync();

        var (response, body) = await UploadAsync("roster.xlsx", xlsx);

        Assert.True(xlsx.Length < 512 * 1024, $"{xlsx.Length} bytes");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([error], Errors(body));
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public void ReadingAnXlsx_StopsWhenTheUploadIsAborted()
    {
        using var aborted = new CancellationTokenSource();
        aborted.Cancel();
        using var xlsx = new MemoryStream(XlsxPackage(sheet => sheet.Write("""<row><c t="inlineStr"><is><t>编号</t></is></c></row>""")));

        Assert.Throws<OperationCanceledException>(() => SheetReader.ReadXlsx(xlsx, aborted.Token));
    }

    [Fact]
    public async Task AnXlsxAsExcelSavesIt_SharedAndRichText_DateStyles_BlankRows_Imports()
    {
        // Shared strings (one in rich-text runs with a phonetic guide), dates as numbers styled by a built-in and a
        // Chinese custom format, a blank row, cells without references.
        var shared = """
            <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
            <si><t>案号</t></si><si><t>标题</t></si><si><t>提案人</t></si><si><t>办理状态</t></si><si><t>主办单位</t></si><si><t>交办日期</t></si>
            <si><r><t>关于推进</t></r><r><rPr><b/></rPr><t xml:space="preserve">老旧小区改造的建议</t></r><rPh sb="0" eb="2"><t>ガイ</t></rPh></si>
            <si><t>已交办</t></si>
            </sst>
            """;
        var styles = """
            <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
            <numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>
            <cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
            <cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="176"/></cellXfs>
            </styleSheet>
            """;
        var xlsx = XlsxPackage(
            sheet => sheet.Write("""
                <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c><c r="F1" t="s"><v>5</v></c></row>
                <row r="2"><c r="A2" t="str"><v>一届五次第0093号</v></c><c r="B2" t="s"><v>6</v></c><c r="C2" t="inlineStr"><is><t>M001</t></is></c><c r="D2" t="s"><v>7</v></c><c r="E2" t="inlineStr"><is><t>区住建局</t></is></c><c r="F2" s="1"><v>46346</v></c></row>
                <row r="3"/>
                <row r="4"><c t="inlineStr"><is><t>一届五次第0094号</t></is></c><c t="inlineStr"><is><t>关于加强社区养老服务的建议</t></is></c><c t="inlineStr"><is><t>M002</t></is></c><c t="s"><v>7</v></c><c t="inlineStr"><is><t>区民政局</t></is></c><c s="2"><v>46304</v></c></row>
                """),
            shared,
            styles);

        var (response, body) = await UploadAsync("提案办理情况.xlsx", xlsx);

        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        var proposals = await Host.DbAsync(db => db.Proposals.AsNoTracking().Include(p => p.History).Include(p => p.Units).Include(p => p.Proposers)
            .Where(p => p.Serial == 93 || p.Serial == 94).OrderBy(p => p.Serial).AsSplitQuery().ToListAsync(Ct));
        Assert.Equal(["关于推进老旧小区改造的建议", "关于加强社区养老服务的建议"], proposals.Select(p => p.Title));
        Assert.Equal(["M001", "M002"], proposals.Select(p => p.Proposers.Single().MemberId));
        Assert.Equal(["区住建局", "区民政局"], proposals.Select(p => p.Units.Single().Name));
        Assert.Equal(
            [new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.FromHours(8)), new DateTimeOffset(2026, 10, 9, 0, 0, 0, TimeSpan.FromHours(8))],
            proposals.Select(p => p.History.Single(h => h.Status == ProposalStatus.Assigned).At));
    }

    [Fact]
    public async Task AMissingColumn_AnUnknownSheet_AndAnUnsupportedFile_AreRefused()
    {
        var (missing, missingBody) = await UploadAsync("proposals.csv", Encoding.UTF8.GetBytes("案号,标题,提案人\n一届五次第0091号,关于A的建议,M001\n"));
        var (unknown, unknownBody) = await UploadAsync("list.csv", Encoding.UTF8.GetBytes("序号,名称\n1,x\n"));
        var (xls, xlsBody) = await UploadAsync("roster.xls", [0xD0, 0xCF, 0x11, 0xE0]);
        var (broken, brokenBody) = await UploadAsync("roster.xlsx", Encoding.UTF8.GetBytes("not a zip"));

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(["第 1 行「办理状态」：缺少必需的列“办理状态”（可用列名：办理状态、状态、提案状态）"], Errors(missingBody));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("无法识别表格", Errors(unknownBody).Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, xls.StatusCode);
        Assert.Contains("不支持的文件类型“.xls”", Errors(xlsBody).Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Contains("无法读取该 Excel 文件", Errors(brokenBody).Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheJsonDataFile_Imports_AndAFormWithoutOneFile_IsRefused()
    {
        var (json, jsonBody) = await UploadAsync("linping-demo.json", await File.ReadAllBytesAsync(Repo("data", "linping-demo.json"), Ct));
        using var empty = new MultipartFormDataContent { { new StringContent("x"), "note" } };
        var none = await Staff.PostAsync("/api/admin/import", empty, Ct);
        var notForm = await Staff.PostAsync("/api/admin/import", new StringContent("{}", Encoding.UTF8, "application/json"), Ct);

        Assert.True(json.StatusCode == HttpStatusCode.OK, jsonBody.ToString());
        Assert.Equal(8, jsonBody.GetProperty("counts").GetProperty("members").GetProperty("unchanged").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Contains("请只上传一个文件（收到 0 个）", await none.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, notForm.StatusCode);
    }

    [Fact]
    public async Task AReImportThatMovesAMeetingIntoAReminderWindow_SendsTheMoveNotice_NotThatWindowsReminderOnTopOfIt()
    {
        var start = Host.Time.GetUtcNow().AddDays(3);
        Assert.Equal(HttpStatusCode.OK, (await UploadAsync("meetings.json", MeetingFile(start))).Response.StatusCode);
        Host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        await RunMinuteJobAsync();
        Assert.Contains("【会议提醒】", Assert.Single(WeCom.Sends()).Content, StringComparison.Ordinal);
        WeCom.ClearMessages();

        // The office's next file brings the meeting forward to 90 minutes from now: inside the 2-hour window.
        var (moved, movedBody) = await UploadAsync("meetings.json", MeetingFile(Host.Time.GetUtcNow().AddMinutes(90)));
        Assert.True(moved.StatusCode == HttpStatusCode.OK, movedBody.ToString());
        var told = Assert.Single(movedBody.GetProperty("meetingNotices").EnumerateArray());
        Assert.Equal(["时间"], told.GetProperty("changed").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("已发出会议时间/地点调整通知", told.GetProperty("notice").GetString());
        await RunMinuteJobAsync();
        Host.Time.Advance(TimeSpan.FromMinutes(1));
        await RunMinuteJobAsync();

        var send = Assert.Single(WeCom.Sends());
        Assert.Equal(["wangjianguo"], send.Recipients);
        Assert.Contains("【会议时间/地点调整】", send.Content, StringComparison.Ordinal);
        var webhook = Assert.Single(WeCom.Webhooks());
        Assert.Contains("【会议时间/地点调整】", webhook.Content, StringComparison.Ordinal);
        Assert.DoesNotContain(await Host.LedgerAsync("MT-IMP-01"), r => r.Kind == "02:00:00");
    }

    /// <summary>A data file of one 指定出席 meeting for M001, posted to G-ALL, starting at <paramref name="start"/>.</summary>
    private static byte[] MeetingFile(DateTimeOffset start) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        meetings = new[]
        {
            new
            {
                id = "MT-IMP-01",
                title = "临平区民营经济发展专题调研",
                type = "Research",
                location = "区政协四楼会议室",
                startsAt = start.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
                endsAt = start.AddHours(2).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
                participation = "Mandatory",
                invitees = new[] { "M001" },
                groups = new[] { "G-ALL" },
            },
        },
    });

    [Fact]
    public async Task TheImportCommand_ReadsTheSameSpreadsheets()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cppccbot-roster-{Guid.NewGuid():N}.csv");
        await File.WriteAllBytesAsync(path, Gbk.GetBytes(await File.ReadAllTextAsync(Repo("data", "roster.csv"), Ct)), Ct);
        var bad = Path.ChangeExtension(path, ".bad.csv");
        await File.WriteAllTextAsync(bad, "编号,姓名\nM401,\n", Ct);
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();

            var ok = await ImportCommand.RunAsync(Host.Services, path, output, error, Ct);
            var failed = await ImportCommand.RunAsync(Host.Services, bad, output, error, Ct);

            Assert.Equal(0, ok);
            Assert.Contains("委员 新增 3", output.ToString(), StringComparison.Ordinal);
            Assert.Equal(1, failed);
            Assert.Contains("第 2 行「姓名」：缺少必填值", error.ToString(), StringComparison.Ordinal);
            Assert.Equal("郑国平", await Host.DbAsync(db => db.Members.Where(m => m.Id == "M103").Select(m => m.Name).SingleAsync(Ct)));
            Assert.False(await Host.DbAsync(db => db.Members.AnyAsync(m => m.Id == "M401", Ct)));
        }
        finally
        {
            File.Delete(path);
            File.Delete(bad);
        }
    }

    private static Encoding CreateGbk()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GBK");
    }

    private static byte[] Encode(string text, string encoding) => encoding switch
    {
        "utf-8" => new UTF8Encoding(false).GetBytes(text),
        "utf-8-bom" => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)],
        _ => Gbk.GetBytes(text),
    };

    private static byte[] Xlsx(IEnumerable<Dictionary<string, object?>> rows)
    {
        using var stream = new MemoryStream();
        stream.SaveAs(rows);
        return stream.ToArray();
    }

    /// <summary>
    /// An XLSX package as Excel lays it out, its first sheet's rows written by <paramref name="writeRows"/> (straight
    /// into the zip, so a sheet of many megabytes is never a string); with shared strings and styles when given.
    /// </summary>
    private static byte[] XlsxPackage(Action<TextWriter> writeRows, string? sharedStrings = null, string? styles = null)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Part(string path, Action<TextWriter> write)
            {
                using var writer = new StreamWriter(zip.CreateEntry(path, CompressionLevel.Optimal).Open(), new UTF8Encoding(false));
                write(writer);
            }

            Part("[Content_Types].xml", w => w.Write("""<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"""));
            Part("_rels/.rels", w => w.Write("""<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"""));
            Part("xl/workbook.xml", w => w.Write("""<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"""));
            Part("xl/_rels/workbook.xml.rels", w => w.Write("""<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"""));
            Part("xl/worksheets/sheet1.xml", w =>
            {
                w.Write("""<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>""");
                writeRows(w);
                w.Write("</sheetData></worksheet>");
            });
            if (sharedStrings is not null)
            {
                Part("xl/sharedStrings.xml", w => w.Write(sharedStrings));
            }

            if (styles is not null)
            {
                Part("xl/styles.xml", w => w.Write(styles));
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Each error as a line <c>第 3 行「姓名」：缺少必填值</c>, from the answer's <c>errors</c> (where → messages).</summary>
    private static List<string> Errors(JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateObject().SelectMany(where => where.Value.EnumerateArray().Select(message => $"{where.Name}：{message.GetString()}"))];

    private Task<string> CountsAsync() => Host.DbAsync(async (BotDbContext db) => string.Join(
        ",",
        await db.Members.CountAsync(Ct),
        await db.Proposals.CountAsync(Ct),
        await db.ProposalHistory.CountAsync(Ct),
        await db.StateChanges.CountAsync(Ct),
        string.Join(";", await db.Members.OrderBy(m => m.Id).Select(m => m.Id + m.Name + m.WeComUserId).ToListAsync(Ct))));
}
