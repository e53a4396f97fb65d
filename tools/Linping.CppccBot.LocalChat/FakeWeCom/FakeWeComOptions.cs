namespace Linping.CppccBot.LocalChat.FakeWeCom;

/// <summary>The app the fake WeCom plays. Defaults suit the local chat; tests set what they check.</summary>
public sealed class FakeWeComOptions
{
    public string CorpId { get; set; } = LocalChatDefaults.CorpId;

    public string Secret { get; set; } = LocalChatDefaults.Secret;

    public int AgentId { get; set; } = LocalChatDefaults.AgentId;

    /// <summary>User ids visible to the app (compared case-insensitively, as WeCom does). Null accepts every user id.</summary>
    public IReadOnlyCollection<string>? KnownUsers { get; set; }

    /// <summary>Keys of the group robots that exist. Null accepts every key (the local chat: whatever robots the bot's groups name).</summary>
    public IReadOnlyCollection<string>? WebhookKeys { get; set; } = ["local-chat-robot"];

    /// <summary>The clock for token expiry and the per-minute limits.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The loopback port; 0 picks a free one (see <see cref="FakeWeComServer.BaseAddress"/>).</summary>
    public int Port { get; set; }

    /// <summary>The <c>expires_in</c> of issued tokens.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromSeconds(7200);

    /// <summary>App messages one member receives from the app per minute; more are dropped silently (doc 90312).</summary>
    public int MemberMessagesPerMinute { get; set; } = 30;

    /// <summary>Messages one group robot may post per minute; more get 45009 (doc 91770).</summary>
    public int WebhookMessagesPerMinute { get; set; } = 20;
}
