namespace Linping.CppccBot.Tests.BadInput;

/// <summary>
/// Malformed Stream frames from the (fake) gateway: the connection stays, nothing is stored or sent, and the next real
/// message is still answered.
/// </summary>
public sealed class DingTalkStreamCorpusTests(StreamCorpusHost corpus) : IClassFixture<StreamCorpusHost>
{
    private static readonly Dictionary<string, string> RawFrames = new(StringComparer.Ordinal)
    {
        ["not-json"] = "not json",
        ["empty"] = string.Empty,
        ["array"] = "[1,2,3]",
        ["number"] = "42",
        ["null"] = "null",
        ["no-headers"] = """{"type":"CALLBACK","data":"{}"}""",
        ["headers-not-object"] = """{"type":"CALLBACK","headers":"x","data":"{}"}""",
        ["type-number"] = """{"type":42,"headers":{"topic":7,"messageId":8},"data":{}}""",
        ["unknown-type"] = """{"type":"TELEPORT","headers":{"topic":"/v1.0/im/bot/messages/get","messageId":"m1"},"data":"{}"}""",
        ["deep-json"] = new string('[', 5_000) + new string(']', 5_000),
        ["robot-data-not-json"] = """{"type":"CALLBACK","headers":{"topic":"/v1.0/im/bot/messages/get","messageId":"m2"},"data":"{not json"}""",
        ["robot-data-deep"] = """{"type":"CALLBACK","headers":{"topic":"/v1.0/im/bot/messages/get","messageId":"m3"},"data":""" + "\"" + string.Concat(Enumerable.Repeat("{\\\"a\\\":", 1_000)) + "1" + new string('}', 1_000) + "\"}",
        ["robot-data-missing-fields"] = """{"type":"CALLBACK","headers":{"topic":"/v1.0/im/bot/messages/get","messageId":"m4"},"data":"{\"msgtype\":\"text\",\"text\":{\"content\":\"帮助\"}}"}""",
        ["robot-data-wrong-types"] = """{"type":"CALLBACK","headers":{"topic":"/v1.0/im/bot/messages/get","messageId":"m5"},"data":"{\"msgId\":[1],\"conversationId\":{},\"msgtype\":true,\"senderStaffId\":null}"}""",
        ["unknown-topic"] = """{"type":"CALLBACK","headers":{"topic":"/v1.0/card/instances/callback","messageId":"m6"},"data":"{}"}""",
        ["system-unknown-topic"] = """{"type":"SYSTEM","headers":{"topic":"reboot","messageId":"m7"},"data":"{}"}""",
        ["huge"] = """{"type":"CALLBACK","headers":{"topic":"/v1.0/im/bot/messages/get","messageId":"m8"},"data":""" + "\"" + new string('x', 500_000) + "\"}",
    };

    public static TheoryData<string> Frames => [.. RawFrames.Keys];

    [Theory]
    [MemberData(nameof(Frames))]
    public async Task AMalformedFrame_IsIgnored_TheConnectionStays_AndNothingChanges(string name)
    {
        corpus.RequireServer();
        await corpus.DingTalk.WaitForConnectionsAsync(1);
        var mark = corpus.Logs.Lines.Count;
        var before = await corpus.SnapshotAsync();

        await corpus.DingTalk.SendRawFrameAsync(RawFrames[name]);
        var ack = await corpus.DingTalk.PushRobotMessageAsync(corpus.DingTalk.RobotMessageJson("dt-wangjianguo", "帮助"));

        Assert.Equal(200, ack.Code);
        Assert.Equal(1, corpus.DingTalk.ConnectionsAccepted);
        var replies = await corpus.DingTalk.WaitForMessagesAsync(before.DingTalkMessages + 1);
        Assert.Contains("我可以帮您", replies[^1].Text, StringComparison.Ordinal);
        Assert.Equal(before.DingTalkMessages + 1, corpus.DingTalk.Messages.Count);
        Assert.Equal(before.Tables, (await corpus.SnapshotAsync()).Tables);
        await corpus.AssertHealthyAsync();
        corpus.AssertLogsClean(mark, "dt-wangjianguo");
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"msgtype":"text"}""")]
    [InlineData("[]")]
    public async Task AnUnreadableRobotMessage_IsAcknowledged_AndChangesNothing(string data)
    {
        corpus.RequireServer();
        await corpus.DingTalk.WaitForConnectionsAsync(1);
        var before = await corpus.SnapshotAsync();

        var ack = await corpus.DingTalk.PushRobotMessageAsync(data);
        var unknown = await corpus.DingTalk.PushRobotMessageAsync(data, topic: "/v1.0/unknown/topic");
        await Task.Delay(100, TestContext.Current.CancellationToken);

        Assert.Equal((200, 404), (ack.Code, unknown.Code));
        (await corpus.SnapshotAsync()).AssertSame(before);
    }
}
