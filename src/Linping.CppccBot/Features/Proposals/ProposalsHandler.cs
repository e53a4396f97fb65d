using System.Globalization;
using System.Text.RegularExpressions;
using Linping.CppccBot.Conversations;
using Linping.CppccBot.Conversations.Recognition;
using Linping.CppccBot.Persistence.Entities;

namespace Linping.CppccBot.Features.Proposals;

/// <summary>
/// Proposal lookups: by number (12号, 第0012号, 一届五次第0012号 ...), by words of the title, and "我的提案".
/// A numbered list is remembered so that "2" or "看第2个" opens that entry. Nothing here changes stored data.
/// </summary>
public sealed partial class ProposalsHandler(ProposalQueries queries, ProposalTexts texts, ILogger<ProposalsHandler> logger) : IIntentHandler
{
    /// <summary>The ids of the proposals listed last (a list of serials, kept under another key before sessions, is not read).</summary>
    internal const string ListKey = "proposals.listIds";
    internal const string ListAtKey = "proposals.listAt";

    /// <summary>A list older than this is not what a bare "2" refers to any more.</summary>
    private static readonly TimeSpan ListLifetime = TimeSpan.FromHours(2);

    /// <summary>How many proposals one message may ask for by number.</summary>
    private const int MaxNumbersAtOnce = 3;

    public IReadOnlyCollection<string> Intents { get; } = [IntentNames.ProposalByNumber, IntentNames.ProposalSearch, IntentNames.MyProposals];

    public async Task HandleAsync(TurnContext turn, Intent intent, CancellationToken cancellationToken)
    {
        var viewer = ProposalViewer.From(turn.Caller);
        switch (intent.Name)
        {
            case IntentNames.ProposalByNumber when int.TryParse(intent.Slot, NumberStyles.None, CultureInfo.InvariantCulture, out var serial):
                // "12号和41号提案", "一届五次第0012号和二届一次第0012号": each, up to a few.
                var numbers = ChineseIntentRecognizer.ProposalNumbers(turn.Text);
                var several = numbers.Count > 1 && numbers.Any(n => n.Serial == serial);
                foreach (var (session, one) in several ? numbers.Take(MaxNumbersAtOnce) : [(SessionOf(turn.Text), serial)])
                {
                    await ShowByNumberAsync(turn, viewer, one, session, cancellationToken);
                }

                if (several && numbers.Count > MaxNumbersAtOnce)
                {
                    turn.Reply(ProposalTexts.TooManyNumbers(MaxNumbersAtOnce, numbers.Skip(MaxNumbersAtOnce)));
                }

                break;
            case IntentNames.MyProposals:
                await ShowMineAsync(turn, viewer, intent.Slot, cancellationToken);
                break;
            case IntentNames.ProposalSearch when ChineseIntentRecognizer.ListPick(intent.Slot) is { } pick:
                await ShowPickAsync(turn, viewer, pick, cancellationToken);
                break;
            case IntentNames.ProposalSearch when intent.Slot is { } words && int.TryParse(TextNormalizer.Normalize(words), NumberStyles.None, CultureInfo.InvariantCulture, out var bare):
                // "提案12": a number without 号 is still a number.
                await ShowByNumberAsync(turn, viewer, bare, null, cancellationToken);
                break;
            case IntentNames.ProposalSearch when !string.IsNullOrWhiteSpace(intent.Slot):
                await SearchAsync(turn, viewer, intent.Slot, cancellationToken);
                break;
            default:
                // "查提案" alone: ask which, and take the answer as the query.
                await turn.BeginDialogAsync(ProposalQueryDialog.DialogName, intent, cancellationToken);
                break;
        }
    }

    private async Task ShowByNumberAsync(TurnContext turn, ProposalViewer viewer, int serial, string? session, CancellationToken cancellationToken)
    {
        var (proposal, otherSessions) = await queries.FindByNumberAsync(serial, session, cancellationToken);
        if (proposal is null)
        {
            // The serial may exist in another session than the one the member named: not the proposal they mean.
            turn.Reply(session is null ? ProposalTexts.NotFound(serial) : ProposalTexts.NotFoundInSession(session, serial));
            return;
        }

        await ShowAsync(turn, viewer, proposal, cancellationToken, session is null ? otherSessions : null);
    }

    private async Task ShowAsync(TurnContext turn, ProposalViewer viewer, Proposal proposal, CancellationToken cancellationToken, IReadOnlyList<string>? otherSessions = null)
    {
        var also = otherSessions is { Count: > 0 } ? "\n" + ProposalTexts.AlsoInOtherSessions(otherSessions) : string.Empty;
        if (!viewer.CanSee(proposal))
        {
            turn.Reply(ProposalTexts.NotPublic(proposal) + also);
            return;
        }

        var names = await queries.MemberNamesAsync([proposal], cancellationToken);
        turn.Reply(texts.Detail(proposal, names, viewer, turn.Now) + also);
    }

    /// <summary>
    /// 我的提案; "我提的那个数智城的提案" (<paramref name="which"/> 数智城) shows the one of them its title words fit, or
    /// those; words that fit none of them (今天, 怎么说) show them all, as 我的提案 alone.
    /// </summary>
    private async Task ShowMineAsync(TurnContext turn, ProposalViewer viewer, string? which, CancellationToken cancellationToken)
    {
        if (turn.Caller.MemberId is not { } memberId)
        {
            // Staff who are not members have no proposals of their own but may look up any: title words are searched,
            // else they are asked which ("提案进度" is no question about their own).
            if (which is not null)
            {
                await SearchAsync(turn, viewer, which, cancellationToken);
            }
            else
            {
                await turn.BeginDialogAsync(ProposalQueryDialog.DialogName, new Intent(IntentNames.MyProposals), cancellationToken);
            }

            return;
        }

        var mine = await queries.OfMemberAsync(memberId, cancellationToken);
        if (mine.Count == 0)
        {
            turn.Reply(ProposalTexts.NoneOfYours);
            return;
        }

        if (which is not null && mine.Count > 1 && queries.SearchAmong(which, mine) is { Outcome: SearchOutcome.OneClearMatch or SearchOutcome.Several } fit)
        {
            var fitting = mine.Where(p => fit.Ids.Contains(p.Id)).ToList();
            if (fitting.Count == 1)
            {
                await ShowAsync(turn, viewer, fitting[0], cancellationToken);
                return;
            }

            Remember(turn, fitting);
            turn.Reply(ProposalTexts.List(fitting, ProposalSearch.Echo(which), approximate: false));
            return;
        }

        Remember(turn, mine);
        turn.Reply(texts.Mine(mine, memberId, turn.Now));
    }

    private async Task SearchAsync(TurnContext turn, ProposalViewer viewer, string words, CancellationToken cancellationToken)
    {
        var result = await queries.SearchAsync(words, viewer, cancellationToken);
        LogSearch(logger, result.Outcome, result.Ids.Count);
        var echo = ProposalSearch.Echo(words);
        switch (result.Outcome)
        {
            case SearchOutcome.OneClearMatch:
                var proposal = await queries.FindByIdAsync(result.Ids[0], cancellationToken);
                if (proposal is null)
                {
                    turn.Reply(ProposalTexts.NothingMatches(echo));
                    return;
                }

                await ShowAsync(turn, viewer, proposal, cancellationToken);
                break;
            case SearchOutcome.Several or SearchOutcome.Approximate:
                var listed = await queries.ByIdsAsync(result.Ids, cancellationToken);
                Remember(turn, listed);
                turn.Reply(ProposalTexts.List(listed, echo, result.Outcome == SearchOutcome.Approximate));
                break;
            default:
                turn.Reply(ProposalTexts.NothingMatches(echo));
                break;
        }
    }

    private async Task ShowPickAsync(TurnContext turn, ProposalViewer viewer, int pick, CancellationToken cancellationToken)
    {
        var ids = RecentList(turn);
        if (ids is null)
        {
            turn.Reply(ProposalTexts.NoRecentList);
            return;
        }

        if (pick < 1 || pick > ids.Count)
        {
            turn.Reply(ProposalTexts.PickOutOfRange(ids.Count));
            return;
        }

        var proposal = await queries.FindByIdAsync(ids[pick - 1], cancellationToken);
        if (proposal is null)
        {
            // Removed since the list was shown.
            turn.Reply(ProposalTexts.NoRecentList);
            return;
        }

        // Visibility is checked again: the proposal or the caller's rights may have changed since the list.
        await ShowAsync(turn, viewer, proposal, cancellationToken);
    }

    private static void Remember(TurnContext turn, IReadOnlyList<Proposal> listed)
    {
        turn.State.Memory[ListKey] = string.Join(',', listed.Select(p => p.Id.ToString(CultureInfo.InvariantCulture)));
        turn.State.Memory[ListAtKey] = turn.Now.ToString("O", CultureInfo.InvariantCulture);
        Common.RecentList.Remember(turn, Common.RecentList.Proposals);
    }

    private static List<int>? RecentList(TurnContext turn)
    {
        if (!turn.State.Memory.TryGetValue(ListKey, out var list)
            || !turn.State.Memory.TryGetValue(ListAtKey, out var at)
            || !DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.None, out var listedAt)
            || turn.Now - listedAt > ListLifetime)
        {
            return null;
        }

        var ids = new List<int>();
        foreach (var part in list.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return null;
            }

            ids.Add(id);
        }

        return ids.Count == 0 ? null : ids;
    }

    /// <summary>"一届五次" when the member named the session of the number.</summary>
    private static string? SessionOf(string text) => ProposalNumber.SessionIn(TextNormalizer.Normalize(text));

    // Counts only: the member's words are personal and never logged.
    [LoggerMessage(EventId = 4311, Level = LogLevel.Debug, Message = "Proposal search: {Outcome} with {Count} proposals")]
    private static partial void LogSearch(ILogger logger, SearchOutcome outcome, int count);
}
