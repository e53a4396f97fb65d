using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Linping.CppccBot.Conversations;
using Linping.CppccBot.Features.Staff;
using Linping.CppccBot.Hosting;
using Linping.CppccBot.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Linping.CppccBot.Features.Console;

/// <summary>
/// The staff console's services: cookie authentication of its own scheme (HttpOnly, SameSite=Strict, path
/// <c>/console</c>, sliding expiry, each login a session recorded in the database), antiforgery for its forms, the data-protection keys that sign and encrypt both, the
/// login throttle (in Redis when the hosts have it) and the export service.
/// </summary>
public static class ConsoleRegistration
{
    public const string Scheme = "StaffConsole";
    public const string CookieName = "cppccbot-console";
    public const string AntiforgeryCookieName = "cppccbot-console-af";
    public const string AntiforgeryFieldName = "__csrf";

    /// <summary>
    /// Isolates this application's protected data. Fixed, because ASP.NET Core otherwise derives it from the content
    /// root, which differs between installations, and hosts with different names cannot read each other's cookies.
    /// </summary>
    public const string DataProtectionApplicationName = "Linping.CppccBot";

    /// <summary>How long a console session lasts without a request.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromHours(1);

    /// <summary>The claim naming the secret the session was opened with (<see cref="KeySecret"/> or <see cref="PasswordSecret"/>).</summary>
    public const string SecretClaim = "cppccbot:secret";

    /// <summary>A hash of that secret: changing the key or password in the settings ends the sessions opened with it.</summary>
    public const string FingerprintClaim = "cppccbot:fingerprint";

    /// <summary>The id of the login's <see cref="Persistence.Entities.ConsoleSession"/>: logout deletes it, and the cookie opens nothing after.</summary>
    public const string SessionClaim = "cppccbot:session";

    public const string KeySecret = "key";
    public const string PasswordSecret = "password";

    public static IServiceCollection AddStaffConsole(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<MeetingExportService>();
        services.AddSingleton(sp => new ConsoleLoginThrottle(
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ConsoleLoginThrottle>>(), sp.GetService<IConnectionMultiplexer>(), sp.GetService<RedisKeys>()));

        // The keys live in the bot's database: every host behind a load balancer reads the cookies and form tokens
        // another host wrote, and a restart or a new machine does not log staff out. With Admin:ConsoleKeyCertificate
        // they are encrypted there with its public key (and read back with its private key); without it they are
        // stored as ASP.NET Core writes them, and the database is to be guarded as the secret it then also is.
        var keys = services.AddDataProtection()
            .SetApplicationName(DataProtectionApplicationName)
            .PersistKeysToDbContext<BotDbContext>();
        var admin = configuration.GetSection(AdminOptions.SectionName).Get<AdminOptions>() ?? new AdminOptions();
        try
        {
            if (admin.LoadConsoleKeyCertificate() is { } certificate)
            {
                // Kept for the host's lifetime: every key read or made needs it.
                keys.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
            }
        }
        catch (SettingException ex)
        {
            // Reported with the other settings when they are validated, and stops the start the same way.
            services.AddSettingProblem(ex.Message);
        }

        services.AddAuthentication().AddCookie(Scheme, options =>
        {
            options.Cookie.Name = CookieName;
            options.Cookie.Path = ConsoleEndpoints.Prefix;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.LoginPath = ConsoleEndpoints.Prefix + "/login";
            options.LogoutPath = ConsoleEndpoints.Prefix + "/logout";
            options.AccessDeniedPath = ConsoleEndpoints.Prefix + "/login";
            options.ReturnUrlParameter = "returnUrl";
            options.ExpireTimeSpan = IdleTimeout;
            options.SlidingExpiration = true;
            options.Events.OnRedirectToLogin = RedirectWithinTheSite;
            options.Events.OnRedirectToAccessDenied = RedirectWithinTheSite;
            options.Events.OnValidatePrincipal = async context =>
            {
                var admin = context.HttpContext.RequestServices.GetRequiredService<IOptions<AdminOptions>>().Value;
                var kind = context.Principal?.FindFirstValue(SecretClaim);
                var fingerprint = context.Principal?.FindFirstValue(FingerprintClaim);
                var secret = kind switch
                {
                    KeySecret => admin.ApiKey,
                    PasswordSecret => admin.StaffPassword,
                    _ => null,
                };
                var http = context.HttpContext;
                if (string.IsNullOrEmpty(secret) || !AdminApi.KeyMatches(fingerprint, Fingerprint(kind!, secret))
                    || !await ConsoleSessionStore.IsOpenAsync(
                        http.RequestServices.GetRequiredService<BotDbContext>(),
                        context.Principal?.FindFirstValue(SessionClaim),
                        http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(),
                        http.RequestAborted))
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(Scheme);
                }
            };
        });
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = AntiforgeryCookieName;
            options.Cookie.Path = ConsoleEndpoints.Prefix;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.FormFieldName = AntiforgeryFieldName;
        });
        return services;
    }

    /// <summary>
    /// The login redirect as a path and query only. The handler makes it absolute from the request's scheme and Host
    /// header, which the client chooses (AllowedHosts is open): <c>Host: evil.example</c> would send the browser there.
    /// </summary>
    private static Task RedirectWithinTheSite(RedirectContext<CookieAuthenticationOptions> context)
    {
        var target = context.RedirectUri;
        var origin = $"{context.Request.Scheme}://{context.Request.Host}";
        if (target.StartsWith(origin, StringComparison.OrdinalIgnoreCase))
        {
            target = target[origin.Length..];
        }
        else if (Uri.TryCreate(target, UriKind.Absolute, out var absolute))
        {
            target = absolute.PathAndQuery;
        }

        // Never "//host" (a scheme-relative address): always one leading slash.
        context.Response.Redirect("/" + target.TrimStart('/', '\\'));
        return Task.CompletedTask;
    }

    /// <summary>True for a console session opened with <c>Admin:ApiKey</c> (not the staff password): it may open the Hangfire dashboard.</summary>
    public static bool IsKeySession(ClaimsPrincipal? principal) =>
        principal?.Identity is { IsAuthenticated: true, AuthenticationType: Scheme } && principal.FindFirstValue(SecretClaim) == KeySecret;

    /// <summary>Which secret <paramref name="given"/> is: the API key, the staff password, or neither (null). Both are compared in constant time.</summary>
    public static string? MatchSecret(AdminOptions admin, string? given)
    {
        var key = AdminApi.KeyMatches(given, admin.ApiKey);
        var password = AdminApi.KeyMatches(given, admin.StaffPassword);
        return key ? KeySecret : password ? PasswordSecret : null;
    }

    public static ClaimsPrincipal Principal(string kind, string secret, string sessionId) =>
        new(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, kind == KeySecret ? "管理员（密钥）" : "工作人员"),
                new Claim(SecretClaim, kind),
                new Claim(FingerprintClaim, Fingerprint(kind, secret)),
                new Claim(SessionClaim, sessionId),
            ],
            Scheme));

    private static string Fingerprint(string kind, string secret) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"cppccbot-console:{kind}:{secret}")));
}
