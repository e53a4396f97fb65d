namespace Linping.CppccBot.Persistence.Entities;

public enum ReminderRecipientType
{
    Member,
    Group,

    /// <summary>A staff member of the office (notices of new 社情民意 reports and of proposal evaluations).</summary>
    Staff,
}

/// <summary>What a staff change to a published meeting changed, as its notice says.</summary>
[Flags]
public enum MeetingAspects
{
    None = 0,
    Title = 1,
    Time = 2,
    Place = 4,
    Seats = 8,
    Deadline = 16,

    /// <summary>The type or who takes part (指定出席 / 自愿报名).</summary>
    Terms = 32,
}

public enum ReminderDeliveryStatus
{
    /// <summary>Claimed by a dispatcher run and being sent; a row left Pending longer than the lease is claimed again.</summary>
    Pending,

    Sent,

    /// <summary>The channel answered that the recipient does not exist or is outside the app's visible range.</summary>
    Invalid,

    /// <summary>The member or group has no address on any channel the bot can send on.</summary>
    NoChannel,

    /// <summary>Not delivered yet (rate limit, busy, network, refused); tried again from <see cref="ReminderDelivery.NextAttemptAt"/>.</summary>
    Failed,

    /// <summary>No longer wanted: the meeting moved, started or was cancelled before a retry could go out.</summary>
    Obsolete,
}

/// <summary>
/// The ledger of reminders: one row per meeting, reminder kind, meeting start and recipient. The unique key makes
/// every reminder go out once; the row is claimed (inserted as Pending) before the send and settled after it.
/// </summary>
public sealed class ReminderDelivery
{
    /// <summary>The <see cref="Kind"/> of a cancellation notice; reminders use their offset (<c>"1.00:00:00"</c>).</summary>
    public const string CancelledKind = "cancelled";

    /// <summary>The <see cref="Kind"/> of the notice sent when staff publish a meeting (once per recipient).</summary>
    public const string PublishedKind = "published";

    /// <summary>
    /// The <see cref="Kind"/> prefix of a change notice. The notice of a kept <see cref="MeetingChange"/> (which holds the
    /// old and new values) is <c>changed:c{id}:{aspects}</c>, what changed as <see cref="MeetingAspects"/> in
    /// hexadecimal: <c>changed:c12:6</c> is change 12, of time and place. Notices stored before changes were kept have
    /// the change's UTC ticks instead (<c>changed:638…:6</c>) and are written from the meeting as it is.
    /// </summary>
    public const string ChangedKindPrefix = "changed:";

    /// <summary>The kind of the notice of <paramref name="change"/> (it fits <see cref="Kind"/>'s 32 characters).</summary>
    public static string ChangedKind(MeetingChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return ChangedKindPrefix + "c" + change.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)
            + ":" + ((int)change.Aspects).ToString("x", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>What a change notice's kind says changed; None for other kinds and for notices stored before it was said.</summary>
    public static MeetingAspects ChangedAspects(string kind) =>
        ChangedPart(kind, 1) is { } part
        && int.TryParse(part, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var flags)
            ? (MeetingAspects)flags
            : MeetingAspects.None;

    /// <summary>The <see cref="MeetingChange"/> id of a change notice's kind, or null (other kinds, older notices).</summary>
    public static long? ChangedChangeId(string kind) =>
        ChangedPart(kind, 0) is ['c', .. var digits]
        && long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id
            : null;

    /// <summary>The <paramref name="index"/>th colon-separated part after <see cref="ChangedKindPrefix"/>.</summary>
    private static string? ChangedPart(string kind, int index)
    {
        if (!kind.StartsWith(ChangedKindPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = kind[ChangedKindPrefix.Length..].Split(':');
        return index < parts.Length ? parts[index] : null;
    }

    /// <summary>True for the notices staff actions send (published, changed), as opposed to timed reminders.</summary>
    public static bool IsNoticeKind(string kind) => kind == PublishedKind || kind.StartsWith(ChangedKindPrefix, StringComparison.Ordinal);

    /// <summary>
    /// The <see cref="Kind"/> prefix of the notice to members a change took off a published meeting's invitees (they were
    /// told to come and need not); the suffix is the change's UTC ticks.
    /// </summary>
    public const string UninvitedKindPrefix = "uninvited:";

    public static string UninvitedKind(DateTimeOffset at) => UninvitedKindPrefix + at.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static bool IsUninvitedKind(string kind) => kind.StartsWith(UninvitedKindPrefix, StringComparison.Ordinal);

    /// <summary>The <see cref="Kind"/> prefix of a move notice: <c>moved:{MeetingChange.Id}</c>.</summary>
    public const string MovedKindPrefix = "moved:";

    public static string MovedKind(long changeId) => MovedKindPrefix + changeId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The <see cref="MeetingChange"/> id of a move notice's kind, or null for other kinds.</summary>
    public static long? MovedChangeId(string kind) =>
        kind.StartsWith(MovedKindPrefix, StringComparison.Ordinal)
        && long.TryParse(kind.AsSpan(MovedKindPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id
            : null;

    public long Id { get; set; }

    public required string MeetingId { get; set; }

    /// <summary>The offset before the start as a constant TimeSpan (<c>"02:00:00"</c>), or <see cref="CancelledKind"/>.</summary>
    public required string Kind { get; set; }

    /// <summary>The start the reminder was planned for: a re-timed meeting gets new reminders, the old rows stay as history.</summary>
    public DateTimeOffset MeetingStartsAt { get; set; }

    public ReminderRecipientType RecipientType { get; set; }

    /// <summary>The member id, the group id or the staff id.</summary>
    public required string RecipientId { get; set; }

    /// <summary>
    /// For a group, the app whose group chat gets the reminder (<c>WeCom</c>, <c>DingTalk</c>): a group with robots in
    /// both apps is two chats, each reminded once. Empty for a member, who is reminded once in one app, and for a group
    /// without robots. Part of the unique key (never null: SQLite lets NULLs repeat in a unique index).
    /// </summary>
    public string Chat { get; set; } = string.Empty;

    public ReminderDeliveryStatus Status { get; set; }

    /// <summary>The channel that was used, e.g. <c>WeCom</c>.</summary>
    public string? Channel { get; set; }

    /// <summary>The channel's error code of the last failed attempt (WeCom errcode), if any.</summary>
    public int? ErrCode { get; set; }

    /// <summary>What went wrong last, e.g. <c>RateLimited</c>, <c>Network</c>; no message text, no personal data.</summary>
    public string? Error { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the current or last attempt claimed the row.</summary>
    public DateTimeOffset ClaimedAt { get; set; }

    /// <summary>The dispatcher run that holds the claim while <see cref="ReminderDeliveryStatus.Pending"/>.</summary>
    public string? ClaimToken { get; set; }

    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>
    /// While <see cref="ReminderDeliveryStatus.Failed"/> after the first parts of a text split in several went out (to
    /// the app in <see cref="Channel"/>): the rest that did not. A retry sends only this, in that app, so no part comes
    /// twice and the rest continues what the recipient already has (the text written again could differ: the time left,
    /// a closed sign-up). Null otherwise; cleared once the row is settled any other way.
    /// </summary>
    public string? UnsentText { get; set; }

    public DateTimeOffset? SentAt { get; set; }
}
