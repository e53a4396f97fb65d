using System.Globalization;

namespace Linping.CppccBot.LocalChat.Chat;

/// <summary>The app the local chat plays.</summary>
public enum ChatChannel
{
    /// <summary>WeCom's encrypted callback (<c>/wecom/callback</c>); the default.</summary>
    WeCom,

    /// <summary>DingTalk's signed robot HTTP callback (<c>/dingtalk/callback</c>).</summary>
    DingTalk,
}

/// <summary>The command line of the local chat. Defaults are the host's Development settings.</summary>
public sealed record LocalChatOptions
{
    public const string Usage = """
        usage: LocalChat [--channel wecom|dingtalk] [--user ID] [--host URL] [--fake-api-port PORT]
                         [--corp-id ID] [--token TOKEN] [--aes-key KEY] [--agent-id ID]
                         [--client-id ID] [--client-secret SECRET]
          --channel        the app to play: wecom (default) or dingtalk
          --user           user id to chat as (default wangjianguo in WeCom, dt-wangjianguo in DingTalk: 王建国 of the demo roster)
          --host           the running bot (default http://localhost:5000)
          --fake-api-port  port of the fake WeCom API for active sends (default 5081; 0 = do not start it), or of the
                           fake DingTalk that takes the bot's replies (default 5082; DingTalk needs it)
          --corp-id, --token, --aes-key, --agent-id
                           the WeCom app (default: the local-only values of appsettings.Development.json)
          --client-id, --client-secret
                           the DingTalk app (default: the local-only values of appsettings.Development.json)
        """;

    public ChatChannel Channel { get; init; } = ChatChannel.WeCom;

    public Uri Host { get; init; } = new(LocalChatDefaults.Host);

    public string User { get; init; } = LocalChatDefaults.User;

    /// <summary>0 means the fake WeCom API is not started (DingTalk always needs its fake).</summary>
    public int FakeApiPort { get; init; } = LocalChatDefaults.FakeApiPort;

    public WeComAppSettings App { get; init; } = WeComAppSettings.LocalDefaults;

    public DingTalkAppSettings DingTalkApp { get; init; } = DingTalkAppSettings.LocalDefaults;

    /// <summary>Parses the arguments; on failure returns null and says why in <paramref name="error"/>.</summary>
    public static LocalChatOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new LocalChatOptions();
        var app = options.App;
        var dingTalkApp = options.DingTalkApp;
        string? user = null;
        int? port = null;
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
                case "--channel" when value.Equals("wecom", StringComparison.OrdinalIgnoreCase):
                    options = options with { Channel = ChatChannel.WeCom };
                    break;
                case "--channel" when value.Equals("dingtalk", StringComparison.OrdinalIgnoreCase):
                    options = options with { Channel = ChatChannel.DingTalk };
                    break;
                case "--host" when Uri.TryCreate(value, UriKind.Absolute, out var host) && (host.Scheme == Uri.UriSchemeHttp || host.Scheme == Uri.UriSchemeHttps):
                    options = options with { Host = host };
                    break;
                case "--user" when value.Length > 0:
                    user = value;
                    break;
                case "--fake-api-port" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= 65535:
                    port = number;
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
                case "--client-id" when value.Length > 0:
                    dingTalkApp = dingTalkApp with { ClientId = value };
                    break;
                case "--client-secret" when value.Length > 0:
                    dingTalkApp = dingTalkApp with { ClientSecret = value };
                    break;
                case "--channel" or "--host" or "--user" or "--fake-api-port" or "--corp-id" or "--token" or "--aes-key" or "--agent-id" or "--client-id" or "--client-secret":
                    error = $"{name}: '{value}' is not a valid value.";
                    return null;
                default:
                    error = $"unknown option {name}.";
                    return null;
            }
        }

        var dingTalk = options.Channel == ChatChannel.DingTalk;
        if (dingTalk && port == 0)
        {
            error = "--fake-api-port: the DingTalk chat needs its fake DingTalk, where the bot's replies arrive; give a port.";
            return null;
        }

        error = null;
        return options with
        {
            App = app,
            DingTalkApp = dingTalkApp,
            User = user ?? (dingTalk ? LocalChatDefaults.DingTalkUser : LocalChatDefaults.User),
            FakeApiPort = port ?? (dingTalk ? LocalChatDefaults.FakeDingTalkPort : LocalChatDefaults.FakeApiPort),
        };
    }
}
