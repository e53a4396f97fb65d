namespace Linping.CppccBot.Conversations;

/// <summary>One message the bot sends back in a turn. Plain text; channels split it to their size limits.</summary>
public sealed record Reply(string Text);

/// <summary>What a turn produced, in order.</summary>
public sealed record TurnResult(IReadOnlyList<Reply> Replies)
{
    /// <summary>The clicked card to update after this turn (what was done), or null.</summary>
    public CardUpdate? CardUpdate { get; init; }

    public static readonly TurnResult Empty = new([]);

    /// <summary>The answer to a redelivery of a message already handled: nothing.</summary>
    public static readonly TurnResult Duplicate = new([]) { IsDuplicate = true };

    /// <summary>The message was delivered before and handled then; the channel answers nothing again.</summary>
    public bool IsDuplicate { get; init; }

    /// <summary>All replies joined as one text, the way a passive reply carries them.</summary>
    public string JoinedText => string.Join("\n\n", Replies.Select(r => r.Text));
}

/// <summary>Replace the buttons of the card a member clicked with a greyed-out <paramref name="ReplaceName"/> (e.g. 已取消报名).</summary>
/// <param name="ResponseCode">The click's code; the channel may use it once.</param>
public sealed record CardUpdate(string ResponseCode, string ReplaceName);
