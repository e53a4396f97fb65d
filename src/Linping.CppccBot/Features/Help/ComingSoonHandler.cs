using Linping.CppccBot.Conversations;

namespace Linping.CppccBot.Features.Help;

/// <summary>
/// Answers the intents whose features are not built yet with a clear "coming soon". Each feature that lands
/// removes its intents from this list.
/// </summary>
public sealed class ComingSoonHandler : IIntentHandler
{
    private static readonly Dictionary<string, string> Pending = new(StringComparer.Ordinal)
    {
        [IntentNames.ListMeetings] = "会议查询",
        [IntentNames.SignUp] = "会议报名",
        [IntentNames.CancelSignUp] = "取消报名",
        [IntentNames.RequestLeave] = "会议请假",
        [IntentNames.MySignUps] = "我的会议",
    };

    public IReadOnlyCollection<string> Intents => Pending.Keys;

    public Task HandleAsync(TurnContext turn, Intent intent, CancellationToken cancellationToken)
    {
        turn.Reply(HelpTexts.ComingSoon(Pending[intent.Name]));
        return Task.CompletedTask;
    }
}
