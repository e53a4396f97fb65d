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

    /// <summary>
    /// Frames whose own JSON holds a key twice (or a field of the wrong type), around a robot message that would be
    /// answered if it were read: which value was meant cannot be told, so the frame is not read and not acknowledged.
    /// </summary>
    private static readonly Dictionary<string, Func<string, string, string>> UnreadableFrames = new(StringComparer.Ordinal)
    {
        ["duplicate/type"] = (id, data) => $$"""{"type":"SYSTEM","type":"CALLBACK","headers":{"topic":"/v1.0/im/bot/messages/get","messageId":"{{id}}"},"data":{{data}}}""",
        ["duplicate/headers"] = (id, data) => $$"""{"type":"CALLBACK","headers":{"topic":"/v1.0/card/instances/callback","messageId":"{{id}}"},"headers":{"topic":"/v1.0/im/bot/messages/get","messageId":"{{id}}"},"data":{{data}}}""",
        ["duplicate/topic"] = (id, data) => $$"""{"type":"CALLBACK","headers":{"topic":"/v1.0/card/instances/callback","topic":"/v1.0/im/bot/messages/get","messageId":"{{id}}"},"data":{{data}}}""",
        ["duplicate/messageId"] = (id, data) => $$"""{"type":"CALLBACK","headers":{"topic":"/v1.0/im/bot/messages/get","messageId":"{{id}}","messageId":"{{id}}-2"},"data":{{data}}}""",
        ["duplicate/data"] = (id, data) => $$"""{"type":"CALLBACK","headers":{"topic":"/v1.0/im/bot/messages/get","messageId":"{{id}}"},"data":"{}","data":{{data}}}""",
        ["duplicate/same-value"] = (id, data) => $$"""{"type":"CALLBACK","type":"CALLBACK","headers":{"topic":"/v1.0/im/bot/messages/get","messageId":"{{id}}"},"data":{{data}}}""",
        ["wrong-type/type-array"] = (id, data) => $$"""{"type":["CALLBACK"],"headers":{"topic":"/v1.0/im/bot/messages/get","messageId":"{{id}}"},"data":{{data}}}""",
        ["wrong-type/topic-array"] = (id, data) => $$"""{"type":"CALLBACK","headers":{"topic":["/v1.0/im/bot/messages/get"],"messageId":"{{id}}"},"data":{{data}}}""",
        ["wrong-type/messageId-object"] = (id, data) => $$$"""{"type":"CALLBACK","headers":{"topic":"/v1.0/im/bot/messages/get","messageId":{"id":"{{{id}}}"}},"data":{{{data}}}}""",
    };

    public static TheoryData<string> UnreadableFrameCases => [.. UnreadableFrames.Keys];

    /// <summary>
    /// Robot messages (the <c>data</c> of a well-formed frame) that hold a key twice, or come as a JSON object instead of
    /// the string DingTalk sends: acknowledged (a redelivery would not read better) and not acted on.
    /// </summary>
    private static readonly Dictionary<string, Func<string, string>> UnreadableMessages = new(StringComparer.Ordinal)
    {
        ["duplicate/senderStaffId"] = json => json[..^1] + ""","senderStaffId":"dt-zhouwei"}""",
        ["duplicate/msgId"] = json => json[..^1] + ""","msgId":"msgOther=="}""",
        ["duplicate/conversationId"] = json => json[..^1] + ""","conversationId":"cid-other"}""",
        ["duplicate/conversationType"] = json => json[..^1] + ""","conversationType":"2"}""",
        ["duplicate/sessionWebhook"] = json => json[..^1] + ""","sessionWebhook":"http://evil.example/robot/sendBySession?session=x"}""",
        ["duplicate/robotCode"] = json => json[..^1] + ""","robotCode":"ding-some-other-robot"}""",
        ["duplicate/text"] = json => json[..^1] + ""","text":{"content":"报名大运河"}}""",
        ["duplicate/text-content"] = json => json.Replace("\"content\":", "\"content\":\"报名大运河\",\"content\":", StringComparison.Ordinal),
        ["duplicate/same-value"] = json => json[..^1] + ""","msgtype":"text"}""",
    };

    public static TheoryData<string> UnreadableMessageCases => [.. UnreadableMessages.Keys];

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
    [MemberData(nameof(UnreadableFrameCases))]
    public async Task AFrameWithAKeyTwiceOrOfTheWrongType_IsNotRead_NorAcknowledged_AndTheConnectionStays(string name)
    {
        corpus.RequireServer();
        await corpus.DingTalk.WaitForConnectionsAsync(1);
        var mark = corpus.Logs.Lines.Count;
        var before = await corpus.SnapshotAsync();
        var messageId = "dup-frame-" + Guid.NewGuid().ToString("N");
        var data = System.Text.Json.JsonSerializer.Serialize(corpus.DingTalk.RobotMessageJson("dt-wangjianguo", "报名大运河"));

        await corpus.DingTalk.SendRawFrameAsync(UnreadableFrames[name](messageId, data));
        var ack = await corpus.DingTalk.PushRobotMessageAsync(corpus.DingTalk.RobotMessageJson("dt-wangjianguo", "帮助"));

        Assert.Equal(200, ack.Code);
        Assert.Equal(1, corpus.DingTalk.ConnectionsAccepted);
        Assert.DoesNotContain(corpus.DingTalk.Acks, a => a.MessageId.StartsWith(messageId, StringComparison.Ordinal));
        var replies = await corpus.DingTalk.WaitForMessagesAsync(before.DingTalkMessages + 1);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.Contains("我可以帮您", replies[^1].Text, StringComparison.Ordinal);
        Assert.Equal(before.DingTalkMessages + 1, corpus.DingTalk.Messages.Count);
        Assert.Equal(before.Tables, (await corpus.SnapshotAsync()).Tables);
        await corpus.AssertHealthyAsync();
        corpus.AssertLogsClean(mark, "dt-wangjianguo", "session=");
    }

    [Theory]
    [MemberData(nameof(UnreadableMessageCases))]
    public async Task ARobotMessageWithAKeyTwice_IsAcknowledged_AndNotActedOn(string name)
    {
        corpus.RequireServer();
        await corpus.DingTalk.WaitForConnectionsAsync(1);
        var mark = corpus.Logs.Lines.Count;
        var before = await corpus.SnapshotAsync();

        var ack = await corpus.DingTalk.PushRobotMessageAsync(UnreadableMessages[name](corpus.DingTalk.RobotMessageJson("dt-wangjianguo", "报名大运河")));
        await Task.Delay(300, TestContext.Current.CancellationToken);

        Assert.Equal(200, ack.Code);
        Assert.Equal(1, corpus.DingTalk.ConnectionsAccepted);
        (await corpus.SnapshotAsync()).AssertSame(before);
        Assert.Empty(corpus.Elsewhere.Messages);
        await corpus.AssertHealthyAsync();
        corpus.AssertLogsClean(mark, "dt-wangjianguo", "dt-zhouwei", "session=");
    }

    [Fact]
    public async Task ARobotMessageSentAsAnObject_NotAsTheStringDingTalkSends_IsAcknowledged_AndNotActedOn()
    {
        corpus.RequireServer();
        await corpus.DingTalk.WaitForConnectionsAsync(1);
        var before = await corpus.SnapshotAsync();
        var messageId = "object-data-" + Guid.NewGuid().ToString("N");

        await corpus.DingTalk.SendRawFrameAsync(
            $$"""{"type":"CALLBACK","headers":{"topic":"/v1.0/im/bot/messages/get","messageId":"{{messageId}}"},"data":{{corpus.DingTalk.RobotMessageJson("dt-wangjianguo", "报名大运河")}}}""");
        await corpus.DingTalk.PingAsync("after-object-data");
        await Task.Delay(300, TestContext.Current.CancellationToken);

        Assert.Equal(200, Assert.Single(corpus.DingTalk.Acks, a => a.MessageId == messageId).Code);
        (await corpus.SnapshotAsync()).AssertSame(before);
    }

    [Fact]
    public async Task ARobotMessageForAnotherRobot_IsAcknowledged_AndNotActedOn()
    {
        corpus.RequireServer();
        await corpus.DingTalk.WaitForConnectionsAsync(1);
        var before = await corpus.SnapshotAsync();
        var json = System.Text.Json.Nodes.JsonNode.Parse(corpus.DingTalk.RobotMessageJson("dt-wangjianguo", "报名大运河"))!;
        json["robotCode"] = "ding-some-other-robot";

        var ack = await corpus.DingTalk.PushRobotMessageAsync(json.ToJsonString());
        await Task.Delay(300, TestContext.Current.CancellationToken);

        Assert.Equal(200, ack.Code);
        (await corpus.SnapshotAsync()).AssertSame(before);
    }

    [Fact]
    public async Task AFrameOverOneMegabyte_IsSkipped_AndTheConnectionStays()
    {
        corpus.RequireServer();
        await corpus.DingTalk.WaitForConnectionsAsync(1);
        var before = await corpus.SnapshotAsync();
        var data = System.Text.Json.JsonSerializer.Serialize(corpus.DingTalk.RobotMessageJson("dt-wangjianguo", "报名大运河" + new string('x', 2 * 1024 * 1024)));

        await corpus.DingTalk.SendRawFrameAsync($$"""{"type":"CALLBACK","headers":{"topic":"/v1.0/im/bot/messages/get","messageId":"huge-frame"},"data":{{data}}}""");
        var ack = await corpus.DingTalk.PushRobotMessageAsync(corpus.DingTalk.RobotMessageJson("dt-wangjianguo", "帮助"));

        Assert.Equal(200, ack.Code);
        Assert.Equal(1, corpus.DingTalk.ConnectionsAccepted);
        Assert.DoesNotContain(corpus.DingTalk.Acks, a => a.MessageId == "huge-frame");
        await corpus.DingTalk.WaitForMessagesAsync(before.DingTalkMessages + 1);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.Equal(before.DingTalkMessages + 1, corpus.DingTalk.Messages.Count);
        Assert.Equal(before.Tables, (await corpus.SnapshotAsync()).Tables);
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
