using System.Globalization;
using System.Net;
using System.Text;
using Linping.CppccBot.Channels.DingTalk;
using Linping.CppccBot.LocalChat.FakeDingTalk;

namespace Linping.CppccBot.LocalChat.Chat;

/// <summary>The DingTalk app the simulator plays: what the host has as <c>DingTalk:ClientId</c> and <c>ClientSecret</c>.</summary>
public sealed record DingTalkAppSettings(string ClientId, string ClientSecret)
{
    /// <summary>The values of the host's <c>appsettings.Development.json</c>.</summary>
    public static DingTalkAppSettings LocalDefaults { get; } = new(LocalChatDefaults.DingTalkClientId, LocalChatDefaults.DingTalkClientSecret);
}

/// <summary>How the host answered one robot callback: its status and body (DingTalk's <c>{"msgtype":"empty"}</c> when taken).</summary>
public sealed record DingTalkCallbackOutcome(HttpStatusCode StatusCode, string Body)
{
    /// <summary>The host took the message; its replies come through the session webhook (or the OpenAPI).</summary>
    public bool Accepted => StatusCode == HttpStatusCode.OK;
}

/// <summary>
/// Plays DingTalk's side of the enterprise robot's HTTP callback against a running host (dingtalk.md §1): builds the
/// robot message JSON with a fresh session webhook on the fake DingTalk (where the bot's replies then arrive), signs the
/// <c>timestamp</c> header with the app secret into <c>sign</c>, and posts it to <c>/dingtalk/callback</c>.
/// </summary>
/// <param name="http">The client; its lifetime is the caller's.</param>
/// <param name="host">The host's root, e.g. <c>http://localhost:5000</c>.</param>
/// <param name="app">The app settings shared with the host.</param>
/// <param name="fake">The fake DingTalk that serves the session webhooks of the messages.</param>
/// <param name="time">The clock of the timestamp; the host refuses one more than an hour from its own clock.</param>
public sealed class DingTalkCallbackSimulator(HttpClient http, Uri host, DingTalkAppSettings app, FakeDingTalkServer fake, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private long _lastTimestamp;

    /// <summary>The callback address the simulator posts to.</summary>
    public Uri CallbackAddress { get; } = new(new Uri(host.ToString().TrimEnd('/') + "/"), "dingtalk/callback");

    /// <summary>A text message from <paramref name="staffId"/>, in the 1:1 chat or, with <paramref name="groupId"/>, in a group @-mentioning the robot.</summary>
    /// <exception cref="HttpRequestException">The host is not reachable.</exception>
    public Task<DingTalkCallbackOutcome> SendTextAsync(string staffId, string text, string? groupId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(staffId);
        ArgumentNullException.ThrowIfNull(text);
        return PostAsync(fake.RobotMessageJson(staffId, text, groupId: groupId), cancellationToken);
    }

    /// <summary>A picture message, to see how the bot answers what it cannot read.</summary>
    public Task<DingTalkCallbackOutcome> SendPictureAsync(string staffId, string? groupId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(staffId);
        return PostAsync(fake.RobotMessageJson(staffId, string.Empty, groupId: groupId, msgType: "picture"), cancellationToken);
    }

    /// <summary>Posts one robot message JSON with the <c>timestamp</c> and <c>sign</c> headers DingTalk sends.</summary>
    public async Task<DingTalkCallbackOutcome> PostAsync(string robotMessageJson, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(robotMessageJson);

        // DingTalk stamps each request with the millisecond it sends it; the host takes each (timestamp, sign) once.
        var milliseconds = _time.GetUtcNow().ToUnixTimeMilliseconds();
        milliseconds = Math.Max(milliseconds, Interlocked.Read(ref _lastTimestamp) + 1);
        Interlocked.Exchange(ref _lastTimestamp, milliseconds);
        var timestamp = milliseconds.ToString(CultureInfo.InvariantCulture);

        using var request = new HttpRequestMessage(HttpMethod.Post, CallbackAddress)
        {
            Content = new StringContent(robotMessageJson, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("timestamp", timestamp);
        request.Headers.Add("sign", DingTalkSignature.Compute(timestamp, app.ClientSecret));
        using var response = await http.SendAsync(request, cancellationToken);
        return new DingTalkCallbackOutcome(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }
}
