namespace Linping.CppccBot.LocalChat.FakeDingTalk;

/// <summary>Where a message reached the fake.</summary>
public enum FakeDingTalkEndpoint
{
    AccessToken,
    BatchSend,
    GroupSend,
    SessionWebhook,
    ConnectionsOpen,
    CustomRobot,
}

/// <summary>Settings of the fake DingTalk.</summary>
public sealed class FakeDingTalkOptions
{
    public string ClientId { get; init; } = LocalChatDefaults.DingTalkClientId;

    public string ClientSecret { get; init; } = LocalChatDefaults.DingTalkClientSecret;

    /// <summary>The robot code sends must carry; the ClientID when null.</summary>
    public string? RobotCode { get; init; }

    /// <summary>Staff ids that exist; null = every id exists.</summary>
    public IReadOnlyCollection<string>? KnownStaffIds { get; init; }

    /// <summary>Port on 127.0.0.1; 0 = any free port.</summary>
    public int Port { get; init; }

    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(2);

    /// <summary>How long a session webhook stays valid (DingTalk: 90 minutes).</summary>
    public TimeSpan SessionLifetime { get; init; } = TimeSpan.FromMinutes(90);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Custom group robots: access token → 加签 secret (null when the robot is not signed). Null accepts every access
    /// token, unsigned or signed (unchecked: the fake knows no secret), as the local chat does for the bot's groups.
    /// </summary>
    public IReadOnlyDictionary<string, string?>? CustomRobots { get; init; } = new Dictionary<string, string?>();
}

/// <summary>A message the fake accepted.</summary>
/// <param name="Endpoint">How it was sent.</param>
/// <param name="StaffIds">
/// The recipients of a batchSend (delivered ones only), or the ids a webhook reply @-mentions (in <c>at.atUserIds</c> and,
/// as <c>@userId</c>, in the text: DingTalk needs both).
/// </param>
/// <param name="ConversationId">The group of a groupMessages/send, the conversation of a session webhook, or the access token of a custom robot.</param>
/// <param name="MsgType">text or markdown.</param>
/// <param name="Text">The content (markdown text for markdown).</param>
/// <param name="Title">The markdown title.</param>
/// <param name="At">When it arrived, on the fake's clock.</param>
public sealed record FakeDingTalkMessage(
    FakeDingTalkEndpoint Endpoint,
    IReadOnlyList<string> StaffIds,
    string? ConversationId,
    string MsgType,
    string Text,
    string? Title,
    DateTimeOffset At);

/// <summary>An error the fake answers instead of doing the call: HTTP status and DingTalk code (new API) or errcode (webhook).</summary>
public sealed record FakeDingTalkFault(int Status, string Code, string Message)
{
    /// <summary>How long the fake holds the request before answering (or until the client gives up).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Takes the request and answers nothing for <paramref name="delay"/>: a DingTalk that does not answer.</summary>
    public static FakeDingTalkFault Silent(TimeSpan delay) => ServerError with { Delay = delay };

    public static FakeDingTalkFault Throttled { get; } = new(403, "Forbidden.AccessDenied.QpsLimitForApi", "调用该接口触发限流");

    public static FakeDingTalkFault ServerError { get; } = new(500, "ServiceUnavailable", "服务暂不可用");

    public static FakeDingTalkFault TokenRefused { get; } = new(401, "InvalidAuthentication", "不合法的access_token");
}

/// <summary>An ACK (or ping answer) the fake gateway received from the client.</summary>
public sealed record FakeStreamAck(int Code, string MessageId, string Message, string Data);
