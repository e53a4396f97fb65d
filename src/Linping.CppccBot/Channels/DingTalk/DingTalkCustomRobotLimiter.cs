namespace Linping.CppccBot.Channels.DingTalk;

/// <summary>
/// Keeps each custom group robot under DingTalk's 20 messages per minute (exceeding it blocks the robot for 10 minutes):
/// a sliding one-minute window per robot access token, in this process.
/// </summary>
public sealed class DingTalkCustomRobotLimiter
{
    public const int MessagesPerMinute = 20;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, Queue<DateTimeOffset>> _sent = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Counts one message for <paramref name="robot"/> at <paramref name="now"/>; false when the minute is full.</summary>
    public bool TryTake(string robot, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_sent.TryGetValue(robot, out var times))
            {
                times = new Queue<DateTimeOffset>();
                _sent[robot] = times;
            }

            while (times.Count > 0 && now - times.Peek() >= Window)
            {
                times.Dequeue();
            }

            if (times.Count >= MessagesPerMinute)
            {
                return false;
            }

            times.Enqueue(now);
            return true;
        }
    }
}
