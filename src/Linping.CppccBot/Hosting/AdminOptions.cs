using System.ComponentModel.DataAnnotations;

namespace Linping.CppccBot.Hosting;

/// <summary>Staff access (section <c>Admin</c>): the staff API, the staff console and the Hangfire dashboard.</summary>
public sealed class AdminOptions : IValidatableObject
{
    public const string SectionName = "Admin";

    /// <summary>The bearer key of staff requests; unset turns staff access off.</summary>
    public string? ApiKey { get; set; }

    /// <summary>A second secret that opens the staff console <c>/console</c> only (not the API); unset: the console takes the key alone.</summary>
    public string? StaffPassword { get; set; }

    public bool IsEnabled => !string.IsNullOrEmpty(ApiKey);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(ApiKey) && ApiKey.Length < 16)
        {
            yield return new ValidationResult("Admin:ApiKey must be at least 16 characters long.", [nameof(ApiKey)]);
        }

        if (!string.IsNullOrEmpty(StaffPassword) && StaffPassword.Length < 12)
        {
            yield return new ValidationResult("Admin:StaffPassword must be at least 12 characters long.", [nameof(StaffPassword)]);
        }
    }
}
