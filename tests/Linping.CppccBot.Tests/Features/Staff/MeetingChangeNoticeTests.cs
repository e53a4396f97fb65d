using System.Globalization;
using System.Net;
using System.Text.Json;
using Linping.CppccBot.Features.Meetings;
using Linping.CppccBot.LocalChat.FakeWeCom;
using Linping.CppccBot.Persistence;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Persistence.Import;
using Linping.CppccBot.Tests.Features.Reminders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Features.Staff;

/// <summary>What members read when staff change a meeting, through the staff API or a re-imported file.</summary>
public sealed class MeetingChangeNoticeTests : StaffApiHost
{
    private const string Title = "关于加快数字经济发展的专题协商会";
    private const string NewTitle = "关于数字经济高质量发展的专题协商会";

    [Fact]
    public async Task AChangeNotice_SaysWhatItChanged_OldAndNew_AndItsRetryAfterALaterChange_StillDoes()
    {
        var (_, draft) = await PostAsync("/api/admin/meetings", new
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
        });
        var id = draft.GetProperty("id").GetString()!;
        await PostAsync($"/api/admin/meetings/{id}/publish");
        WeCom.ClearMessages();

        // The member's app is busy when the first change goes out: their notice waits for a retry.
        WeCom.InjectFault(FakeWeComFault.RateLimited, endpoint: FakeWeComEndpoint.MessageSend);
        var (renamed, renamedBody) = await PatchAsync($"/api/admin/meetings/{id}", new { title = NewTitle, type = "QingNiLaiXieShang" });

        Assert.True(renamed.StatusCode == HttpStatusCode.OK, renamedBody.ToString());
        Assert.Equal(1, renamedBody.GetProperty("notice").GetProperty("failed").GetInt32());
        var group = Assert.Single(WeCom.Webhooks()).Content;
        Assert.StartsWith($"【会议变更通知】{NewTitle}\n", group, StringComparison.Ordinal);
        Assert.Contains($"会议名称由“{Title}”改为“{NewTitle}”。", group, StringComparison.Ordinal);
        Assert.Contains("会议类型由“专题协商会”改为“请你来协商”。", group, StringComparison.Ordinal);
        Assert.Contains("类型：请你来协商｜自愿报名", group, StringComparison.Ordinal);
        Assert.Empty(WeCom.Sends());

        // Staff then move it to another day and room; the member hears of that at once.
        var (moved, movedBody) = await PatchAsync(
            $"/api/admin/meetings/{id}", new { location = "区政协五楼会议室", startsAt = "2026-12-03T14:30:00+08:00", endsAt = "2026-12-03T17:00:00+08:00" });
        Assert.True(moved.StatusCode == HttpStatusCode.OK, movedBody.ToString());
        var second = Assert.Single(WeCom.Sends()).Content;
        Assert.Contains("时间由2026年12月2日（周三）14:30—17:00改为2026年12月3日（周四）14:30—17:00。", second, StringComparison.Ordinal);
        Assert.Contains("地点由“区政协三楼会议室”改为“区政协五楼会议室”。", second, StringComparison.Ordinal);
        Assert.DoesNotContain("会议名称由", second, StringComparison.Ordinal);

        // The retry of the first notice (not dropped for the move) still says what the first change did, and that the
        // arrangement changed since, which it shows as it now is.
        Host.Time.Advance(TimeSpan.FromMinutes(5));
        await RunMinuteJobAsync();

        Assert.Equal(2, WeCom.Sends().Count);
        var retried = WeCom.Sends()[1];
        Assert.Equal(["wangjianguo"], retried.Recipients);
        Assert.Contains($"会议名称由“{Title}”改为“{NewTitle}”。", retried.Content, StringComparison.Ordinal);
        Assert.Contains("此后会议安排又有调整，以下为最新安排：", retried.Content, StringComparison.Ordinal);
        Assert.Contains("时间：2026年12月3日（周四）14:30—17:00", retried.Content, StringComparison.Ordinal);
        Assert.Contains("地点：区政协五楼会议室", retried.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("地点由", retried.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReImportThatChangesTheTitleAndTerms_TellsTheInviteesAndGroups_AsTheStaffApiDoes_AndSaysSo()
    {
        var start = Host.Time.GetUtcNow().AddDays(6);
        Assert.Equal(HttpStatusCode.OK, (await UploadAsync("meetings.json", MeetingFile(start, Title, "OpenSignup", 30))).Response.StatusCode);
        Assert.Empty(WeCom.Sends());

        var (again, againBody) = await UploadAsync("meetings.json", MeetingFile(start, NewTitle, "OpenSignup", 40));

        Assert.True(again.StatusCode == HttpStatusCode.OK, againBody.ToString());
        var send = Assert.Single(WeCom.Sends());
        Assert.Equal(["wangjianguo", "chenxiaoyan"], send.Recipients);
        Assert.StartsWith($"【会议变更通知】{NewTitle}\n", send.Content, StringComparison.Ordinal);
        Assert.Contains($"会议名称由“{Title}”改为“{NewTitle}”。", send.Content, StringComparison.Ordinal);
        Assert.Contains("名额由30人改为40人。", send.Content, StringComparison.Ordinal);
        Assert.Contains($"已报名的委员无需重新报名；如需参加，请直接回复“报名 MT-IMP-02”。", send.Content, StringComparison.Ordinal);
        Assert.Contains($"会议名称由“{Title}”改为“{NewTitle}”。", Assert.Single(WeCom.Webhooks()).Content, StringComparison.Ordinal);
        var told = Assert.Single(againBody.GetProperty("meetingNotices").EnumerateArray());
        Assert.Equal("MT-IMP-02", told.GetProperty("meetingId").GetString());
        Assert.Equal(["名称", "名额"], told.GetProperty("changed").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("已发出会议变更通知", told.GetProperty("notice").GetString());

        // The same file again changes nothing and tells nobody; nor does the minute job tell anyone again.
        var (same, sameBody) = await UploadAsync("meetings.json", MeetingFile(start, NewTitle, "OpenSignup", 40));
        await RunMinuteJobAsync();
        Assert.True(same.StatusCode == HttpStatusCode.OK, sameBody.ToString());
        Assert.Empty(sameBody.GetProperty("meetingNotices").EnumerateArray());
        Assert.Single(WeCom.Sends());
        Assert.Single(WeCom.Webhooks());
    }

    [Fact]
    public async Task AReImportThatChangesTheTitleAndTheTimeOfAMeetingMembersWereToldOf_IsOneNotice_NotAMoveNoticeBesideIt()
    {
        var start = Host.Time.GetUtcNow().AddDays(3);
        await UploadAsync("meetings.json", MeetingFile(start, Title, "Mandatory", null));
        Host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        await RunMinuteJobAsync();
        Assert.Contains("【会议提醒】", Assert.Single(WeCom.Sends()).Content, StringComparison.Ordinal);
        WeCom.ClearMessages();

        var (again, againBody) = await UploadAsync("meetings.json", MeetingFile(start.AddHours(1), NewTitle, "Mandatory", null));
        await RunMinuteJobAsync();
        Host.Time.Advance(TimeSpan.FromMinutes(1));
        await RunMinuteJobAsync();

        Assert.True(again.StatusCode == HttpStatusCode.OK, againBody.ToString());
        var send = Assert.Single(WeCom.Sends());
        Assert.Contains($"会议名称由“{Title}”改为“{NewTitle}”。", send.Content, StringComparison.Ordinal);
        Assert.Contains("时间由", send.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("【会议时间/地点调整】", send.Content, StringComparison.Ordinal);
        Assert.Equal(["名称", "时间"], Assert.Single(againBody.GetProperty("meetingNotices").EnumerateArray()).GetProperty("changed").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task AReImportThatRenamesAMeetingUnderWay_IsSavedButToldToNobody_AndTheResultSaysSo()
    {
        var start = Host.Time.GetUtcNow().AddDays(3);
        await UploadAsync("meetings.json", MeetingFile(start, Title, "Mandatory", null));
        Host.Time.SetUtcNow(start.AddMinutes(30));

        var (again, againBody) = await UploadAsync("meetings.json", MeetingFile(start, NewTitle, "Mandatory", null));
        await RunMinuteJobAsync();

        Assert.True(again.StatusCode == HttpStatusCode.OK, againBody.ToString());
        Assert.DoesNotContain(WeCom.Sends(), s => s.Content.Contains("变更", StringComparison.Ordinal));
        Assert.Empty(WeCom.Webhooks());
        var told = Assert.Single(againBody.GetProperty("meetingNotices").EnumerateArray());
        Assert.Equal("会议已开始，修改已保存，但不再通知委员和群", told.GetProperty("notice").GetString());
        Assert.Equal(NewTitle, (await GetAsync("/api/admin/meetings/MT-IMP-02")).GetProperty("meeting").GetProperty("title").GetString());
    }

    [Fact]
    public async Task AReImportThatMovesTheStartAndPlaceOfAMeetingUnderWay_KeepsThem_WarnsForThatRow_AndImportsTheRest()
    {
        var start = Host.Time.GetUtcNow().AddDays(3);
        await UploadAsync("meetings.json", MeetingFile(start, Title, "Mandatory", null));
        Host.Time.SetUtcNow(start.AddMinutes(30));

        // The file moves the meeting an hour on and to another room, renames it, and brings a second meeting.
        var file = JsonSerializer.SerializeToUtf8Bytes(new
        {
            meetings = new[]
            {
                Meeting("MT-IMP-02", start.AddHours(1), NewTitle, "Mandatory", null, "区政协五楼会议室"),
                Meeting("MT-IMP-03", start.AddDays(7), Title, "OpenSignup", 30, "区政协三楼会议室"),
            },
        });
        var (again, againBody) = await UploadAsync("meetings.json", file);
        await RunMinuteJobAsync();

        Assert.True(again.StatusCode == HttpStatusCode.OK, againBody.ToString());
        var warning = Assert.Single(againBody.GetProperty("warnings").EnumerateArray());
        Assert.Equal("meetings[0] (MT-IMP-02)", warning.GetProperty("record").GetString());
        Assert.Equal("startsAt", warning.GetProperty("column").GetString());
        Assert.StartsWith("会议已开始，不能再修改开始时间或地点", warning.GetProperty("message").GetString(), StringComparison.Ordinal);

        // Members in the room keep the time and place they were told; the title is the file's; nobody is told anything.
        var meeting = (await GetAsync("/api/admin/meetings/MT-IMP-02")).GetProperty("meeting");
        Assert.Equal(start, meeting.GetProperty("startsAt").GetDateTimeOffset());
        Assert.Equal(start.AddHours(2), meeting.GetProperty("endsAt").GetDateTimeOffset());
        Assert.Equal("区政协三楼会议室", meeting.GetProperty("location").GetString());
        Assert.Equal(NewTitle, meeting.GetProperty("title").GetString());
        var told = Assert.Single(againBody.GetProperty("meetingNotices").EnumerateArray());
        Assert.Equal(["名称"], told.GetProperty("changed").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("会议已开始，修改已保存，但不再通知委员和群", told.GetProperty("notice").GetString());
        Assert.DoesNotContain(WeCom.Sends(), s => s.Content.Contains("调整", StringComparison.Ordinal) || s.Content.Contains("变更", StringComparison.Ordinal));
        Assert.Empty(WeCom.Webhooks());
        Assert.Equal(Title, (await GetAsync("/api/admin/meetings/MT-IMP-03")).GetProperty("meeting").GetProperty("title").GetString());
    }

    [Fact]
    public async Task AMoveFoundAfterAFileImport_IsToldToThoseSignedUpBeforeIt_NotToWhoSignedUpAfter()
    {
        var start = Host.Time.GetUtcNow().AddDays(3);
        await ImportAsCommandAsync(MeetingFile(start, Title, "OpenSignup", 30, withM003: true));
        await SignUpAsync("M001");
        Host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        await RunMinuteJobAsync();
        Assert.Contains("会议提醒", Assert.Single(WeCom.Sends()).Content, StringComparison.Ordinal);
        WeCom.ClearMessages();

        // The import command moves it an hour on; 陈晓燕 signs up before the job's next run and sees the new time.
        await ImportAsCommandAsync(MeetingFile(start.AddHours(1), Title, "OpenSignup", 30, withM003: true));
        Host.Time.Advance(TimeSpan.FromSeconds(20));
        await SignUpAsync("M002");
        Host.Time.Advance(TimeSpan.FromSeconds(40));
        await RunMinuteJobAsync();

        // 刘志强 signs up an hour later: no notice of a change either.
        Host.Time.Advance(TimeSpan.FromHours(1));
        await SignUpAsync("M003");
        await RunMinuteJobAsync();

        var moves = WeCom.Sends().Where(s => s.Content.Contains("会议时间/地点调整", StringComparison.Ordinal)).ToList();
        Assert.Equal(["wangjianguo"], Assert.Single(moves).Recipients);
        Assert.Contains("会议时间/地点调整", Assert.Single(WeCom.Webhooks(), w => w.Content.Contains("调整", StringComparison.Ordinal)).Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMemberAFileInvitesAfterAMove_IsNotToldOfThatMove_AndIsRemindedOfTheNewTime()
    {
        var start = Host.Time.GetUtcNow().AddDays(3);
        await ImportAsCommandAsync(MeetingFile(start, Title, "Mandatory", null));
        Host.Time.SetUtcNow(start - TimeSpan.FromDays(1));
        await RunMinuteJobAsync();
        WeCom.ClearMessages();

        // A file moves it an hour on: 王建国 and 陈晓燕, told the old time, hear of the new one.
        await ImportAsCommandAsync(MeetingFile(start.AddHours(1), Title, "Mandatory", null));
        Host.Time.Advance(TimeSpan.FromMinutes(1));
        await RunMinuteJobAsync();
        Assert.Equal(["wangjianguo", "chenxiaoyan"], Assert.Single(WeCom.Sends(), s => s.Content.Contains("会议时间/地点调整", StringComparison.Ordinal)).Recipients);
        WeCom.ClearMessages();

        // A later file calls 刘志强 to the meeting too: he never knew the old time, so the move is no news to him.
        Host.Time.Advance(TimeSpan.FromMinutes(10));
        await ImportAsCommandAsync(MeetingFile(start.AddHours(1), Title, "Mandatory", null, withM003: true));
        Host.Time.Advance(TimeSpan.FromMinutes(1));
        await RunMinuteJobAsync();
        Assert.Empty(WeCom.Sends());

        // His reminder, when its time comes, gives him the meeting's time.
        Host.Time.SetUtcNow(start.AddHours(1) - TimeSpan.FromDays(1));
        await RunMinuteJobAsync();
        var reminder = Assert.Single(WeCom.Sends());
        Assert.Equal(["liuzhiqiang"], reminder.Recipients);
        Assert.Contains("会议提醒", reminder.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("调整", reminder.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReImportThatOnlyChangesTheSeatsOfAMeetingItLeavesFull_SaysNobodyIsTold_AndNobodyIs()
    {
        var start = Host.Time.GetUtcNow().AddDays(6);
        await UploadAsync("meetings.json", MeetingFile(start, Title, "OpenSignup", 3));
        await SignUpAsync("M001");
        await SignUpAsync("M002");

        var (again, againBody) = await UploadAsync("meetings.json", MeetingFile(start, Title, "OpenSignup", 2));
        await RunMinuteJobAsync();

        Assert.True(again.StatusCode == HttpStatusCode.OK, againBody.ToString());
        var told = Assert.Single(againBody.GetProperty("meetingNotices").EnumerateArray());
        Assert.Equal(["名额"], told.GetProperty("changed").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("调整后名额已满，不通知委员和群", told.GetProperty("notice").GetString());
        Assert.Empty(WeCom.Sends());
        Assert.Empty(WeCom.Webhooks());
    }

    [Fact]
    public async Task AReImportThatAddsTheSeatsItsWaitlistTakes_TellsOnlyTheMemberPromoted()
    {
        var start = Host.Time.GetUtcNow().AddDays(6);
        await UploadAsync("meetings.json", MeetingFile(start, Title, "OpenSignup", 2, withM003: true));
        await SignUpAsync("M001");
        await SignUpAsync("M002");
        await SignUpAsync("M003", SignUpOutcome.Waitlisted);

        // The staff upload sends its notices at once, before the minute job moves the waitlist up.
        var (again, againBody) = await UploadAsync("meetings.json", MeetingFile(start, Title, "OpenSignup", 3, withM003: true));
        await RunMinuteJobAsync();

        Assert.True(again.StatusCode == HttpStatusCode.OK, againBody.ToString());
        Assert.Equal("调整后名额已满，不通知委员和群", Assert.Single(againBody.GetProperty("meetingNotices").EnumerateArray()).GetProperty("notice").GetString());
        Assert.Equal(["liuzhiqiang"], Assert.Single(WeCom.Sends()).Recipients);
        Assert.DoesNotContain("变更", WeCom.Sends()[0].Content, StringComparison.Ordinal);
        Assert.Empty(WeCom.Webhooks());
    }

    [Fact]
    public async Task AnUploadThatAddsSeats_GivesThemToTheWaitlistAtOnce_InOrder_AndSaysWhoGotOne()
    {
        var start = Host.Time.GetUtcNow().AddDays(6);
        await UploadAsync("meetings.json", OpenMeetingFile(start, capacity: 1));
        await SignUpAsync("M001");
        await SignUpAsync("M002", SignUpOutcome.Waitlisted);
        await SignUpAsync("M003", SignUpOutcome.Waitlisted);
        await SignUpAsync("M004", SignUpOutcome.Waitlisted);
        WeCom.ClearMessages();

        // No minute job runs: the upload itself moves the waitlist up and tells the member.
        var (again, againBody) = await UploadAsync("meetings.json", OpenMeetingFile(start, capacity: 2));

        Assert.True(again.StatusCode == HttpStatusCode.OK, againBody.ToString());
        Assert.Equal(1, againBody.GetProperty("promotedFromWaitlist").GetInt32());
        var promoted = Assert.Single(againBody.GetProperty("promotions").EnumerateArray());
        Assert.Equal(("MT-IMP-02", "M002", "陈晓燕", "Sent"), (
            promoted.GetProperty("meetingId").GetString(), promoted.GetProperty("memberId").GetString(),
            promoted.GetProperty("memberName").GetString(), promoted.GetProperty("memberTold").GetString()));
        Assert.Equal(
            [("M001", ParticipationStatus.SignedUp, (int?)null), ("M002", ParticipationStatus.SignedUp, null), ("M003", ParticipationStatus.Waitlisted, 1), ("M004", ParticipationStatus.Waitlisted, 2)],
            await Host.DbAsync(db => db.Participations.AsNoTracking().Where(p => p.MeetingId == "MT-IMP-02").OrderBy(p => p.MemberId)
                .Select(p => ValueTuple.Create(p.MemberId, p.Status, p.WaitlistPosition)).ToListAsync(Ct)));
        var send = Assert.Single(WeCom.Sends());
        Assert.Equal(["chenxiaoyan"], send.Recipients);
        Assert.Contains("您已由候补转为“已报名”", send.Content, StringComparison.Ordinal);
        Assert.Contains(
            "Waitlisted → SignedUp by import",
            await Host.DbAsync(db => db.StateChanges.AsNoTracking().Where(c => c.EntityId == "MT-IMP-02/M002").Select(c => c.From + " → " + c.To + " by " + c.Actor).ToListAsync(Ct)));
    }

    [Fact]
    public async Task TheImportCommand_ThatLiftsTheSeatLimit_SeatsTheWholeWaitlist_AndPrintsWhoGotASeat()
    {
        var start = Host.Time.GetUtcNow().AddDays(6);
        await UploadAsync("meetings.json", OpenMeetingFile(start, capacity: 1));
        await SignUpAsync("M001");
        await SignUpAsync("M002", SignUpOutcome.Waitlisted);
        await SignUpAsync("M003", SignUpOutcome.Waitlisted);
        WeCom.ClearMessages();
        var path = Path.Combine(Path.GetTempPath(), $"cppccbot-meetings-{Guid.NewGuid():N}.json");
        await File.WriteAllBytesAsync(path, OpenMeetingFile(start, capacity: null), Ct);
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();

            Assert.Equal(0, await ImportCommand.RunAsync(Host.Services, path, output, error, Ct));

            Assert.Contains("会议 MT-IMP-02（关于加快数字经济发展的专题协商会）增加了名额：陈晓燕 由候补转为已报名", output.ToString(), StringComparison.Ordinal);
            Assert.Contains("刘志强 由候补转为已报名", output.ToString(), StringComparison.Ordinal);
            Assert.Equal(
                [ParticipationStatus.SignedUp, ParticipationStatus.SignedUp, ParticipationStatus.SignedUp],
                await Host.DbAsync(db => db.Participations.AsNoTracking().Where(p => p.MeetingId == "MT-IMP-02").OrderBy(p => p.MemberId).Select(p => p.Status).ToListAsync(Ct)));
            Assert.Equal(["chenxiaoyan", "liuzhiqiang"], WeCom.Sends().Where(s => s.Content.Contains("您已由候补转为“已报名”", StringComparison.Ordinal)).Select(s => s.Recipients.Single()).Order());
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A data file of one 自愿报名 meeting every member is invited to, with <paramref name="capacity"/> seats.</summary>
    private static byte[] OpenMeetingFile(DateTimeOffset start, int? capacity) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        meetings = new[]
        {
            new
            {
                id = "MT-IMP-02",
                title = Title,
                type = "ThematicConsultation",
                location = "区政协三楼会议室",
                startsAt = start.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
                endsAt = start.AddHours(2).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
                participation = "OpenSignup",
                capacity,
                invitees = new[] { "*" },
                groups = new[] { "G-ALL" },
            },
        },
    });

    private async Task SignUpAsync(string memberId, SignUpOutcome expected = SignUpOutcome.SignedUp)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<MeetingService>().SignUpAsync("MT-IMP-02", memberId, joinWaitlist: true, Ct);
        Assert.Equal(expected, result.Outcome);
    }

    /// <summary>Imports as the <c>import</c> command and <c>Seed:Path</c> do: the running host's minute job sends what it brings.</summary>
    private async Task ImportAsCommandAsync(byte[] file)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        using var content = new MemoryStream(file);
        var result = await scope.ServiceProvider.GetRequiredService<DataImporter>().ImportFileAsync(content, "meetings.json", Ct);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
    }

    /// <summary>A data file of one meeting for M001 and M002 (and M003 with <paramref name="withM003"/>), posted to G-ALL.</summary>
    private static byte[] MeetingFile(DateTimeOffset start, string title, string participation, int? capacity, bool withM003 = false) =>
        JsonSerializer.SerializeToUtf8Bytes(new { meetings = new[] { Meeting("MT-IMP-02", start, title, participation, capacity, "区政协三楼会议室", withM003) } });

    private static object Meeting(string id, DateTimeOffset start, string title, string participation, int? capacity, string location, bool withM003 = false) => new
    {
        id,
        title,
        type = "ThematicConsultation",
        location,
        startsAt = start.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        endsAt = start.AddHours(2).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        participation,
        capacity,
        invitees = withM003 ? new[] { "M001", "M002", "M003" } : ["M001", "M002"],
        groups = new[] { "G-ALL" },
    };
}
