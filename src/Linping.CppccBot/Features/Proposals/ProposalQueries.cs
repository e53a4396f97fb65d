using Linping.CppccBot.Persistence;
using Linping.CppccBot.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Linping.CppccBot.Features.Proposals;

/// <summary>What a number found: the proposal, and the same serial's numbers in other sessions.</summary>
public sealed record NumberLookup(Proposal? Proposal, IReadOnlyList<string> OtherNumbers);

/// <summary>Reads proposals for chat: by number, by title words, a member's own. Read-only; changes nothing.</summary>
public sealed class ProposalQueries(BotDbContext db, ProposalSearch search)
{
    private IQueryable<Proposal> Proposals => db.Proposals.AsNoTracking().AsSplitQuery()
        .Include(p => p.Proposers)
        .Include(p => p.Units)
        .Include(p => p.History);

    /// <summary>
    /// The proposal a member means by a number: the session's own when they named it (一届五次第12号), else the latest
    /// session that has the serial ("12号" is this session's 12 once it exists). Also the numbers of the same serial in
    /// other sessions, which a reply may point out.
    /// </summary>
    public async Task<NumberLookup> FindByNumberAsync(int serial, string? session, CancellationToken cancellationToken)
    {
        if (serial <= 0)
        {
            return new NumberLookup(null, []);
        }

        var candidates = await Proposals.Where(p => p.Serial == serial).ToListAsync(cancellationToken);
        var found = session is not null
            ? candidates.FirstOrDefault(p => p.Session == session)
            : candidates.OrderByDescending(p => ProposalNumber.Rank(p.Session)).ThenByDescending(p => p.Session, StringComparer.Ordinal).FirstOrDefault();
        return new NumberLookup(found, [.. candidates.Where(p => p != found).OrderBy(p => ProposalNumber.Rank(p.Session)).Select(p => p.Number)]);
    }

    public Task<Proposal?> FindByIdAsync(int id, CancellationToken cancellationToken) =>
        Proposals.FirstOrDefaultAsync(p => p.Id == id, cancellationToken);

    /// <summary>
    /// The member's proposals, as lead or joint proposer, latest session first, by serial: with their proposers (the list says 领衔 or 联名),
    /// without units and history, which only the view of one proposal shows.
    /// </summary>
    public async Task<IReadOnlyList<Proposal>> OfMemberAsync(string memberId, CancellationToken cancellationToken) =>
        [.. (await CompiledQueries.ToListAsync(CompiledQueries.For<MemberProposalQueries>(db).OfMember(db, memberId), cancellationToken))
            .OrderByDescending(p => ProposalNumber.Rank(p.Session))];

    public async Task<IReadOnlyList<Proposal>> ByIdsAsync(IReadOnlyList<int> ids, CancellationToken cancellationToken)
    {
        var found = await Proposals.Where(p => ids.Contains(p.Id)).ToListAsync(cancellationToken);
        return [.. ids.Select(id => found.FirstOrDefault(p => p.Id == id)).OfType<Proposal>()];
    }

    /// <summary>
    /// Searches only the proposals <paramref name="viewer"/> may see, so a result never reveals another's title. Titles
    /// that fit as well come latest session first, as in 我的提案 (二届一次's 养老 proposal before 一届五次's).
    /// </summary>
    public async Task<SearchResult> SearchAsync(string words, ProposalViewer viewer, CancellationToken cancellationToken)
    {
        var candidates = await db.Proposals.AsNoTracking().Include(p => p.Proposers).ToListAsync(cancellationToken);
        var visible = candidates.Where(viewer.CanSee)
            .OrderByDescending(p => ProposalNumber.Rank(p.Session)).ThenBy(p => p.Serial)
            .Select(p => new SearchableTitle(p.Id, p.Title)).ToList();
        return search.Search(words, visible);
    }

    /// <summary>Which of <paramref name="proposals"/> (a member's own, say) the title words fit, as <see cref="SearchAsync"/> finds them.</summary>
    public SearchResult SearchAmong(string words, IEnumerable<Proposal> proposals) =>
        search.Search(words, proposals.Select(p => new SearchableTitle(p.Id, p.Title)).ToList());

    public async Task<IReadOnlyDictionary<string, string>> MemberNamesAsync(IEnumerable<Proposal> proposals, CancellationToken cancellationToken)
    {
        var ids = proposals.SelectMany(p => p.Proposers).Select(p => p.MemberId).Distinct().ToList();
        return await db.Members.AsNoTracking().Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.Name, cancellationToken);
    }
}

/// <summary>我的提案 runs on every such message: its query is compiled (<see cref="CompiledQueries"/>).</summary>
internal sealed class MemberProposalQueries
{
    public Func<BotDbContext, string, IAsyncEnumerable<Proposal>> OfMember { get; } =
        EF.CompileAsyncQuery<BotDbContext, string, Proposal>((db, memberId) => db.Proposals.AsNoTracking()
            .Include(p => p.Proposers)
            .Where(p => p.Proposers.Any(x => x.MemberId == memberId))
            .OrderBy(p => p.Serial));
}
