using Linping.CppccBot.Hosting;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Linping.CppccBot.Tests.Hosting;

public sealed class DependencyOutagesTests
{
    [Fact]
    public void AnOutage_IsOneLineWhenItBegins_OneAMinuteWhileItLasts_AndOneWhenItEnds()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-27T09:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture));
        var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(builder => builder.AddProvider(logs));
        var outages = new DependencyOutages(time, factory.CreateLogger<DependencyOutages>());

        outages.Succeeded(Dependency.Database);
        for (var second = 0; second < 150; second++)
        {
            outages.Failed(Dependency.Database, second < 100 ? "SocketException: Connection refused" : "TimeoutException: The operation has timed out.");
            outages.Succeeded(Dependency.Redis);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        outages.Succeeded(Dependency.Database);
        outages.Succeeded(Dependency.Database);

        Assert.Equal(
            [
                "The database is unreachable (SocketException: Connection refused); members are asked to try again later and /health/ready answers 503 until it is back",
                "The database is still unreachable after 00:01:00 (failures seen: 61, the last: SocketException: Connection refused)",
                "The database is still unreachable after 00:02:00 (failures seen: 121, the last: TimeoutException: The operation has timed out.)",
                "The database is reachable again after 00:02:30 (failures seen: 150)",
            ],
            logs.Lines.Select(l => l.Split(' ', 3)[2].Split(" [", 2)[0]));
    }
}
