namespace Linping.CppccBot.Conversations;

/// <summary>
/// Who sent a message, as the roster knows them. A person may be a member, a staff member of the CPPCC office, or both.
/// </summary>
public sealed record Caller(string Name, string? MemberId, string? StaffId, IReadOnlySet<string> StaffRoles)
{
    public bool IsMember => MemberId is not null;

    public bool IsStaff => StaffId is not null;

    public bool HasRole(string role) => StaffRoles.Contains(role);
}

/// <summary>Finds the roster entry behind a channel user id.</summary>
public interface ICallerDirectory
{
    /// <returns>The caller, or null when the user id is on no roster (not a member, not staff).</returns>
    Task<Caller?> FindAsync(string channel, string userId, CancellationToken cancellationToken);
}
