using Hangfire.Dashboard;
using Linping.CppccBot.Features.Console;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Hosting;

/// <summary>
/// Lets scripts into <c>/hangfire</c> with <c>Authorization: Bearer &lt;Admin:ApiKey&gt;</c>, and nothing else: the key
/// is not taken from the address (it would end up in proxy logs and browser history) and no cookie opens it. Staff in a
/// browser use <c>/console/hangfire</c> (<see cref="ConsoleDashboardAuthorization"/>). Everyone is refused when
/// <c>Admin:ApiKey</c> is not set, local requests included. The same check runs in front of Hangfire's middleware
/// (<see cref="HangfireExtensions.MapHangfireDashboard"/>), which otherwise answers a refused request only after it has
/// set an antiforgery cookie.
/// </summary>
public sealed class HangfireDashboardAuthorization(IOptions<AdminOptions> options) : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Allows(context.GetHttpContext().Request);
    }

    /// <summary>True for a request with <c>Authorization: Bearer &lt;Admin:ApiKey&gt;</c>.</summary>
    public bool Allows(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = options.Value.ApiKey;
        return !string.IsNullOrEmpty(key) && AdminApi.KeyMatches(AdminApi.BearerKey(request), key);
    }
}

/// <summary>
/// Lets staff into <c>/console/hangfire</c>: a console session opened with <c>Admin:ApiKey</c>, as checked by the gate
/// in front of the dashboard (<see cref="HangfireExtensions.MapHangfireDashboard"/>), which puts the session's principal
/// in <see cref="HttpContext.User"/>. The session cookie is the console's own, so 退出登录 closes the dashboard too.
/// </summary>
public sealed class ConsoleDashboardAuthorization : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ConsoleRegistration.IsKeySession(context.GetHttpContext().User);
    }
}
