using Linping.CppccBot.Conversations;
using Linping.CppccBot.Persistence.Entities;

namespace Linping.CppccBot.Features.Meetings;

/// <summary>
/// Staff with the MeetingOrganiser or Admin role ask "报名情况 大运河" (or a list number, or a meeting id) and see the
/// counts and names per state. The meeting is found the way sign-up finds it; an ambiguous one is asked about.
/// Members get a polite refusal: the names of others are not theirs to see.
/// </summary>
public sealed class MeetingRosterHandler(MeetingConversation conversation) : IIntentHandler
{
    public IReadOnlyCollection<string> Intents { get; } = [IntentNames.MeetingRoster];

    public async Task HandleAsync(TurnContext turn, Intent intent, CancellationToken cancellationToken)
    {
        if (!turn.Caller.HasRole(StaffRoles.MeetingOrganiser) && !turn.Caller.HasRole(StaffRoles.Admin))
        {
            turn.Reply(MeetingTexts.RosterStaffOnly);
            return;
        }

        await conversation.StartAsync(turn, MeetingAction.Roster, intent.Slot, cancellationToken);
    }
}
