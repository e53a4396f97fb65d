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
            var key = context.HttpContext.RequestServices.GetRequiredService<IOptions<AdminOptions>>().Value.ApiKey;
            var header = context.HttpContext.Request.Headers.Authorization.ToString();
            return header.StartsWith("Bearer ", StringComparison.Ordinal) && KeyMatches(header["Bearer ".Length..].Trim(), key)
                ? await next(context)
                : Results.Problem(title: "需要员工密钥 (Authorization: Bearer <Admin:ApiKey>)。", statusCode: StatusCodes.Status401Unauthorized);
        });

    /// <summary>Constant-time comparison of a presented secret with the configured one; false when none is configured.</summary>
    public static bool KeyMatches(string? given, string? expected) =>
        !string.IsNullOrEmpty(expected) && given is not null
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
