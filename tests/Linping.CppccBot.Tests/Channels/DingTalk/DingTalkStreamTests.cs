using System.Text.Json;
using Linping.CppccBot.LocalChat.FakeDingTalk;

namespace Linping.CppccBot.Tests.Channels.DingTalk;

/// <summary>Stream mode of the real host against the fake gateway: frames in, ACKs and session-webhook replies out, reconnects.</summary>
public sealed class DingTalkStreamTests : IAsyncLifetime
{
    private DingTalkHost _dingTalk = null!;

    private FakeDingTalkServer Fake => _dingTalk.Fake;

    public async ValueTask InitializeAsync()
    {
        _dingTalk = await DingTalkHost.StartAsync("Stream");
        await Fake.WaitForConnectionsAsync(1);
    }

    public async ValueTask DisposeAsync() => await _dingTalk.DisposeAsync();

    [Fact]
    public async Task ARobotFrame_IsAcknowledged_AndAnsweredThroughTheSessionWebhook()
    {
        var ack = await Fake.PushRobotMessageAsync(Fake.RobotMessageJson("dt-wangjianguo", "帮助"), messageId: "212ca9d7_974_1898c159aa6_1783b");

        Assert.Equal(200, ack.Code);
        Assert.Equal("212ca9d7_974_1898c159aa6_1783b", ack.MessageId);
        Assert.Equal("OK", ack.Message);
        using (var data = JsonDocument.Parse(ack.Data))
        {
            Assert.Equal(JsonValueKind.Null, data.RootElement.GetProperty("response").ValueKind);
        }

        var reply = Assert.Single(await Fake.WaitForMessagesAsync(1));
        Assert.Equal(FakeDingTalkEndpoint.SessionWebhook, reply.Endpoint);
        Assert.StartsWith("王建国您好", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARedeliveredFrame_IsAcknowledgedAgain_ButTakesEffectOnce()
    {
        var json = Fake.RobotMessageJson("dt-xuhaitao", "我要报名请你来协商", msgId: "msgStreamRedelivery==");

        var first = await Fake.PushRobotMessageAsync(json);
        var second = await Fake.PushRobotMessageAsync(json);
        await Fake.WaitForMessagesAsync(1);
        await Task.Delay(300, TestContext.Current.CancellationToken);

        Assert.Equal(200, first.Code);
        Assert.Equal(200, second.Code);
        Assert.Contains("报名成功", Assert.Single(Fake.Messages).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ping_IsAnsweredWithItsOpaqueData()
    {
        var ack = await Fake.PingAsync("123-dsfs");

        Assert.Equal(200, ack.Code);
        using var data = JsonDocument.Parse(ack.Data);
        Assert.Equal("123-dsfs", data.RootElement.GetProperty("opaque").GetString());
    }

    [Fact]
    public async Task AnUnknownTopic_Gets404_AndAnUnreadableMessageIsStillAcknowledged()
    {
        var unknown = await Fake.PushRobotMessageAsync("{}", topic: "/v1.0/card/instances/callback");
        var unreadable = await Fake.PushRobotMessageAsync("""{"msgtype":"text"}""");

        Assert.Equal(404, unknown.Code);
        Assert.Equal(200, unreadable.Code);
    }

    [Fact]
    public async Task Disconnect_OpensTheNextConnectionBeforeTheOldCloses()
    {
        var ack = await Fake.DisconnectAsync(closeAfter: TimeSpan.FromSeconds(30));

        Assert.Equal(200, ack.Code);
        await Fake.WaitForConnectionsAsync(2);
        await WaitUntilAsync(() => Fake.OpenConnections == 1);
        await Fake.PushRobotMessageAsync(Fake.RobotMessageJson("dt-wangjianguo", "帮助"));
        Assert.Contains("我可以帮您", Assert.Single(await Fake.WaitForMessagesAsync(1)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADroppedConnection_IsReplaced_AfterABackoff()
    {
        Fake.DropConnection();

        // The backoff runs on the host's clock: move it on until the service has waited long enough.
        await Fake.WaitForConnectionsAsync(2, whileWaiting: () => _dingTalk.Host.Time.Advance(TimeSpan.FromMilliseconds(500)));
        await Fake.PushRobotMessageAsync(Fake.RobotMessageJson("dt-wangjianguo", "帮助"));
        Assert.Contains("我可以帮您", Assert.Single(await Fake.WaitForMessagesAsync(1)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASilentConnection_IsReplaced()
    {
        _dingTalk.Host.Time.Advance(TimeSpan.FromSeconds(100));

        await Fake.WaitForConnectionsAsync(2, whileWaiting: () => _dingTalk.Host.Time.Advance(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task StoppingTheHost_ClosesTheConnection()
    {
        await _dingTalk.Host.DisposeAsync();

        await WaitUntilAsync(() => Fake.OpenConnections == 0);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not come true within 10 s.");
            await Task.Delay(20);
        }
    }
}

/// <summary>Failures to open a connection are retried with backoff, with a fresh ticket each time.</summary>
public sealed class DingTalkStreamStartTests
{
    [Fact]
    public async Task AFailingConnectionsOpen_IsRetried_UntilItWorks()
    {
        await using var dingTalk = await DingTalkHost.StartAsync("Stream", configure: null);
        await dingTalk.Fake.WaitForConnectionsAsync(1);
        dingTalk.Fake.InjectFault(FakeDingTalkEndpoint.ConnectionsOpen, new FakeDingTalkFault(503, "ServiceUnavailable", "busy"), count: 2);

        dingTalk.Fake.DropConnection();

        await dingTalk.Fake.WaitForConnectionsAsync(2, TimeSpan.FromSeconds(20), whileWaiting: () => dingTalk.Host.Time.Advance(TimeSpan.FromSeconds(1)));
        Assert.Contains(dingTalk.Logs.Lines, l => l.Contains("DingTalk Stream connection failed (DingTalkApiException, HTTP 503)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WhileDingTalkStaysAway_TheReconnectsAreOneLineAMinute_AndTheConnectionThatWorksSaysSo()
    {
        await using var dingTalk = await DingTalkHost.StartAsync("Stream", configure: null);
        await dingTalk.Fake.WaitForConnectionsAsync(1);
        dingTalk.Fake.InjectFault(FakeDingTalkEndpoint.ConnectionsOpen, new FakeDingTalkFault(503, "ServiceUnavailable", "busy"), count: 5);

        dingTalk.Fake.DropConnection();

        // The backoff waits 1, 2, 4, 8 and 16 s: well within the minute of the limiter, on a clock that does not race ahead.
        await dingTalk.Fake.WaitForConnectionsAsync(2, TimeSpan.FromSeconds(30), whileWaiting: () => dingTalk.Host.Time.Advance(TimeSpan.FromMilliseconds(250)));
        for (var i = 0; i < 100 && !dingTalk.Logs.Lines.Any(l => l.Contains("DingTalk Stream is answering again", StringComparison.Ordinal)); i++)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        // Lines of their own, and the counts of those that had none: together, one per failure, and fewer lines than failures.
        var failed = dingTalk.Logs.Lines.Where(l => l.Contains("DingTalk Stream connection failed", StringComparison.Ordinal)).ToList();
        var own = failed.Count(l => !l.Contains("answering again", StringComparison.Ordinal) && !l.Contains("Repeated", StringComparison.Ordinal));
        var counted = failed.Select(l => System.Text.RegularExpressions.Regex.Match(l, @"(?:Repeated|answering again;) (\d+) more")).Where(m => m.Success).Sum(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        // (A WebSocket handshake that fails while the gateway recovers is one failure more.)
        Assert.True(own + counted >= 5 && counted > 0, string.Join("\n", failed));
        Assert.Contains(failed, l => l.Contains("DingTalk Stream is answering again", StringComparison.Ordinal));
        Assert.True(dingTalk.Logs.Lines.Count(l => l.Contains("DingTalk Stream reconnects in", StringComparison.Ordinal)) < 5);
    }
}

/// <summary>Frames that are not what the protocol describes are ignored without losing the connection.</summary>
public sealed class DingTalkStreamOddFrameTests
{
    [Fact]
    public async Task OddFrames_AreIgnored_AndTheConnectionStays()
    {
        await using var dingTalk = await DingTalkHost.StartAsync("Stream");
        await dingTalk.Fake.WaitForConnectionsAsync(1);

        await dingTalk.Fake.SendRawFrameAsync("not json");
        await dingTalk.Fake.SendRawFrameAsync("[1,2,3]");
        await dingTalk.Fake.SendRawFrameAsync("""{"type":42,"headers":{"topic":7,"messageId":8},"data":{}}""");
        var ack = await dingTalk.Fake.PushRobotMessageAsync(dingTalk.Fake.RobotMessageJson("dt-wangjianguo", "帮助"));

        Assert.Equal(200, ack.Code);
        Assert.Equal(1, dingTalk.Fake.ConnectionsAccepted);
        Assert.Contains("我可以帮您", Assert.Single(await dingTalk.Fake.WaitForMessagesAsync(1)).Text, StringComparison.Ordinal);
    }
}
