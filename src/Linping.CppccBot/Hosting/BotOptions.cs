using System.ComponentModel.DataAnnotations;

namespace Linping.CppccBot;

/// <summary>General settings of the bot (section <c>Bot</c>).</summary>
public sealed class BotOptions : IValidatableObject
{
    public const string SectionName = "Bot";

    /// <summary>The time zone members live in. Every time shown to a member and every schedule uses it.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Bot:TimeZone must not be empty.")]
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Whom someone who is not on the roster should contact, as shown to them.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Bot:SupportContact must not be empty.")]
    public string SupportContact { get; set; } = "区政协办公室";

    /// <summary>The time zone of <see cref="TimeZone"/>; a method, not a property, so validation never calls it on a bad value.</summary>
    public TimeZoneInfo ResolveTimeZone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return new ValidationResult($"Bot:TimeZone '{TimeZone}' is not a time zone this machine knows (install tzdata).", [nameof(TimeZone)]);
        }
    }
}
