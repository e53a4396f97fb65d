using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Linping.CppccBot.Channels.DingTalk;
using Linping.CppccBot.LocalChat.FakeDingTalk;
using Linping.CppccBot.Tests.Channels.DingTalk;

namespace Linping.CppccBot.Tests.BadInput;

/// <summary>
/// The DingTalk HTTP callback corpus against one real host: forged, missing or stale signatures, broken, deep, huge and
/// ill-typed JSON are refused with a 4xx and change nothing; valid messages with odd texts or forged session webhooks get
/// a polite answer, and only ever through DingTalk's own host.
/// </summary>
public sealed class DingTalkBadInputCorpusTests(HttpCorpusHost corpus) : IClassFixture<HttpCorpusHost>
{
    private delegate (string? Timestamp, string? Sign, string Body) BadCallback(string now, string validJson);

    private static readonly Dictionary<string, BadCallback> Refused = BuildRefused();

    public static TheoryData<string> RefusedCases => [.. Refused.Keys];

    public static TheoryData<string> TextCases => [.. TextPayloads.Names];

    private static string SignOf(string timestamp, string secret = DingTalkHost.ClientSecret) => DingTalkSignature.Compute(timestamp, secret);

    private static Dictionary<string, BadCallback> BuildRefused()
    {
        var cases = new Dictionary<string, BadCallback>(StringComparer.Ordinal)
        {
            ["headers/none"] = (_, json) => (null, null, json),
            ["headers/no-timestamp"] = (now, json) => (null, SignOf(now), json),
            ["headers/no-sign"] = (now, json) => (now, null, json),
            ["headers/empty-sign"] = (now, json) => (now, string.Empty, json),
            ["sign/forged"] = (now, json) => (now, "A" + SignOf(now)[1..], json),
            ["sign/other-secret"] = (now, json) => (now, SignOf(now, "another-secret"), json),
            ["sign/of-other-timestamp"] = (now, json) => (now, SignOf((long.Parse(now, CultureInfo.InvariantCulture) - 1).ToString(CultureInfo.InvariantCulture)), json),
            ["sign/url-encoded"] = (now, json) => (now, Uri.EscapeDataString(SignOf(now)) + "%3D", json),
            ["sign/truncated"] = (now, json) => (now, SignOf(now)[..20], json),
            ["sign/hex-instead-of-base64"] = (now, json) => (now, Convert.ToHexString(Convert.FromBase64String(SignOf(now))), json),
            ["sign/sql"] = (now, json) => (now, "' OR 1=1 --", json),
            ["sign/huge"] = (now, json) => (now, new string('A', 4000), json),
        };

        foreach (var (name, offset) in new[] { ("stale-2h", -7_200_000L), ("stale-61min", -3_660_000L), ("future-2h", 7_200_000L), ("future-61min", 3_660_000L) })
        {
            cases[$"timestamp/{name}"] = (now, json) =>
            {
                var ts = (long.Parse(now, CultureInfo.InvariantCulture) + offset).ToString(CultureInfo.InvariantCulture);
                return (ts, SignOf(ts), json);
            };
        }

        foreach (var (name, value) in new[] { ("seconds-not-ms", "1764205200"), ("zero", "0"), ("negative", "-1"), ("non-numeric", "abc"), ("float", "1.7e12"), ("overflow", "99999999999999999999"), ("max-long", "9223372036854775807"), ("with-space", " 1764205200000") })
        {
            cases[$"timestamp/{name}"] = (_, json) => (value, SignOf(value), json);
        }

        foreach (var (name, body) in new[]
        {
            ("empty", string.Empty), ("not-json", "hello"), ("truncated", "{\"msgId\":"), ("null", "null"), ("array", "[]"), ("number", "123"), ("string", "\"text\""),
            ("trailing-garbage", "{}x"), ("single-quotes", "{'msgId':'a'}"), ("comments", "/* c */{}"), ("nan", "{\"createAt\":NaN}"), ("xml", "<xml><msgId>1</msgId></xml>"),
            ("deep-arrays", new string('[', 5_000) + new string(']', 5_000)), ("deep-objects", string.Concat(Enumerable.Repeat("{\"a\":", 2_000)) + "1" + new string('}', 2_000)),
            ("huge", "{\"text\":{\"content\":\"" + new string('x', 100_000) + "\"}}"), ("empty-object", "{}"), ("nul-bytes", "\0\0\0"),
        })
        {
            cases[$"body/{name}"] = (now, _) => (now, SignOf(now), body);
        }

        foreach (var field in new[] { "msgId", "conversationId", "msgtype" })
        {
            cases[$"missing/{field}"] = (now, json) => (now, SignOf(now), Without(json, field));
            cases[$"wrong-type/{field}-object"] = (now, json) => (now, SignOf(now), With(json, field, new JsonObject { ["x"] = 1 }));
            cases[$"wrong-type/{field}-array"] = (now, json) => (now, SignOf(now), With(json, field, new JsonArray(1, 2)));
            cases[$"wrong-type/{field}-bool"] = (now, json) => (now, SignOf(now), With(json, field, JsonValue.Create(true)));
            cases[$"wrong-type/{field}-null"] = (now, json) => (now, SignOf(now), With(json, field, null));
            cases[$"empty/{field}"] = (now, json) => (now, SignOf(now), With(json, field, JsonValue.Create(string.Empty)));
        }

        cases["missing/sender"] = (now, json) => (now, SignOf(now), Without(Without(json, "senderStaffId"), "senderId"));

        // A field written twice: which value DingTalk meant cannot be told (a reader taking the last one would act for
        // another member, conversation or session webhook than one taking the first).
        foreach (var (field, value) in new[]
        {
            ("senderStaffId", "\"dt-zhouwei\""), ("senderId", "\"$:LWCP_v1:$other\""), ("msgId", "\"msgOther==\""), ("conversationId", "\"cid-other\""),
            ("conversationType", "\"2\""), ("sessionWebhook", "\"http://evil.example/robot/sendBySession?session=x\""), ("robotCode", "\"ding-some-other-robot\""),
            ("text", "{\"content\":\"取消报名\"}"), ("msgtype", "\"text\""),
        })
        {
            cases[$"duplicate/{field}"] = (now, json) => (now, SignOf(now), json[..^1] + $",\"{field}\":{value}}}");
        }

        cases["duplicate/text-content"] = (now, json) => (now, SignOf(now), json.Replace("\"content\":", "\"content\":\"取消报名\",\"content\":", StringComparison.Ordinal));
        return cases;
    }

    private static string Without(string json, string field)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node.Remove(field);
        return node.ToJsonString();
    }

    private static string With(string json, string field, JsonNode? value)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node[field] = value;
        return node.ToJsonString();
    }

    private static long _requests;

    /// <summary>A fresh DingTalk timestamp: the millisecond of "now", one later for each request (DingTalk's differ).</summary>
    private string Now => (corpus.Host.Time.GetUtcNow().ToUnixTimeMilliseconds() + Interlocked.Increment(ref _requests)).ToString(CultureInfo.InvariantCulture);

    [Theory]
    [MemberData(nameof(RefusedCases))]
    public async Task ABadCallback_IsRefusedWith4xx_AndChangesNothing(string name)
    {
        corpus.RequireServer();
        var (timestamp, sign, body) = Refused[name](Now, corpus.DingTalk.RobotMessageJson("dt-wangjianguo", "我要报名请你来协商"));
        var mark = corpus.Logs.Lines.Count;
        var before = await corpus.SnapshotAsync();

        var (status, answer) = await PostAsync(body, timestamp, sign);
        await Task.Delay(50, TestContext.Current.CancellationToken);

        Assert.InRange((int)status, 400, 499);
        CorpusHost.AssertAnswerClean(answer);
        (await corpus.SnapshotAsync()).AssertSame(before);
        await corpus.AssertHealthyAsync();
        corpus.AssertLogsClean(mark, "dt-wangjianguo", "session=");
    }

    [Theory]
    [MemberData(nameof(TextCases))]
    public async Task AnOddText_GetsAPoliteAnswer_ThroughTheSessionWebhook(string payload)
    {
        corpus.RequireServer();
        var before = await corpus.SnapshotAsync();
        var mark = corpus.Logs.Lines.Count;

        var json = corpus.DingTalk.RobotMessageJson("dt-zhouwei", TextPayloads.All[payload]);
        if (Encoding.UTF8.GetByteCount(json) > 64 * 1024)
        {
            // Over DingTalk:MaxBodyBytes once escaped (10,000 emoji): refused whole, nothing taken.
            var now = Now;
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await PostAsync(json, now, SignOf(now))).Status);
            (await corpus.SnapshotAsync()).AssertSame(before);
            return;
        }

        var replies = await SayAsync(json, before.DingTalkMessages);

        Assert.All(replies, r => Assert.Equal(FakeDingTalkEndpoint.SessionWebhook, r.Endpoint));
        WeComBadInputCorpusTests.AssertPolite(string.Join("\n", replies.Select(r => r.Text)));
        Assert.Equal(before.Tables, (await corpus.SnapshotAsync()).Tables);
        await corpus.AssertHealthyAsync();
        corpus.AssertLogsClean(mark, ["dt-zhouwei", "13800001111", .. TextPayloads.Distinctive(TextPayloads.All[payload])]);

        // A text that opened a dialog (报名 9999… asks which meeting) is closed, so that the cases after it, in whatever
        // order they run, find the member as this one did.
        await SayAsync(corpus.DingTalk.RobotMessageJson("dt-zhouwei", "取消"), corpus.DingTalk.Messages.Count);
    }

    /// <summary>A signed message whose sessionWebhook points elsewhere: the reply goes through DingTalk's OpenAPI, never there.</summary>
    [Theory]
    [InlineData("other-port")]
    [InlineData("userinfo-trick")]
    [InlineData("other-scheme")]
    [InlineData("other-host")]
    [InlineData("file")]
    [InlineData("relative")]
    [InlineData("not-a-url")]
    [InlineData("expired")]
    public async Task AForeignOrExpiredSessionWebhook_IsNeverCalled_AndTheReplyGoesThroughTheOpenApi(string variant)
    {
        corpus.RequireServer();
        var json = JsonNode.Parse(corpus.DingTalk.RobotMessageJson("dt-zhouwei", "帮助"))!.AsObject();
        var (elsewhere, _) = corpus.Elsewhere.CreateSession("cid-stolen");
        var own = corpus.DingTalk.BaseAddress;
        json["sessionWebhook"] = variant switch
        {
            "other-port" => elsewhere,
            "userinfo-trick" => $"http://{own.Authority}@{new Uri(elsewhere).Authority}{new Uri(elsewhere).PathAndQuery}",
            "other-scheme" => "https://" + own.Authority + "/robot/sendBySession?session=x",
            "other-host" => "http://evil.example/robot/sendBySession?session=x",
            "file" => "file:///etc/passwd",
            "relative" => "/robot/sendBySession?session=x",
            "not-a-url" => "' OR 1=1 --",
            _ => json["sessionWebhook"]!.GetValue<string>(),
        };
        if (variant == "expired")
        {
            json["sessionWebhookExpiredTime"] = corpus.Host.Time.GetUtcNow().AddMinutes(-1).ToUnixTimeMilliseconds();
        }

        var before = await corpus.SnapshotAsync();
        var replies = await SayAsync(json.ToJsonString(), before.DingTalkMessages);

        var reply = Assert.Single(replies);
        Assert.Equal(FakeDingTalkEndpoint.BatchSend, reply.Endpoint);
        Assert.Equal(["dt-zhouwei"], reply.StaffIds);
        Assert.Contains("我可以帮您", reply.Text, StringComparison.Ordinal);
        Assert.Empty(corpus.Elsewhere.Messages);
    }

    [Fact]
    public async Task ASignatureSeenOnce_CannotCarryAnotherBody_FromAnotherSender()
    {
        corpus.RequireServer();
        var before = await corpus.SnapshotAsync();
        var now = Now;
        var sign = SignOf(now);
        var replies = await SayAsync(corpus.DingTalk.RobotMessageJson("dt-zhouwei", "帮助"), before.DingTalkMessages, now, sign);
        var afterFirst = await corpus.SnapshotAsync();

        // The headers of that request, as a proxy log keeps them, with a body of the attacker's: another member's sign-up.
        // (Within seconds of its timestamp, another msgId under the pair is taken as another message DingTalk signed in the
        // same millisecond; whoever reads a log comes later.)
        corpus.Host.Time.Advance(TimeSpan.FromMinutes(1));
        var (status, _) = await PostAsync(corpus.DingTalk.RobotMessageJson("dt-wangjianguo", "报名大运河", msgId: "msgForged=="), now, sign);
        await Task.Delay(200, TestContext.Current.CancellationToken);

        Assert.NotEmpty(replies);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        (await corpus.SnapshotAsync()).AssertSame(afterFirst);
    }

    [Fact]
    public async Task AMessageForAnotherRobot_IsRefused()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(corpus.DingTalk.RobotMessageJson("dt-wangjianguo", "报名大运河"))!;
        json["robotCode"] = "ding-some-other-robot";
        var before = await corpus.SnapshotAsync();
        var now = Now;

        var (status, _) = await PostAsync(json.ToJsonString(), now, SignOf(now));
        await Task.Delay(200, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        (await corpus.SnapshotAsync()).AssertSame(before);
    }

    [Fact]
    public async Task AnUnknownMsgtype_GetsAPoliteAnswer_AndAReplayedMsgIdTakesEffectOnce()
    {
        corpus.RequireServer();
        var json = corpus.DingTalk.RobotMessageJson("dt-zhouwei", "x", msgId: "msgOddType==", msgType: "hologram");
        var before = await corpus.SnapshotAsync();

        var replies = await SayAsync(json, before.DingTalkMessages);
        var afterFirst = await corpus.SnapshotAsync();
        var now = Now;
        var (status, _) = await PostAsync(json, now, SignOf(now));
        await Task.Delay(200, TestContext.Current.CancellationToken);

        Assert.Contains("只能看懂文字", Assert.Single(replies).Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, status);

        // The redelivery came with a (timestamp, sign) pair of its own, which is now taken; nothing else changed.
        var afterSecond = await corpus.SnapshotAsync();
        var taken = afterSecond.RedisKeys.Except(afterFirst.RedisKeys).ToList();
        Assert.Contains("{dingtalk-callback-signatures}", Assert.Single(taken), StringComparison.Ordinal);
        (afterSecond with { RedisKeys = [.. afterSecond.RedisKeys.Except(taken)] }).AssertSame(afterFirst);
    }

    private async Task<IReadOnlyList<FakeDingTalkMessage>> SayAsync(string json, int sentBefore, string? timestamp = null, string? sign = null)
    {
        var now = timestamp ?? Now;
        var (status, body) = await PostAsync(json, now, sign ?? SignOf(now));
        Assert.Equal((HttpStatusCode.OK, """{"msgtype":"empty"}"""), (status, body));
        await corpus.DingTalk.WaitForMessagesAsync(sentBefore + 1);
        await Task.Delay(100, TestContext.Current.CancellationToken);
        return [.. corpus.DingTalk.Messages.Skip(sentBefore)];
    }

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string body, string? timestamp, string? sign)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/dingtalk/callback", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (timestamp is not null)
        {
            request.Headers.TryAddWithoutValidation("timestamp", timestamp);
        }

        if (sign is not null)
        {
            request.Headers.TryAddWithoutValidation("sign", sign);
        }

        using var response = await corpus.Client.SendAsync(request, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
