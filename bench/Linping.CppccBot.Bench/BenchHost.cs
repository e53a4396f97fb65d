using System.Globalization;
using System.Text.Json.Nodes;

namespace Linping.CppccBot.Bench;

/// <summary>
/// The real host as a separate process from its build output, on a free loopback port, with its own SQLite database
/// (seeded with the demo data plus bench members), WeCom settings of set A (wecom.md) and production logging.
/// </summary>
internal static class BenchHost
{
    // Set A of /work/shared/reference/wecom.md, as the tests use it.
    public const string CorpId = "wx5823bf96d3bd56c7";
    public const string Token = "QDG6eK";
    public const string EncodingAesKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    public const int AgentId = 1000002;
    public const string Secret = "bench-secret";

    /// <summary>WeCom user id of the n-th bench member (1-based).</summary>
    public static string BenchUser(int n) => string.Create(CultureInfo.InvariantCulture, $"bench{n:0000}");

    /// <summary>Writes the demo data plus <paramref name="extraMembers"/> members (bench0001 …) as an import file.</summary>
    public static async Task<string> WriteSeedAsync(string directory, int extraMembers)
    {
        var demo = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(MachineInfo.RepositoryRoot, "data", "linping-demo.json")))!;
        var members = demo["members"]!.AsArray();
        for (var n = 1; n <= extraMembers; n++)
        {
            members.Add(new JsonObject
            {
                ["id"] = string.Create(CultureInfo.InvariantCulture, $"B{n:0000}"),
                ["name"] = string.Create(CultureInfo.InvariantCulture, $"压测委员{n:0000}"),
                ["wecomUserId"] = BenchUser(n),
                ["sector"] = "经济界",
                ["committees"] = new JsonArray("经济委员会"),
                ["isStandingMember"] = false,
            });
        }

        var path = Path.Combine(directory, "bench-seed.json");
        await File.WriteAllTextAsync(path, demo.ToJsonString());
        return path;
    }

    /// <summary>Starts the host; it is listening once <see cref="ChildProcess.WaitReadyAsync"/> returns.</summary>
    /// <param name="postgres">The connection string of a PostgreSQL database for the host, or null for a SQLite file in <paramref name="directory"/>.</param>
    /// <param name="settings">More host settings (<c>--host-setting</c>), as <c>key=value</c> with <c>:</c> in keys, given on its command line.</param>
    public static (ChildProcess Process, Uri BaseAddress) Start(
        string directory, string seedPath, string? redis, Uri weComApi, IReadOnlyList<string> settings, string name = "host", string? postgres = null)
    {
        var hostDll = MachineInfo.HostAssemblyPath;
        var port = MachineInfo.FreePort();
        var baseAddress = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = baseAddress.ToString().TrimEnd('/'),
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            // Timestamps in the kept log (--keep) show where the start-up time goes.
            ["Logging__Console__TimestampFormat"] = "HH:mm:ss.fff ",
            ["Logging__Console__UseUtcTimestamp"] = "true",
            ["Database__Provider"] = postgres is null ? "Sqlite" : "Postgres",
            ["ConnectionStrings__Database"] = postgres ?? $"Data Source={Path.Combine(directory, "bench.db")}",
            ["ConnectionStrings__Redis"] = redis ?? string.Empty,
            ["Redis__KeyPrefix"] = $"bench-{Guid.NewGuid():N}:",
            ["Seed__Path"] = seedPath,
            ["WeCom__CorpId"] = CorpId,
            ["WeCom__Token"] = Token,
            ["WeCom__EncodingAESKey"] = EncodingAesKey,
            ["WeCom__AgentId"] = AgentId.ToString(CultureInfo.InvariantCulture),
            ["WeCom__Secret"] = Secret,
            ["WeCom__ApiBaseUrl"] = weComApi.ToString(),
            // DingTalk stays off (no settings): the benchmark is about WeCom.
            ["Admin__ApiKey"] = Guid.NewGuid().ToString("N"),
        };

        // The working folder is the host's build output, so its appsettings.json (production logging) applies.
        var process = ChildProcess.Start(hostDll, [.. settings.Select(s => "--" + s)], Path.GetDirectoryName(hostDll)!, environment, Path.Combine(directory, name + ".log"));
        return (process, baseAddress);
    }
}
