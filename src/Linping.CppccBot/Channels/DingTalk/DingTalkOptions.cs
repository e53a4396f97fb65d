using System.ComponentModel.DataAnnotations;

namespace Linping.CppccBot.Channels.DingTalk;

/// <summary>How the bot receives DingTalk robot messages.</summary>
public enum DingTalkMode
{
    /// <summary>The bot opens an outbound WebSocket to DingTalk's Stream gateway; no public address needed.</summary>
    Stream,

    /// <summary>DingTalk posts each message to <c>POST /dingtalk/callback</c> (signed with <c>timestamp</c> and <c>sign</c>).</summary>
    Http,
}

/// <summary>
/// The DingTalk (钉钉) enterprise-internal app and its robot (section <c>DingTalk</c>). The channel is off when
/// ClientId and ClientSecret are both missing; a setting that is present but malformed stops the start.
/// </summary>
public sealed class DingTalkOptions : IValidatableObject
{
    public const string SectionName = "DingTalk";

    /// <summary>The app's ClientID (AppKey).</summary>
    public string? ClientId { get; set; }

    /// <summary>The app's ClientSecret (AppSecret): signs HTTP callbacks, opens Stream connections, gets access tokens.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The robot code for proactive sends; for an internal-app robot it normally equals the ClientID.</summary>
    public string? RobotCode { get; set; }

    /// <summary><c>Stream</c> (default) or <c>Http</c>.</summary>
    public DingTalkMode Mode { get; set; } = DingTalkMode.Stream;

    /// <summary>The new-API root (<c>/v1.0/...</c>); tests and the local chat point it at a fake.</summary>
    public Uri ApiBaseUrl { get; set; } = new("https://api.dingtalk.com");

    /// <summary>The old-API root; a message's <c>sessionWebhook</c> must live under it to be used.</summary>
    public Uri OapiBaseUrl { get; set; } = new("https://oapi.dingtalk.com");

    /// <summary>
    /// How long a call to the DingTalk API (token, batchSend, session webhook, custom robot) may take before it is given
    /// up; a reminder that timed out is retried by a later run.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:02:00", ErrorMessage = "DingTalk:ApiTimeout must be between 00:00:01 and 00:02:00.")]
    public TimeSpan ApiTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest HTTP callback body accepted, in bytes.</summary>
    [Range(1024, 1024 * 1024, ErrorMessage = "DingTalk:MaxBodyBytes must be between {1} and {2}.")]
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>True when the channel runs.</summary>
    public bool IsEnabled => !string.IsNullOrEmpty(ClientId) && !string.IsNullOrEmpty(ClientSecret);

    /// <summary>The robot code used for OpenAPI sends: <see cref="RobotCode"/>, else the ClientID.</summary>
    public string? EffectiveRobotCode => string.IsNullOrEmpty(RobotCode) ? ClientId : RobotCode;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrEmpty(ClientId) != string.IsNullOrEmpty(ClientSecret))
        {
            var missing = string.IsNullOrEmpty(ClientId) ? nameof(ClientId) : nameof(ClientSecret);
            yield return new ValidationResult($"DingTalk:{missing} is missing; DingTalk:ClientId and DingTalk:ClientSecret go together.", [missing]);
        }

        if (!string.IsNullOrEmpty(RobotCode) && !IsEnabled)
        {
            yield return new ValidationResult("DingTalk:RobotCode is set but DingTalk:ClientId and DingTalk:ClientSecret are not.", [nameof(RobotCode)]);
        }

        if (!Enum.IsDefined(Mode))
        {
            yield return new ValidationResult("DingTalk:Mode must be Stream or Http.", [nameof(Mode)]);
        }

        foreach (var (name, url) in new[] { (nameof(ApiBaseUrl), ApiBaseUrl), (nameof(OapiBaseUrl), OapiBaseUrl) })
        {
            if (url is null || !url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            {
                yield return new ValidationResult($"DingTalk:{name} must be an absolute http(s) URL.", [name]);
            }
        }
    }
}
