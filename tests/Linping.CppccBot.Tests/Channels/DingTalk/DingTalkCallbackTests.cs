using System.Net;
using Linping.CppccBot.Channels.DingTalk;
using Linping.CppccBot.Conversations;
using Linping.CppccBot.LocalChat.FakeDingTalk;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Channels.DingTalk;

/// <summary>The DingTalk HTTP callback of the real host end to end: signed robot messages in, replies to the fake DingTalk out.</summary>
public sealed class DingTalkCallbackTests : IAsyncLifetime
{
    private DingTalkHost _dingTalk = null!;

    public async ValueTask InitializeAsync() => _dingTalk = await DingTalkHost.StartAsync("Http");

    public async ValueTask DisposeAsync() => await _dingTalk.DisposeAsync();

    [Fact]
    public async Task AMember_IsRecognisedByStaffId_AndAnsweredThroughTheSessionWebhook()
    {
        var (status, body) = await _dingTalk.PostCallbackAsync(_dingTalk.Fake.RobotMessageJson("dt-wangjianguo", "帮助"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"msgtype":"empty"}""", body);
        var reply = Assert.Single(await _dingTalk.Fake.WaitForMessagesAsync(1));
        Assert.Equal(FakeDingTalkEndpoint.SessionWebhook, reply.Endpoint);
        Assert.Equal("text", reply.MsgType);
        Assert.StartsWith("王建国您好", reply.Text, StringComparison.Ordinal);
        Assert.Empty(reply.StaffIds);
        Assert.Contains("我可以帮您", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARedeliveredMsgId_TakesEffectOnce()
    {
        var json = _dingTalk.Fake.RobotMessageJson("dt-xuhaitao", "我要报名请你来协商", msgId: "msgRedelivered==");

        var first = await _dingTalk.PostCallbackAsync(json);
        var second = await _dingTalk.PostCallbackAsync(json);
        await _dingTalk.Fake.WaitForMessagesAsync(1);
        await Task.Delay(300, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        var reply = Assert.Single(_dingTalk.Fake.Messages);
        Assert.Contains("报名成功", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoMessagesDingTalkSignedInTheSameMillisecond_AreBothAnswered()
    {
        // DingTalk signs the timestamp alone: two messages it sends in one millisecond carry the same timestamp and sign.
        var timestamp = _dingTalk.Host.Time.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var first = await _dingTalk.PostCallbackAsync(_dingTalk.Fake.RobotMessageJson("dt-wangjianguo", "帮助"), timestamp);
        var second = await _dingTalk.PostCallbackAsync(_dingTalk.Fake.RobotMessageJson("dt-xuhaitao", "我要报名请你来协商"), timestamp);
        var replies = await _dingTalk.Fake.WaitForMessagesAsync(2);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.Status, second.Status));
        Assert.Contains(replies, r => r.ConversationId == "cid-1to1-dt-wangjianguo" && r.Text.StartsWith("王建国您好", StringComparison.Ordinal));
        Assert.Contains(replies, r => r.ConversationId == "cid-1to1-dt-xuhaitao" && r.Text.Contains("报名成功", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheSameMessageUnderTheSamePair_TakesEffectOnce_AndIsRefusedOnceThePairIsOld()
    {
        var timestamp = _dingTalk.Host.Time.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var json = _dingTalk.Fake.RobotMessageJson("dt-xuhaitao", "我要报名请你来协商");

        var first = await _dingTalk.PostCallbackAsync(json, timestamp);
        var again = await _dingTalk.PostCallbackAsync(json, timestamp);
        await _dingTalk.Fake.WaitForMessagesAsync(1);
        _dingTalk.Host.Time.Advance(TimeSpan.FromMinutes(1));
        var later = await _dingTalk.PostCallbackAsync(json, timestamp);
        var another = await _dingTalk.PostCallbackAsync(_dingTalk.Fake.RobotMessageJson("dt-xuhaitao", "取消报名"), timestamp);
        await Task.Delay(300, TestContext.Current.CancellationToken);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden], new[] { first.Status, again.Status, later.Status, another.Status });
        Assert.Contains("报名成功", Assert.Single(_dingTalk.Fake.Messages).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SomeoneNotOnTheRoster_IsToldPolitely()
    {
        var reply = await _dingTalk.SayAsync("dt-stranger", "你好");

        Assert.Contains("暂未查到您的委员信息", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGroupMention_IsUnderstood_AndTheReplyMentionsTheSender()
    {
        var (status, _) = await _dingTalk.PostCallbackAsync(_dingTalk.Fake.RobotMessageJson("dt-xuhaitao", "@临平政协助手 最近有什么会议", groupId: "cidGroupOfMembers=="));

        Assert.Equal(HttpStatusCode.OK, status);
        var reply = Assert.Single(await _dingTalk.Fake.WaitForMessagesAsync(1));
        Assert.Equal("cidGroupOfMembers==", reply.ConversationId);
        Assert.Equal(["dt-xuhaitao"], reply.StaffIds);

        // at.atUserIds alone mentions nobody: the text must carry "@userId" too, which DingTalk shows as @ and the name.
        Assert.StartsWith("@dt-xuhaitao 近期会议活动", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGroupTurnOfSeveralReplies_MentionsTheAskerInTheFirstOnly()
    {
        var message = DingTalkRobotMessage.Parse(_dingTalk.Fake.RobotMessageJson("dt-xuhaitao", "最近有什么会议", groupId: "cidGroupOfMembers=="));
        var replier = _dingTalk.Host.Services.GetRequiredService<DingTalkReplier>();

        await replier.ReplyAsync(message, new TurnResult([new Reply("近期会议活动（共1场）"), new Reply("报名请私聊我")]), TestContext.Current.CancellationToken);

        var replies = await _dingTalk.Fake.WaitForMessagesAsync(2);
        Assert.Equal(["@dt-xuhaitao 近期会议活动（共1场）", "报名请私聊我"], replies.Select(r => r.Text));
        Assert.Equal(["dt-xuhaitao"], replies[0].StaffIds);
        Assert.Empty(replies[1].StaffIds);
    }

    [Fact]
    public async Task AGroupReplyTheMentionMakesTwoParts_HasOnlyItsRestSentAgain_SoNoPartComesTwice()
    {
        // 4,000 bytes: one message on its own, two once "@dt-xuhaitao " goes before it.
        var text = new string('会', 1333) + "a";
        Assert.Equal(DingTalkApiClient.MaxContentBytes, System.Text.Encoding.UTF8.GetByteCount(text));
        var message = DingTalkRobotMessage.Parse(_dingTalk.Fake.RobotMessageJson("dt-xuhaitao", "最近有什么会议", groupId: "cidGroupOfMembers=="));
        _dingTalk.Fake.InjectFault(FakeDingTalkEndpoint.SessionWebhook, FakeDingTalkFault.ServerError, afterCalls: 1); // the second part
        _dingTalk.Fake.InjectFault(FakeDingTalkEndpoint.GroupSend, FakeDingTalkFault.Throttled); // and the fallback, for a passing reason
        var replier = _dingTalk.Host.Services.GetRequiredService<DingTalkReplier>();

        var sending = replier.ReplyAsync(message, new TurnResult([new Reply(text)]), TestContext.Current.CancellationToken);
        await WaitForLogAsync("A DingTalk reply");
        _dingTalk.Host.Time.Advance(TimeSpan.FromMinutes(1));
        await sending.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await Task.Delay(300, TestContext.Current.CancellationToken);

        // The group send refused the rest for a passing reason: it went on the next try, through the webhook.
        Assert.Equal(2, _dingTalk.Fake.Messages.Count);
        Assert.All(_dingTalk.Fake.Messages, m => Assert.Equal(FakeDingTalkEndpoint.SessionWebhook, m.Endpoint));
        Assert.Equal("@dt-xuhaitao " + text, string.Concat(_dingTalk.Fake.Messages.Select(m => m.Text)));
    }

    [Theory]
    [InlineData("cidGroupOfMembers==")]
    [InlineData(null)]
    public async Task ALongReplyWhoseSecondWebhookPartFails_HasOnlyTheRestSentThroughTheOpenApi(string? groupId)
    {
        var text = string.Concat(Enumerable.Repeat("临平区政协委员会议安排。", 200)); // 7,200 bytes: two messages
        var message = DingTalkRobotMessage.Parse(_dingTalk.Fake.RobotMessageJson("dt-xuhaitao", "最近有什么会议", groupId: groupId, senderNick: "徐海涛"));
        _dingTalk.Fake.InjectFault(FakeDingTalkEndpoint.SessionWebhook, FakeDingTalkFault.ServerError, afterCalls: 1);
        var replier = _dingTalk.Host.Services.GetRequiredService<DingTalkReplier>();

        await replier.ReplyAsync(message, new TurnResult([new Reply(text)]), TestContext.Current.CancellationToken);

        var sent = await _dingTalk.Fake.WaitForMessagesAsync(2);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Equal(2, _dingTalk.Fake.Messages.Count);
        Assert.Equal(FakeDingTalkEndpoint.SessionWebhook, sent[0].Endpoint);
        Assert.Equal(groupId is null ? FakeDingTalkEndpoint.BatchSend : FakeDingTalkEndpoint.GroupSend, sent[1].Endpoint);
        Assert.Equal((groupId is null ? string.Empty : "@dt-xuhaitao ") + text, sent[0].Text + sent[1].Text);
        Assert.Equal(groupId is null ? Array.Empty<string>() : ["dt-xuhaitao"], sent[0].StaffIds);
    }

    [Theory]
    [InlineData("最近有什么会议")]
    [InlineData("有哪些活动可以报名")]
    [InlineData("今天有会吗")]
    public async Task InAGroup_TheMeetingList_ShowsNothingOfTheMemberWhoAsked(string text)
    {
        // Signed up for one meeting and on leave (因病) for the 常委会, in the private chat.
        await _dingTalk.SayAsync("dt-xuhaitao", "报名小微园区安全管理那个协商会");
        await _dingTalk.SayAsync("dt-xuhaitao", "第二十六次常委会请假 因病");
        Assert.Contains("请假待批", await _dingTalk.SayAsync("dt-xuhaitao", "无"), StringComparison.Ordinal);
        var before = _dingTalk.Fake.Messages.Count;

        await _dingTalk.PostCallbackAsync(_dingTalk.Fake.RobotMessageJson("dt-xuhaitao", "@临平政协助手 " + text, groupId: "cidGroupOfMembers=="));

        var reply = (await _dingTalk.Fake.WaitForMessagesAsync(before + 1))[before];
        Assert.Equal("cidGroupOfMembers==", reply.ConversationId);
        Assert.Contains("“请你来协商”：小微园区安全管理", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("您的", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("已报名", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("请假待批", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("因病", reply.Text, StringComparison.Ordinal);

        // "报名 1" does not work in the group: the list says where to sign up instead.
        Assert.DoesNotContain("“报名 1”", reply.Text, StringComparison.Ordinal);
        Assert.EndsWith(Linping.CppccBot.Features.Meetings.MeetingTexts.GroupListHint, reply.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("@临平政协助手 我的提案")]
    [InlineData("@临平政协助手 我的会议")]
    [InlineData("@临平政协助手 常委会请假 因病")]
    [InlineData("@临平政协助手 我要提交社情民意")]
    public async Task InAGroup_WhatConcernsOneMember_IsAskedForInPrivate_AndShowsNothingOfThem(string text)
    {
        var (status, _) = await _dingTalk.PostCallbackAsync(_dingTalk.Fake.RobotMessageJson("dt-xuhaitao", text, groupId: "cidGroupOfMembers=="));

        Assert.Equal(HttpStatusCode.OK, status);
        var reply = Assert.Single(await _dingTalk.Fake.WaitForMessagesAsync(1));
        Assert.Equal("cidGroupOfMembers==", reply.ConversationId);
        Assert.Equal("@dt-xuhaitao " + Linping.CppccBot.Conversations.BotTexts.GroupPrivateOnly, reply.Text);
    }

    [Theory]
    [InlineData("@临平政协助手 天气真好啊")]
    [InlineData("@临平政协助手 这个群人真多")]
    public async Task InAGroup_WordsTheBotDoesNotUnderstand_AreNotCalledPersonal(string text)
    {
        await _dingTalk.PostCallbackAsync(_dingTalk.Fake.RobotMessageJson("dt-xuhaitao", text, groupId: "cidGroupOfMembers=="));

        var reply = Assert.Single(await _dingTalk.Fake.WaitForMessagesAsync(1));
        Assert.Equal("cidGroupOfMembers==", reply.ConversationId);
        Assert.StartsWith("@dt-xuhaitao 抱歉，没太明白您的意思。", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("涉及个人信息", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InAGroup_AskingForAPerson_IsAnsweredThere_WithWhomToContact()
    {
        await _dingTalk.PostCallbackAsync(_dingTalk.Fake.RobotMessageJson("dt-xuhaitao", "@临平政协助手 转人工", groupId: "cidGroupOfMembers=="));

        var reply = Assert.Single(await _dingTalk.Fake.WaitForMessagesAsync(1));
        Assert.Equal("cidGroupOfMembers==", reply.ConversationId);
        Assert.Equal("@dt-xuhaitao 我是自动回复的小助手，这里没有人工客服。需要人工帮忙，请联系区政协办公室。", reply.Text);
    }

    [Theory]
    [InlineData("@临平政协助手 帮助")]
    [InlineData("@临平政协助手 你好")]
    public async Task InAGroup_Help_SaysWhatWorksThere_AndWhatNeedsAPrivateChat(string text)
    {
        await _dingTalk.PostCallbackAsync(_dingTalk.Fake.RobotMessageJson("dt-xuhaitao", text, groupId: "cidGroupOfMembers=="));

        var reply = Assert.Single(await _dingTalk.Fake.WaitForMessagesAsync(1));
        Assert.Equal("cidGroupOfMembers==", reply.ConversationId);
        Assert.Contains("在群里可以发“最近有什么会议”查看近期会议", reply.Text, StringComparison.Ordinal);
        Assert.Contains("请私聊我办理", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("【会议活动】", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("徐海涛", reply.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public async Task AVoiceMessageDingTalkCouldNotRecognise_IsAnsweredAsOneTheBotCannotRead_NotAsAnEmptyText(string recognition)
    {
        Assert.Contains("第1步：请发送标题", await _dingTalk.SayAsync("dt-xuhaitao", "我要提交社情民意"), StringComparison.Ordinal);
        var voice = _dingTalk.Fake.RobotMessageJson("dt-xuhaitao", "x", msgType: "audio")
            .Replace("\"content\":{\"downloadCode\":\"fake-download-code\"}", "\"content\":{\"downloadCode\":\"fake-download-code\",\"duration\":\"3000\",\"recognition\":\"" + recognition + "\"}", StringComparison.Ordinal);
        Assert.Contains("\"recognition\"", voice, StringComparison.Ordinal);
        var before = _dingTalk.Fake.Messages.Count;

        await _dingTalk.PostCallbackAsync(voice);

        var reply = (await _dingTalk.Fake.WaitForMessagesAsync(before + 1))[before];
        Assert.StartsWith(Linping.CppccBot.Conversations.BotTexts.UnsupportedInDialog, reply.Text, StringComparison.Ordinal);
        Assert.Contains("第2步：请发送正文", await _dingTalk.SayAsync("dt-xuhaitao", "关于小区停车难的问题"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExpiredSessionWebhook_FallsBackToTheOpenApi()
    {
        var json = _dingTalk.Fake.RobotMessageJson("dt-wangjianguo", "帮助");
        _dingTalk.Host.Time.Advance(TimeSpan.FromMinutes(95));

        await _dingTalk.PostCallbackAsync(json);

        var reply = Assert.Single(await _dingTalk.Fake.WaitForMessagesAsync(1));
        Assert.Equal(FakeDingTalkEndpoint.BatchSend, reply.Endpoint);
        Assert.Equal(["dt-wangjianguo"], reply.StaffIds);
        Assert.Contains("我可以帮您", reply.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Throttled")]
    [InlineData("ServerError")]
    [InlineData("FlowControlled")]
    public async Task AReplyDingTalkRefusesForAPassingReason_IsSentAgainAfterAWhile_Once(string refusal)
    {
        var json = _dingTalk.Fake.RobotMessageJson("dt-wangjianguo", "帮助");
        _dingTalk.Host.Time.Advance(TimeSpan.FromMinutes(95)); // the session webhook expired: the reply goes by batchSend
        if (refusal == "FlowControlled")
        {
            _dingTalk.Fake.ThrottleStaff("dt-wangjianguo");
        }
        else
        {
            _dingTalk.Fake.InjectFault(FakeDingTalkEndpoint.BatchSend, refusal == "Throttled" ? FakeDingTalkFault.Throttled : FakeDingTalkFault.ServerError);
        }

        await _dingTalk.PostCallbackAsync(json);
        await WaitForLogAsync("trying again in 2 s");
        Assert.Empty(_dingTalk.Fake.Messages);
        _dingTalk.Fake.ClearThrottling();
        _dingTalk.Host.Time.Advance(TimeSpan.FromSeconds(2));

        var reply = Assert.Single(await _dingTalk.Fake.WaitForMessagesAsync(1));
        Assert.Equal(FakeDingTalkEndpoint.BatchSend, reply.Endpoint);
        Assert.Equal(["dt-wangjianguo"], reply.StaffIds);
        Assert.Contains("我可以帮您", reply.Text, StringComparison.Ordinal);
        _dingTalk.Host.Time.Advance(TimeSpan.FromMinutes(1));
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Single(_dingTalk.Fake.Messages);
    }

    [Fact]
    public async Task AReplyWhoseSessionWebhookGotNoAnswer_IsNotSentAgainThroughTheOpenApi()
    {
        // A host that waits one second for DingTalk; the webhook takes the reply and says nothing: it may have arrived.
        await _dingTalk.DisposeAsync();
        _dingTalk = await DingTalkHost.StartAsync("Http", h => h.Settings["DingTalk:ApiTimeout"] = "00:00:01");
        _dingTalk.Fake.InjectFault(FakeDingTalkEndpoint.SessionWebhook, FakeDingTalkFault.Silent(TimeSpan.FromMinutes(1)));

        await _dingTalk.PostCallbackAsync(_dingTalk.Fake.RobotMessageJson("dt-wangjianguo", "帮助"));
        await WaitForLogAsync("it may have arrived, so it is not sent again");
        _dingTalk.Host.Time.Advance(TimeSpan.FromMinutes(1));
        await Task.Delay(500, TestContext.Current.CancellationToken);

        Assert.Empty(_dingTalk.Fake.Messages);
        Assert.DoesNotContain(_dingTalk.Logs.Lines, l => l.Contains("A DingTalk reply could not be sent", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AfterAReplyThatGotNoAnswer_TheTurnsLaterReplyStillGoes()
    {
        // Two requests in one message, two replies: the first call gets no answer (it may have arrived), the second is
        // surely not out yet and must follow, once.
        await _dingTalk.DisposeAsync();
        _dingTalk = await DingTalkHost.StartAsync("Http", h => h.Settings["DingTalk:ApiTimeout"] = "00:00:01");
        _dingTalk.Fake.InjectFault(FakeDingTalkEndpoint.SessionWebhook, FakeDingTalkFault.Silent(TimeSpan.FromMinutes(1)));

        await _dingTalk.PostCallbackAsync(_dingTalk.Fake.RobotMessageJson("dt-wangjianguo", "看下我的提案，最近有什么会"));

        var reply = Assert.Single(await _dingTalk.Fake.WaitForMessagesAsync(1));
        Assert.Equal(FakeDingTalkEndpoint.SessionWebhook, reply.Endpoint);
        Assert.StartsWith("近期会议活动", reply.Text, StringComparison.Ordinal);
        _dingTalk.Host.Time.Advance(TimeSpan.FromMinutes(1));
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.Single(_dingTalk.Fake.Messages);
    }

    [Fact]
    public async Task AReplyWhoseWebhookRefusedTheConnection_StillGoesThroughTheOpenApiAtOnce()
    {
        // Nothing listens where the webhook points: the reply surely did not arrive.
        using var closed = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        await _dingTalk.DisposeAsync();
        _dingTalk = await DingTalkHost.StartAsync("Http", h => h.Settings["DingTalk:OapiBaseUrl"] = $"http://127.0.0.1:{port}/");
        var json = _dingTalk.Fake.RobotMessageJson("dt-wangjianguo", "帮助").Replace(_dingTalk.Fake.BaseAddress.ToString(), $"http://127.0.0.1:{port}/", StringComparison.Ordinal);

        await _dingTalk.PostCallbackAsync(json);

        var reply = Assert.Single(await _dingTalk.Fake.WaitForMessagesAsync(1));
        Assert.Equal(FakeDingTalkEndpoint.BatchSend, reply.Endpoint);
        Assert.Contains("我可以帮您", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForeignWebhooksAndSendersWithoutAStaffId_AreLoggedOnceAMinute_NotOncePerMessage()
    {
        for (var i = 0; i < 3; i++)
        {
            await _dingTalk.PostCallbackAsync(_dingTalk.Fake.RobotMessageJson("dt-wangjianguo", "帮助").Replace(_dingTalk.Fake.BaseAddress.ToString(), "http://203.0.113.7/", StringComparison.Ordinal));
        }

        // The replies go in the background: they are out (through batchSend) before the clock moves on.
        await _dingTalk.Fake.WaitForMessagesAsync(3);

        // Someone outside the org (no staff id) whose session webhook expired: nothing can reach them.
        var expired = Enumerable.Range(0, 3).Select(_ => _dingTalk.Fake.RobotMessageJson(null, "帮助")).ToList();
        _dingTalk.Host.Time.Advance(TimeSpan.FromMinutes(95));
        foreach (var json in expired)
        {
            await _dingTalk.PostCallbackAsync(json);
        }

        await WaitForLogAsync("the session webhook expired and the sender has no staff id");
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        int Count(string text) => _dingTalk.Logs.Lines.Count(l => l.Contains(text, StringComparison.Ordinal));
        Assert.Equal(1, Count("is not under DingTalk:OapiBaseUrl"));
        Assert.Equal(1, Count("the session webhook expired and the sender has no staff id"));
    }

    [Fact]
    public async Task AReplyDingTalkRefusesForGood_IsNotTriedAgain()
    {
        var json = _dingTalk.Fake.RobotMessageJson("dt-wangjianguo", "帮助");
        _dingTalk.Host.Time.Advance(TimeSpan.FromMinutes(95));
        _dingTalk.Fake.InjectFault(FakeDingTalkEndpoint.BatchSend, new FakeDingTalkFault(400, "invalidParameter.msgParam.invalid", "msgParam 无效"));

        await _dingTalk.PostCallbackAsync(json);
        await WaitForLogAsync("A DingTalk reply could not be sent");
        _dingTalk.Host.Time.Advance(TimeSpan.FromMinutes(1));
        await Task.Delay(300, TestContext.Current.CancellationToken);

        Assert.Empty(_dingTalk.Fake.Messages);
        Assert.DoesNotContain(_dingTalk.Logs.Lines, l => l.Contains("trying again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DuringAnOutage_AFailureIsLoggedAtOnce_ThenOnceAMinuteWithACount_NotOncePerMessage()
    {
        _dingTalk.Fake.InjectFault(FakeDingTalkEndpoint.SessionWebhook, FakeDingTalkFault.ServerError, count: 1000);
        _dingTalk.Fake.InjectFault(FakeDingTalkEndpoint.BatchSend, FakeDingTalkFault.ServerError, count: 1000);

        for (var i = 0; i < 5; i++)
        {
            await _dingTalk.PostCallbackAsync(_dingTalk.Fake.RobotMessageJson("dt-wangjianguo", "帮助"));
        }

        await WaitForLogAsync("/v1.0/robot/oToMessages/batchSend answered HTTP 500");
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        int Count(string text) => _dingTalk.Logs.Lines.Count(l => l.Contains(text, StringComparison.Ordinal));
        Assert.Equal(5, Count("Turn on dingtalk"));
        Assert.Equal(1, Count("DingTalk sessionWebhook answered errcode 130101"));
        Assert.Equal(1, Count("DingTalk /v1.0/robot/oToMessages/batchSend answered HTTP 500"));
        Assert.Equal(0, Count("DingTalk sessionWebhook reply failed")); // the client's line above is the one for the failure
        Assert.Equal(1, Count("trying again in 2 s"));

        // A minute on, the replies are tried again and fail again: one line says how often it happened meanwhile.
        _dingTalk.Host.Time.Advance(TimeSpan.FromMinutes(1));
        await WaitForLogAsync("Repeated 4 more times");
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.Contains(_dingTalk.Logs.Lines, l => l.Contains("Repeated 4 more times", StringComparison.Ordinal) && l.Contains("sessionWebhook answered errcode 130101", StringComparison.Ordinal));
        Assert.Equal(3, Count("DingTalk sessionWebhook answered errcode 130101")); // the first, the count, the next
        var lines = string.Join("\n", _dingTalk.Logs.Lines);
        Assert.DoesNotContain("dt-wangjianguo", lines, StringComparison.Ordinal);
        Assert.DoesNotContain("帮助", lines, StringComparison.Ordinal);
    }

    private async Task WaitForLogAsync(string text)
    {
        for (var i = 0; i < 200 && !_dingTalk.Logs.Lines.Any(l => l.Contains(text, StringComparison.Ordinal)); i++)
        {
            await Task.Delay(25, TestContext.Current.CancellationToken);
        }

        Assert.Contains(_dingTalk.Logs.Lines, l => l.Contains(text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFailingSessionWebhook_FallsBackToGroupSend_ForAGroup_NamingTheAsker()
    {
        _dingTalk.Fake.InjectFault(FakeDingTalkEndpoint.SessionWebhook, new FakeDingTalkFault(200, "130101", "send too fast"));

        await _dingTalk.PostCallbackAsync(_dingTalk.Fake.RobotMessageJson("dt-xuhaitao", "帮助", groupId: "cidGroupOfMembers==", senderNick: "徐海涛"));

        var reply = Assert.Single(await _dingTalk.Fake.WaitForMessagesAsync(1));
        Assert.Equal(FakeDingTalkEndpoint.GroupSend, reply.Endpoint);
        Assert.Equal("cidGroupOfMembers==", reply.ConversationId);

        // groupMessages/send cannot @-mention (an "@徐海涛" would be plain text that notifies nobody): the reply
        // addresses the asker by name instead.
        Assert.StartsWith("徐海涛，", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("@", reply.Text, StringComparison.Ordinal);
        Assert.Contains("请私聊我办理", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("dt-xuhaitao", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterAnOutage_TheFirstReplyThatGoesOut_SaysOnceThatDingTalkAnswersAgain_WithTheFailuresNotLogged()
    {
        _dingTalk.Fake.InjectFault(FakeDingTalkEndpoint.SessionWebhook, FakeDingTalkFault.ServerError, count: 5);
        _dingTalk.Fake.InjectFault(FakeDingTalkEndpoint.BatchSend, new FakeDingTalkFault(400, "invalidParameter.msgParam.invalid", "msgParam 无效"), count: 5);

        for (var i = 0; i < 5; i++)
        {
            await _dingTalk.PostCallbackAsync(_dingTalk.Fake.RobotMessageJson("dt-wangjianguo", "帮助"));
        }

        await WaitForLogAsync("A DingTalk reply could not be sent");
        for (var i = 0; i < 200 && _dingTalk.Logs.Lines.Count(l => l.Contains("Turn on dingtalk", StringComparison.Ordinal)) < 5; i++)
        {
            await Task.Delay(25, TestContext.Current.CancellationToken);
        }

        await Task.Delay(1000, TestContext.Current.CancellationToken);
        int Count(string text) => _dingTalk.Logs.Lines.Count(l => l.Contains(text, StringComparison.Ordinal));
        Assert.Empty(_dingTalk.Fake.Messages);
        Assert.Equal(1, Count("A DingTalk reply could not be sent"));
        Assert.Equal(0, Count("answering again"));

        await _dingTalk.PostCallbackAsync(_dingTalk.Fake.RobotMessageJson("dt-wangjianguo", "帮助"));
        await _dingTalk.Fake.WaitForMessagesAsync(1);
        await WaitForLogAsync("DingTalk replies is answering again");
        await Task.Delay(300, TestContext.Current.CancellationToken);

        var recovered = _dingTalk.Logs.Lines.Where(l => l.Contains("answering again", StringComparison.Ordinal)).ToList();
        Assert.All(recovered, l => Assert.StartsWith("Information", l, StringComparison.Ordinal));
        Assert.Contains(recovered, l => l.Contains("DingTalk replies is answering again; 4 more failures", StringComparison.Ordinal) && l.Contains("A DingTalk reply could not be sent (invalidParameter.msgParam.invalid)", StringComparison.Ordinal));
        // One failed webhook call is one failure: counted once, so its recovery is one line.
        var webhook = Assert.Single(recovered, l => l.Contains("DingTalk sessionWebhook is answering again", StringComparison.Ordinal));
        Assert.Contains("DingTalk sessionWebhook is answering again; 4 more failures", webhook, StringComparison.Ordinal);
        Assert.Contains("answered errcode 130101", webhook, StringComparison.Ordinal);
        Assert.DoesNotContain(recovered, l => l.Contains("batchSend", StringComparison.Ordinal)); // not tried since: not known to work
        var lines = string.Join("\n", _dingTalk.Logs.Lines);
        Assert.DoesNotContain("dt-wangjianguo", lines, StringComparison.Ordinal);
        Assert.DoesNotContain("帮助", lines, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AForeignSessionWebhook_IsNotUsed()
    {
        var json = _dingTalk.Fake.RobotMessageJson("dt-wangjianguo", "帮助").Replace(_dingTalk.Fake.BaseAddress.ToString(), "http://203.0.113.7/", StringComparison.Ordinal);

        await _dingTalk.PostCallbackAsync(json);

        var reply = Assert.Single(await _dingTalk.Fake.WaitForMessagesAsync(1));
        Assert.Equal(FakeDingTalkEndpoint.BatchSend, reply.Endpoint);
    }

    [Theory]
    [InlineData(null, "not-base64", HttpStatusCode.Forbidden)]
    [InlineData("1000000000000", null, HttpStatusCode.Forbidden)] // signed correctly, but 2001
    [InlineData("", "", HttpStatusCode.BadRequest)]
    public async Task ABadSignature_IsRefused_AndNothingHappens(string? timestamp, string? sign, HttpStatusCode expected)
    {
        var (status, _) = timestamp == string.Empty
            ? await _dingTalk.PostCallbackAsync(_dingTalk.Fake.RobotMessageJson("dt-wangjianguo", "帮助"), withHeaders: false)
            : await _dingTalk.PostCallbackAsync(_dingTalk.Fake.RobotMessageJson("dt-wangjianguo", "帮助"), timestamp, sign);
        await Task.Delay(300, TestContext.Current.CancellationToken);

        Assert.Equal(expected, status);
        Assert.Empty(_dingTalk.Fake.Messages);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"msgtype":"text","text":{"content":"帮助"}}""")]
    public async Task ABodyThatIsNotARobotMessage_Gets400(string body)
    {
        var (status, _) = await _dingTalk.PostCallbackAsync(body);
        await Task.Delay(200, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Empty(_dingTalk.Fake.Messages);
    }

    [Fact]
    public async Task LogsCarryNoSecretsTokensOrTexts()
    {
        await _dingTalk.SayAsync("dt-wangjianguo", "查提案12号");
        _dingTalk.Host.Time.Advance(TimeSpan.FromMinutes(95));
        await _dingTalk.SayAsync("dt-wangjianguo", "帮助");

        var lines = string.Join("\n", _dingTalk.Logs.Lines);
        Assert.DoesNotContain(DingTalkHost.ClientSecret, lines, StringComparison.Ordinal);
        Assert.DoesNotContain("sendBySession", lines, StringComparison.Ordinal);
        Assert.DoesNotContain("查提案12号", lines, StringComparison.Ordinal);
        Assert.DoesNotContain("数智城", lines, StringComparison.Ordinal);
    }
}

/// <summary>The callback is served only in HTTP mode, and the channel is off without its settings.</summary>
public sealed class DingTalkCallbackModeTests
{
    [Fact]
    public async Task InStreamMode_TheCallbackIsNotServed()
    {
        await using var dingTalk = await DingTalkHost.StartAsync("Stream");

        var (status, _) = await dingTalk.PostCallbackAsync(dingTalk.Fake.RobotMessageJson("dt-wangjianguo", "帮助"));

        Assert.Equal(HttpStatusCode.NotFound, status);
    }
}
