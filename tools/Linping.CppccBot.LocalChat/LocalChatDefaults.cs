namespace Linping.CppccBot.LocalChat;

/// <summary>
/// The WeCom app the local chat plays, in one place: the host's <c>appsettings.Development.json</c> carries the same
/// values (a test keeps them equal). They are made-up, local-only values, not secrets: no real WeCom app has them.
/// </summary>
public static class LocalChatDefaults
{
    public const string CorpId = "wwlocalchat000001";

    public const int AgentId = 1000002;

    public const string Secret = "local-chat-secret";

    /// <summary>The callback signing token (letters and digits, at most 32, as the WeCom console allows).</summary>
    public const string Token = "LocalChatToken";

    /// <summary>43 letters and digits that decode (with "=" appended) to a 32-byte AES key.</summary>
    public const string EncodingAesKey = "LocalChatDevKey0NotASecret0LinpingCppccBot0";

    /// <summary>The loopback port of the fake WeCom API; the host's <c>WeCom:ApiBaseUrl</c> points here.</summary>
    public const int FakeApiPort = 5081;

    /// <summary>The host's <c>WeCom:ApiBaseUrl</c> in Development.</summary>
    public const string ApiBaseUrl = "http://127.0.0.1:5081";

    /// <summary>The host's address in Development (launchSettings.json).</summary>
    public const string Host = "http://localhost:5000";

    /// <summary>王建国, a member in <c>data/linping-demo.json</c>.</summary>
    public const string User = "wangjianguo";
}
