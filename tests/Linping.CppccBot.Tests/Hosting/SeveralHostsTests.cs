using Hangfire;
using Linping.CppccBot.Features.Meetings;
using Linping.CppccBot.Features.Reminders;
using Linping.CppccBot.Features.Roster;
using Linping.CppccBot.LocalChat.FakeWeCom;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Features.Console;
using Linping.CppccBot.Tests.Features.Meetings;
using Linping.CppccBot.Tests.Features.Opinions;
using Linping.CppccBot.Tests.Features.Reminders;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Hosting;

/// <summary>
/// Two hosts on loopback sharing one real Redis and one real PostgreSQL database, as in production behind a load
/// balancer: whichever host gets a message, the member sees one bot.
/// </summary>
[Collection(RedisTests.Name)]
public sealed class SeveralHostsTests(RedisServerFixture redis, PostgresServerFixture postgres) : IAsyncLifetime
{
    private readonly string _prefix = $"hosts-{Guid.NewGuid():N}:";
    private readonly SeatConcurrencyTests.SaveBarrier _barrier = new();
    private readonly string _otherFolder = Directory.CreateTempSubdirectory("cppccbot-host-b-").FullName;
    private readonly string _keyCertificate = Path.Combine(Path.GetTempPath(), $"cppccbot-console-keys-{Guid.NewGuid():N}.pfx");
    private PostgresServer _server = null!;
    private string _database = null!;
    private FakeWeComServer _wecom = null!;
    private BotHostFactory _a = null!;
    private BotHostFactory _b = null!;

    public async ValueTask InitializeAsync()
    {
        redis.RequireServer();
        _server = await postgres.GetAsync();
        _database = _server.CreateDatabase();
        _wecom = await FakeWeComServer.StartAsync(
            new FakeWeComOptions { CorpId = BotHostFactory.CorpId, Secret = BotHostFactory.Secret, AgentId = BotHostFactory.AgentId, WebhookKeys = [ReminderHarness.GroupKey] },
            TestContext.Current.CancellationToken);

        // One after the other: each host migrates and imports the seed file at start (both idempotent). The second is
        // installed in a folder of its own, as on another machine.
        File.Copy(Path.Combine(BotHostFactory.RepositoryRoot, "src", "Linping.CppccBot", "appsettings.json"), Path.Combine(_otherFolder, "appsettings.json"));
        WriteKeyCertificate(_keyCertificate, KeyCertificatePassword);
        _a = Host(contentRoot: null);
        _b = Host(_otherFolder);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in new[] { _a, _b })
        {
            if (host is not null)
            {
                await host.DisposeAsync();
            }
        }

        if (_wecom is not null)
        {
            await _wecom.DisposeAsync();
        }

        if (_database is not null)
        {
            _server.DropDatabase(_database);
        }

        Directory.Delete(_otherFolder, recursive: true);
        File.Delete(_keyCertificate);
    }

    private const string KeyCertificatePassword = "pfx-password-1";

    /// <summary>A self-signed RSA certificate with its private key, as a password-protected PKCS#12 file.</summary>
    private static void WriteKeyCertificate(string path, string password)
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=cppccbot console keys", rsa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllBytes(path, certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12, password));
    }

    private BotHostFactory Host(string? contentRoot)
    {
        var host = new BotHostFactory { RedisConfiguration = redis.Configuration, RedisKeyPrefix = _prefix, PostgresConnectionString = _database, ContentRoot = contentRoot }
            .WithDbOptions(o => o.AddInterceptors(_barrier))
            .WithStaffSecrets();
        host.Settings["Admin:ConsoleKeyCertificate"] = _keyCertificate;
        host.Settings["Admin:ConsoleKeyCertificatePassword"] = KeyCertificatePassword;
        host.Settings["WeCom:ApiBaseUrl"] = _wecom.BaseAddress.ToString();
        host.Settings["Reminders:Offsets:0"] = "00:01:00";
        host.Settings["Reminders:Schedule"] = "* * * * *";
        _ = host.Services;
        return host;
    }

    [Fact]
    public async Task AReportStartedOnOneHost_ContinuesOnTheOther_AndIsStoredOnce()
    {
        var toA = new WeComCallbackSender(_a.CreateClient(), _a.Time);
        var toB = new WeComCallbackSender(_b.CreateClient(), _b.Time);
        const string title = "关于小区停车难的建议";

        var step1 = await toA.SendTextAsync("wangjianguo", "我要提交社情民意");
        var step2 = await toB.SendTextAsync("wangjianguo", title);
        var step3 = await toA.SendTextAsync("wangjianguo", OpinionTestData.Paragraph);
        var step4 = await toB.SendTextAsync("wangjianguo", "发完了");
        var step5 = await toA.SendTextAsync("wangjianguo", "4");
        var step6 = await toB.SendTextAsync("wangjianguo", "确认提交");

        Assert.Contains("第1步", step1.ReplyText, StringComparison.Ordinal);
        Assert.Contains("第2步", step2.ReplyText, StringComparison.Ordinal);
        Assert.Contains("已收到第1段", step3.ReplyText, StringComparison.Ordinal);
        Assert.Contains("第3步", step4.ReplyText, StringComparison.Ordinal);
        Assert.Contains("请核对", step5.ReplyText, StringComparison.Ordinal);
        Assert.Contains("提交成功", step6.ReplyText, StringComparison.Ordinal);
        var stored = Assert.Single(await _a.DbAsync(db => db.Opinions.AsNoTracking().Where(o => o.SubmittedById == "M001" && o.Title == title).ToListAsync()));
        Assert.Contains(stored.Id, step6.ReplyText, StringComparison.Ordinal);
        Assert.Equal(OpinionTestData.Paragraph, stored.Content);
    }

    [Fact]
    public async Task StaffLoggedInOnOneHost_AreLoggedInOnTheOther_AndItsFormsAreAcceptedThere()
    {
        var ct = TestContext.Current.CancellationToken;
        var cookies = new System.Net.CookieContainer();
        using var onA = _a.CreateDefaultClient(new CookieContainerHandler(cookies));
        using var onB = _b.CreateDefaultClient(new CookieContainerHandler(cookies));

        // The login form comes from one host and is posted to the other (its antiforgery cookie and field were
        // protected by the first); the session cookie the second sets opens the console on the first.
        var login = await ConsoleTestData.LoginAsync(onA, ConsoleTestData.StaffPassword, postTo: onB);
        var console = await onA.GetAsync("/console", ct);

        Assert.Equal(System.Net.HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/console", login.Headers.Location!.OriginalString);
        Assert.Equal(System.Net.HttpStatusCode.OK, console.StatusCode);
        Assert.Contains("请假审批", await console.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);

        // One key ring, in the shared database: neither host made a key of its own. The key is stored encrypted with
        // the certificate both hosts have: the secret itself is not in the database.
        var stored = Assert.Single(await _a.DbAsync(db => db.DataProtectionKeys.AsNoTracking().ToListAsync(ct)));
        Assert.Contains("EncryptedData", stored.Xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", stored.Xml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsoleLogoutOnOneHost_EndsTheSessionOnTheOther()
    {
        var ct = TestContext.Current.CancellationToken;
        using var onA = _a.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var saved = ConsoleTestData.SessionCookie(await ConsoleTestData.LoginAsync(onA, ConsoleTestData.ApiKey));
        var page = await onA.GetStringAsync("/console", ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await ConsoleTestData.GetWithCookieAsync(_b, "/console", saved)).StatusCode);

        var logout = await onA.PostAsync("/console/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__csrf"] = ConsoleTestData.FormToken(page) }), ct);

        Assert.Equal(System.Net.HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await ConsoleTestData.GetWithCookieAsync(_b, "/console", saved)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await ConsoleTestData.GetWithCookieAsync(_a, "/console", saved)).StatusCode);
    }

    [Fact]
    public async Task FailedLogins_AreCountedAcrossHosts()
    {
        var ct = TestContext.Current.CancellationToken;
        using var onA = _a.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var onB = _b.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        async Task<System.Net.HttpStatusCode> LoginAsync(HttpClient client, string secret) => (await ConsoleTestData.LoginAsync(client, secret)).StatusCode;

        // Three wrong guesses on one host and two on the other make the five that close the door on both.
        foreach (var client in new[] { onA, onB, onA, onB, onA })
        {
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await LoginAsync(client, "wrong-password-123"));
        }

        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, await LoginAsync(onB, ConsoleTestData.StaffPassword));
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, await LoginAsync(onA, ConsoleTestData.StaffPassword));

        _a.Time.Advance(TimeSpan.FromMinutes(16));
        _b.Time.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(System.Net.HttpStatusCode.Redirect, await LoginAsync(onB, ConsoleTestData.StaffPassword));
    }

    [Fact]
    public async Task AMessageRedeliveredToTheOtherHost_AfterTheFirstAnswered_IsADuplicate()
    {
        var toA = new WeComCallbackSender(_a.CreateClient(), _a.Time);
        var toB = new WeComCallbackSender(_b.CreateClient(), _b.Time);
        var msgId = WeComCallbackSender.NextMsgId();

        var first = await toA.SendTextAsync("wangjianguo", "我要提交社情民意", msgId);
        var again = await toB.SendTextAsync("wangjianguo", "我要提交社情民意", msgId);
        var next = await toB.SendTextAsync("wangjianguo", "关于小区停车难的建议");

        Assert.Contains("第1步", first.ReplyText, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, again.Status);
        Assert.Null(again.Reply);

        // The redelivery did not restart the dialog: the title is taken as the answer to the first step.
        Assert.Contains("第2步", next.ReplyText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("会议", "近期会议活动（共4场）")]
    [InlineData("我的提案", "您共有")]
    public async Task CompiledQueries_GiveTheSameAnswer_OnPostgreSQL_AsOnSQLite_InOneProcess(string text, string expected)
    {
        // The queries of 会议 and 我的提案 are compiled once per model; each provider's model must get its own.
        using var onSqlite = new BotHostFactory();
        var fromSqlite = await new WeComCallbackSender(onSqlite.CreateClient(), onSqlite.Time).SendTextAsync("wangjianguo", text);
        var fromA = await new WeComCallbackSender(_a.CreateClient(), _a.Time).SendTextAsync("wangjianguo", text);
        var fromB = await new WeComCallbackSender(_b.CreateClient(), _b.Time).SendTextAsync("wangjianguo", text);

        Assert.Contains(expected, fromSqlite.ReplyText, StringComparison.Ordinal);
        Assert.Equal(fromSqlite.ReplyText, fromA.ReplyText);
        Assert.Equal(fromSqlite.ReplyText, fromB.ReplyText);
    }

    [Fact]
    public async Task ARosterChangeSavedOnOneHost_ReachesTheOther_WithinTheCallerCacheTime()
    {
        var toA = new WeComCallbackSender(_a.CreateClient(), _a.Time);
        var toB = new WeComCallbackSender(_b.CreateClient(), _b.Time);
        Assert.Contains("王建国", (await toA.SendTextAsync("wangjianguo", "帮助")).ReplyText, StringComparison.Ordinal);

        await _b.DbAsync(async db =>
        {
            (await db.Members.SingleAsync(m => m.Id == "M001")).Name = "王建民";
            return await db.SaveChangesAsync();
        });

        Assert.Contains("王建民", (await toB.SendTextAsync("wangjianguo", "帮助")).ReplyText, StringComparison.Ordinal);
        // Host A remembers the caller for a while (the README says so) ...
        Assert.Contains("王建国", (await toA.SendTextAsync("wangjianguo", "帮助")).ReplyText, StringComparison.Ordinal);
        _a.Time.Advance(CallerCache.TimeToLive + TimeSpan.FromSeconds(1));
        // ... and no longer.
        Assert.Contains("王建民", (await toA.SendTextAsync("wangjianguo", "帮助")).ReplyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLastSeat_RacedForOnTwoHosts_GoesToOneMember()
    {
        await _a.UpdateMeetingAsync("MT-2027-04", m => m.Capacity = 1);
        _barrier.Arm(2);

        var results = await Task.WhenAll(SignUpAsync(_a, "M001"), SignUpAsync(_b, "M002"));

        Assert.True(_barrier.Met, "Both sign-ups should have read the free seat before either saved.");
        Assert.Equal([SignUpOutcome.SignedUp, SignUpOutcome.Full], results.Select(r => r.Outcome).Order());
        var seated = await _b.DbAsync(db => db.Participations.CountAsync(p => p.MeetingId == "MT-2027-04" && p.Status == ParticipationStatus.SignedUp));
        Assert.Equal(1, seated);
    }

    [Fact]
    public async Task HangfireOnBothHosts_RunsTheJob_AndEachReminderGoesOnce()
    {
        var start = _a.Time.GetUtcNow().AddSeconds(30);
        await _a.AddMeetingAsync("MT-TEST-HOSTS", start, ParticipationMode.OpenSignup, ["M001", "M002"]);
        var storage = _a.Services.GetRequiredService<JobStorage>();

        _a.Services.GetRequiredService<IRecurringJobManager>().Trigger(ReminderJob.RecurringJobId);
        _b.Services.GetRequiredService<IRecurringJobManager>().Trigger(ReminderJob.RecurringJobId);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (storage.GetMonitoringApi().SucceededListCount() < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "Hangfire did not run both jobs within 60 s.");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        var send = Assert.Single(_wecom.Messages, m => m.Endpoint == FakeWeComEndpoint.MessageSend);
        Assert.Equal(["wangjianguo", "chenxiaoyan"], send.Recipients);
        Assert.Single(_wecom.Messages, m => m.Endpoint == FakeWeComEndpoint.WebhookSend);
        var ledger = await _b.LedgerAsync("MT-TEST-HOSTS");
        Assert.Equal(3, ledger.Count);
        Assert.All(ledger, r => Assert.Equal(ReminderDeliveryStatus.Sent, r.Status));
    }

    private static async Task<SignUpResult> SignUpAsync(BotHostFactory host, string memberId)
    {
        await Task.Yield();
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MeetingService>().SignUpAsync("MT-2027-04", memberId, joinWaitlist: false, TestContext.Current.CancellationToken);
    }
}
