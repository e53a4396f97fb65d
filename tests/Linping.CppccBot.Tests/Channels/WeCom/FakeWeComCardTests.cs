using System.Net.Http.Json;
using System.Text.Json;
using Linping.CppccBot.LocalChat.FakeWeCom;
using Microsoft.Extensions.Time.Testing;

namespace Linping.CppccBot.Tests.Channels.WeCom;

/// <summary>The fake's template cards and card updates answer raw HTTP by the rules of wecom.md §8.</summary>
public sealed class FakeWeComCardTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new();
    private FakeWeComServer _fake = null!;
    private HttpClient _http = null!;
    private string _token = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _fake = await FakeWeComServer.StartAsync(new FakeWeComOptions { CorpId = "wwfake", Secret = "s", AgentId = 7, TimeProvider = _time }, Ct);
        _http = new HttpClient { BaseAddress = _fake.BaseAddress };
        await RefreshTokenAsync();
    }

    private async Task RefreshTokenAsync()
    {
        using var response = await _http.GetAsync(new Uri("cgi-bin/gettoken?corpid=wwfake&corpsecret=s", UriKind.Relative), Ct);
        _token = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("access_token").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _fake.DisposeAsync();
    }

    private async Task<JsonElement> PostAsync(string path, object body)
    {
        using var response = await _http.PostAsJsonAsync(new Uri($"cgi-bin/{path}?access_token={_token}", UriKind.Relative), body, Ct);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static object Card(string? taskId, object[]? buttons = null, string? title = "会议提醒") => new
    {
        touser = "u1",
        msgtype = "template_card",
        agentid = 7,
        template_card = new
        {
            card_type = "button_interaction",
            main_title = new { title },
            button_list = buttons ?? [new { text = "请假", key = "leave:MT-1", style = 1 }],
            task_id = taskId,
        },
    };

    private static object Update(string code, string? replaceName = "已请假") => new
    {
        userids = new[] { "u1" },
        agentid = 7,
        response_code = code,
        button = new { replace_name = replaceName },
    };

    [Fact]
    public async Task AButtonCard_IsAccepted_WithAResponseCode_AndItsTaskIdCannotBeUsedAgain()
    {
        var first = await PostAsync("message/send", Card("MT-1-abc_@1"));
        var again = await PostAsync("message/send", Card("MT-1-abc_@1"));

        Assert.Equal(0, first.GetProperty("errcode").GetInt32());
        Assert.False(string.IsNullOrEmpty(first.GetProperty("response_code").GetString()));
        Assert.Equal(FakeWeComServer.InvalidParameter, again.GetProperty("errcode").GetInt32());
        Assert.Contains("task_id duplicated", again.GetProperty("errmsg").GetString(), StringComparison.Ordinal);
        Assert.Single(_fake.Messages);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("has space")]
    [InlineData("中文")]
    public async Task ATaskIdMissingOrOutsideTheCharset_IsRefused(string? taskId)
    {
        var answer = await PostAsync("message/send", Card(taskId));

        Assert.Equal(FakeWeComServer.InvalidParameter, answer.GetProperty("errcode").GetInt32());
        Assert.Empty(_fake.Messages);
    }

    [Fact]
    public async Task TooLongTaskIds_NoTitle_SevenButtons_AndRepeatedKeys_AreRefused()
    {
        var button = new { text = "b", key = "k1" };
        Assert.Equal(FakeWeComServer.InvalidParameter, (await PostAsync("message/send", Card(new string('a', 129)))).GetProperty("errcode").GetInt32());
        Assert.Equal(0, (await PostAsync("message/send", Card(new string('a', 128)))).GetProperty("errcode").GetInt32());
        Assert.Equal(FakeWeComServer.InvalidParameter, (await PostAsync("message/send", Card("t2", title: null))).GetProperty("errcode").GetInt32());
        Assert.Equal(FakeWeComServer.InvalidParameter, (await PostAsync("message/send", Card("t3", [.. Enumerable.Range(0, 7).Select(i => new { text = "b", key = $"k{i}" })]))).GetProperty("errcode").GetInt32());
        Assert.Equal(FakeWeComServer.InvalidParameter, (await PostAsync("message/send", Card("t4", [button, button]))).GetProperty("errcode").GetInt32());
        Assert.Equal(FakeWeComServer.InvalidParameter, (await PostAsync("message/send", Card("t5", [new { text = "b", key = "" }]))).GetProperty("errcode").GetInt32());
    }

    [Fact]
    public async Task AResponseCode_UpdatesOnce_AndNotAfter72Hours()
    {
        var sent = await PostAsync("message/send", Card("t1"));
        var sendCode = sent.GetProperty("response_code").GetString()!;
        var clickCode = _fake.IssueClickResponseCode("t1");
        var oldCode = _fake.IssueClickResponseCode("t1");

        Assert.Equal(0, (await PostAsync("message/update_template_card", Update(sendCode))).GetProperty("errcode").GetInt32());
        Assert.Equal(FakeWeComServer.InvalidParameter, (await PostAsync("message/update_template_card", Update(sendCode))).GetProperty("errcode").GetInt32());
        Assert.Equal(FakeWeComServer.InvalidParameter, (await PostAsync("message/update_template_card", Update("never-issued"))).GetProperty("errcode").GetInt32());
        Assert.Equal(FakeWeComServer.InvalidParameter, (await PostAsync("message/update_template_card", Update(clickCode, replaceName: null))).GetProperty("errcode").GetInt32());
        Assert.Equal(0, (await PostAsync("message/update_template_card", Update(clickCode))).GetProperty("errcode").GetInt32());
        _time.Advance(TimeSpan.FromHours(72) + TimeSpan.FromSeconds(1));
        await RefreshTokenAsync();
        Assert.Equal(FakeWeComServer.InvalidParameter, (await PostAsync("message/update_template_card", Update(oldCode))).GetProperty("errcode").GetInt32());

        Assert.Equal([sendCode, clickCode], _fake.CardUpdates.Select(u => u.ResponseCode));
        Assert.All(_fake.CardUpdates, u => Assert.Equal(("t1", "已请假"), (u.TaskId, u.ReplaceName)));
    }

    [Fact]
    public async Task AnUpdate_NeedsAValidTokenAndAgent()
    {
        var code = _fake.IssueClickResponseCode("t1");
        using var noToken = await _http.PostAsJsonAsync(new Uri("cgi-bin/message/update_template_card", UriKind.Relative), Update(code), Ct);

        Assert.Equal(41001, (await noToken.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errcode").GetInt32());
        Assert.Equal(40056, (await PostAsync("message/update_template_card", new { userids = new[] { "u1" }, agentid = 8, response_code = code, button = new { replace_name = "x" } })).GetProperty("errcode").GetInt32());
        Assert.Empty(_fake.CardUpdates);
    }
}
