using Linping.CppccBot.Conversations;

namespace Linping.CppccBot.Features.Common;

/// <summary>
/// Which feature showed the member a numbered list last, so a bare number ("2") refers to that list. Each feature
/// keeps its list's entries itself; this only records whose list is the latest.
/// </summary>
public static class RecentList
{
    public const string Proposals = "proposals";
    public const string Meetings = "meetings";
    public const string LeaveReview = "leaveReview";
    public const string Opinions = "opinions";

    internal const string LastKey = "list.last";

    public static void Remember(TurnContext turn, string kind) => turn.State.Memory[LastKey] = kind;

    public static string? Last(TurnContext turn) => turn.State.Memory.GetValueOrDefault(LastKey);
}
