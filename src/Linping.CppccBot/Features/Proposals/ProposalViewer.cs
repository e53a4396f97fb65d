using Linping.CppccBot.Conversations;
using Linping.CppccBot.Persistence.Entities;

namespace Linping.CppccBot.Features.Proposals;

/// <summary>
/// What one caller may see of a proposal. Every member sees number, title, proposers, status, units, timeline and
/// answer class of a filed proposal. The answer summary, the evaluation, history notes and proposals not (yet) filed
/// are for the proposers themselves and for staff whose work is proposals (ProposalOffice, Admin): replies are
/// shared with the proposers before any publication, and an unfiled proposal is not public.
/// </summary>
public sealed record ProposalViewer(string? MemberId, bool IsProposalStaff)
{
    public static ProposalViewer From(Caller caller) =>
        new(caller.MemberId, caller.HasRole(StaffRoles.ProposalOffice) || caller.HasRole(StaffRoles.Admin));

    public static bool IsFiled(ProposalStatus status) =>
        status is not (ProposalStatus.Submitted or ProposalStatus.UnderReview or ProposalStatus.NotFiled);

    public bool IsProposer(Proposal proposal) =>
        MemberId is not null && proposal.Proposers.Any(p => p.MemberId == MemberId);

    public bool CanSee(Proposal proposal) => IsProposalStaff || IsFiled(proposal.Status) || IsProposer(proposal);

    public bool SeesPrivateDetails(Proposal proposal) => IsProposalStaff || IsProposer(proposal);
}
