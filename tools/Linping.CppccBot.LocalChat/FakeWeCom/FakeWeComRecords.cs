namespace Linping.CppccBot.LocalChat.FakeWeCom;

/// <summary>Which fake endpoint a fault or record is about.</summary>
public enum FakeWeComEndpoint
{
    GetToken,
    MessageSend,
    WebhookSend,
    MenuCreate,
    UpdateTemplateCard,
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
/// <param name="Card">For a template card: its task id, type, response code and buttons (<see cref="Content"/> is then a readable rendering).</param>
public sealed record FakeWeComMessage(
    FakeWeComEndpoint Endpoint,
    IReadOnlyList<string> Recipients,
    IReadOnlyList<string> DroppedRecipients,
    string MsgType,
    string Content,
    DateTimeOffset At,
    string? WebhookKey,
    string? MsgId,
    FakeWeComCard? Card = null);

/// <summary>A template card the fake accepted.</summary>
/// <param name="ResponseCode">The code answered with the send (interactive cards only), usable once for an update.</param>
public sealed record FakeWeComCard(string CardType, string TaskId, string? ResponseCode, IReadOnlyList<FakeWeComButton> Buttons);

public sealed record FakeWeComButton(string Text, string? Key);

/// <summary>An accepted <c>message/update_template_card</c>: which users' card, with which code, now showing what.</summary>
/// <param name="TaskId">The task id of the card the code belongs to.</param>
/// <param name="ReplaceName">The new button text for a button update; null for a whole-card update.</param>
public sealed record FakeWeComCardUpdate(IReadOnlyList<string> UserIds, bool AllUsers, string ResponseCode, string TaskId, string? ReplaceName, DateTimeOffset At);

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

    /// <summary>Do the call's work (deliver the message), then abort the connection before answering.</summary>
    public bool CloseConnectionAfterWork { get; private init; }

    public static FakeWeComFault SystemBusy { get; } = new() { ErrCode = -1 };

    public static FakeWeComFault RateLimited { get; } = new() { ErrCode = 45009 };

    public static FakeWeComFault Drop { get; } = new() { CloseConnection = true };

    /// <summary>The message is delivered but the answer is lost: the client sees a dropped connection.</summary>
    public static FakeWeComFault DropAfterDelivery { get; } = new() { CloseConnectionAfterWork = true };

    public static FakeWeComFault WithErrCode(int errCode) => new() { ErrCode = errCode };

    public static FakeWeComFault WithDelay(TimeSpan delay) => new() { Delay = delay };
}
