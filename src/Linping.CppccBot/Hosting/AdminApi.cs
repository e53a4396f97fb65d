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
            return KeyMatches(BearerKey(http.Request), key) ? await next(context) : Unauthorized(http);
        });

    private static IResult Unauthorized(HttpContext http)
    {
        http.Response.Headers.WWWAuthenticate = "Bearer realm=\"cppccbot-staff\"";
        return Results.Problem(title: "需要员工密钥 (Authorization: Bearer <Admin:ApiKey>)。", statusCode: StatusCodes.Status401Unauthorized);
    }

    /// <summary>
    /// Checks the key for every request under <c>/api/admin</c> before routing answers it, so without the key a path no
    /// route has is a 401 like any other (nobody learns which paths exist); with it, 404 and 405 as usual. The routes'
    /// own filter (<see cref="MapAdminGroup"/>) checks again.
    /// </summary>
    public static IApplicationBuilder UseAdminApiKey(this IApplicationBuilder app) =>
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(Prefix, StringComparison.OrdinalIgnoreCase),
            branch => branch.Use(async (context, next) =>
            {
                var key = context.RequestServices.GetRequiredService<IOptions<AdminOptions>>().Value.ApiKey;
                if (KeyMatches(BearerKey(context.Request), key))
                {
                    await next(context);
                    return;
                }

                await Unauthorized(context).ExecuteAsync(context);
            }));

    /// <summary>
    /// The credentials of an <c>Authorization: Bearer …</c> header (the scheme in any case, RFC 7235), or null. Read by
    /// hand rather than as a token68: a configured key may hold any character, commas and quotes included.
    /// </summary>
    public static string? BearerKey(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization.ToString().Trim();
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 && header.AsSpan(0, space).Equals("Bearer", StringComparison.OrdinalIgnoreCase)
            ? header[(space + 1)..].Trim()
            : null;
    }

    /// <summary>Constant-time comparison of a presented secret with the configured one; false when none is configured.</summary>
    public static bool KeyMatches(string? given, string? expected) =>
        !string.IsNullOrEmpty(expected) && given is not null
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
