namespace Linping.CppccBot.LocalChat;

/// <summary>
/// The WeCom and DingTalk apps the local chat plays, in one place: the host's <c>appsettings.Development.json</c> carries
/// the same values (a test keeps them equal). They are made-up, local-only values, not secrets: no real WeCom or
/// DingTalk app has them.
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

    /// <summary>The DingTalk app's ClientID (AppKey); also its robot code.</summary>
    public const string DingTalkClientId = "dinglocalchat000001";

    /// <summary>The DingTalk app's ClientSecret: the chat signs its robot callbacks with it.</summary>
    public const string DingTalkClientSecret = "local-chat-dingtalk-secret";

    /// <summary>The loopback port of the fake DingTalk (OpenAPI and session webhooks); the host's DingTalk API roots point here.</summary>
    public const int FakeDingTalkPort = 5082;

    /// <summary>The host's <c>DingTalk:ApiBaseUrl</c> and <c>DingTalk:OapiBaseUrl</c> in Development.</summary>
    public const string DingTalkApiBaseUrl = "http://127.0.0.1:5082";

    /// <summary>王建国's DingTalk user id (<c>senderStaffId</c>) in <c>data/linping-demo.json</c>.</summary>
    public const string DingTalkUser = "dt-wangjianguo";
}
