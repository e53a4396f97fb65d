using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Linping.CppccBot.LocalChat.FakeWeCom;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Features.Reminders;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MiniExcelLibs;

namespace Linping.CppccBot.Tests.Features.Console;

/// <summary>
/// The staff console in headless chromium against the real host on a loopback port, with the fake WeCom API: what a
/// staff member does with the README in hand. Screenshots go to TestResults/console-*.png (path in the test output).
/// </summary>
public sealed class ConsoleBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private BotHostFactory _host = null!;
    private FakeWeComServer _wecom = null!;
    private IBrowserContext _context = null!;
    private IPage _page = null!;
    private string _baseUrl = null!;
    private long _leaveId;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        chromium.RequireBrowser();
        _host = new BotHostFactory().WithStaffSecrets();
        _wecom = await ReminderHarness.StartWeComAsync(_host, ["wangjianguo", "chenxiaoyan", "liuzhiqiang", "zhanglihua", "zhouwei", "wumin", "shenjiayi"]);
        _host.Settings["WeCom:ApiBaseUrl"] = _wecom.BaseAddress.ToString();
        _host.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        _host.StartServer();
        _baseUrl = _host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        _leaveId = await ConsoleTestData.ArrangeAsync(_host);
        _context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { AcceptDownloads = true, Locale = "zh-CN", ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        _page = await _context.NewPageAsync();
        _page.SetDefaultTimeout(15_000);
    }

    public async ValueTask DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.DisposeAsync();
        }

        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_wecom is not null)
        {
            await _wecom.DisposeAsync();
        }
    }

    private async Task LoginAsync(string secret)
    {
        await _page.GotoAsync(_baseUrl + "/console");
        await _page.GetByLabel("员工密钥或密码").FillAsync(secret);
        await _page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await WaitForPageAsync("/console");
    }

    // Waits until the page's address is the page's (with any query), polling the address rather than waiting for a
    // navigation's "load" event: after a form post that redirects, Playwright has now and then not seen chromium's
    // "load" on a busy CI machine (only "networkidle", playwright#28789), even when the address already matched. The
    // locators that follow wait for what they read.
    private Task WaitForPageAsync(string path) =>
        Assertions.Expect(_page).ToHaveURLAsync(
            new Regex("^" + Regex.Escape(_baseUrl + path) + @"(\?.*)?$"),
            new PageAssertionsToHaveURLOptions { Timeout = 15_000 });

    private async Task ScreenshotAsync(string name)
    {
        var folder = Path.Combine(BotHostFactory.RepositoryRoot, "TestResults");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"console-{name}.png");
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 0);
        TestContext.Current.TestOutputHelper?.WriteLine($"Screenshot: {path}");
    }

    private ILocator MeetingRow(string title) => _page.Locator("tbody tr").Filter(new() { HasText = title });

    [Fact]
    public async Task NotLoggedIn_GetsTheLoginPage_AWrongSecretIsRefused_TheKeyAndThePasswordLogIn()
    {
        await _page.GotoAsync(_baseUrl + "/console/leave");
        Assert.StartsWith(_baseUrl + "/console/login", _page.Url, StringComparison.Ordinal);
        Assert.Equal("工作人员登录", await _page.Locator("h1").InnerTextAsync());

        await _page.GetByLabel("员工密钥或密码").FillAsync("not-the-staff-key-at-all");
        await _page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        Assert.Equal("密钥或密码不正确。", await _page.GetByRole(AriaRole.Alert).InnerTextAsync());
        Assert.DoesNotContain(await _context.CookiesAsync(), c => c.Name == "cppccbot-console");

        await _page.GetByLabel("员工密钥或密码").FillAsync(ConsoleTestData.ApiKey);
        await _page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await WaitForPageAsync("/console/leave");
        Assert.Equal("请假审批", await _page.Locator("h1").InnerTextAsync());
        var cookie = Assert.Single(await _context.CookiesAsync(), c => c.Name == "cppccbot-console");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);

        await _page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).ClickAsync();
        await WaitForPageAsync("/console/login");
        Assert.Equal("工作人员登录", await _page.Locator("h1").InnerTextAsync());
        Assert.DoesNotContain(await _context.CookiesAsync(), c => c.Name == "cppccbot-console");
        await _page.GotoAsync(_baseUrl + "/console");
        Assert.StartsWith(_baseUrl + "/console/login", _page.Url, StringComparison.Ordinal);

        await LoginAsync(ConsoleTestData.StaffPassword);
        Assert.Equal("近期会议与活动", await _page.Locator("h1").InnerTextAsync());
        await ScreenshotAsync("meetings");
    }

    [Fact]
    public async Task TheKeysHolder_OpensTheJobDashboardFromTheConsole_AndLogoutClosesIt()
    {
        await _page.GotoAsync(_baseUrl + "/console/hangfire");
        Assert.StartsWith(_baseUrl + "/console/login", _page.Url, StringComparison.Ordinal);
        await _page.GetByLabel("员工密钥或密码").FillAsync(ConsoleTestData.ApiKey);
        await _page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await WaitForPageAsync("/console/hangfire");
        await _page.GotoAsync(_baseUrl + "/console");

        // The dashboard's live counters are posts with its antiforgery token: they are answered under the console's path.
        var stats = _page.WaitForResponseAsync(r => r.Url.EndsWith("/console/hangfire/stats", StringComparison.Ordinal));
        await _page.GetByRole(AriaRole.Link, new() { Name = "任务面板" }).ClickAsync();
        await WaitForPageAsync("/console/hangfire");
        Assert.Equal(200, (await stats).Status);
        Assert.Contains("Linping.CppccBot jobs", await _page.TitleAsync(), StringComparison.Ordinal);
        await ScreenshotAsync("dashboard");

        await _page.GotoAsync(_baseUrl + "/console");
        await _page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).ClickAsync();
        await WaitForPageAsync("/console/login");
        await _page.GotoAsync(_baseUrl + "/console/hangfire");
        Assert.StartsWith(_baseUrl + "/console/login", _page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheMeetingList_ShowsSignedUp_Waitlisted_AndLeaveCounts()
    {
        await LoginAsync(ConsoleTestData.StaffPassword);

        var open = MeetingRow("小微园区安全管理");
        Assert.Equal("2", await open.Locator("[data-count=signedup]").InnerTextAsync());
        Assert.Contains("2 / 30", await open.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("0", await open.Locator("[data-count=waitlisted]").InnerTextAsync());
        var inspection = MeetingRow("大运河临平段文化遗产保护视察");
        Assert.Equal("1", await inspection.Locator("[data-count=waitlisted]").InnerTextAsync());
        var standing = MeetingRow("区政协一届常委会第二十六次会议");
        Assert.Equal("1", await standing.Locator("[data-count=leavepending]").InnerTextAsync());
        Assert.Equal("0", await standing.Locator("[data-count=leaveapproved]").InnerTextAsync());
        Assert.Contains("2027年3月25日（周四）09:00—12:00", await standing.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("有 1 条请假申请待审批", await _page.Locator(".notice").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApprovingALeave_TellsTheMemberOnWeCom_ThePageShows已准假_AndTheExportsCarryIt()
    {
        await LoginAsync(ConsoleTestData.ApiKey);
        await _page.GetByRole(AriaRole.Link, new() { Name = "请假审批" }).ClickAsync();
        var row = _page.Locator("tbody tr").Filter(new() { HasText = "张丽华" });
        Assert.Contains(ConsoleTestData.PrivateNote, await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("因病", await row.InnerTextAsync(), StringComparison.Ordinal);

        await row.GetByRole(AriaRole.Button, new() { Name = "批准" }).ClickAsync();

        var notice = _page.GetByRole(AriaRole.Status);
        Assert.Contains("已批准 张丽华", await notice.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await _page.Locator("main p.muted").Filter(new() { HasText = "没有待审批的请假申请。" }).CountAsync());
        Assert.Equal(0, await _page.Locator("tbody tr").CountAsync());
        var message = Assert.Single(_wecom.Sends());
        Assert.Equal(["zhanglihua"], message.Recipients);
        Assert.Contains("区政协一届常委会第二十六次会议", message.Content, StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.LeaveApproved, await _host.DbAsync(db => db.Participations.Where(p => p.Id == _leaveId).Select(p => p.Status).SingleAsync(Ct)));

        await notice.GetByRole(AriaRole.Link).ClickAsync();
        await WaitForPageAsync("/console/meetings/MT-2027-03");
        var member = _page.Locator("table").First.Locator("tbody tr").Filter(new() { HasText = "张丽华" });
        Assert.Contains("已准假", await member.InnerTextAsync(), StringComparison.Ordinal);
        await ScreenshotAsync("meeting");

        var csv = await DownloadAsync("导出出勤名单 CSV");
        Assert.Equal("区政协一届常委会第二十六次会议-20270325-出勤名单.csv", csv.Name);
        Assert.Equal(Encoding.UTF8.GetPreamble(), csv.Content[..3]);
        var lines = Encoding.UTF8.GetString(csv.Content[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("序号,姓名,界别,出勤情况,请假类别,签到时间", lines[0]);
        Assert.Equal(9, lines.Length);
        Assert.Equal("8,张丽华,教育界,已准假,因病,", lines[^1]);

        var xlsx = await DownloadAsync("导出报名名单 Excel");
        Assert.Equal("区政协一届常委会第二十六次会议-20270325-报名名单.xlsx", xlsx.Name);
        using var stream = new MemoryStream(xlsx.Content);
        var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(["序号", "姓名", "界别", "报名状态", "报名时间", "候补顺位", "请假类别", "签到时间"], rows[0].Keys);
        var only = Assert.Single(rows);
        Assert.Equal("张丽华", only["姓名"]);
        Assert.Equal("已准假", only["报名状态"]);
        Assert.Equal("因病", only["请假类别"]);
        Assert.DoesNotContain(ConsoleTestData.PrivateNote, string.Join(' ', only.Values), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheMeetingPage_ShowsTheReminderLedger_WhoWasReachedAndWhoNot()
    {
        // 徐海涛 is unknown to the fake WeCom (invaliduser); the day before the meeting everyone else expected is reminded.
        _host.Time.SetUtcNow(DateTimeOffset.Parse("2027-03-24T10:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture));
        var run = await _host.RunRemindersAsync();
        Assert.True(run.Sent > 0);

        await LoginAsync(ConsoleTestData.ApiKey);
        await MeetingRow("区政协一届常委会第二十六次会议").GetByRole(AriaRole.Link).ClickAsync();
        await WaitForPageAsync("/console/meetings/MT-2027-03");

        var ledger = _page.Locator("table").Last;
        var missed = ledger.Locator("tbody tr").Filter(new() { HasText = "徐海涛" });
        Assert.Contains("未送达：账号无效或不在应用可见范围内", await missed.InnerTextAsync(), StringComparison.Ordinal);
        var reached = ledger.Locator("tbody tr").Filter(new() { HasText = "王建国" });
        Assert.Contains("已送达", await reached.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("会前1天", await reached.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("1", await _page.Locator("[data-count=notreached]").InnerTextAsync());
        var expectedReached = await _host.DbAsync(db => db.ReminderDeliveries.CountAsync(r => r.MeetingId == "MT-2027-03" && r.Status == ReminderDeliveryStatus.Sent, Ct));
        Assert.Equal(expectedReached.ToString(System.Globalization.CultureInfo.InvariantCulture), await _page.Locator("[data-count=reached]").InnerTextAsync());
        await ScreenshotAsync("ledger");
    }

    private async Task<(string Name, byte[] Content)> DownloadAsync(string button)
    {
        var download = await _page.RunAndWaitForDownloadAsync(() => _page.GetByRole(AriaRole.Link, new() { Name = button }).ClickAsync());
        var path = await download.PathAsync();
        return (download.SuggestedFilename, await File.ReadAllBytesAsync(path, Ct));
    }
}
