namespace Linping.CppccBot.Channels.DingTalk;

/// <summary>What the bot sends: plain text, or markdown when <see cref="MarkdownTitle"/> is set (the title shows in notifications).</summary>
public sealed record DingTalkContent(string Text, string? MarkdownTitle = null)
{
    public bool IsMarkdown => MarkdownTitle is not null;

    public static DingTalkContent Plain(string text) => new(text);

    public static DingTalkContent Markdown(string title, string text) => new(text, title);
}

/// <summary>
/// The outcome of a one-to-one send: who DingTalk refused as unknown, who it throttled (to retry later), and who it
/// filtered out (<c>filteredStaffIdList</c>: not delivered, e.g. outside the app's visible range; retrying does not help).
/// <see cref="PartsSent"/> names those of them left out in the middle of a text split in parts, with how many parts
/// they got (see <see cref="DingTalkApiClient.Unsent"/>). A send that fails in a later call throws
/// <see cref="DingTalkApiException"/> with what the calls before it reached (<see cref="DingTalkApiException.PartialResult"/>).
/// </summary>
public sealed record DingTalkUserSendResult(
    IReadOnlyList<string> InvalidStaffIds,
    IReadOnlyList<string> FlowControlledStaffIds,
    IReadOnlyList<string> ProcessQueryKeys,
    IReadOnlyList<string> FilteredStaffIds,
    IReadOnlyDictionary<string, int>? PartsSent = null)
{
    /// <summary>
    /// The users this result is about: every user of the send, or, in <see cref="DingTalkApiException.PartialResult"/>,
    /// those whose sending ended before the failure; those of them not listed as refused got the whole text.
    /// </summary>
    public IReadOnlyList<string> StaffIds { get; init; } = [];

    /// <summary>True when every user was reached.</summary>
    public bool AllDelivered => InvalidStaffIds.Count == 0 && FlowControlledStaffIds.Count == 0 && FilteredStaffIds.Count == 0;
}

/// <summary>
/// Proactive DingTalk robot sends, for replies outside a conversation's session and for reminders and notifications.
/// Throws <see cref="DingTalkApiException"/> when a call fails as a whole.
/// </summary>
public interface IDingTalkMessenger
{
    /// <summary>One-to-one messages to org users by staff id, at most 20 per call (batched here), long text split.</summary>
    Task<DingTalkUserSendResult> SendToUsersAsync(IReadOnlyCollection<string> staffIds, DingTalkContent content, CancellationToken cancellationToken);

    /// <summary>A message into a group the robot is in (<c>openConversationId</c> = the inbound <c>conversationId</c>).</summary>
    Task SendToGroupAsync(string openConversationId, DingTalkContent content, CancellationToken cancellationToken);
}
