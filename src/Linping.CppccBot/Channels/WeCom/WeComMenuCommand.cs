using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Channels.WeCom;

/// <summary>
/// <c>dotnet run --project src/Linping.CppccBot -- wecom-menu apply [FILE]</c>: sets the WeCom app's menu from FILE
/// (default <c>bot-manifests/wecom/menu.json</c>) through <c>menu/create?access_token=..&amp;agentid=..</c> and exits
/// (0 when WeCom accepted it; 1 with the reason and WeCom's errcode on standard error otherwise) instead of starting the
/// host. Needs <c>WeCom:CorpId</c>, <c>WeCom:Secret</c> (the app's own secret) and <c>WeCom:AgentId</c>; never prints them.
/// </summary>
public static class WeComMenuCommand
{
    public const string Name = "wecom-menu";
    public const string DefaultPath = "bot-manifests/wecom/menu.json";
    internal const string MenuCreatePath = "/cgi-bin/menu/create";

    /// <summary>Runs the command when <paramref name="args"/> ask for it; false means "start the host as usual".</summary>
    public static async Task<bool> TryRunAsync(IHost app, string[] args)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || !string.Equals(args[0], Name, StringComparison.Ordinal))
        {
            return false;
        }

        if (args.Length is < 2 or > 3 || !string.Equals(args[1], "apply", StringComparison.Ordinal))
        {
            await Console.Error.WriteLineAsync($"usage: {Name} apply [FILE]   (FILE defaults to {DefaultPath})");
            Environment.ExitCode = 1;
            return true;
        }

        Environment.ExitCode = await RunAsync(app.Services, args.Length == 3 ? args[2] : null, Console.Out, Console.Error, CancellationToken.None);
        return true;
    }

    /// <summary>Applies the menu in <paramref name="path"/> (the default manifest when null); returns the process exit code.</summary>
    public static async Task<int> RunAsync(IServiceProvider services, string? path, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        var settings = services.GetRequiredService<IOptions<WeComOptions>>().Value;
        var missing = new[] { ("WeCom:CorpId", string.IsNullOrEmpty(settings.CorpId)), ("WeCom:Secret", string.IsNullOrEmpty(settings.Secret)), ("WeCom:AgentId", settings.AgentId is null) }
            .Where(s => s.Item2).Select(s => s.Item1).ToList();
        if (missing.Count > 0)
        {
            await error.WriteLineAsync($"{Name}: {string.Join(", ", missing)} not set; the menu is set with the app's AgentId and its own Secret.");
            return 1;
        }

        var contentRoot = services.GetRequiredService<IHostEnvironment>().ContentRootPath;
        var resolved = Resolve(path ?? DefaultPath, contentRoot);
        if (resolved is null)
        {
            await error.WriteLineAsync($"{Name}: the file '{path ?? DefaultPath}' was not found.");
            return 1;
        }

        string json;
        try
        {
            var menu = JsonNode.Parse(await File.ReadAllTextAsync(resolved, cancellationToken));
            if (menu is not JsonObject root || root["button"] is not JsonArray buttons)
            {
                await error.WriteLineAsync($"{Name}: {resolved} is not a WeCom menu: it needs {{\"button\": [...]}}.");
                return 1;
            }

            json = root.ToJsonString();
            await output.WriteLineAsync($"{Name}: applying {resolved} ({buttons.Count} buttons) to WeCom app {settings.AgentId!.Value.ToString(CultureInfo.InvariantCulture)} ...");
        }
        catch (JsonException ex)
        {
            await error.WriteLineAsync($"{Name}: {resolved} is not valid JSON (line {(ex.LineNumber + 1)?.ToString(CultureInfo.InvariantCulture) ?? "?"}).");
            return 1;
        }

        try
        {
            var (errCode, errMsg) = await CreateMenuAsync(services, settings.AgentId!.Value, json, cancellationToken);
            if (errCode != WeComErrorCodes.Ok)
            {
                await error.WriteLineAsync($"{Name}: WeCom refused the menu: errcode {errCode.ToString(CultureInfo.InvariantCulture)} ({Explain(errCode)}; WeCom says: {errMsg ?? "-"}).");
                return 1;
            }
        }
        catch (WeComApiException ex)
        {
            var code = ex.ErrCode is { } c ? $"errcode {c.ToString(CultureInfo.InvariantCulture)}, {Explain(c)}" : ex.Kind.ToString();
            await error.WriteLineAsync($"{Name}: the menu was not applied: {ex.Message} ({code}).");
            return 1;
        }

        await output.WriteLineAsync($"{Name}: WeCom accepted the menu; members see it the next time they open the app.");
        return 0;
    }

    /// <summary>Posts the menu with the app's token; a refused token (40014/42001) is refreshed and the call made once more.</summary>
    private static async Task<(int ErrCode, string? ErrMsg)> CreateMenuAsync(IServiceProvider services, int agentId, string json, CancellationToken cancellationToken)
    {
        var tokens = services.GetRequiredService<WeComAccessTokenCache>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WeComMenuCommand));
        using var httpClient = services.GetRequiredService<IHttpClientFactory>().CreateClient(WeComApiClient.HttpClientName);
        var token = await tokens.GetTokenAsync(cancellationToken);
        var answer = await PostAsync(httpClient, token, agentId, json, logger, cancellationToken);
        if (WeComErrorCodes.IsTokenRefused(answer.ErrCode))
        {
            WeComApiLog.TokenRefused(logger, MenuCreatePath, answer.ErrCode);
            tokens.Invalidate(token);
            token = await tokens.GetTokenAsync(cancellationToken);
            answer = await PostAsync(httpClient, token, agentId, json, logger, cancellationToken);
        }

        return (answer.ErrCode, answer.ErrMsg);
    }

    private static async Task<WeComSendResponse> PostAsync(HttpClient httpClient, string token, int agentId, string json, ILogger logger, CancellationToken cancellationToken)
    {
        // The token travels in the query (WeCom's rule); the client's loggers are removed so it is never written.
        var uri = new Uri(
            "cgi-bin/menu/create?access_token=" + Uri.EscapeDataString(token) + "&agentid=" + agentId.ToString(CultureInfo.InvariantCulture),
            UriKind.Relative);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        return await WeComHttp.SendAsync(httpClient, request, WeComApiJsonContext.Default.WeComSendResponse, MenuCreatePath, logger, null, cancellationToken);
    }

    /// <summary>What WeCom's errcode means for a menu, in words an administrator can act on.</summary>
    private static string Explain(int errCode) => errCode switch
    {
        40001 => "WeCom:Secret is wrong: use the secret of this app",
        40013 => "WeCom:CorpId is wrong",
        40056 => "WeCom:AgentId is not this app's AgentId",
        40016 => "the menu must have 1 to 3 buttons",
        40017 => "a button has an unknown type",
        40018 => "a button's name is empty or longer than 16 bytes (4 Chinese characters)",
        40019 => "a button's key is empty or longer than 128 bytes",
        40020 => "a button's url is empty or longer than 1024 bytes",
        40023 => "a button must have 1 to 5 sub-buttons",
        40024 => "a sub-button has an unknown type",
        40025 => "a sub-button's name is empty or longer than 40 bytes",
        40026 => "a sub-button's key is empty or longer than 128 bytes",
        40027 => "a sub-button's url is empty or longer than 1024 bytes",
        47001 => "the menu is not valid JSON",
        48002 => "the app may not use this API",
        60020 => "this server's IP is not among the app's trusted IPs (企业可信IP)",
        WeComErrorCodes.SystemBusy => "WeCom is busy: try again in a moment",
        _ => "see https://developer.work.weixin.qq.com/devtool/query?e=" + errCode.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>FILE as given (from the working folder), else under the content root or the folders above it (the repository).</summary>
    private static string? Resolve(string path, string contentRoot)
    {
        if (File.Exists(path))
        {
            return Path.GetFullPath(path);
        }

        if (Path.IsPathRooted(path))
        {
            return null;
        }

        for (var directory = new DirectoryInfo(contentRoot); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, path);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
