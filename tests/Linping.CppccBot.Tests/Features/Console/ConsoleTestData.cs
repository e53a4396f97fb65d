using System.Text.RegularExpressions;
using Linping.CppccBot.Features.Meetings;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Features.Reminders;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Features.Console;

/// <summary>Secrets and arrangements shared by the console's HTTP and browser tests.</summary>
internal static partial class ConsoleTestData
{
    public const string ApiKey = "staff-key-0123456789";
    public const string StaffPassword = "政协办公室-2026-密码";

    /// <summary>A leave note: private, seen by approvers only, never exported.</summary>
    public const string PrivateNote = "家人住院需要陪护";

    /// <summary>
    /// Opens the login page with <paramref name="formFrom"/> and posts <paramref name="secret"/> with the page's
    /// antiforgery token to <paramref name="postTo"/> (the same client when null), as a browser does.
    /// </summary>
    public static async Task<HttpResponseMessage> LoginAsync(HttpClient formFrom, string secret, HttpClient? postTo = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var page = await formFrom.GetStringAsync("/console/login", ct);
        return await (postTo ?? formFrom).PostAsync("/console/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__csrf"] = FormToken(page),
            ["secret"] = secret,
            ["returnUrl"] = "/console",
        }), ct);
    }

    public static BotHostFactory WithStaffSecrets(this BotHostFactory host)
    {
        host.Settings["Admin:ApiKey"] = ApiKey;
        host.Settings["Admin:StaffPassword"] = StaffPassword;
        return host;
    }

    /// <summary>
    /// MT-2027-01 (open, 30 seats): 王建国 and 陈晓燕 signed up, 刘志强 signed up then cancelled (through
    /// <see cref="MeetingService"/>). MT-2027-04: 周伟 on the waitlist (stored directly: filling 20 seats first would
    /// take 20 members). MT-2027-03 (指定出席): 张丽华 asks for leave through <see cref="MeetingService"/> with a private note.
    /// Returns the leave request's participation id.
    /// </summary>
    public static async Task<long> ArrangeAsync(BotHostFactory host)
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var meetings = scope.ServiceProvider.GetRequiredService<MeetingService>();
            Assert.Equal(SignUpOutcome.SignedUp, (await meetings.SignUpAsync("MT-2027-01", "M001", false, ct)).Outcome);
            Assert.Equal(SignUpOutcome.SignedUp, (await meetings.SignUpAsync("MT-2027-01", "M002", false, ct)).Outcome);
            Assert.Equal(SignUpOutcome.SignedUp, (await meetings.SignUpAsync("MT-2027-01", "M003", false, ct)).Outcome);
            Assert.Equal(CancelOutcome.Cancelled, (await meetings.CancelAsync("MT-2027-01", "M003", ct)).Outcome);
        }

        await host.DbAsync(async db =>
        {
            var now = host.Time.GetUtcNow();
            db.Participations.Add(new Participation
            {
                MeetingId = "MT-2027-04",
                MemberId = "M005",
                Status = ParticipationStatus.Waitlisted,
                WaitlistPosition = 1,
                WaitlistedAt = now,
                CreatedAt = now,
                UpdatedAt = now,
            });
            return await db.SaveChangesAsync(ct);
        });

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var meetings = scope.ServiceProvider.GetRequiredService<MeetingService>();
            var leave = await meetings.RequestLeaveAsync("MT-2027-03", "M004", LeaveReason.Illness, PrivateNote, ct);
            Assert.Equal(LeaveOutcome.Requested, leave.Outcome);
            return leave.Participation!.Id;
        }
    }

    /// <summary>The session cookie a login response sets, as <c>name=value</c> for a Cookie header.</summary>
    public static string SessionCookie(HttpResponseMessage login) =>
        login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("cppccbot-console=", StringComparison.Ordinal)).Split(';')[0];

    /// <summary>A GET carrying only <paramref name="cookie"/>, from a client of its own that follows no redirect: a copy of a cookie replayed.</summary>
    public static async Task<HttpResponseMessage> GetWithCookieAsync(BotHostFactory host, string path, string cookie)
    {
        using var client = host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>The antiforgery token of the first console form on a page.</summary>
    public static string FormToken(string html) => TokenPattern().Match(html) is { Success: true } match
        ? match.Groups[1].Value
        : throw new InvalidOperationException("The page has no antiforgery field.");

    /// <summary>The antiforgery token a Hangfire dashboard page hands its scripts.</summary>
    public static string DashboardToken(string html) => DashboardTokenPattern().Match(html) is { Success: true } match
        ? match.Groups[1].Value
        : throw new InvalidOperationException("The dashboard page has no antiforgery token.");

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex TokenPattern();

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\"", RegexOptions.None, matchTimeoutMilliseconds: 1000)]
    private static partial Regex DashboardTokenPattern();
}
