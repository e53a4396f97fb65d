using System.Net;
using Linping.CppccBot.Features.Console;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Linping.CppccBot.Tests.Features.Console;

/// <summary>Wrong secrets sent all at once: no more of them are checked than the limit, on one host or with Redis.</summary>
[Collection(RedisTests.Name)]
public sealed class ConsoleLoginRaceTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SixtyParallelWrongLogins_GetAtMostFiveGuessesChecked(bool withRedis)
    {
        var ct = TestContext.Current.CancellationToken;
        if (withRedis)
        {
            redis.RequireServer();
        }

        await using var host = (withRedis ? new BotHostFactory { RedisConfiguration = redis.Configuration } : new BotHostFactory()).WithStaffSecrets();
        using var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = ConsoleTestData.FormToken(await client.GetStringAsync("/console/login", ct));

        var responses = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(
            () => client.PostAsync("/console/login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__csrf"] = token,
                ["secret"] = $"wrong-password-{i:000}",
                ["returnUrl"] = "/console",
            }), ct),
            ct)));
        var statuses = responses.Select(r => r.StatusCode).ToList();

        Assert.Equal(ConsoleLoginThrottle.MaxFailures, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(60 - ConsoleLoginThrottle.MaxFailures, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ConsoleTestData.LoginAsync(client, ConsoleTestData.StaffPassword)).StatusCode);
    }
}
