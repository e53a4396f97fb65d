namespace Linping.CppccBot.Conversations;

/// <summary>One message the bot sends back in a turn. Plain text; channels split it to their size limits.</summary>
public sealed record Reply(string Text);

/// <summary>What a turn produced, in order.</summary>
public sealed record TurnResult(IReadOnlyList<Reply> Replies)
{
    public static readonly TurnResult Empty = new([]);

    /// <summary>All replies joined as one text, the way a passive reply carries them.</summary>
    public string JoinedText => string.Join("\n\n", Replies.Select(r => r.Text));
}
