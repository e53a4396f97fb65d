namespace Linping.CppccBot.LocalChat.FakeWeCom;

/// <summary>Which fake endpoint a fault or record is about.</summary>
public enum FakeWeComEndpoint
{
    GetToken,
    MessageSend,
    WebhookSend,
    MenuCreate,
}

/// <summary>An app menu the fake accepted through <c>menu/create</c>.</summary>
/// <param name="AgentId">The <c>agentid</c> of the query.</param>
/// <param name="Json">The request body as posted.</param>
/// <param name="At">The fake's time of acceptance.</param>
public sealed record FakeWeComMenu(int AgentId, string Json, DateTimeOffset At);

/// <summary>A message the fake accepted.</summary>
/// <param name="Endpoint">Where it was posted.</param>
/// <param name="Recipients">Users it was delivered to (lower-cased), after dropping invalid and over-limit ones; for a webhook, its <c>mentioned_list</c>.</param>
/// <param name="DroppedRecipients">Valid users it was not delivered to because of the 30-a-minute member limit.</param>
/// <param name="MsgType">The <c>msgtype</c>.</param>
/// <param name="Content">The text or markdown content; for other types the JSON of the type's object.</param>
/// <param name="At">The fake's time of acceptance.</param>
/// <param name="WebhookKey">The robot key for a webhook post.</param>
/// <param name="MsgId">The <c>msgid</c> answered for an app message.</param>
public sealed record FakeWeComMessage(
    FakeWeComEndpoint Endpoint,
    IReadOnlyList<string> Recipients,
    IReadOnlyList<string> DroppedRecipients,
    string MsgType,
    string Content,
    DateTimeOffset At,
    string? WebhookKey,
    string? MsgId);

/// <summary>A fault the fake answers instead of doing its work.</summary>
public sealed record FakeWeComFault
{
    private FakeWeComFault()
    {
    }

    /// <summary>Answer this errcode (HTTP 200, WeCom's JSON shape).</summary>
    public int? ErrCode { get; private init; }

    /// <summary>Wait this long (wall clock) and then answer normally.</summary>
    public TimeSpan? Delay { get; private init; }

    /// <summary>Abort the connection without an answer.</summary>
    public bool CloseConnection { get; private init; }

    public static FakeWeComFault SystemBusy { get; } = new() { ErrCode = -1 };

    public static FakeWeComFault RateLimited { get; } = new() { ErrCode = 45009 };

    public static FakeWeComFault Drop { get; } = new() { CloseConnection = true };

    public static FakeWeComFault WithErrCode(int errCode) => new() { ErrCode = errCode };

    public static FakeWeComFault WithDelay(TimeSpan delay) => new() { Delay = delay };
}
