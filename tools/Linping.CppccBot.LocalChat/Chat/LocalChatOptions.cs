using System.Globalization;

namespace Linping.CppccBot.LocalChat.Chat;

/// <summary>The command line of the local chat. Defaults are the host's Development settings.</summary>
public sealed record LocalChatOptions
{
    public const string Usage = """
        usage: LocalChat [--user ID] [--host URL] [--fake-api-port PORT]
                         [--corp-id ID] [--token TOKEN] [--aes-key KEY] [--agent-id ID]
          --user           WeCom user id to chat as (default wangjianguo, a member of the demo roster)
          --host           the running bot (default http://localhost:5000)
          --fake-api-port  port of the fake WeCom API for active sends (default 5081; 0 = do not start it)
          --corp-id, --token, --aes-key, --agent-id
                           the WeCom app (default: the local-only values of appsettings.Development.json)
        """;

    public Uri Host { get; init; } = new(LocalChatDefaults.Host);

    public string User { get; init; } = LocalChatDefaults.User;

    /// <summary>0 means the fake WeCom API is not started.</summary>
    public int FakeApiPort { get; init; } = LocalChatDefaults.FakeApiPort;

    public WeComAppSettings App { get; init; } = WeComAppSettings.LocalDefaults;

    /// <summary>Parses the arguments; on failure returns null and says why in <paramref name="error"/>.</summary>
    public static LocalChatOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new LocalChatOptions();
        var app = options.App;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                error = null;
                return null;
            }

            if (i + 1 >= args.Count)
            {
                error = $"{name} needs a value (or is unknown).";
                return null;
            }

            var value = args[++i];
            switch (name)
            {
                case "--host" when Uri.TryCreate(value, UriKind.Absolute, out var host) && (host.Scheme == Uri.UriSchemeHttp || host.Scheme == Uri.UriSchemeHttps):
                    options = options with { Host = host };
                    break;
                case "--user" when value.Length > 0:
                    options = options with { User = value };
                    break;
                case "--fake-api-port" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535:
                    options = options with { FakeApiPort = port };
                    break;
                case "--corp-id" when value.Length > 0:
                    app = app with { CorpId = value };
                    break;
                case "--token" when value.Length > 0:
                    app = app with { Token = value };
                    break;
                case "--aes-key" when value.Length > 0:
                    app = app with { EncodingAesKey = value };
                    break;
                case "--agent-id" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var agentId) && agentId > 0:
                    app = app with { AgentId = agentId };
                    break;
                case "--host" or "--user" or "--fake-api-port" or "--corp-id" or "--token" or "--aes-key" or "--agent-id":
                    error = $"{name}: '{value}' is not a valid value.";
                    return null;
                default:
                    error = $"unknown option {name}.";
                    return null;
            }
        }

        error = null;
        return options with { App = app };
    }
}
