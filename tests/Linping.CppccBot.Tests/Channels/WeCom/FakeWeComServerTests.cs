using System.Net.Http.Json;
using System.Text.Json;
using Linping.CppccBot.LocalChat.FakeWeCom;
using Microsoft.Extensions.Time.Testing;

namespace Linping.CppccBot.Tests.Channels.WeCom;

/// <summary>The fake answers raw HTTP the way WeCom does, so tests of the client mean something.</summary>
public sealed class FakeWeComServerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("corpid=wwx&corpsecret=s", 40013)]
    [InlineData("corpid=wwfake&corpsecret=wrong", 40001)]
    [InlineData("corpsecret=s", 41002)]
    [InlineData("corpid=wwfake", 41004)]
    public async Task GetToken_ChecksCorpIdAndSecret(string query, int errCode)
    {
        await using var fake = await FakeWeComServer.StartAsync(new FakeWeComOptions { CorpId = "wwfake", Secret = "s" }, Ct);
        using var http = new HttpClient { BaseAddress = fake.BaseAddress };

        var answer = await GetJsonAsync(http, "cgi-bin/gettoken?" + query);

        Assert.Equal(errCode, answer.GetProperty("errcode").GetInt32());
        Assert.False(answer.TryGetProperty("access_token", out _));
    }

    [Fact]
    public async Task GetToken_WithinItsLifetime_GivesTheSameToken_ThenANewOneAfterExpiry()
    {
        var time = new FakeTimeProvider();
        await using var fake = await FakeWeComServer.StartAsync(new FakeWeComOptions { CorpId = "wwfake", Secret = "s", TimeProvider = time }, Ct);
        using var http = new HttpClient { BaseAddress = fake.BaseAddress };

        var first = await GetJsonAsync(http, "cgi-bin/gettoken?corpid=wwfake&corpsecret=s");
        var again = await GetJsonAsync(http, "cgi-bin/gettoken?corpid=wwfake&corpsecret=s");
        time.Advance(TimeSpan.FromSeconds(7201));
        var later = await GetJsonAsync(http, "cgi-bin/gettoken?corpid=wwfake&corpsecret=s");

        Assert.Equal(0, first.GetProperty("errcode").GetInt32());
        Assert.Equal("ok", first.GetProperty("errmsg").GetString());
        Assert.Equal(7200, first.GetProperty("expires_in").GetInt32());
        Assert.Equal(first.GetProperty("access_token").GetString(), again.GetProperty("access_token").GetString());
        Assert.NotEqual(first.GetProperty("access_token").GetString(), later.GetProperty("access_token").GetString());
    }

    [Fact]
    public async Task MessageSend_AnswersWeComErrcodes()
    {
        var time = new FakeTimeProvider();
        await using var fake = await FakeWeComServer.StartAsync(new FakeWeComOptions { CorpId = "wwfake", Secret = "s", AgentId = 7, TimeProvider = time }, Ct);
        using var http = new HttpClient { BaseAddress = fake.BaseAddress };
        var token = (await GetJsonAsync(http, "cgi-bin/gettoken?corpid=wwfake&corpsecret=s")).GetProperty("access_token").GetString();
        var send = "cgi-bin/message/send?access_token=" + token;

        Assert.Equal(41001, await PostAsync(http, "cgi-bin/message/send", Text("u1", "hi")));
        Assert.Equal(40014, await PostAsync(http, "cgi-bin/message/send?access_token=nope", Text("u1", "hi")));
        Assert.Equal(40056, await PostAsync(http, send, Text("u1", "hi", agentId: 8)));
        Assert.Equal(40008, await PostAsync(http, send, new { touser = "u1", msgtype = "telepathy", agentid = 7 }));
        Assert.Equal(44004, await PostAsync(http, send, Text("u1", string.Empty)));
        Assert.Equal(45002, await PostAsync(http, send, Text("u1", new string('中', 683))));
        Assert.Equal(0, await PostAsync(http, send, Text("u1", new string('中', 682))));
        Assert.NotEqual(0, await PostAsync(http, send, Text(string.Join('|', Enumerable.Range(0, 1001).Select(i => $"u{i}")), "hi")));
        Assert.Equal(82001, await PostAsync(http, send, Text(string.Empty, "hi")));

        time.Advance(TimeSpan.FromSeconds(7200));
        Assert.Equal(42001, await PostAsync(http, send, Text("u1", "hi")));
        Assert.Single(fake.Messages);
    }

    [Fact]
    public async Task MessageSend_DropsTheMember31stMessageInAMinute_Silently()
    {
        var time = new FakeTimeProvider();
        await using var fake = await FakeWeComServer.StartAsync(new FakeWeComOptions { CorpId = "wwfake", Secret = "s", AgentId = 7, TimeProvider = time }, Ct);
        using var http = new HttpClient { BaseAddress = fake.BaseAddress };
        var token = (await GetJsonAsync(http, "cgi-bin/gettoken?corpid=wwfake&corpsecret=s")).GetProperty("access_token").GetString();
        var send = "cgi-bin/message/send?access_token=" + token;
        var seen = new List<FakeWeComMessage>();
        fake.MessageAccepted += (_, m) => seen.Add(m);

        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(0, await PostAsync(http, send, Text("u1", $"m{i}")));
        }

        Assert.Equal(0, await PostAsync(http, send, Text("u1|u2", "31st")));

        var last = fake.Messages[^1];
        Assert.Equal(["u2"], last.Recipients);
        Assert.Equal(["u1"], last.DroppedRecipients);
        Assert.Equal(31, seen.Count);
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(0, await PostAsync(http, send, Text("u1", "next minute")));
        Assert.Equal(["u1"], fake.Messages[^1].Recipients);
    }

    [Fact]
    public async Task MessageSend_WithDuplicateCheck_DeliversTheSameRequestOncePerInterval_AndOnlyWhenAsked()
    {
        var time = new FakeTimeProvider();
        await using var fake = await FakeWeComServer.StartAsync(new FakeWeComOptions { CorpId = "wwfake", Secret = "s", AgentId = 7, TimeProvider = time }, Ct);
        using var http = new HttpClient { BaseAddress = fake.BaseAddress };
        var token = (await GetJsonAsync(http, "cgi-bin/gettoken?corpid=wwfake&corpsecret=s")).GetProperty("access_token").GetString();
        var send = "cgi-bin/message/send?access_token=" + token;
        object Checked(string content, int? interval = null) => interval is null
            ? new { touser = "u1", msgtype = "text", agentid = 7, text = new { content }, enable_duplicate_check = 1 }
            : new { touser = "u1", msgtype = "text", agentid = 7, text = new { content }, enable_duplicate_check = 1, duplicate_check_interval = interval };

        // Without the check the same request arrives twice (two identical answers to two identical questions).
        Assert.Equal(0, await PostAsync(http, send, Text("u1", "同样的回答")));
        Assert.Equal(0, await PostAsync(http, send, Text("u1", "同样的回答")));
        Assert.Equal(2, fake.Messages.Count);

        // With it, the same request JSON within the interval (default 1800 s) is answered ok and not delivered again.
        Assert.Equal(0, await PostAsync(http, send, Checked("会议提醒")));
        Assert.Equal(0, await PostAsync(http, send, Checked("会议提醒")));
        Assert.Equal(0, await PostAsync(http, send, Checked("另一条提醒")));
        Assert.Equal(4, fake.Messages.Count);
        Assert.Equal(1, fake.DuplicatesDropped);
        time.Advance(TimeSpan.FromSeconds(1800));
        Assert.Equal(0, await PostAsync(http, send, Checked("会议提醒")));
        Assert.Equal(5, fake.Messages.Count);

        // An interval of its own, up to 4 hours.
        Assert.Equal(0, await PostAsync(http, send, Checked("四小时", 14400)));
        time.Advance(TimeSpan.FromSeconds(14399));
        token = (await GetJsonAsync(http, "cgi-bin/gettoken?corpid=wwfake&corpsecret=s")).GetProperty("access_token").GetString();
        send = "cgi-bin/message/send?access_token=" + token;
        Assert.Equal(0, await PostAsync(http, send, Checked("四小时", 14400)));
        Assert.Equal(6, fake.Messages.Count);
        Assert.Equal(FakeWeComServer.InvalidParameter, await PostAsync(http, send, Checked("太长", 14401)));
        Assert.Equal(2, fake.DuplicatesDropped);
    }

    [Fact]
    public async Task DropAfterDelivery_DeliversTheMessage_ButTheClientGetsNoAnswer()
    {
        await using var fake = await FakeWeComServer.StartAsync(new FakeWeComOptions { CorpId = "wwfake", Secret = "s", AgentId = 7 }, Ct);
        using var http = new HttpClient { BaseAddress = fake.BaseAddress };
        var token = (await GetJsonAsync(http, "cgi-bin/gettoken?corpid=wwfake&corpsecret=s")).GetProperty("access_token").GetString();
        fake.InjectFault(FakeWeComFault.DropAfterDelivery, endpoint: FakeWeComEndpoint.MessageSend);

        await Assert.ThrowsAsync<HttpRequestException>(() => PostAsync(http, "cgi-bin/message/send?access_token=" + token, Text("u1", "送达但无应答")));

        Assert.Equal(["u1"], Assert.Single(fake.Messages).Recipients);
    }

    [Fact]
    public async Task InjectedFaults_ApplyToTheNextCallsOnly()
    {
        await using var fake = await FakeWeComServer.StartAsync(new FakeWeComOptions { CorpId = "wwfake", Secret = "s" }, Ct);
        using var http = new HttpClient { BaseAddress = fake.BaseAddress };
        fake.InjectFault(FakeWeComFault.WithErrCode(60020), count: 2, endpoint: FakeWeComEndpoint.GetToken);

        Assert.Equal(60020, (await GetJsonAsync(http, "cgi-bin/gettoken?corpid=wwfake&corpsecret=s")).GetProperty("errcode").GetInt32());
        Assert.Equal(60020, (await GetJsonAsync(http, "cgi-bin/gettoken?corpid=wwfake&corpsecret=s")).GetProperty("errcode").GetInt32());
        Assert.Equal(0, (await GetJsonAsync(http, "cgi-bin/gettoken?corpid=wwfake&corpsecret=s")).GetProperty("errcode").GetInt32());
        Assert.Equal(3, fake.GetTokenRequests);
    }

    private static object Text(string toUser, string content, int agentId = 7) =>
        new { touser = toUser, msgtype = "text", agentid = agentId, text = new { content } };

    private static async Task<JsonElement> GetJsonAsync(HttpClient http, string uri) =>
        await http.GetFromJsonAsync<JsonElement>(new Uri(uri, UriKind.Relative), Ct);

    private static async Task<int> PostAsync(HttpClient http, string uri, object body)
    {
        using var response = await http.PostAsJsonAsync(new Uri(uri, UriKind.Relative), body, Ct);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return answer.GetProperty("errcode").GetInt32();
    }
}
