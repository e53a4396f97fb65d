using Linping.CppccBot.Conversations;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Infrastructure;

/// <summary>
/// Scripts a conversation with the bot without HTTP, the way Bot Builder's TestFlow does: send a text or an event
/// as a given channel user and read the replies. It runs the host's real <see cref="TurnHandler"/> with everything
/// registered in the host (roster, state store, recognizer, dialogs).
/// </summary>
public sealed class BotTestClient(IServiceProvider services, string userId, string channel = ChannelNames.WeCom)
{
    private int _sequence;

    public string UserId { get; } = userId;

    public async Task<IReadOnlyList<string>> SendAsync(string text) =>
        await RunAsync(InboundMessage.FromText(channel, UserId, text, NextDeliveryId(), Now()));

    public async Task<IReadOnlyList<string>> SendEventAsync(string eventName, string? eventKey = null) =>
        await RunAsync(new InboundMessage
        {
            Channel = channel,
            UserId = UserId,
            ConversationId = UserId,
            DeliveryId = NextDeliveryId(),
            Kind = InboundKind.Event,
            EventName = eventName,
            EventKey = eventKey,
            SentAt = Now(),
        });

    public async Task<IReadOnlyList<string>> SendUnsupportedAsync(string messageType) =>
        await RunAsync(new InboundMessage
        {
            Channel = channel,
            UserId = UserId,
            ConversationId = UserId,
            DeliveryId = NextDeliveryId(),
            Kind = InboundKind.Unsupported,
            UnsupportedType = messageType,
            SentAt = Now(),
        });

    /// <summary>Sends <paramref name="text"/> and returns the single reply, failing when there is not exactly one.</summary>
    public async Task<string> AskAsync(string text) => Assert.Single(await SendAsync(text));

    public BotScript Script() => new(this);

    private async Task<IReadOnlyList<string>> RunAsync(InboundMessage message)
    {
        await using var scope = services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<TurnHandler>().HandleAsync(message, TestContext.Current.CancellationToken);
        return [.. result.Replies.Select(r => r.Text)];
    }

    private string NextDeliveryId() => $"test:{UserId}:{Interlocked.Increment(ref _sequence)}:{Guid.NewGuid():N}";

    private DateTimeOffset Now() => services.GetRequiredService<TimeProvider>().GetUtcNow();
}

/// <summary>A conversation as a script: <c>Send("帮助").Expect("会议").Send(...)...RunAsync()</c>.</summary>
public sealed class BotScript(BotTestClient client)
{
    private readonly List<Func<Queue<string>, Task>> _steps = [];

    public BotScript Send(string text)
    {
        _steps.Add(async pending =>
        {
            Assert.True(pending.Count == 0, $"Unexpected replies before sending \"{text}\": {string.Join(" | ", pending)}");
            foreach (var reply in await client.SendAsync(text))
            {
                pending.Enqueue(reply);
            }
        });
        return this;
    }

    /// <summary>Expects the next reply to contain every one of <paramref name="fragments"/>.</summary>
    public BotScript Expect(params string[] fragments)
    {
        _steps.Add(pending =>
        {
            Assert.True(pending.Count > 0, $"Expected a reply containing \"{string.Join("\", \"", fragments)}\" but there was none.");
            var reply = pending.Dequeue();
            foreach (var fragment in fragments)
            {
                Assert.Contains(fragment, reply, StringComparison.Ordinal);
            }

            return Task.CompletedTask;
        });
        return this;
    }

    public async Task RunAsync()
    {
        var pending = new Queue<string>();
        foreach (var step in _steps)
        {
            await step(pending);
        }

        Assert.True(pending.Count == 0, $"Unexpected replies at the end: {string.Join(" | ", pending)}");
    }
}
