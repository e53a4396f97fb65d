using Linping.CppccBot.Persistence;
using Linping.CppccBot.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Linping.CppccBot.Features.Proposals;

/// <summary>Reads proposals for chat: by serial, by title words, a member's own. Read-only; changes nothing.</summary>
public sealed class ProposalQueries(BotDbContext db, ProposalSearch search)
{
    private IQueryable<Proposal> Proposals => db.Proposals.AsNoTracking().AsSplitQuery()
        .Include(p => p.Proposers)
        .Include(p => p.Units)
        .Include(p => p.History);

    public Task<Proposal?> FindBySerialAsync(int serial, CancellationToken cancellationToken) =>
        Proposals.FirstOrDefaultAsync(p => p.Serial == serial, cancellationToken);

    /// <summary>
    /// The member's proposals, as lead or joint proposer, by serial: with their proposers (the list says 领衔 or 联名),
    /// without units and history, which only the view of one proposal shows.
    /// </summary>
    public async Task<IReadOnlyList<Proposal>> OfMemberAsync(string memberId, CancellationToken cancellationToken) =>
        await CompiledQueries.ToListAsync(CompiledQueries.For<MemberProposalQueries>(db).OfMember(db, memberId), cancellationToken);

    public async Task<IReadOnlyList<Proposal>> BySerialsAsync(IReadOnlyList<int> serials, CancellationToken cancellationToken)
    {
        var found = await Proposals.Where(p => serials.Contains(p.Serial)).ToListAsync(cancellationToken);
        return [.. serials.Select(s => found.FirstOrDefault(p => p.Serial == s)).OfType<Proposal>()];
    }

    /// <summary>Searches only the proposals <paramref name="viewer"/> may see, so a result never reveals another's title.</summary>
    public async Task<SearchResult> SearchAsync(string words, ProposalViewer viewer, CancellationToken cancellationToken)
    {
        var candidates = await db.Proposals.AsNoTracking().Include(p => p.Proposers).ToListAsync(cancellationToken);
        var visible = candidates.Where(viewer.CanSee).Select(p => new SearchableTitle(p.Serial, p.Title)).ToList();
        return search.Search(words, visible);
    }

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
