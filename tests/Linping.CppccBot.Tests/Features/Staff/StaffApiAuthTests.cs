using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Linping.CppccBot.Tests.Features.Reminders;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Features.Staff;

/// <summary>Nothing of the staff API is reachable without the key: every route under /api/admin, found in the host's own routing table.</summary>
public sealed class StaffApiAuthTests : StaffApiHost
{
    [Fact]
    public async Task EveryStaffRoute_Answers401_WithoutTheKey_OrWithAWrongOne_AndChangesNothing()
    {
        var routes = Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/admin", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Path: Concrete(e.RoutePattern.RawText!))))
            .Distinct()
            .ToList();
        Assert.True(routes.Count >= 20, $"only {routes.Count} staff routes found");
        Assert.Contains(("POST", "/api/admin/import"), routes);
        Assert.Contains(("GET", "/api/admin/members"), routes);
        Assert.Contains(("POST", "/api/admin/meetings/MT-2027-03/publish"), routes);

        using var anonymous = Host.CreateClient();
        foreach (var (method, path) in routes)
        {
            foreach (var authorization in new AuthenticationHeaderValue?[] { null, new("Bearer", "wrong-key-0123456789"), new("Basic", StaffKey) })
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                request.Headers.Authorization = authorization;
                if (method is "POST" or "PUT" or "PATCH")
                {
                    request.Content = new StringContent("""{"title":"x","status":"Closed","memberId":"M001","name":"x"}""", Encoding.UTF8, "application/json");
                }

                using var response = await anonymous.SendAsync(request, Ct);

                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} with {authorization?.Scheme ?? "no key"} answered {response.StatusCode}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }

        Assert.Empty(WeCom.Messages);
        var (meetings, changes) = await Host.DbAsync(async db => (await db.Meetings.CountAsync(Ct), await db.StateChanges.CountAsync(c => c.Actor == "staff-api", Ct)));
        Assert.Equal(4, meetings);
        Assert.Equal(0, changes);
    }

    [Fact]
    public async Task TheSchemeIsReadInAnyCase_A401SaysHowToAuthenticate_AndUnknownPathsAreHiddenWithoutTheKey()
    {
        using var anonymous = Host.CreateClient();
        using var lowerCase = new HttpRequestMessage(HttpMethod.Get, "/api/admin/members");
        lowerCase.Headers.TryAddWithoutValidation("Authorization", "bearer " + StaffKey);
        using var withoutKey = await anonymous.GetAsync("/api/admin/no-such-thing", Ct);
        using var withKey = await Staff.GetAsync("/api/admin/no-such-thing/file.csv", Ct);
        using var wrongMethod = await Staff.DeleteAsync("/api/admin/members", Ct);

        using var accepted = await anonymous.SendAsync(lowerCase, Ct);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.Equal("Bearer", Assert.Single(withoutKey.Headers.WwwAuthenticate).Scheme);
        Assert.Equal(HttpStatusCode.NotFound, withKey.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
    }

    [Fact]
    public async Task AKeyWithCommasAndQuotes_OpensTheApi()
    {
        const string key = "abcd,efgh\"0123456789";
        await using var host = new Linping.CppccBot.Tests.Infrastructure.BotHostFactory();
        host.Settings["Admin:ApiKey"] = key;
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/admin/members");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static string Concrete(string pattern) => pattern
        .Replace("{id}", "MT-2027-03", StringComparison.Ordinal)
        .Replace("{meetingId}", "MT-2027-03", StringComparison.Ordinal)
        .Replace("{memberId}", "M001", StringComparison.Ordinal)
        .Replace("{serial:int}", "12", StringComparison.Ordinal);
}
