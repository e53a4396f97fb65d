using System.Globalization;
using Linping.CppccBot.Conversations;
using Linping.CppccBot.Conversations.Recognition;
using Microsoft.Extensions.Options;

namespace Linping.CppccBot.Features.Help;

/// <summary>Help, greetings, a "取消" with nothing to cancel, a request for a person, and everything the bot did not understand.</summary>
public sealed class HelpHandler(IOptions<BotOptions> bot) : IIntentHandler
{
    private const string GreetedAtKey = "help.greetedAt";

    /// <summary>WeCom sends <c>enter_agent</c> every time a member opens the app; greet at most once in this span.</summary>
    private static readonly TimeSpan GreetingInterval = TimeSpan.FromHours(12);

    private static readonly string[] ThanksWords = ["谢", "辛苦", "感谢", "麻烦", "thank", "thx"];

    /// <summary>The answers to a dialog's "确认提交吗": sent again after it ended (a double tap, a late retry).</summary>
    private static readonly HashSet<string> ConfirmWords = new(["确认", "确定", "确认提交", "确定提交", "提交", "确认无误", "没问题", "是", "是的", "对", "对的"], StringComparer.Ordinal);

    public IReadOnlyCollection<string> Intents { get; } = [IntentNames.Help, IntentNames.Greeting, IntentNames.Thanks, IntentNames.HumanAgent, IntentNames.Cancel, IntentNames.None];

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
            case IntentNames.HumanAgent:
                turn.Reply(HelpTexts.NoHumanAgent(bot.Value.SupportContact));
                break;
            case IntentNames.Cancel:
                turn.Reply(HelpTexts.NothingToCancel);
                break;
            default:
                turn.Reply(ConfirmWords.Contains(string.Concat(TextNormalizer.Normalize(turn.Text).Where(c => !char.IsPunctuation(c))))
                    ? HelpTexts.NothingToConfirm
                    : Common.FollowUp.Take(turn) ?? HelpTexts.NotUnderstoodBy(turn.Caller, brief: TalkedBefore(turn)));
                break;
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// True when the conversation was seen before (within <c>Conversations:StateTimeToLive</c>): the member knows the
    /// bot, so words it does not understand get the short answer. A first message (a member new to the bot, or back
    /// after a week or more) gets the whole menu once, as its introduction.
    /// </summary>
    public static bool TalkedBefore(TurnContext turn) => turn.State.LastSeenAt is not null;
}
