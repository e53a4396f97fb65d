using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Linping.CppccBot.Hosting;

/// <summary>Staff access (section <c>Admin</c>): the staff API, the staff console and the Hangfire dashboard.</summary>
public sealed class AdminOptions : IValidatableObject
{
    public const string SectionName = "Admin";

    /// <summary>The bearer key of staff requests; unset turns staff access off.</summary>
    public string? ApiKey { get; set; }

    /// <summary>A second secret that opens the staff console <c>/console</c> only (not the API, not its job dashboard); unset: the console takes the key alone.</summary>
    public string? StaffPassword { get; set; }

    /// <summary>
    /// A PKCS#12 file (.pfx) with an RSA certificate and its private key that encrypts the staff console's
    /// data-protection keys where they are stored (the database); unset: they are stored unencrypted. Every host of a
    /// deployment needs the same file.
    /// </summary>
    public string? ConsoleKeyCertificate { get; set; }

    /// <summary>The password of <see cref="ConsoleKeyCertificate"/>, if it has one.</summary>
    public string? ConsoleKeyCertificatePassword { get; set; }

    public bool IsEnabled => !string.IsNullOrEmpty(ApiKey);

    /// <summary>Loads <see cref="ConsoleKeyCertificate"/>; null when unset. The staff console calls it while registering its services, so a bad file stops the start.</summary>
    /// <exception cref="SettingException">The file cannot be read, or holds no RSA private key.</exception>
    public X509Certificate2? LoadConsoleKeyCertificate()
    {
        if (string.IsNullOrEmpty(ConsoleKeyCertificate))
        {
            return null;
        }

        if (!File.Exists(ConsoleKeyCertificate))
        {
            throw new SettingException($"Admin:ConsoleKeyCertificate: the file '{ConsoleKeyCertificate}' was not found.");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(
                ConsoleKeyCertificate, string.IsNullOrEmpty(ConsoleKeyCertificatePassword) ? null : ConsoleKeyCertificatePassword, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            // The message names the file's problem (not found, wrong password, not PKCS#12), never the password.
            throw new SettingException($"Admin:ConsoleKeyCertificate cannot be read as a PKCS#12 file with Admin:ConsoleKeyCertificatePassword: {ex.Message}", ex);
        }

        using var key = certificate.GetRSAPrivateKey();
        if (key is null)
        {
            certificate.Dispose();
            throw new SettingException("Admin:ConsoleKeyCertificate holds no RSA private key; the console's keys need one to be encrypted and read back.");
        }

        return certificate;
    }

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

        // ConsoleKeyCertificate is checked where it is loaded, once, while the host's services are registered.
    }
}
