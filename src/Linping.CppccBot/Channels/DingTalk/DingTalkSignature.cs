using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Linping.CppccBot.Channels.DingTalk;

/// <summary>
/// DingTalk's HMAC-SHA256 signature: Base64(HMAC-SHA256(key = secret, data = timestamp + "\n" + secret)), UTF-8.
/// The HTTP callback sends it raw in the <c>sign</c> header; a custom group robot takes it URL-encoded in the query.
/// </summary>
public static class DingTalkSignature
{
    /// <summary>How far a callback's timestamp may be from now (DingTalk's rule: one hour).</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromHours(1);

    /// <summary>The raw Base64 signature of <paramref name="timestamp"/> (the header string, verbatim).</summary>
    public static string Compute(string timestamp, string secret)
    {
        ArgumentNullException.ThrowIfNull(timestamp);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "\n" + secret));
        return Convert.ToBase64String(mac);
    }

    /// <summary>
    /// True when <paramref name="sign"/> is the signature of <paramref name="timestamp"/> (compared in constant time)
    /// and the timestamp (ms since the epoch) is within <see cref="Tolerance"/> of <paramref name="now"/>.
    /// </summary>
    public static bool Verify(string? timestamp, string? sign, string secret, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(sign)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
            || milliseconds > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Compute(timestamp, secret));
        var given = Encoding.UTF8.GetBytes(sign);
        var signatureOk = CryptographicOperations.FixedTimeEquals(expected, given);
        var timeOk = (now - DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)).Duration() <= Tolerance;
        return signatureOk && timeOk;
    }
}
