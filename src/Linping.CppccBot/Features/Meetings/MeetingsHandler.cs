using Linping.CppccBot.Conversations;
using Linping.CppccBot.Hosting;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Features.Meetings;

/// <summary>Members' meeting intents: the list, sign-up, cancellation, leave and "我的会议".</summary>
public sealed class MeetingsHandler(MeetingConversation conversation, IOptions<BotOptions> bot) : IIntentHandler
{
    public IReadOnlyCollection<string> Intents { get; } =
        [IntentNames.ListMeetings, IntentNames.MeetingDetails, IntentNames.SignUp, IntentNames.CancelSignUp, IntentNames.RequestLeave, IntentNames.WithdrawLeave, IntentNames.MySignUps, IntentNames.CheckIn];

    public async Task HandleAsync(TurnContext turn, Intent intent, CancellationToken cancellationToken)
    {
        if (intent.Name == IntentNames.ListMeetings)
        {
            await conversation.ListAsync(turn, cancellationToken, intent.Slot);
            return;
        }

        if (intent.Name == IntentNames.MeetingDetails)
        {
            await conversation.DetailsAsync(turn, intent.Slot, cancellationToken);
            return;
        }

        // Staff who are not members see the list; signing up and leave are a member's own business.
        if (!turn.Caller.IsMember && intent.Name == IntentNames.CheckIn)
        {
            turn.Reply(MeetingTexts.CheckInForStaff(turn.Caller.HasRole(Persistence.Entities.StaffRoles.MeetingOrganiser) || turn.Caller.HasRole(Persistence.Entities.StaffRoles.Admin)));
            return;
        }

        if (!turn.Caller.IsMember)
        {
            turn.Reply(MeetingTexts.MembersOnly);
            return;
        }

        switch (intent.Name)
        {
            case IntentNames.MySignUps:
                await conversation.MineAsync(turn, cancellationToken);
                break;
            case IntentNames.SignUp:
                await conversation.StartAsync(turn, MeetingAction.SignUp, intent.Slot, cancellationToken);
                break;
            case IntentNames.WithdrawLeave:
                // Leave is decided by the office; taking it back goes through them too.
                turn.Reply(await conversation.HasLeaveAsync(turn, cancellationToken) ? MeetingTexts.WithdrawLeave(bot.Value.SupportContact) : MeetingTexts.NoLeaveToWithdraw);
                break;
            case IntentNames.CheckIn:
                await conversation.CheckInAsync(turn, cancellationToken);
                break;
            case IntentNames.CancelSignUp:
                await conversation.StartAsync(turn, MeetingAction.Cancel, intent.Slot, cancellationToken);
                break;
            default:
                await conversation.StartAsync(turn, MeetingAction.Leave, intent.Slot, cancellationToken);
                break;
        }
    }
}
