using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Linping.CppccBot.Hosting;

/// <summary>
/// The bot's own instruments, on the meter <see cref="MeterName"/>. Tags carry only bounded, code-defined values
/// (channel, intent name, API path, error class, reminder source): never a user id, a text, a token or a URL query.
/// </summary>
public sealed class BotMetrics
{
    public const string MeterName = "Linping.CppccBot";

    private readonly Counter<long> _messagesReceived;
    private readonly Histogram<double> _replyDuration;
    private readonly Counter<long> _apiCalls;
    private readonly Counter<long> _apiFailures;
    private readonly Counter<long> _remindersDue;
    private readonly Counter<long> _remindersSent;
    private readonly Counter<long> _remindersFailed;
    private readonly Counter<long> _remindersInvalid;

    public BotMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _messagesReceived = meter.CreateCounter<long>("cppccbot.messages.received", "{message}", "Member messages and events that reached the conversation core, per channel and recognised intent.");
        _replyDuration = meter.CreateHistogram<double>("cppccbot.reply.duration", "ms", "Time from a message reaching the conversation core to its replies being ready.");
        _apiCalls = meter.CreateCounter<long>("cppccbot.api.calls", "{call}", "Outbound calls to the WeCom and DingTalk APIs, per API and outcome.");
        _apiFailures = meter.CreateCounter<long>("cppccbot.api.failures", "{call}", "Outbound API calls that failed, per API and error class.");
        _remindersDue = meter.CreateCounter<long>("cppccbot.reminders.due", "{reminder}", "Reminders a dispatcher run claimed to send (first tries and retries).");
        _remindersSent = meter.CreateCounter<long>("cppccbot.reminders.sent", "{reminder}", "Reminders delivered.");
        _remindersFailed = meter.CreateCounter<long>("cppccbot.reminders.failed", "{reminder}", "Reminders that failed this run and wait for a retry.");
        _remindersInvalid = meter.CreateCounter<long>("cppccbot.reminders.invalid", "{reminder}", "Reminders refused for good: the recipient is invalid or has no channel.");
    }

    /// <summary>One message handled by the conversation core.</summary>
    public void MessageHandled(string channel, string intent, double elapsedMs)
    {
        var channelTag = new KeyValuePair<string, object?>("channel", channel);
        _messagesReceived.Add(1, channelTag, new KeyValuePair<string, object?>("intent", intent));
        _replyDuration.Record(elapsedMs, channelTag);
    }

    /// <summary>One outbound API call; <paramref name="errorClass"/> is null when it succeeded.</summary>
    public void ApiCall(string channel, string api, string? errorClass)
    {
        var tags = new TagList
        {
            { "channel", channel },
            { "api", api },
            { "outcome", errorClass is null ? "ok" : "error" },
        };
        _apiCalls.Add(1, tags);
        if (errorClass is not null)
        {
            _apiFailures.Add(1, new TagList { { "channel", channel }, { "api", api }, { "error_class", errorClass } });
        }
    }

    /// <summary>What one reminder dispatcher run did; <paramref name="source"/> is <c>meeting</c> or <c>proposal_news</c>.</summary>
    public void RemindersRun(string source, int due, int sent, int failed, int invalid)
    {
        var tag = new KeyValuePair<string, object?>("source", source);
        Add(_remindersDue, due, tag);
        Add(_remindersSent, sent, tag);
        Add(_remindersFailed, failed, tag);
        Add(_remindersInvalid, invalid, tag);
    }

    private static void Add(Counter<long> counter, int value, KeyValuePair<string, object?> tag)
    {
        if (value > 0)
        {
            counter.Add(value, tag);
        }
    }
}
