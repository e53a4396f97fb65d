using System.ComponentModel.DataAnnotations;

namespace Linping.CppccBot.Conversations;

/// <summary>Settings of the conversation core (section <c>Conversations</c>).</summary>
public sealed class ConversationOptions
{
    public const string SectionName = "Conversations";

    /// <summary>
    /// How long a conversation's state is kept after the member's last message. Longer than any dialog timeout, so a
    /// member who comes back to an expired dialog is told so instead of finding it silently gone.
    /// </summary>
    [Range(typeof(TimeSpan), "00:05:00", "90.00:00:00", ErrorMessage = "Conversations:StateTimeToLive must be between 00:05:00 and 90.00:00:00.")]
    public TimeSpan StateTimeToLive { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a dialog waits for the member's next message before it expires.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00", ErrorMessage = "Conversations:DialogTimeout must be between 00:01:00 and 7.00:00:00.")]
    public TimeSpan DialogTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a delivery id is remembered to drop the platform's redeliveries of the same message.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00", ErrorMessage = "Conversations:DeduplicationWindow must be between 00:01:00 and 7.00:00:00.")]
    public TimeSpan DeduplicationWindow { get; set; } = TimeSpan.FromHours(1);
}
