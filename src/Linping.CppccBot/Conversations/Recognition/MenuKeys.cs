namespace Linping.CppccBot.Conversations.Recognition;

/// <summary>
/// The keys of the WeCom app menu (bot-manifests/wecom/menu.json) and what each asks for. A test keeps the two in step.
/// </summary>
public static class MenuKeys
{
    public const string Meetings = "MEETINGS";
    public const string MeetingSignUp = "MEETING_SIGNUP";
    public const string MyMeetings = "MY_MEETINGS";
    public const string MyProposals = "MY_PROPOSALS";
    public const string ProposalSearch = "PROPOSAL_SEARCH";
    public const string SubmitOpinion = "OPINION_SUBMIT";
    public const string MyOpinions = "MY_OPINIONS";
    public const string Help = "HELP";

    public static readonly IReadOnlyDictionary<string, string> Intents = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [Meetings] = IntentNames.ListMeetings,
        [MeetingSignUp] = IntentNames.ListMeetings,
        [MyMeetings] = IntentNames.MySignUps,
        [MyProposals] = IntentNames.MyProposals,
        [ProposalSearch] = IntentNames.ProposalSearch,
        [SubmitOpinion] = IntentNames.SubmitOpinion,
        [MyOpinions] = IntentNames.MyOpinions,
        [Help] = IntentNames.Help,
    };

    public static Intent ToIntent(string? key) =>
        key is not null && Intents.TryGetValue(key, out var intent) ? new Intent(intent) : new Intent(IntentNames.Help);
}

/// <summary>
/// Button keys of the template cards the bot sends: <c>signup:&lt;meeting id&gt;</c>, <c>cancel:&lt;meeting id&gt;</c>,
/// <c>leave:&lt;meeting id&gt;</c>. The meeting id travels in the key, so a click needs no lookup of the card.
/// </summary>
public static class CardKeys
{
    public static string SignUp(string meetingId) => $"signup:{meetingId}";

    public static string Cancel(string meetingId) => $"cancel:{meetingId}";

    public static string Leave(string meetingId) => $"leave:{meetingId}";

    public static Intent ToIntent(string? key)
    {
        var separator = key?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (key is null || separator <= 0 || separator == key.Length - 1)
        {
            return Intent.None;
        }

        var meetingId = key[(separator + 1)..];
        return key[..separator] switch
        {
            "signup" => new Intent(IntentNames.SignUp, meetingId),
            "cancel" => new Intent(IntentNames.CancelSignUp, meetingId),
            "leave" => new Intent(IntentNames.RequestLeave, meetingId),
            _ => Intent.None,
        };
    }
}
