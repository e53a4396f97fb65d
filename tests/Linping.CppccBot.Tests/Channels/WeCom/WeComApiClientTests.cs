using System.Text;
using Linping.CppccBot.Channels.WeCom;
using Linping.CppccBot.LocalChat.FakeWeCom;

namespace Linping.CppccBot.Tests.Channels.WeCom;

/// <summary>The real <see cref="WeComApiClient"/> against the real <see cref="FakeWeComServer"/> over loopback HTTP.</summary>
public sealed class WeComApiClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Token_IsFetchedOnce_AndSharedBy50ConcurrentSends()
    {
        await using var harness = await WeComApiHarness.StartAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => harness.Client.SendTextAsync([$"user{i}"], $"第{i}条", Ct)));

        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.Equal(1, harness.Fake.GetTokenRequests);
        Assert.Equal(50, harness.Fake.Messages.Count);
    }

    [Fact]
    public async Task Token_IsRefreshedBeforeItExpires_WhenTimeAdvances()
    {
        await using var harness = await WeComApiHarness.StartAsync();
        await harness.Client.SendTextAsync(["zhangsan"], "一", Ct);

        harness.Time.Advance(TimeSpan.FromSeconds(6400)); // 800 s left: more than the 720 s (10 %) margin
        Assert.True((await harness.Client.SendTextAsync(["zhangsan"], "二", Ct)).Succeeded);
        Assert.Equal(1, harness.Fake.GetTokenRequests);

        harness.Time.Advance(TimeSpan.FromSeconds(100)); // 700 s left: inside the margin
        Assert.True((await harness.Client.SendTextAsync(["zhangsan"], "三", Ct)).Succeeded);
        Assert.Equal(2, harness.Fake.GetTokenRequests);

        harness.Time.Advance(TimeSpan.FromSeconds(800)); // past the first token's original expiry
        Assert.True((await harness.Client.SendTextAsync(["zhangsan"], "四", Ct)).Succeeded);
        Assert.Equal(2, harness.Fake.GetTokenRequests);
    }

    [Fact]
    public async Task ABusyWeComDuringAnEarlyRefresh_KeepsTheCurrentToken_UntilItExpires()
    {
        await using var harness = await WeComApiHarness.StartAsync();
        await harness.Client.SendTextAsync(["zhangsan"], "一", Ct);

        // Inside the refresh margin, WeCom is busy: the token that has not expired yet still sends.
        harness.Time.Advance(TimeSpan.FromSeconds(6600));
        harness.Fake.InjectFault(FakeWeComFault.SystemBusy, count: 1, endpoint: FakeWeComEndpoint.GetToken);
        Assert.True((await harness.Client.SendTextAsync(["zhangsan"], "二", Ct)).Succeeded);
        Assert.Equal(2, harness.Fake.GetTokenRequests);

        // The next send tries again, and WeCom answers this time.
        Assert.True((await harness.Client.SendTextAsync(["zhangsan"], "三", Ct)).Succeeded);
        Assert.Equal(3, harness.Fake.GetTokenRequests);
        Assert.Equal(["一", "二", "三"], harness.Fake.Messages.Select(m => m.Content));
    }

    [Fact]
    public async Task ABusyGettoken_IsOneLineNotOnePerSend_AndTheFirstTokenAfterItSaysSoWithTheFailuresNotLogged()
    {
        await using var harness = await WeComApiHarness.StartAsync();
        harness.Fake.InjectFault(FakeWeComFault.SystemBusy, count: 3, endpoint: FakeWeComEndpoint.GetToken);

        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<WeComApiException>(() => harness.Client.SendTextAsync(["zhangsan"], "开会通知", Ct));
        }

        Assert.Single(harness.Logs.Lines, l => l.Contains("/cgi-bin/gettoken answered errcode -1", StringComparison.Ordinal));
        Assert.DoesNotContain(harness.Logs.Lines, l => l.Contains("answering again", StringComparison.Ordinal));

        Assert.True((await harness.Client.SendTextAsync(["zhangsan"], "开会通知", Ct)).Succeeded);
        var recovered = Assert.Single(harness.Logs.Lines, l => l.Contains("answering again", StringComparison.Ordinal));
        Assert.Contains("[Information] WeCom /cgi-bin/gettoken is answering again; 2 more failures", recovered, StringComparison.Ordinal);
        Assert.Contains("WeCom /cgi-bin/gettoken answered errcode -1", recovered, StringComparison.Ordinal);
        Assert.Equal(["开会通知"], harness.Fake.Messages.Select(m => m.Content));

        // Once said, it is not said again by the next send.
        Assert.True((await harness.Client.SendTextAsync(["zhangsan"], "开会通知", Ct)).Succeeded);
        Assert.Single(harness.Logs.Lines, l => l.Contains("answering again", StringComparison.Ordinal));
        var lines = string.Join("\n", harness.Logs.Lines);
        Assert.DoesNotContain("zhangsan", lines, StringComparison.Ordinal);
        Assert.DoesNotContain("开会通知", lines, StringComparison.Ordinal);
        Assert.DoesNotContain(WeComApiHarness.Secret, lines, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABusyWeComDuringAnEarlyRefresh_IsOneLineNotOnePerSend()
    {
        await using var harness = await WeComApiHarness.StartAsync();
        await harness.Client.SendTextAsync(["zhangsan"], "一", Ct);
        harness.Time.Advance(TimeSpan.FromSeconds(6600));
        harness.Fake.InjectFault(FakeWeComFault.SystemBusy, count: 3, endpoint: FakeWeComEndpoint.GetToken);

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await harness.Client.SendTextAsync(["zhangsan"], "二", Ct)).Succeeded);
        }

        Assert.Equal(4, harness.Fake.GetTokenRequests);
        Assert.Single(harness.Logs.Lines, l => l.Contains("WeCom access token refresh failed", StringComparison.Ordinal));
        Assert.Single(harness.Logs.Lines, l => l.Contains("/cgi-bin/gettoken answered errcode -1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExpiredToken_IsReplaced()
    {
        await using var harness = await WeComApiHarness.StartAsync();
        var first = await harness.TokenCache.GetTokenAsync(Ct);

        harness.Time.Advance(TimeSpan.FromHours(3));
        var result = await harness.Client.SendTextAsync(["zhangsan"], "过期后", Ct);

        Assert.True(result.Succeeded);
        Assert.NotEqual(first, await harness.TokenCache.GetTokenAsync(Ct));
        Assert.Equal(2, harness.Fake.GetTokenRequests);
    }

    [Fact]
    public async Task RevokedToken_CausesExactlyOneRefresh_AndTheSendsSucceed()
    {
        await using var harness = await WeComApiHarness.StartAsync();
        await harness.Client.SendTextAsync(["zhangsan"], "预热", Ct);

        harness.Fake.RevokeAllTokens();
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => harness.Client.SendTextAsync([$"user{i}"], "撤销后", Ct)));

        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.Equal(2, harness.Fake.GetTokenRequests);
        Assert.Equal(21, harness.Fake.Messages.Count);
    }

    [Fact]
    public async Task Invalidate_OnlyForgetsTheTokenThatFailed()
    {
        await using var harness = await WeComApiHarness.StartAsync();
        var token = await harness.TokenCache.GetTokenAsync(Ct);

        Assert.False(harness.TokenCache.Invalidate("some-older-token"));
        Assert.True(harness.TokenCache.Invalidate(token));
        Assert.False(harness.TokenCache.Invalidate(token));
    }

    [Fact]
    public async Task ManyUsers_GoInCallsOfAtMost1000()
    {
        await using var harness = await WeComApiHarness.StartAsync();
        var users = Enumerable.Range(0, 1500).Select(i => $"member{i:D4}").ToList();

        var result = await harness.Client.SendTextAsync(users, "全体通知", Ct);

        Assert.True(result.Succeeded);
        Assert.Equal([1000, 500], result.Calls.Select(c => c.UserIds.Count));
        Assert.Equal([1000, 500], harness.Fake.Messages.Select(m => m.Recipients.Count));
        Assert.Equal(users, harness.Fake.Messages.SelectMany(m => m.Recipients));
    }

    [Fact]
    public async Task LongChineseText_IsSentInOrderedPartsWithinTheByteLimit()
    {
        await using var harness = await WeComApiHarness.StartAsync();
        var text = string.Join('\n', Enumerable.Range(1, 120).Select(i => $"第{i}项：关于推进乡村振兴和基层治理的提案办理情况，已经答复。"));
        Assert.True(Encoding.UTF8.GetByteCount(text) > 3 * 2048);

        var result = await harness.Client.SendTextAsync(["zhangsan"], text, Ct);

        Assert.True(result.Succeeded);
        var sent = harness.Fake.Messages;
        Assert.True(sent.Count >= 4);
        Assert.Equal(Enumerable.Range(0, sent.Count), result.Calls.Select(c => c.PartIndex));
        Assert.All(sent, m => Assert.InRange(Encoding.UTF8.GetByteCount(m.Content), 1, 2048));
        Assert.Equal(text, string.Concat(sent.Select(m => m.Content)));
    }

    [Fact]
    public async Task Markdown_IsSentAsMarkdown()
    {
        await using var harness = await WeComApiHarness.StartAsync();

        var result = await harness.Client.SendMarkdownAsync(["zhangsan"], "**会议提醒**", Ct);

        Assert.True(result.Succeeded);
        Assert.Equal("markdown", Assert.Single(harness.Fake.Messages).MsgType);
    }

    [Fact]
    public async Task InvalidUsers_AreReportedLowerCased()
    {
        await using var harness = await WeComApiHarness.StartAsync(knownUsers: ["ZhangSan", "lisi"]);

        var result = await harness.Client.SendTextAsync(["zhangsan", "WangWu", "LiSi", "ZhaoLiu"], "通知", Ct);

        Assert.True(result.Succeeded);
        Assert.Equal(["wangwu", "zhaoliu"], result.InvalidUsers);
        Assert.Equal(["zhangsan", "lisi"], Assert.Single(harness.Fake.Messages).Recipients);
    }

    [Fact]
    public async Task AllUsersInvalid_Gives81013_AndTheOtherBatchesStillGo()
    {
        await using var harness = await WeComApiHarness.StartAsync(knownUsers: Enumerable.Range(1000, 500).Select(i => $"m{i}").ToList());
        var users = Enumerable.Range(0, 1500).Select(i => $"m{i}").ToList();

        var result = await harness.Client.SendTextAsync(users, "通知", Ct);

        Assert.False(result.Succeeded);
        Assert.Equal([WeComErrorCodes.AllRecipientsInvalid, 0], result.Calls.Select(c => c.ErrCode));
        Assert.Equal(WeComErrorKind.Rejected, result.ErrorKind);
        Assert.Equal(1000, result.InvalidUsers.Count);
        Assert.Equal(500, Assert.Single(harness.Fake.Messages).Recipients.Count);
    }

    [Fact]
    public async Task SystemBusy_RateLimit_AndNetworkFailure_AreDistinguishable()
    {
        await using var harness = await WeComApiHarness.StartAsync();
        var threeParts = new string('x', 2048 * 3);

        harness.Fake.InjectFault(FakeWeComFault.SystemBusy, endpoint: FakeWeComEndpoint.MessageSend);
        var busy = await harness.Client.SendTextAsync(["zhangsan"], threeParts, Ct);
        Assert.Equal(WeComErrorKind.SystemBusy, busy.ErrorKind);
        Assert.Equal(-1, busy.FirstFailure?.ErrCode);
        Assert.Single(busy.Calls); // stopped, so later parts cannot overtake the failed one
        Assert.Equal(3, busy.PlannedCalls);
        Assert.True(WeComErrorCodes.IsTransient(busy.ErrorKind));

        harness.Fake.InjectFault(FakeWeComFault.RateLimited, endpoint: FakeWeComEndpoint.MessageSend);
        var limited = await harness.Client.SendTextAsync(["zhangsan"], "一条", Ct);
        Assert.Equal(WeComErrorKind.RateLimited, limited.ErrorKind);
        Assert.Equal(45009, limited.FirstFailure?.ErrCode);

        harness.Fake.InjectFault(FakeWeComFault.Drop, endpoint: FakeWeComEndpoint.MessageSend);
        var dropped = await Assert.ThrowsAsync<WeComApiException>(() => harness.Client.SendTextAsync(["zhangsan"], "一条", Ct));
        Assert.Equal(WeComErrorKind.Network, dropped.Kind);
        Assert.Null(dropped.ErrCode);
        Assert.True(dropped.IsTransient);
        Assert.Empty(dropped.PartialResult!.Calls);

        Assert.True((await harness.Client.SendTextAsync(["zhangsan"], "恢复", Ct)).Succeeded);
    }

    [Fact]
    public async Task NetworkFailureMidSend_CarriesThePartsAlreadySent()
    {
        await using var harness = await WeComApiHarness.StartAsync();
        await harness.TokenCache.GetTokenAsync(Ct);
        harness.Fake.InjectFault(FakeWeComFault.WithDelay(TimeSpan.Zero), endpoint: FakeWeComEndpoint.MessageSend);
        harness.Fake.InjectFault(FakeWeComFault.Drop, endpoint: FakeWeComEndpoint.MessageSend);

        var ex = await Assert.ThrowsAsync<WeComApiException>(() => harness.Client.SendTextAsync(["zhangsan"], new string('x', 2048 * 3), Ct));

        Assert.Equal(WeComErrorKind.Network, ex.Kind);
        Assert.Equal(0, Assert.Single(ex.PartialResult!.Calls).ErrCode);
    }

    [Fact]
    public async Task TokensRefusedOneSendAfterAnother_AreOneLine_NotOnePerSend()
    {
        await using var harness = await WeComApiHarness.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            await harness.TokenCache.GetTokenAsync(Ct);
            harness.Fake.RevokeAllTokens();
            Assert.True((await harness.Client.SendTextAsync(["zhangsan"], $"第{i}条", Ct)).Succeeded);
        }

        Assert.Equal(3, harness.Fake.Messages.Count);
        Assert.Single(harness.Logs.Lines, l => l.Contains("refused the access token with errcode 40014; refreshing it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NetworkFailureInALaterBatch_NamesTheUsersOfTheCallInFlight()
    {
        await using var harness = await WeComApiHarness.StartAsync();
        await harness.TokenCache.GetTokenAsync(Ct);
        var users = Enumerable.Range(0, 1500).Select(i => $"user{i:D4}").ToList();
        harness.Fake.InjectFault(FakeWeComFault.WithDelay(TimeSpan.Zero), count: 3, endpoint: FakeWeComEndpoint.MessageSend);
        harness.Fake.InjectFault(FakeWeComFault.Drop, endpoint: FakeWeComEndpoint.MessageSend);

        var ex = await Assert.ThrowsAsync<WeComApiException>(() => harness.Client.SendTextAsync(users, new string('x', 2048 * 2), Ct));

        // The first 1000 got both parts, the other 500 the first part only.
        Assert.Equal(users[1000..], ex.UserIdsInFlight);
        Assert.Equal(1, ex.PartsSent);
        Assert.Equal([(0, 1000), (1, 1000), (0, 500)], ex.PartialResult!.Calls.Select(c => (c.PartIndex, c.UserIds.Count)));
        Assert.True(ex.Unanswered);
    }

    [Fact]
    public async Task WrongSecret_ThrowsAConfigurationError()
    {
        await using var harness = await WeComApiHarness.StartAsync();
        harness.Fake.Options.Secret = "rotated-in-the-console";

        var ex = await Assert.ThrowsAsync<WeComApiException>(() => harness.Client.SendTextAsync(["zhangsan"], "一条", Ct));

        Assert.Equal(WeComErrorKind.Configuration, ex.Kind);
        Assert.Equal(WeComErrorCodes.InvalidSecret, ex.ErrCode);
        Assert.Equal("/cgi-bin/gettoken", ex.ApiPath);
    }

    [Fact]
    public async Task Webhook_21stMessageInAMinute_Gets45009()
    {
        await using var harness = await WeComApiHarness.StartAsync();

        for (var i = 0; i < 20; i++)
        {
            Assert.True((await harness.Client.SendWebhookTextAsync(WeComApiHarness.WebhookKey, $"群消息{i}", Ct)).Succeeded);
        }

        var refused = await harness.Client.SendWebhookTextAsync(WeComApiHarness.WebhookKey, "第21条", Ct);
        Assert.Equal(WeComErrorCodes.ApiFrequencyLimit, refused.FirstFailure?.ErrCode);
        Assert.Equal(WeComErrorKind.RateLimited, refused.ErrorKind);
        Assert.Equal(20, harness.Fake.Messages.Count);

        harness.Time.Advance(TimeSpan.FromSeconds(61));
        Assert.True((await harness.Client.SendWebhookTextAsync(WeComApiHarness.WebhookKey, "一分钟后", Ct)).Succeeded);
    }

    [Fact]
    public async Task Webhook_UnknownKey_IsAConfigurationError()
    {
        await using var harness = await WeComApiHarness.StartAsync();

        var result = await harness.Client.SendWebhookTextAsync("removed-robot", "你好", Ct);

        Assert.Equal(WeComErrorCodes.WebhookInvalid, result.FirstFailure?.ErrCode);
        Assert.Equal(WeComErrorKind.Configuration, result.ErrorKind);
    }

    [Fact]
    public async Task Logs_NeverContainTheToken_Secret_WebhookKey_OrText()
    {
        await using var harness = await WeComApiHarness.StartAsync();
        const string Text = "机密会议安排：周五下午三点";
        var tokens = new List<string>();

        await harness.Client.SendTextAsync(["zhangsan"], Text, Ct);
        tokens.Add(await harness.TokenCache.GetTokenAsync(Ct));
        harness.Fake.RevokeAllTokens();
        await harness.Client.SendMarkdownAsync(["zhangsan"], Text, Ct);
        tokens.Add(await harness.TokenCache.GetTokenAsync(Ct));
        harness.Fake.InjectFault(FakeWeComFault.SystemBusy, endpoint: FakeWeComEndpoint.MessageSend);
        await harness.Client.SendTextAsync(["zhangsan"], Text, Ct);
        harness.Fake.InjectFault(FakeWeComFault.Drop, endpoint: FakeWeComEndpoint.MessageSend);
        await Assert.ThrowsAsync<WeComApiException>(() => harness.Client.SendTextAsync(["zhangsan"], Text, Ct));
        await harness.Client.SendWebhookTextAsync(WeComApiHarness.WebhookKey, Text, Ct);

        var lines = harness.Logs.Lines;
        Assert.Contains(lines, l => l.Contains("access token fetched", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("40014", StringComparison.Ordinal));
        Assert.Equal(2, tokens.Distinct().Count());
        // .NET redacts query strings in IHttpClientFactory logs by default, but one AppContext switch
        // (System.Net.Http.DisableUriRedaction) turns that off; the client's loggers must not be there at all.
        Assert.DoesNotContain(lines, l => l.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal));
        string[] secrets = [.. tokens, WeComApiHarness.Secret, WeComApiHarness.WebhookKey, Text, "access_token="];
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.Ordinal));
        }
    }
}
