using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Hosting;

/// <summary>
/// The staff API under <c>/api/admin</c>: every route of the group needs <c>Authorization: Bearer &lt;Admin:ApiKey&gt;</c>
/// and answers 401 (ProblemDetails) without it, and also when <c>Admin:ApiKey</c> is not set.
/// Features add their routes with <c>app.MapAdminGroup().MapGet(...)</c>.
/// </summary>
public static class AdminApi
{
    public const string Prefix = "/api/admin";

    public static RouteGroupBuilder MapAdminGroup(this IEndpointRouteBuilder app) =>
        app.MapGroup(Prefix).AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var key = http.RequestServices.GetRequiredService<IOptions<AdminOptions>>().Value.ApiKey;
            if (KeyMatches(BearerKey(http.Request), key))
            {
                return await next(context);
            }

            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"cppccbot-staff\"";
            return Results.Problem(title: "需要员工密钥 (Authorization: Bearer <Admin:ApiKey>)。", statusCode: StatusCodes.Status401Unauthorized);
        });

    /// <summary>
    /// Answers paths under <c>/api/admin</c> that no route has, after the key check like every route: without the key
    /// nobody learns which paths exist.
    /// </summary>
    public static void MapAdminFallback(this IEndpointRouteBuilder app) =>
        app.MapAdminGroup().MapFallback("{**path}", () => Results.Problem(title: "没有这个接口，请对照 README 的员工接口。", statusCode: StatusCodes.Status404NotFound));

    /// <summary>The credentials of an <c>Authorization: Bearer …</c> header (the scheme in any case, RFC 7235), or null.</summary>
    public static string? BearerKey(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header)
            && string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
            ? header.Parameter?.Trim()
            : null;
    }

    /// <summary>Constant-time comparison of a presented secret with the configured one; false when none is configured.</summary>
    public static bool KeyMatches(string? given, string? expected) =>
        !string.IsNullOrEmpty(expected) && given is not null
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
