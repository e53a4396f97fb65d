using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Linping.CppccBot.Tests.Features.Console;

namespace Linping.CppccBot.Tests.Hosting;

/// <summary>
/// The host as an operator starts it, <c>dotnet Linping.CppccBot.dll</c> in a folder of its own: on the embedded
/// defaults it becomes ready; with wrong settings it stops at once, one line per setting naming its key, exit code 1,
/// no stack trace, and before it creates or migrates a database.
/// </summary>
public sealed class HostProcessTests : IDisposable
{
    private static readonly string HostAssembly = Path.Combine(AppContext.BaseDirectory, "Linping.CppccBot.dll");
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("cppccbot-process-");
    private readonly List<Process> _processes = [];
    private readonly System.Text.StringBuilder _error = new();
    private readonly System.Text.StringBuilder _output = new();

    [Fact]
    public async Task WrongSettings_StopTheStart_OneLineEach_NamingTheKeys_BeforeTheDatabase()
    {
        var host = StartHost(new()
        {
            ["Reminders__Offsets__0"] = "abc",
            ["Reminders__Offset"] = "02:00:00",
            ["Bot__TimeZone"] = "Mars/Olympus",
            ["ConnectionStrings__Redis"] = "127.0.0.1:6379,nosuchoption=1",
        });

        var (exitCode, output) = await WaitForExitAsync(host);

        Assert.Equal(1, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("Linping.CppccBot cannot start: 4 settings are wrong.", lines[0]);
        Assert.Equal(
            [
                "Bot:TimeZone 'Mars/Olympus' is not a time zone this machine knows (install tzdata).",
                "ConnectionStrings:Redis is not a valid StackExchange.Redis configuration: Keyword 'nosuchoption' is not supported. (Parameter 'nosuchoption')",
                "Reminders:Offset is not a setting (those of Reminders are Offsets, OffsetsByType, ClaimLease, ProposalNewsWindow, EvaluationReminderAfter, Schedule).",
                "Reminders:Offsets:0: 'abc' is not a time span such as 02:00:00 or 1.00:00:00.",
            ],
            lines.Skip(1).Order(StringComparer.Ordinal));
        Assert.Empty(_folder.GetFiles());
    }

    [Fact]
    public async Task AListeningAddressKestrelCannotUse_IsToldTheSameWay_BeforeTheDatabase()
    {
        var host = StartHost(new() { ["ASPNETCORE_URLS"] = "http://127.0.0.1:0;notaurl", ["Bot__TimeZone"] = "Mars/Olympus" });

        var (exitCode, output) = await WaitForExitAsync(host);

        Assert.Equal(1, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("Linping.CppccBot cannot start: 2 settings are wrong.", lines[0]);
        Assert.Equal(
            [
                "ASPNETCORE_URLS (urls): 'notaurl' is not a listening address such as http://localhost:5000 or http://*:80 (Invalid url: 'notaurl').",
                "Bot:TimeZone 'Mars/Olympus' is not a time zone this machine knows (install tzdata).",
            ],
            lines.Skip(1).Order(StringComparer.Ordinal));
        Assert.Empty(_folder.GetFiles());
    }

    [Fact]
    public async Task ALogLevelThatIsNoLevel_IsToldTheSameWay_NotAsAnUnhandledException()
    {
        var host = StartHost(new() { ["Logging__LogLevel__Linping.CppccBot.Conversations.TurnHandler"] = "Loud", ["ASPNETCORE_URLS"] = "ftp://127.0.0.1:21" });

        var (exitCode, output) = await WaitForExitAsync(host);

        Assert.Equal(1, exitCode);
        Assert.Equal(
            [
                "Linping.CppccBot cannot start: 2 settings are wrong.",
                "Logging:LogLevel:Linping.CppccBot.Conversations.TurnHandler: 'Loud' is not a log level (Trace, Debug, Information, Warning, Error, Critical, None).",
                "ASPNETCORE_URLS (urls): 'ftp://127.0.0.1:21' is not a listening address such as http://localhost:5000 or http://*:80 (the scheme is ftp, not http or https).",
            ],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Empty(_folder.GetFiles());
    }

    [Fact]
    public async Task AValueTheBinderCannotConvert_IsToldTheSameWay()
    {
        var host = StartHost(new() { ["Database__Provider"] = "Oracle" });

        var (exitCode, output) = await WaitForExitAsync(host);

        Assert.Equal(1, exitCode);
        Assert.Equal(
            ["Linping.CppccBot cannot start: a setting is wrong.", "Database:Provider: 'Oracle' is not one of Sqlite, Postgres."],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Empty(_folder.GetFiles());
    }

    [Fact]
    public async Task OnTheEmbeddedDefaults_TheHostBecomesReady()
    {
        var port = FreePort();
        var host = StartHost(new() { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" });

        await WaitUntilReadyAsync(host, port);

        Assert.True(File.Exists(Path.Combine(_folder.FullName, "cppccbot.db")));
        // Started from another folder, the host still reads its appsettings.json (EF Core at Warning: no SQL logged).
        string output;
        lock (_output)
        {
            output = _output.ToString();
        }

        Assert.Contains("Linping.CppccBot", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Microsoft.EntityFrameworkCore", output, StringComparison.Ordinal);
        // AllowedHosts is open by default, so a production host says so once.
        Assert.Single(output.Split('\n'), line => line.Contains("AllowedHostsReporter[8200]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AllowedHosts_AnswerOnlyTheirNames_AndAnEntryNoRequestCanMatch_StopsTheStart()
    {
        var wrong = StartHost(new() { ["AllowedHosts"] = "https://bot.example.gov.cn; bot.example.gov.cn:443 ;*.example.gov.cn;[::1]" });
        var (exitCode, output) = await WaitForExitAsync(wrong);
        var port = FreePort();
        var host = StartHost(new() { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}", ["AllowedHosts"] = "bot.example.gov.cn;127.0.0.1" });

        await WaitUntilReadyAsync(host, port);
        using var http = Client(port);
        using var named = new HttpRequestMessage(HttpMethod.Get, "/health/live") { Headers = { Host = "bot.example.gov.cn" } };
        using var other = new HttpRequestMessage(HttpMethod.Get, "/health/live") { Headers = { Host = "evil.example" } };
        using var namedResponse = await http.SendAsync(named, TestContext.Current.CancellationToken);
        using var otherResponse = await http.SendAsync(other, TestContext.Current.CancellationToken);

        Assert.Equal(1, exitCode);
        Assert.Equal(
            [
                "Linping.CppccBot cannot start: 2 settings are wrong.",
                "AllowedHosts: 'https://bot.example.gov.cn' is not a host name such as bot.example.gov.cn, *.example.gov.cn or 10.0.0.5 (no scheme, port or path; several are separated by ;): no request would match it.",
                "AllowedHosts: 'bot.example.gov.cn:443' is not a host name such as bot.example.gov.cn, *.example.gov.cn or 10.0.0.5 (no scheme, port or path; several are separated by ;): no request would match it.",
            ],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal(HttpStatusCode.OK, namedResponse.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, otherResponse.StatusCode);
        lock (_output)
        {
            Assert.DoesNotContain("AllowedHostsReporter[8200]", _output.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WithoutASeedFile_TheStaffApiTakesItsFirstRecords()
    {
        // A production host imports nothing at start: the staff API's first write is the first use of the import's
        // JSON settings in the process (it was a 500 then).
        var port = FreePort();
        var host = StartHost(new()
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Admin__ApiKey"] = "process-test-staff-key-0123456789",
        });
        await WaitUntilReadyAsync(host, port);
        using var client = Client(port);
        client.DefaultRequestHeaders.Authorization = new("Bearer", "process-test-staff-key-0123456789");

        using var response = await client.PutAsync(
            "/api/admin/members/M009",
            new StringContent("""{"name":"钱国强","wecomUserId":"qianguoqiang","sector":"经济界"}""", System.Text.Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);
        using var misspelt = await client.PutAsync(
            "/api/admin/members/M010",
            new StringContent("""{"name":"孙明","sectr":"经济界"}""", System.Text.Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"created\":true", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, misspelt.StatusCode);
        Assert.Contains("sectr", await misspelt.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task BehindAKnownProxy_FailedConsoleLoginsCount_PerClient_NotPerProxy(bool proxyConfigured)
    {
        var port = FreePort();
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Admin__ApiKey"] = "process-test-staff-key-0123456789",
            ["Admin__StaffPassword"] = "process-test-password",
        };
        if (proxyConfigured)
        {
            settings["ForwardedHeaders__KnownProxies__0"] = "127.0.0.1";
        }

        var host = StartHost(settings);
        await WaitUntilReadyAsync(host, port);
        using var first = Client(port, forwardedFor: "203.0.113.7");
        using var second = Client(port, forwardedFor: "203.0.113.8");

        var failures = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            failures.Add((await ConsoleTestData.LoginAsync(first, "wrong-password")).StatusCode);
        }

        var other = (await ConsoleTestData.LoginAsync(second, "wrong-password")).StatusCode;

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), HttpStatusCode.TooManyRequests], failures);
        // With the proxy known, the second client is someone else; without, everyone behind the proxy is one address.
        Assert.Equal(proxyConfigured ? HttpStatusCode.Unauthorized : HttpStatusCode.TooManyRequests, other);
    }

    [Fact]
    public async Task AProxySettingThatIsNoAddress_StopsTheStart()
    {
        var host = StartHost(new() { ["ForwardedHeaders__KnownNetworks__0"] = "10.0.0.0/33" });

        var (exitCode, output) = await WaitForExitAsync(host);

        Assert.Equal(1, exitCode);
        Assert.Contains("ForwardedHeaders:KnownNetworks:0: '10.0.0.0/33' is not a network such as 10.0.0.0/24.", output, StringComparison.Ordinal);
    }

    private static HttpClient Client(int port, string? forwardedFor = null)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        if (forwardedFor is not null)
        {
            client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        }

        return client;
    }

    [Fact]
    public async Task TheImportCommand_PrintsTheWarningOfAMeetingUnderWayWhoseMoveItKept_AndWhatMembersAreTold()
    {
        // A meeting that began half an hour ago, imported; then a file that moves it an hour on, to another room, renamed.
        var start = DateTimeOffset.UtcNow.AddMinutes(-30);
        await ImportAsync(start, "区政协三楼会议室", "关于加快数字经济发展的专题协商会");
        var host = StartHost([], "import", await MeetingFileAsync(start.AddHours(1), "区政协五楼会议室", "关于数字经济高质量发展的专题协商会"));

        var (exitCode, error) = await WaitForExitAsync(host);

        Assert.True(exitCode == 0, error);
        string output;
        lock (_output)
        {
            output = _output.ToString();
        }

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.StartsWith("import: ", StringComparison.Ordinal) && l.Contains("会议活动 新增 0，更新 1，未变 0", StringComparison.Ordinal));
        Assert.Contains(
            "import: warning: meetings[0] (MT-PROC-01).startsAt: 会议已开始，不能再修改开始时间或地点：已保留原来的时间和地点，该条其余内容已导入；如需临时调整，请直接通知参会委员。",
            lines);
        Assert.Contains("import: 会议 MT-PROC-01（关于数字经济高质量发展的专题协商会）变更了名称：会议已开始，修改已保存，但不再通知委员和群", lines);

        async Task ImportAsync(DateTimeOffset startsAt, string location, string title)
        {
            var first = StartHost([], "import", await MeetingFileAsync(startsAt, location, title));
            var (code, text) = await WaitForExitAsync(first);
            Assert.True(code == 0, text);
            lock (_output)
            {
                _output.Clear();
            }
        }
    }

    /// <summary>Writes a data file of one meeting into the host's folder and returns its name there.</summary>
    private async Task<string> MeetingFileAsync(DateTimeOffset start, string location, string title)
    {
        static string Time(DateTimeOffset t) => t.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
        var json = System.Text.Json.JsonSerializer.Serialize(new
        {
            meetings = new[]
            {
                new
                {
                    id = "MT-PROC-01", title, type = "ThematicConsultation", location, startsAt = Time(start), endsAt = Time(start.AddHours(2)),
                    participation = "Mandatory", invitees = new[] { "*" },
                },
            },
        });
        await File.WriteAllTextAsync(Path.Combine(_folder.FullName, "meetings.json"), json, TestContext.Current.CancellationToken);
        return "meetings.json";
    }

    private static async Task WaitUntilReadyAsync(Process host, int port)
    {
        using var http = Client(port);
        var ready = false;
        for (var deadline = DateTime.UtcNow.AddSeconds(90); !ready && !host.HasExited && DateTime.UtcNow < deadline;)
        {
            try
            {
                ready = (await http.GetAsync("/health/ready", TestContext.Current.CancellationToken)).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
            }

            if (!ready)
            {
                await Task.Delay(200, TestContext.Current.CancellationToken);
            }
        }

        Assert.True(ready, host.HasExited ? $"The host exited with {host.ExitCode}." : "The host was not ready within 90 s.");
    }

    private Process StartHost(Dictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [HostAssembly, .. arguments])
        {
            WorkingDirectory = _folder.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        _processes.Add(process);
        // Both drained, so a chatty host never blocks on a full pipe.
        process.OutputDataReceived += (_, e) =>
        {
            lock (_output)
            {
                _output.Append(e.Data).Append('\n');
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (_error)
            {
                _error.Append(e.Data).Append('\n');
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task<(int ExitCode, string Error)> WaitForExitAsync(Process process)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token); // after it, the output has been read to its end
        lock (_error)
        {
            return (process.ExitCode, _error.ToString());
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            process.Dispose();
        }

        _folder.Delete(recursive: true);
    }
}
