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
        [IntentNames.ProposalByNumber] = "提案查询",
        [IntentNames.ProposalSearch] = "提案查询",
        [IntentNames.MyProposals] = "我的提案",
        [IntentNames.SubmitOpinion] = "社情民意报送",
        [IntentNames.MyOpinions] = "我的社情民意",
    };

    public IReadOnlyCollection<string> Intents => Pending.Keys;

    public Task HandleAsync(TurnContext turn, Intent intent, CancellationToken cancellationToken)
    {
        turn.Reply(HelpTexts.ComingSoon(Pending[intent.Name]));
        return Task.CompletedTask;
    }
}
