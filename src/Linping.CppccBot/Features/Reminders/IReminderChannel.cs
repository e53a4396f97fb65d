using Linping.CppccBot.Persistence.Entities;

namespace Linping.CppccBot.Features.Reminders;

/// <summary>A reminder's text, the same for every recipient of one meeting and kind.</summary>
/// <param name="MeetingId">The meeting, for cards whose buttons carry it.</param>
/// <param name="Title">A short heading, e.g. for a card title.</param>
/// <param name="Text">The full text: meeting, time, place, and how to ask for leave or cancel.</param>
/// <param name="Card">The same reminder as a card with buttons, for channels that can show one; null: text only.</param>
public sealed record ReminderMessage(string MeetingId, string Title, string Text, ReminderCard? Card = null)
{
    /// <summary>
    /// True for a meeting's reminders and move or change notices: a channel that can (WeCom's duplicate check) keeps the
    /// same message sent again soon to the same members (a retry of a call whose answer was lost) from arriving twice.
    /// Not for other notices, whose same text can be news again (a report submitted, returned and submitted again).
    /// </summary>
    public bool DuplicateCheck { get; init; }
}

/// <summary>A reminder as a card: a heading, the meeting title, a line under it, labelled fields, a note and buttons.</summary>
public sealed record ReminderCard(string Heading, string Title, string Lead, IReadOnlyList<KeyValuePair<string, string>> Fields, string Note, IReadOnlyList<ReminderButton> Buttons);

/// <summary>A card button; <see cref="Key"/> comes back with the click (see <c>CardKeys</c>).</summary>
public sealed record ReminderButton(string Text, string Key);

/// <summary>Where a member can be reached, and the app they prefer when they are in both.</summary>
public sealed record MemberAddress(string MemberId, string? WeComUserId, string? DingTalkUserId, MessagingApp? PreferredApp = null);

/// <summary>A group's robots; the keys are secrets and never logged.</summary>
public sealed record GroupAddress(string GroupId, string? WeComWebhookKey, string? DingTalkAccessToken, string? DingTalkSecret);

/// <summary>What one send achieved for one recipient.</summary>
/// <param name="Status"><see cref="ReminderDeliveryStatus.Sent"/>, <see cref="ReminderDeliveryStatus.Invalid"/> or <see cref="ReminderDeliveryStatus.Failed"/>.</param>
/// <param name="ErrCode">The channel's error code, if it gave one.</param>
/// <param name="Error">A short, data-free reason, e.g. <c>RateLimited</c>.</param>
/// <param name="RateLimited">True when the channel asked to slow down: the retry waits for the limit's window.</param>
/// <param name="Unsent">For a failure after the first parts of a long text went out: the rest of the text, which is all
/// a retry may send (<see cref="ReminderDelivery.UnsentText"/>); null when nothing went out.</param>
/// <param name="Unanswered">True for a failure without an answer (timeout, dropped connection): the channel may have
/// delivered it, so it is not sent in the member's other app at once.</param>
public sealed record DeliveryOutcome(ReminderDeliveryStatus Status, int? ErrCode = null, string? Error = null, bool RateLimited = false, string? Unsent = null, bool Unanswered = false)
{
    public static DeliveryOutcome Sent { get; } = new(ReminderDeliveryStatus.Sent);

    public static DeliveryOutcome Invalid { get; } = new(ReminderDeliveryStatus.Invalid, Error: "InvalidUser");
}

/// <summary>
/// A way to deliver reminders: WeCom and DingTalk. A member gets a reminder from one channel only: the one of their
/// preferred app when it can reach them, else the first registered one that can (<see cref="ReminderRouting"/>). A
/// group gets one from each channel whose robot is in it (each app's group is its own chat). A channel never throws for
/// a failed delivery: it reports it per recipient.
/// </summary>
public interface IReminderChannel
{
    /// <summary>Recorded in the ledger, e.g. <c>WeCom</c>.</summary>
    string Name { get; }

    /// <summary>Members one call of the channel's API reaches (WeCom 1000, DingTalk 20).</summary>
    int MembersPerCall { get; }

    /// <summary>Messages a group robot accepts per minute; the dispatcher defers what would exceed it.</summary>
    int GroupMessagesPerMinute { get; }

    bool CanReach(MemberAddress member);

    bool CanReach(GroupAddress group);

    /// <summary>Sends <paramref name="message"/> to <paramref name="members"/> (batched as the channel needs); one outcome per member id.</summary>
    Task<IReadOnlyDictionary<string, DeliveryOutcome>> SendToMembersAsync(IReadOnlyList<MemberAddress> members, ReminderMessage message, CancellationToken cancellationToken);

    Task<DeliveryOutcome> SendToGroupAsync(GroupAddress group, ReminderMessage message, CancellationToken cancellationToken);
}

/// <summary>Which channel reminds whom.</summary>
public static class ReminderRouting
{
    /// <summary>
    /// The one channel for <paramref name="member"/>: their preferred app's when it can reach them (an id there and the
    /// app configured), else the first of <paramref name="channels"/> that can; null when none can.
    /// </summary>
    public static IReminderChannel? ChannelFor(MemberAddress member, IReadOnlyList<IReminderChannel> channels) =>
        ChannelsFor(member, channels) is [var first, ..] ? first : null;

    /// <summary>Every channel that can reach <paramref name="member"/>: the preferred app's first, then the others in order.</summary>
    public static IReadOnlyList<IReminderChannel> ChannelsFor(MemberAddress member, IReadOnlyList<IReminderChannel> channels)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(channels);
        var preferred = member.PreferredApp?.ToString();
        return [.. channels.Where(c => c.CanReach(member)).OrderBy(c => preferred is not null && c.Name == preferred ? 0 : 1)];
    }

    /// <summary>
    /// The chats of <paramref name="group"/> to remind: the name of every channel whose robot is in it, or one empty
    /// chat when none is (recorded as NoChannel).
    /// </summary>
    public static IReadOnlyList<string> ChatsOf(GroupAddress? group, IReadOnlyList<IReminderChannel> channels)
    {
        ArgumentNullException.ThrowIfNull(channels);
        var chats = group is null ? [] : channels.Where(c => c.CanReach(group)).Select(c => c.Name).Distinct(StringComparer.Ordinal).ToList();
        return chats.Count == 0 ? [string.Empty] : chats;
    }
}
