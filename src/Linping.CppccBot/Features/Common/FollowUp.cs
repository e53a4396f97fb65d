using System.Globalization;
using Linping.CppccBot.Conversations;

namespace Linping.CppccBot.Features.Common;

/// <summary>
/// A line kept for the member's next message after a refusal: words the bot does not understand on their own ("因病",
/// "那怎么办") are most likely about what was just refused, and get that line (what can be done instead) rather than the
/// menu. It holds for the very next message only, and not after <see cref="Lifetime"/>.
/// </summary>
public static class FollowUp
{
    internal const string LineKey = "followUp.line";
    internal const string AtKey = "followUp.at";

    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    public static void Remember(TurnContext turn, string line)
    {
        turn.State.Memory[LineKey] = line;
        turn.State.Memory[AtKey] = turn.Now.ToString("O", CultureInfo.InvariantCulture);
    }

    /// <summary>The line kept by the turn just before this one, if any and recent; it is forgotten either way.</summary>
    public static string? Take(TurnContext turn)
    {
        turn.State.Memory.Remove(LineKey, out var line);
        turn.State.Memory.Remove(AtKey, out var at);
        return line is not null
            && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var keptAt)
            && keptAt == turn.State.LastSeenAt
            && turn.Now - keptAt <= Lifetime
                ? line
                : null;
    }
}
