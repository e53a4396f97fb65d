using System.Globalization;
using Linping.CppccBot.Conversations;
using Linping.CppccBot.Conversations.Recognition;

namespace Linping.CppccBot.Features.Proposals;

/// <summary>
/// "查提案" without saying which (the menu's 查提案 button, or the words alone), or staff who are not members asking
/// how proposals stand: asks, and takes the next message as a proposal number, words of the title or (members)
/// "我的提案". One step; the answer is looked up as if it had been said first.
/// </summary>
public sealed class ProposalQueryDialog(IServiceScopeFactory scopes, IIntentRecognizer recognizer) : IDialog
{
    public const string DialogName = "proposals.query";

    public string Name => DialogName;

    public TimeSpan Timeout => TimeSpan.FromMinutes(30);

    public string Title => "查提案";

    public Task<DialogStatus> BeginAsync(DialogContext dialog, Intent intent, CancellationToken cancellationToken)
    {
        dialog.Reply(dialog.Turn.Caller.IsMember || !SaysMine(dialog.Text) ? Help(dialog) : ProposalTexts.NotAMember + Help(dialog));
        return Task.FromResult(DialogStatus.Waiting);
    }

    public async Task<DialogStatus> ContinueAsync(DialogContext dialog, CancellationToken cancellationToken)
    {
        var words = TextNormalizer.Normalize(dialog.Text);
        if (words.Length == 0)
        {
            dialog.Reply(ProposalTexts.WhatToSearch);
            return DialogStatus.Waiting;
        }

        var query = AsQuery(dialog.Text, words);
        if (query is { Name: IntentNames.MyProposals, Slot: null } && !dialog.Turn.Caller.IsMember)
        {
            dialog.Reply(ProposalTexts.NotAMember + Help(dialog));
            return DialogStatus.Waiting;
        }

        await using var scope = scopes.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredService<ProposalsHandler>();
        await handler.HandleAsync(dialog.Turn, query, cancellationToken);
        return DialogStatus.Complete;
    }

    public string Help(DialogContext dialog) => dialog.Turn.Caller.IsMember ? ProposalTexts.WhatToSearch : ProposalTexts.WhatToSearchForStaff;

    /// <summary>"我的提案", "我提的提案": words about one's own proposals, which staff who are not members do not have.</summary>
    private static bool SaysMine(string text) =>
        TextNormalizer.ContainsAny(TextNormalizer.Normalize(text), "我的提案", "我提的", "我领衔", "我联名", "我的那个提案", "我的那件提案");

    private Intent AsQuery(string text, string words)
    {
        // "12", "１２": a number alone is a proposal number here, not an entry of some list.
        if (int.TryParse(words, NumberStyles.None, CultureInfo.InvariantCulture, out var serial))
        {
            return new Intent(IntentNames.ProposalByNumber, serial.ToString(CultureInfo.InvariantCulture));
        }

        var recognized = recognizer.Recognize(text);
        return recognized.Name is IntentNames.ProposalByNumber or IntentNames.MyProposals
            || (recognized.Name == IntentNames.ProposalSearch && !string.IsNullOrEmpty(recognized.Slot))
            ? recognized
            : new Intent(IntentNames.ProposalSearch, words);
    }
}
