using System.Globalization;
using Linping.CppccBot.Conversations;

namespace Linping.CppccBot.Features.Help;

/// <summary>Help, greetings, a "取消" with nothing to cancel, and everything the bot did not understand.</summary>
public sealed class HelpHandler : IIntentHandler
{
    private const string GreetedAtKey = "help.greetedAt";

    /// <summary>WeCom sends <c>enter_agent</c> every time a member opens the app; greet at most once in this span.</summary>
    private static readonly TimeSpan GreetingInterval = TimeSpan.FromHours(12);

    private static readonly string[] ThanksWords = ["谢", "辛苦", "感谢", "麻烦", "thank", "thx"];

    public IReadOnlyCollection<string> Intents { get; } = [IntentNames.Help, IntentNames.Greeting, IntentNames.Thanks, IntentNames.Cancel, IntentNames.None];

    public Task HandleAsync(TurnContext turn, Intent intent, CancellationToken cancellationToken)
    {
        switch (intent.Name)
        {
            case IntentNames.Greeting when turn.Message.Kind == InboundKind.Event:
                if (!turn.State.Memory.TryGetValue(GreetedAtKey, out var last)
                    || !DateTimeOffset.TryParse(last, CultureInfo.InvariantCulture, out var lastGreeted)
                    || turn.Now - lastGreeted >= GreetingInterval)
                {
                    turn.State.Memory[GreetedAtKey] = turn.Now.ToString("O", CultureInfo.InvariantCulture);
                    turn.Reply(HelpTexts.Welcome(turn.Caller));
                }

                break;
            case IntentNames.Help or IntentNames.Greeting:
                turn.Reply(HelpTexts.Welcome(turn.Caller));
                break;
            case IntentNames.Thanks:
                turn.Reply(ThanksWords.Any(w => turn.Text.Contains(w, StringComparison.OrdinalIgnoreCase)) ? HelpTexts.YouAreWelcome : HelpTexts.Acknowledged);
                break;
            case IntentNames.Cancel:
                turn.Reply(HelpTexts.NothingToCancel);
                break;
            default:
                turn.Reply(HelpTexts.NotUnderstoodBy(turn.Caller));
                break;
        }

        return Task.CompletedTask;
    }
}
