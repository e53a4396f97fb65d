using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Linping.CppccBot.Channels.DingTalk;
using Linping.CppccBot.LocalChat.FakeDingTalk;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Linping.CppccBot.Tests.Channels.DingTalk;

/// <summary>The real host with the DingTalk channel on, against the fake DingTalk on loopback, sharing the host's fake clock.</summary>
public sealed partial class DingTalkHost : IAsyncDisposable
{
    public const string ClientId = "dingtestapp0000001";
    public const string ClientSecret = "test-dingtalk-client-secret";

    private DingTalkHost(BotHostFactory host, FakeDingTalkServer fake, CapturingLoggerProvider logs)
    {
        Host = host;
        Fake = fake;
        Logs = logs;
    }

    public BotHostFactory Host { get; }

    public FakeDingTalkServer Fake { get; }

    public CapturingLoggerProvider Logs { get; }

    /// <summary>Starts the fake and the host; <paramref name="mode"/> is <c>Http</c> or <c>Stream</c>.</summary>
    public static async Task<DingTalkHost> StartAsync(string mode = "Http", Action<BotHostFactory>? configure = null, IReadOnlyCollection<string>? knownStaffIds = null, IReadOnlyDictionary<string, string?>? customRobots = null)
    {
        var logs = new CapturingLoggerProvider();
        var host = new BotHostFactory().WithServices(s => s.AddSingleton<ILoggerProvider>(logs));
        var fake = await FakeDingTalkServer.StartAsync(new FakeDingTalkOptions { ClientId = ClientId, ClientSecret = ClientSecret, TimeProvider = host.Time, KnownStaffIds = knownStaffIds, CustomRobots = customRobots ?? new Dictionary<string, string?>() });
        host.Settings["DingTalk:ClientId"] = ClientId;
        host.Settings["DingTalk:ClientSecret"] = ClientSecret;
        host.Settings["DingTalk:Mode"] = mode;
        host.Settings["DingTalk:ApiBaseUrl"] = fake.BaseAddress.ToString();
        host.Settings["DingTalk:OapiBaseUrl"] = fake.BaseAddress.ToString();
        configure?.Invoke(host);
        _ = host.Server; // starts the host (and, in Stream mode, its connection)
        return new DingTalkHost(host, fake, logs);
    }

    private long _requests;

    /// <summary>Posts <paramref name="json"/> to <c>/dingtalk/callback</c>, signed as DingTalk signs it unless told otherwise.</summary>
    public async Task<(HttpStatusCode Status, string Body)> PostCallbackAsync(string json, string? timestamp = null, string? sign = null, bool withHeaders = true)
    {
        // DingTalk stamps each request with the millisecond it sends it: one request after another here, on a clock that
        // stands still, a millisecond apart.
        var ts = timestamp ?? (Host.Time.GetUtcNow().ToUnixTimeMilliseconds() + Interlocked.Increment(ref _requests)).ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/dingtalk/callback", UriKind.Relative))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (withHeaders)
        {
            request.Headers.Add("timestamp", ts);
            request.Headers.Add("sign", sign ?? DingTalkSignature.Compute(ts, ClientSecret));
        }

        using var client = Host.CreateClient();
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>
    /// Sends <paramref name="text"/> as <paramref name="staffId"/> through the callback and returns every reply of the turn
    /// the fake received (as many as the host's turn log says, one for someone not on the roster), joined like a passive reply.
    /// </summary>
    public async Task<string> SayAsync(string staffId, string text)
    {
        var before = Fake.Messages.Count;
        var turnsBefore = TurnLines().Count;
        var (status, _) = await PostCallbackAsync(Fake.RobotMessageJson(staffId, text));
        Assert.Equal(HttpStatusCode.OK, status);
        await Fake.WaitForMessagesAsync(before + 1);
        var turns = TurnLines();
        var expected = turns.Count > turnsBefore && ReplyCount().Match(turns[^1]) is { Success: true } match
            ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : 1;
        var messages = await Fake.WaitForMessagesAsync(before + expected);
        return string.Join("\n\n", messages.Skip(before).Select(m => m.Text));
    }

    private List<string> TurnLines() => [.. Logs.Lines.Where(l => l.Contains("Turn on dingtalk", StringComparison.Ordinal))];

    [GeneratedRegex(@"[\[;]ReplyCount=(\d+)[;\]]")]
    private static partial Regex ReplyCount();

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Fake.DisposeAsync();
    }
}
