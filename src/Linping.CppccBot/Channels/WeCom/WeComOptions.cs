using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace Linping.CppccBot.Channels.WeCom;

/// <summary>
/// The WeCom (企业微信) self-built app (section <c>WeCom</c>). The channel is off when CorpId, Token and
/// EncodingAESKey are all missing; a setting that is present but malformed stops the start.
/// </summary>
public sealed partial class WeComOptions : IValidatableObject
{
    public const string SectionName = "WeCom";

    /// <summary>The corp id; also the <c>receiveid</c> every callback must carry.</summary>
    public string? CorpId { get; set; }

    /// <summary>The self-built app's agent id, for active sends.</summary>
    public int? AgentId { get; set; }

    /// <summary>The app secret, for <c>gettoken</c>. Without it the bot can only answer passively.</summary>
    public string? Secret { get; set; }

    /// <summary>The callback signing token (letters and digits, at most 32).</summary>
    public string? Token { get; set; }

    /// <summary>The 43-character callback AES key.</summary>
    public string? EncodingAESKey { get; set; }

    /// <summary>The WeCom API root; tests and the local chat point it at a fake.</summary>
    public Uri ApiBaseUrl { get; set; } = new("https://qyapi.weixin.qq.com");

    /// <summary>
    /// How long a callback waits for the answer to send it as the encrypted passive reply. WeCom waits 5 s; an answer
    /// not ready within this budget goes out through <c>message/send</c> instead.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:04", ErrorMessage = "WeCom:PassiveReplyBudget must be between 00:00:00.100 and 00:00:04.")]
    public TimeSpan PassiveReplyBudget { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long one call to the WeCom API may take before it is given up as a network failure (retried by the reminder
    /// ledger; logged for a late answer). A WeCom that accepts the connection but never answers must not hang a send.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:02:00", ErrorMessage = "WeCom:ApiTimeout must be between 00:00:01 and 00:02:00.")]
    public TimeSpan ApiTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest callback body accepted, in bytes. Real callbacks are a few kilobytes.</summary>
    [Range(1024, 1024 * 1024, ErrorMessage = "WeCom:MaxBodyBytes must be between {1} and {2}.")]
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>How far a callback's timestamp may be from now before it is refused as stale or replayed.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00", ErrorMessage = "WeCom:TimestampTolerance must be between 00:01:00 and 1.00:00:00.")]
    public TimeSpan TimestampTolerance { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>True when the callback can be served.</summary>
    public bool IsEnabled => !string.IsNullOrEmpty(CorpId) && !string.IsNullOrEmpty(Token) && !string.IsNullOrEmpty(EncodingAESKey);

    /// <summary>True when the bot can also send actively (late answers, reminders).</summary>
    public bool CanSend => IsEnabled && !string.IsNullOrEmpty(Secret) && AgentId is not null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var present = new[] { CorpId, Token, EncodingAESKey }.Count(v => !string.IsNullOrEmpty(v));
        if (present is > 0 and < 3)
        {
            foreach (var (name, value) in new[] { (nameof(CorpId), CorpId), (nameof(Token), Token), (nameof(EncodingAESKey), EncodingAESKey) })
            {
                if (string.IsNullOrEmpty(value))
                {
                    yield return new ValidationResult($"WeCom:{name} is missing; WeCom:CorpId, WeCom:Token and WeCom:EncodingAESKey go together.", [name]);
                }
            }
        }

        if (!string.IsNullOrEmpty(EncodingAESKey) && !AesKeyPattern().IsMatch(EncodingAESKey))
        {
            yield return new ValidationResult("WeCom:EncodingAESKey must be exactly 43 letters and digits, as the WeCom console shows it.", [nameof(EncodingAESKey)]);
        }

        if (!string.IsNullOrEmpty(Token) && !TokenPattern().IsMatch(Token))
        {
            yield return new ValidationResult("WeCom:Token must be 1 to 32 letters and digits.", [nameof(Token)]);
        }

        if (AgentId is <= 0)
        {
            yield return new ValidationResult("WeCom:AgentId must be a positive number.", [nameof(AgentId)]);
        }

        if (!ApiBaseUrl.IsAbsoluteUri || (ApiBaseUrl.Scheme != Uri.UriSchemeHttps && ApiBaseUrl.Scheme != Uri.UriSchemeHttp))
        {
            yield return new ValidationResult("WeCom:ApiBaseUrl must be an absolute http(s) URL.", [nameof(ApiBaseUrl)]);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9]{43}$")]
    private static partial Regex AesKeyPattern();

    [GeneratedRegex("^[A-Za-z0-9]{1,32}$")]
    private static partial Regex TokenPattern();
}
