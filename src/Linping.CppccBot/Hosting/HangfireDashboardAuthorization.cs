using System.Security.Cryptography;
using System.Text;
using Hangfire.Dashboard;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Hosting;

/// <summary>
/// Lets staff into <c>/hangfire</c>: a request with <c>Authorization: Bearer &lt;Admin:ApiKey&gt;</c>, or a browser that
/// opened <c>/hangfire?key=&lt;Admin:ApiKey&gt;</c> once and got an HttpOnly cookie (a hash of the key, not the key).
/// Everyone is refused when <c>Admin:ApiKey</c> is not set, local requests included.
/// </summary>
public sealed class HangfireDashboardAuthorization(IOptions<AdminOptions> options) : IDashboardAuthorizationFilter
{
    public const string CookieName = "cppccbot-staff";

    public bool Authorize(DashboardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var key = options.Value.ApiKey;
        if (string.IsNullOrEmpty(key))
        {
            return false;
        }

        var http = context.GetHttpContext();
        if (AdminApi.BearerKey(http.Request) is { } bearer && Matches(bearer, key))
        {
            return true;
        }

        var proof = CookieValue(key);
        if (http.Request.Cookies.TryGetValue(CookieName, out var cookie) && Matches(cookie, proof))
        {
            return true;
        }

        if (http.Request.Query.TryGetValue("key", out var query) && Matches(query.ToString(), key))
        {
            http.Response.Cookies.Append(CookieName, proof, new CookieOptions
            {
                HttpOnly = true,
                Secure = http.Request.IsHttps,
                SameSite = SameSiteMode.Strict,
                Path = HangfireExtensions.DashboardPath,
                MaxAge = TimeSpan.FromHours(8),
            });
            return true;
        }

        return false;
    }

    private static string CookieValue(string key) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("hangfire-dashboard:" + key)));

    private static bool Matches(string given, string expected) => AdminApi.KeyMatches(given, expected);
}
