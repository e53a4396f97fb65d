using System.ComponentModel.DataAnnotations;

namespace Linping.CppccBot.Hosting;

/// <summary>Staff access (section <c>Admin</c>): the staff API and the Hangfire dashboard.</summary>
public sealed class AdminOptions : IValidatableObject
{
    public const string SectionName = "Admin";

    /// <summary>The bearer key of staff requests; unset turns staff access off.</summary>
    public string? ApiKey { get; set; }

    public bool IsEnabled => !string.IsNullOrEmpty(ApiKey);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(ApiKey) && ApiKey.Length < 16)
        {
            yield return new ValidationResult("Admin:ApiKey must be at least 16 characters long.", [nameof(ApiKey)]);
        }
    }
}
