using Linping.CppccBot.Conversations;
using Linping.CppccBot.Tests.Channels.DingTalk;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Linping.CppccBot.Tests.Infrastructure;

/// <summary>
/// A member chatting with a fresh real host through one channel's real path, so one conversation table runs on every
/// channel: WeCom (encrypted callback, passive reply) or DingTalk (signed HTTP callback, session-webhook reply to the fake).
/// Members are named by their WeCom user id; on DingTalk the demo roster's id is the same with a <c>dt-</c> prefix.
/// </summary>
public abstract class ChannelChat : IAsyncDisposable
{
    public static readonly string[] Channels = [ChannelNames.WeCom, ChannelNames.DingTalk];

    public abstract string Channel { get; }

    /// <summary>The host behind the chat, to arrange data and read what was stored.</summary>
    public abstract BotHostFactory Host { get; }

    /// <summary>Every log line of the host.</summary>
    public abstract CapturingLoggerProvider Logs { get; }

    public static async Task<ChannelChat> StartAsync(string channel) => channel switch
    {
        ChannelNames.WeCom => new WeComChat(),
        ChannelNames.DingTalk => new DingTalkChat(await DingTalkHost.StartAsync("Http")),
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "No chat for this channel."),
    };

    /// <summary>Sends <paramref name="text"/> as the member and returns the whole answer of the turn.</summary>
    public abstract Task<string> SayAsync(string weComUserId, string text);

    public abstract ValueTask DisposeAsync();

    private sealed class WeComChat : ChannelChat
    {
        private readonly CapturingLoggerProvider _logs = new();
        private readonly BotHostFactory _host;
        private readonly WeComCallbackSender _sender;

        public WeComChat()
        {
            _host = new BotHostFactory().WithServices(s => s.AddSingleton<ILoggerProvider>(_logs));
            _sender = new WeComCallbackSender(_host.CreateClient(), _host.Time);
        }

        public override string Channel => ChannelNames.WeCom;

        public override BotHostFactory Host => _host;

        public override CapturingLoggerProvider Logs => _logs;

        public override async Task<string> SayAsync(string weComUserId, string text) => (await _sender.SendTextAsync(weComUserId, text)).ReplyText;

        public override async ValueTask DisposeAsync() => await _host.DisposeAsync();
    }

    private sealed class DingTalkChat(DingTalkHost dingTalk) : ChannelChat
    {
        public override string Channel => ChannelNames.DingTalk;

        public override BotHostFactory Host => dingTalk.Host;

        public override CapturingLoggerProvider Logs => dingTalk.Logs;

        public override Task<string> SayAsync(string weComUserId, string text) => dingTalk.SayAsync("dt-" + weComUserId, text);

        public override ValueTask DisposeAsync() => dingTalk.DisposeAsync();
    }
}
