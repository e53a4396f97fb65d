using System.ComponentModel.DataAnnotations;
using Linping.CppccBot.Persistence.Entities;

namespace Linping.CppccBot.Features.Reminders;

/// <summary>When reminders go out (section <c>Reminders</c>).</summary>
public sealed class ReminderOptions : IValidatableObject
{
    public const string SectionName = "Reminders";

    /// <summary>How long before a meeting starts reminders go out. Replaced, not merged, when set.</summary>
    public List<TimeSpan> Offsets { get; set; } = [];

    /// <summary>Offsets for one meeting type instead of <see cref="Offsets"/>, e.g. <c>"Reminders:OffsetsByType:PlenarySession"</c>.</summary>
    public Dictionary<MeetingType, List<TimeSpan>> OffsetsByType { get; set; } = [];

    /// <summary>How long a claimed reminder may stay unsent before another run takes it over (a crashed run).</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How recent a proposal's 已交办 or 已答复 (or a due evaluation reminder) must be to be sent: importing old data
    /// does not send members years-old news.
    /// </summary>
    public TimeSpan ProposalNewsWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long after 已答复 proposers who have not evaluated the handling are reminded to, once.</summary>
    public TimeSpan EvaluationReminderAfter { get; set; } = TimeSpan.FromDays(15);

    public const string DefaultSchedule = "* * * * *";

    /// <summary>
    /// The cron schedule of the dispatcher in <c>Bot:TimeZone</c>, every minute by default. Empty: this host runs no
    /// background jobs (another host sharing the database and Redis does).
    /// </summary>
    public string Schedule { get; set; } = DefaultSchedule;

    /// <summary>The defaults of CONTRACT.md, used when the setting is absent.</summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultOffsets = [TimeSpan.FromDays(1), TimeSpan.FromHours(2)];

    /// <summary>The offsets for <paramref name="type"/>, smallest first.</summary>
    public IReadOnlyList<TimeSpan> OffsetsFor(MeetingType type)
    {
        var offsets = OffsetsByType.TryGetValue(type, out var specific) ? specific : Offsets.Count > 0 ? Offsets : DefaultOffsets;
        return [.. offsets.Distinct().Order()];
    }

    // Five fields (minute precision) or six (seconds first), as Hangfire's cron parser takes them, each number within
    // its field's range ("99 * * * *" would otherwise pass here and stop the start inside Hangfire).
    private static bool IsCron(string expression)
    {
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is not (5 or 6) || !fields.All(f => f.All(c => char.IsAsciiLetterOrDigit(c) || "*/,-?#".Contains(c, StringComparison.Ordinal))))
        {
            return false;
        }

        (int Min, int Max)[] ranges = fields.Length == 6
            ? [(0, 59), (0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]
            : [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)];
        return fields.Zip(ranges).All(pair => pair.First.Split(',').All(part => InRange(part, pair.Second.Min, pair.Second.Max)));
    }

    // "a", "a-b", "*/n", "a-b/n", "a/n", "5#2", "L": every number a value of the field, a step from 1 to its maximum.
    private static bool InRange(string part, int min, int max)
    {
        var slash = part.IndexOf('/', StringComparison.Ordinal);
        var values = slash < 0 ? part : part[..slash];
        if (slash >= 0 && !(int.TryParse(part[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var step) && step >= 1 && step <= max))
        {
            return false;
        }

        var hash = values.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            values = values[..hash];
        }

        return values.Split('-').All(v => v.Length == 0 || !v.All(char.IsAsciiDigit)
            || (int.TryParse(v, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= min && n <= max));
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var all = Offsets.Select(o => (Key: $"{SectionName}:{nameof(Offsets)}", Offset: o))
            .Concat(OffsetsByType.SelectMany(kv => kv.Value.Select(o => (Key: $"{SectionName}:{nameof(OffsetsByType)}:{kv.Key}", Offset: o))));
        foreach (var (key, offset) in all)
        {
            if (offset <= TimeSpan.Zero || offset > TimeSpan.FromDays(30))
            {
                yield return new ValidationResult($"{key}: {offset} must be more than zero and at most 30 days.", [nameof(Offsets)]);
            }
        }

        if (!string.IsNullOrWhiteSpace(Schedule) && !IsCron(Schedule))
        {
            yield return new ValidationResult($"{SectionName}:{nameof(Schedule)} '{Schedule}' is not a cron expression.", [nameof(Schedule)]);
        }

        if (ProposalNewsWindow < TimeSpan.FromHours(1) || ProposalNewsWindow > TimeSpan.FromDays(366))
        {
            yield return new ValidationResult($"{SectionName}:{nameof(ProposalNewsWindow)} must be at least an hour and at most 366 days.", [nameof(ProposalNewsWindow)]);
        }

        if (EvaluationReminderAfter < TimeSpan.FromHours(1) || EvaluationReminderAfter > TimeSpan.FromDays(366))
        {
            yield return new ValidationResult($"{SectionName}:{nameof(EvaluationReminderAfter)} must be at least an hour and at most 366 days.", [nameof(EvaluationReminderAfter)]);
        }

        if (ClaimLease < TimeSpan.FromMinutes(1))
        {
            yield return new ValidationResult($"{SectionName}:{nameof(ClaimLease)} must be at least a minute.", [nameof(ClaimLease)]);
        }
    }
}
