namespace Linping.CppccBot.Persistence.Entities;

/// <summary>A chat group the bot posts notices to through the group robots' webhooks.</summary>
public sealed class Group
{
    /// <summary>The id from the data file, e.g. <c>G-ALL</c>.</summary>
    public required string Id { get; set; }

    public required string Name { get; set; }

    /// <summary>WeCom group robot webhook key; a secret, never logged.</summary>
    public string? WeComWebhookKey { get; set; }

    /// <summary>DingTalk custom robot access token; a secret, never logged.</summary>
    public string? DingTalkAccessToken { get; set; }

    /// <summary>DingTalk custom robot signing secret (<c>SEC...</c>); never logged.</summary>
    public string? DingTalkSecret { get; set; }
}
