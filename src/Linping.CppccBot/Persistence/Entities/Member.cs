namespace Linping.CppccBot.Persistence.Entities;

/// <summary>A CPPCC member (委员) from the roster.</summary>
public sealed class Member
{
    /// <summary>The roster id, e.g. <c>M001</c>.</summary>
    public required string Id { get; set; }

    public required string Name { get; set; }

    public string? WeComUserId { get; set; }

    public string? DingTalkUserId { get; set; }

    /// <summary>
    /// The app the member wants reminders and notices in (首选应用) when they have ids in both; null = no preference
    /// (WeCom first). A member is never messaged in both apps.
    /// </summary>
    public MessagingApp? PreferredApp { get; set; }

    /// <summary>界别.</summary>
    public string? Sector { get; set; }

    /// <summary>专委会, several.</summary>
    public List<string> Committees { get; set; } = [];

    /// <summary>委员工作室.</summary>
    public string? Studio { get; set; }

    /// <summary>常委.</summary>
    public bool IsStandingMember { get; set; }

    /// <summary>Mobile number; personal data, never logged nor shown in chat.</summary>
    public string? Mobile { get; set; }

    public bool IsActive { get; set; } = true;

    /// <summary>
    /// When the member was added to the roster (by an import or the staff API); null for members stored before it was
    /// kept, who count as always there. A meeting's notices of what happened before are not for a member added since.
    /// </summary>
    public DateTimeOffset? AddedAt { get; set; }
}

/// <summary>The chat apps the bot sends in; the names are the reminder channels' names.</summary>
public enum MessagingApp
{
    /// <summary>企业微信.</summary>
    WeCom,

    /// <summary>钉钉.</summary>
    DingTalk,
}

/// <summary>A staff member of the CPPCC office.</summary>
public sealed class StaffMember
{
    public required string Id { get; set; }

    public required string Name { get; set; }

    public string? WeComUserId { get; set; }

    public string? DingTalkUserId { get; set; }

    /// <summary>Roles from <see cref="StaffRoles"/>.</summary>
    public List<string> Roles { get; set; } = [];

    public bool IsActive { get; set; } = true;
}

/// <summary>Staff role names, as in the import format.</summary>
public static class StaffRoles
{
    public const string MeetingOrganiser = "MeetingOrganiser";
    public const string ProposalOffice = "ProposalOffice";
    public const string InfoOffice = "InfoOffice";
    public const string Admin = "Admin";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { MeetingOrganiser, ProposalOffice, InfoOffice, Admin };
}
