namespace Linping.CppccBot.Persistence.Entities;

/// <summary>
/// One login to the staff console. The session cookie names it; a request is let in only while its row exists and has
/// not expired, so 退出登录 (which deletes the row) ends the session on every host, and no session outlives
/// <see cref="ExpiresAt"/> however often the cookie slides.
/// </summary>
public sealed class ConsoleSession
{
    /// <summary>A random id (256 bits, hex), carried in the cookie's claims.</summary>
    public required string Id { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The absolute end of the session, a fixed time after login.</summary>
    public DateTimeOffset ExpiresAt { get; set; }
}
