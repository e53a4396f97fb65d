using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Linping.CppccBot.Features.Staff;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Features.Reminders;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace Linping.CppccBot.Tests.Features.Console;

/// <summary>The exports on the staff API and the console's doors (login, cookie, antiforgery, throttle) over plain HTTP.</summary>
public sealed class ConsoleHttpTests : IAsyncLifetime
{
    private BotHostFactory _host = null!;
    private long _leaveId;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _host = new BotHostFactory().WithStaffSecrets();
        _leaveId = await ConsoleTestData.ArrangeAsync(_host);
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private HttpClient Browser() => _host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private HttpClient Api(string? key = ConsoleTestData.ApiKey)
    {
        var client = _host.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    private static Task<HttpResponseMessage> LoginAsync(HttpClient client, string secret) => ConsoleTestData.LoginAsync(client, secret);

    [Theory]
    [InlineData("/api/admin/meetings/MT-2027-01/signups.csv")]
    [InlineData("/api/admin/meetings/MT-2027-01/signups.xlsx")]
    [InlineData("/api/admin/meetings/MT-2027-03/attendance.csv")]
    [InlineData("/api/admin/meetings/MT-2027-03/attendance.xlsx")]
    public async Task Exports_NeedTheBearerKey(string path)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api(key: null).GetAsync(path, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api(key: ConsoleTestData.StaffPassword).GetAsync(path, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Api().GetAsync(path, Ct)).StatusCode);
    }

    [Fact]
    public async Task SignupsCsv_HasBomChineseHeadersAndOneRowPerSignup_NamedAfterTheMeeting()
    {
        var response = await Api().GetAsync("/api/admin/meetings/MT-2027-01/signups.csv", Ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("序号,姓名,界别,报名状态,报名时间,候补顺位,请假类别,签到时间", lines[0]);
        Assert.Equal(["1,王建国,经济界,已报名,2026-11-27 09:00,,,", "2,陈晓燕,医药卫生界,已报名,2026-11-27 09:00,,,", "3,刘志强,工商联界,已取消,2026-11-27 09:00,,,"], lines[1..]);
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal("“请你来协商”：小微园区安全管理-20270318-报名名单.csv", disposition.FileNameStar);
    }

    [Fact]
    public async Task AttendanceXlsx_ListsEveryInviteeOfAMandatoryMeeting_WithLeaveCategoryButNotTheNote()
    {
        var response = await Api().GetAsync("/api/admin/meetings/MT-2027-03/attendance.xlsx", Ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);

        Assert.Equal(MeetingExportService.XlsxContentType, response.Content.Headers.ContentType?.ToString());
        Assert.EndsWith("-20270325-出勤名单.xlsx", response.Content.Headers.ContentDisposition!.FileNameStar, StringComparison.Ordinal);
        using var stream = new MemoryStream(bytes);
        var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(["序号", "姓名", "界别", "出勤情况", "请假类别", "签到时间"], rows[0].Keys);
        Assert.Equal(8, rows.Count);
        var leave = Assert.Single(rows, r => (string)r["姓名"] == "张丽华");
        Assert.Equal("请假待批", leave["出勤情况"]);
        Assert.Equal("因病", leave["请假类别"]);
        Assert.Equal(7, rows.Count(r => (string)r["出勤情况"] == "未签到"));
        Assert.DoesNotContain(rows.SelectMany(r => r.Values), v => v?.ToString()?.Contains(ConsoleTestData.PrivateNote, StringComparison.Ordinal) == true);
        Assert.DoesNotContain(ConsoleTestData.PrivateNote, Encoding.UTF8.GetString(await (await Api().GetAsync("/api/admin/meetings/MT-2027-03/signups.csv", Ct)).Content.ReadAsByteArrayAsync(Ct)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMemberCheckedInAfterApprovedLeave_ReadsCheckedInWithoutALeaveCategory_InBothListsAndFormats_AndInTheMeetingDetail()
    {
        var api = Api();
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync("/api/admin/meetings/MT-2027-03/leave/M004/approve", null, Ct)).StatusCode);
        var now = _host.Time.GetUtcNow();
        await _host.DbAsync(async db =>
        {
            var meeting = await db.Meetings.SingleAsync(m => m.Id == "MT-2027-03", Ct);
            (meeting.StartsAt, meeting.EndsAt) = (now.AddMinutes(-30), now.AddHours(2));
            return await db.SaveChangesAsync(Ct);
        });
        using var checkIn = new StringContent("""{"memberId":"M004"}""", Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync("/api/admin/meetings/MT-2027-03/checkins", checkIn, Ct)).StatusCode);

        var signupsCsv = Encoding.UTF8.GetString(await api.GetByteArrayAsync("/api/admin/meetings/MT-2027-03/signups.csv", Ct));
        var attendanceCsv = Encoding.UTF8.GetString(await api.GetByteArrayAsync("/api/admin/meetings/MT-2027-03/attendance.csv", Ct));
        using var signupsXlsx = new MemoryStream(await api.GetByteArrayAsync("/api/admin/meetings/MT-2027-03/signups.xlsx", Ct));
        using var attendanceXlsx = new MemoryStream(await api.GetByteArrayAsync("/api/admin/meetings/MT-2027-03/attendance.xlsx", Ct));

        Assert.Contains("\r\n1,张丽华,", signupsCsv, StringComparison.Ordinal);
        Assert.EndsWith(",已签到,2026-11-27 09:00,,,2026-11-27 09:00\r\n", signupsCsv, StringComparison.Ordinal);
        Assert.Contains("\r\n1,张丽华,", attendanceCsv, StringComparison.Ordinal);
        Assert.Contains(",已签到,,2026-11-27 09:00\r\n", attendanceCsv, StringComparison.Ordinal);
        foreach (var (stream, state) in new[] { (signupsXlsx, "报名状态"), (attendanceXlsx, "出勤情况") })
        {
            var row = Assert.Single(stream.Query(useHeaderRow: true).Cast<IDictionary<string, object>>(), r => (string)r["姓名"] == "张丽华");
            Assert.Equal(("已签到", null), ((string)row[state], row["请假类别"] as string is { Length: > 0 } category ? category : null));
        }

        // The staff API's view of the meeting follows the exports: the row is no leave request any more.
        using var detail = JsonDocument.Parse(await api.GetStringAsync("/api/admin/meetings/MT-2027-03", Ct));
        var checkedIn = Assert.Single(detail.RootElement.GetProperty("participations").EnumerateArray(), p => p.GetProperty("memberId").GetString() == "M004");
        Assert.Equal("已签到", checkedIn.GetProperty("statusLabel").GetString());
        Assert.Equal(JsonValueKind.Null, checkedIn.GetProperty("leaveReason").ValueKind);
        Assert.Equal(JsonValueKind.Null, checkedIn.GetProperty("leaveNote").ValueKind);
        Assert.DoesNotContain(ConsoleTestData.PrivateNote, detail.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exports_OfAnUnknownMeeting_Are404()
    {
        var response = await Api().GetAsync("/api/admin/meetings/MT-NOPE/signups.xlsx", Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public void Csv_QuotesCommasAndQuotes_AndDefusesFormulas()
    {
        var csv = MeetingExportService.ToCsv(new ExportTable("x", ["a", "b", "c"], [["王,五", "say \"hi\"", "=1+2"]]));
        Assert.Equal("a,b,c\r\n\"王,五\",\"say \"\"hi\"\"\",'=1+2\r\n", Encoding.UTF8.GetString(csv[3..]));
    }

    [Theory]
    [InlineData("/console")]
    [InlineData("/console/leave")]
    [InlineData("/console/meetings/MT-2027-01")]
    [InlineData("/console/meetings/MT-2027-01/signups.csv")]
    [InlineData("/console/opinions")]
    public async Task Console_WithoutLogin_RedirectsToTheLoginPage(string path)
    {
        var response = await Browser().GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/console/login?returnUrl=" + Uri.EscapeDataString(path), response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Redirects_StayOnTheSite_WhateverHostTheRequestNames()
    {
        var client = _host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("http://evil.example") });

        var toLogin = await client.GetAsync("/console", Ct);
        var login = await LoginAsync(client, ConsoleTestData.ApiKey);
        var page = await client.GetStringAsync("/console", Ct);
        var logout = await client.PostAsync("/console/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__csrf"] = ConsoleTestData.FormToken(page) }), Ct);

        Assert.Equal(HttpStatusCode.Redirect, toLogin.StatusCode);
        Assert.Equal("/console/login?returnUrl=%2Fconsole", toLogin.Headers.Location!.OriginalString);
        Assert.Equal("/console", login.Headers.Location!.OriginalString);
        Assert.Equal("/console/login", logout.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Login_SetsAnHttpOnlyStrictSessionCookie_ForTheConsoleOnly()
    {
        var response = await LoginAsync(Browser(), ConsoleTestData.StaffPassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/console", response.Headers.Location!.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("cppccbot-console=", StringComparison.Ordinal));
        Assert.Contains("path=/console", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("expires", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Login_WithAWrongSecret_IsRefusedWithoutSayingWhichSecret_AndThrottledAfterFiveTries()
    {
        var client = Browser();
        for (var i = 0; i < 5; i++)
        {
            var wrong = await LoginAsync(client, i % 2 == 0 ? "staff-key-012345678X" : "wrong-password-123");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Contains("密钥或密码不正确。", await wrong.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            Assert.False(wrong.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("cppccbot-console=", StringComparison.Ordinal)));
        }

        var throttled = await LoginAsync(client, ConsoleTestData.ApiKey);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Contains("登录失败次数过多", await throttled.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/console", Ct)).StatusCode);

        _host.Time.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(HttpStatusCode.Redirect, (await LoginAsync(client, ConsoleTestData.ApiKey)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/console", Ct)).StatusCode);
    }

    [Fact]
    public async Task Login_WhileRedisCannotBeReached_StillWorks_AndIsThrottledByThisHostsOwnCount()
    {
        // Nothing listens on the port: the throttle's shared count is out of reach.
        await using var host = new BotHostFactory { RedisConfiguration = $"127.0.0.1:{RedisServerFixture.FreePort()}" }.WithStaffSecrets();
        var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(client, "wrong-password-123")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginAsync(client, ConsoleTestData.StaffPassword)).StatusCode);
        host.Time.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(HttpStatusCode.Redirect, (await LoginAsync(client, ConsoleTestData.StaffPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/console", Ct)).StatusCode);
    }

    [Fact]
    public async Task Login_WithoutTheAntiforgeryToken_IsRefused()
    {
        var client = Browser();
        await client.GetStringAsync("/console/login", Ct);
        var response = await client.PostAsync("/console/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["secret"] = ConsoleTestData.ApiKey }), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("cppccbot-console=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task TheMeetingsReminderRecord_ShowsTheLeaveDecisionNotice_InChinese()
    {
        var client = Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await LoginAsync(client, ConsoleTestData.ApiKey)).StatusCode);
        var leavePage = await client.GetStringAsync("/console/leave", Ct);
        await client.PostAsync($"/console/leave/{_leaveId}/approve", new FormUrlEncodedContent(new Dictionary<string, string> { ["__csrf"] = ConsoleTestData.FormToken(leavePage) }), Ct);

        var page = await client.GetStringAsync("/console/meetings/MT-2027-03", Ct);
        var record = page[page.IndexOf("提醒记录", StringComparison.Ordinal)..];

        Assert.Contains("准假通知", record, StringComparison.Ordinal);
        Assert.Contains("张丽华", record, StringComparison.Ordinal);
        Assert.DoesNotContain("leave-approved", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LeaveUndecided_WhenItsMeetingStarted_IsListedAsSuch_AndCanStillBeApproved()
    {
        var now = _host.Time.GetUtcNow();
        await _host.DbAsync(async db =>
        {
            var meeting = await db.Meetings.SingleAsync(m => m.Id == "MT-2027-03", Ct);
            (meeting.StartsAt, meeting.EndsAt) = (now.AddMinutes(-30), now.AddHours(2));
            return await db.SaveChangesAsync(Ct);
        });
        var client = Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await LoginAsync(client, ConsoleTestData.ApiKey)).StatusCode);

        var leavePage = await client.GetStringAsync("/console/leave", Ct);
        var decided = await client.PostAsync($"/console/leave/{_leaveId}/approve", new FormUrlEncodedContent(new Dictionary<string, string> { ["__csrf"] = ConsoleTestData.FormToken(leavePage) }), Ct);
        var after = await client.GetStringAsync(decided.Headers.Location!.ToString(), Ct);

        Assert.Contains($"""data-leave="{_leaveId}""", leavePage, StringComparison.Ordinal);
        Assert.Contains("""<strong data-late="true">会议已开始</strong>""", leavePage, StringComparison.Ordinal);
        Assert.Contains("已批准 张丽华", after, StringComparison.Ordinal);
        Assert.Contains("没有待审批的请假申请。", after, StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.LeaveApproved, await _host.DbAsync(db => db.Participations.Where(p => p.Id == _leaveId).Select(p => p.Status).SingleAsync(Ct)));
    }

    [Fact]
    public async Task RefusedLeave_IsListedForReview_AndCanBeApprovedThere()
    {
        var client = Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await LoginAsync(client, ConsoleTestData.ApiKey)).StatusCode);
        var leavePage = await client.GetStringAsync("/console/leave", Ct);
        var form = new Dictionary<string, string> { ["__csrf"] = ConsoleTestData.FormToken(leavePage), ["reason"] = "本次会议需全体出席" };
        await client.PostAsync($"/console/leave/{_leaveId}/reject", new FormUrlEncodedContent(form), Ct);
        var refusedPage = await client.GetStringAsync("/console/leave", Ct);

        var reviewed = await client.PostAsync($"/console/leave/{_leaveId}/approve", new FormUrlEncodedContent(form), Ct);
        var after = await client.GetStringAsync(reviewed.Headers.Location!.ToString(), Ct);

        Assert.Contains($"""data-refused="{_leaveId}""", refusedPage, StringComparison.Ordinal);
        Assert.Contains("本次会议需全体出席", refusedPage, StringComparison.Ordinal);
        Assert.Contains("改为准假", refusedPage, StringComparison.Ordinal);
        Assert.Contains("已批准 张丽华", after, StringComparison.Ordinal);
        Assert.DoesNotContain("data-refused=", after, StringComparison.Ordinal);
        Assert.Contains("没有未准的请假。", after, StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.LeaveApproved, await _host.DbAsync(db => db.Participations.Where(p => p.Id == _leaveId).Select(p => p.Status).SingleAsync(Ct)));
    }

    [Fact]
    public async Task ApprovingLeaveOfAMeetingCancelledMeanwhile_IsRefusedSayingSo_AndChangesNothing()
    {
        var client = Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await LoginAsync(client, ConsoleTestData.ApiKey)).StatusCode);
        var leavePage = await client.GetStringAsync("/console/leave", Ct);
        Assert.Equal(HttpStatusCode.OK, (await Api().PostAsync("/api/admin/meetings/MT-2027-03/cancel", null, Ct)).StatusCode);

        var decided = await client.PostAsync($"/console/leave/{_leaveId}/approve", new FormUrlEncodedContent(new Dictionary<string, string> { ["__csrf"] = ConsoleTestData.FormToken(leavePage) }), Ct);
        var after = await client.GetStringAsync(decided.Headers.Location!.ToString(), Ct);

        Assert.Contains("会议已取消，张丽华 的这条请假无需再审批，未作改动。", after, StringComparison.Ordinal);
        Assert.Contains("没有待审批的请假申请。", after, StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.LeavePending, await _host.DbAsync(db => db.Participations.Where(p => p.Id == _leaveId).Select(p => p.Status).SingleAsync(Ct)));
    }

    [Fact]
    public async Task ApprovingTwice_OrAnUnknownRow_ShowsThePageWithAClearNotice()
    {
        var client = Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await LoginAsync(client, ConsoleTestData.ApiKey)).StatusCode);
        var leavePage = await client.GetStringAsync("/console/leave", Ct);
        var form = new Dictionary<string, string> { ["__csrf"] = ConsoleTestData.FormToken(leavePage) };
        await client.PostAsync($"/console/leave/{_leaveId}/approve", new FormUrlEncodedContent(form), Ct);

        var again = await client.PostAsync($"/console/leave/{_leaveId}/approve", new FormUrlEncodedContent(form), Ct);
        var unknown = await client.PostAsync("/console/leave/99999/approve", new FormUrlEncodedContent(form), Ct);
        var stale = await client.GetAsync("/console/leave?decided=1&outcome=AlreadyDecided&told=", Ct);

        foreach (var response in new[] { again, unknown })
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var page = await client.GetAsync(response.Headers.Location, Ct);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal(ParticipationStatus.LeaveApproved, await _host.DbAsync(db => db.Participations.Where(p => p.Id == _leaveId).Select(p => p.Status).SingleAsync(Ct)));
    }

    [Fact]
    public async Task ApprovingLeave_WithoutTheAntiforgeryToken_ChangesNothing()
    {
        var client = Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await LoginAsync(client, ConsoleTestData.ApiKey)).StatusCode);

        var forged = await client.PostAsync($"/console/leave/{_leaveId}/approve", new FormUrlEncodedContent(new Dictionary<string, string>()), Ct);
        var status = await _host.DbAsync(db => db.Participations.Where(p => p.Id == _leaveId).Select(p => p.Status).SingleAsync(Ct));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(ParticipationStatus.LeavePending, status);

        var page = await client.GetStringAsync("/console/leave", Ct);
        var approved = await client.PostAsync($"/console/leave/{_leaveId}/approve", new FormUrlEncodedContent(new Dictionary<string, string> { ["__csrf"] = ConsoleTestData.FormToken(page) }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.Equal(ParticipationStatus.LeaveApproved, await _host.DbAsync(db => db.Participations.Where(p => p.Id == _leaveId).Select(p => p.Status).SingleAsync(Ct)));
    }

    [Fact]
    public async Task Logout_EndsTheSession()
    {
        var client = Browser();
        await LoginAsync(client, ConsoleTestData.ApiKey);
        var page = await client.GetStringAsync("/console", Ct);

        var logout = await client.PostAsync("/console/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__csrf"] = ConsoleTestData.FormToken(page) }), Ct);

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/console", Ct)).StatusCode);
    }

    [Fact]
    public async Task Logout_MakesASavedCopyOfTheSessionCookieUseless()
    {
        var client = Browser();
        var login = await LoginAsync(client, ConsoleTestData.ApiKey);
        var saved = ConsoleTestData.SessionCookie(login);
        var page = await client.GetStringAsync("/console", Ct);
        Assert.Equal(HttpStatusCode.OK, (await ConsoleTestData.GetWithCookieAsync(_host, "/console/opinions", saved)).StatusCode);

        var logout = await client.PostAsync("/console/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__csrf"] = ConsoleTestData.FormToken(page) }), Ct);
        var replayed = await ConsoleTestData.GetWithCookieAsync(_host, "/console/opinions", saved);

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.Contains("/console/login", replayed.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_EndsTwelveHoursAfterLogin_HoweverActiveTheStaffMemberIs()
    {
        var client = Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await LoginAsync(client, ConsoleTestData.StaffPassword)).StatusCode);

        // A request every 55 minutes keeps the sliding hour alive; 13 of them reach 11 h 55 min after login.
        for (var i = 1; i <= 13; i++)
        {
            _host.Time.Advance(TimeSpan.FromMinutes(55));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/console", Ct)).StatusCode);
        }

        _host.Time.Advance(TimeSpan.FromMinutes(55));
        var late = await client.GetAsync("/console", Ct);

        Assert.Equal(HttpStatusCode.Redirect, late.StatusCode);
        Assert.Contains("/console/login", late.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_TakesNoKeyFromTheAddress_OpensForStaffSignedInWithTheKey_AndClosesWithLogout()
    {
        var client = Browser();
        var byKey = await client.GetAsync($"/hangfire?key={ConsoleTestData.ApiKey}", Ct);
        var consoleByKey = await client.GetAsync($"/console/hangfire?key={ConsoleTestData.ApiKey}", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, byKey.StatusCode);
        Assert.False(byKey.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("cppccbot-staff=", StringComparison.Ordinal) || c.StartsWith("cppccbot-console=", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Redirect, consoleByKey.StatusCode);
        Assert.StartsWith("/console/login?returnUrl=%2Fconsole%2Fhangfire", consoleByKey.Headers.Location!.OriginalString, StringComparison.Ordinal);

        var saved = ConsoleTestData.SessionCookie(await LoginAsync(client, ConsoleTestData.ApiKey));
        var start = await client.GetStringAsync("/console", Ct);
        var dashboard = await client.GetAsync("/console/hangfire", Ct);
        var recurring = await client.GetAsync("/console/hangfire/recurring", Ct);

        Assert.Contains("""<a href="/console/hangfire">任务面板</a>""", start, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("Linping.CppccBot jobs", await dashboard.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, recurring.StatusCode);

        // The dashboard's own requests (its live counters are a POST) pass its antiforgery check under the console's path.
        var token = ConsoleTestData.DashboardToken(await recurring.Content.ReadAsStringAsync(Ct));
        using (var stats = new HttpRequestMessage(HttpMethod.Post, "/console/hangfire/stats") { Content = new FormUrlEncodedContent([new("metrics[]", "enqueued:count")]) })
        {
            stats.Headers.Add("RequestVerificationToken", token);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(stats, Ct)).StatusCode);
        }

        var logout = await client.PostAsync("/console/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__csrf"] = ConsoleTestData.FormToken(start) }), Ct);
        var replayed = await ConsoleTestData.GetWithCookieAsync(_host, "/console/hangfire", saved);

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.StartsWith("/console/login", replayed.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/console/hangfire/recurring", Ct)).StatusCode);
    }

    /// <summary>A refused request to the dashboard gets no cookie of any kind (Hangfire set the console's antiforgery cookie before its authorization).</summary>
    [Theory]
    [InlineData("/hangfire", null)]
    [InlineData("/hangfire/recurring", null)]
    [InlineData("/hangfire", "not-the-staff-key-000")]
    [InlineData("/hangfire/stats", null)]
    [InlineData("/console/hangfire", null)]
    [InlineData("/console/hangfire/jobs/enqueued", null)]
    [InlineData("/console/hangfire", "not-the-staff-key-000")]
    public async Task Dashboard_RefusedRequests_SetNoCookie(string path, string? bearer)
    {
        using var request = new HttpRequestMessage(path.EndsWith("/stats", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }

        var response = await Browser().SendAsync(request, Ct);

        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Redirect, $"{(int)response.StatusCode}");
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies), string.Join(" | ", cookies ?? []));
    }

    /// <summary>
    /// Scripts' dashboard, opened with the key in a header a browser never adds by itself: no antiforgery cookie (the
    /// console's, path /console, never came back to /hangfire, so its live counters' POST was refused with 403).
    /// </summary>
    [Fact]
    public async Task Dashboard_ForTheBearerKey_SetsNoCookie_AndItsOwnPostsWork()
    {
        var client = Browser();
        using var page = new HttpRequestMessage(HttpMethod.Get, "/hangfire/recurring");
        page.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ConsoleTestData.ApiKey);
        var recurring = await client.SendAsync(page, Ct);

        Assert.Equal(HttpStatusCode.OK, recurring.StatusCode);
        Assert.False(recurring.Headers.TryGetValues("Set-Cookie", out var cookies), string.Join(" | ", cookies ?? []));
        using var stats = new HttpRequestMessage(HttpMethod.Post, "/hangfire/stats") { Content = new FormUrlEncodedContent([new("metrics[]", "enqueued:count")]) };
        stats.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ConsoleTestData.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(stats, Ct)).StatusCode);
    }

    [Fact]
    public async Task Dashboard_IsNotForASessionOpenedWithTheStaffPassword()
    {
        var client = Browser();
        await LoginAsync(client, ConsoleTestData.StaffPassword);

        var start = await client.GetStringAsync("/console", Ct);
        var dashboard = await client.GetAsync("/console/hangfire", Ct);

        Assert.DoesNotContain("任务面板", start, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, dashboard.StatusCode);
        Assert.Contains("任务面板仅供用员工密钥登录的管理员查看", await dashboard.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_EncodeWhatTheyShow()
    {
        await _host.DbAsync(async db =>
        {
            var meeting = await db.Meetings.SingleAsync(m => m.Id == "MT-2027-02", Ct);
            meeting.Title = "<script>alert(1)</script>协商会";
            return await db.SaveChangesAsync(Ct);
        });
        var client = Browser();
        await LoginAsync(client, ConsoleTestData.ApiKey);

        var page = await client.GetStringAsync("/console", Ct);

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;协商会", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
    }
}
