using System.Globalization;
using Linping.CppccBot.Features.Meetings;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Features.Meetings;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Linping.CppccBot.Tests.Features.Language;

/// <summary>
/// Phrasings of an audit of the conversation as members talk (voice input without punctuation, several requests in one
/// message, fillers, one-word answers), each with the answer a member should see. The first 协商会 is moved to
/// tomorrow (the test clock is Friday 2026-11-27 09:00), so "明天的协商会" names it.
/// </summary>
public sealed class MemberPhrasingTests : IAsyncLifetime
{
    private readonly BotHostFactory _host = new();

    private BotTestClient Wang => _host.Member("wangjianguo");

    public async ValueTask InitializeAsync() =>
        await _host.UpdateMeetingAsync("MT-2027-01", m =>
        {
            m.StartsAt = DateTimeOffset.Parse("2026-11-28T14:30:00+08:00", CultureInfo.InvariantCulture);
            m.EndsAt = DateTimeOffset.Parse("2026-11-28T17:00:00+08:00", CultureInfo.InvariantCulture);
            m.SignupDeadline = DateTimeOffset.Parse("2026-11-28T12:00:00+08:00", CultureInfo.InvariantCulture);
        });

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("12号和41号")]
    [InlineData("12号 41号")]
    [InlineData("12号，41号")]
    [InlineData("12、41号")]
    [InlineData("查一下12号41号提案")]
    [InlineData("帮我看看12 41号提案")]
    [InlineData("查一下12号和41号")]
    public async Task SeveralNumbers_WithoutTheWordProposal_ShowEachProposal(string text)
    {
        var replies = await Wang.SendAsync(text);

        Assert.Equal(2, replies.Count);
        Assert.StartsWith("一届五次第0012号《关于高水平建设临平数智城的建议》", replies[0], StringComparison.Ordinal);
        Assert.StartsWith("一届五次第0041号《关于推进小微园区安全管理的建议》", replies[1], StringComparison.Ordinal);
    }

    /// <summary>Days of a month may be meant: looked up with a verb, numbers that could be days are no proposals.</summary>
    [Theory]
    [InlineData("看看12号和13号")]
    [InlineData("12号和13号有会吗")]
    [InlineData("11月12号和13号")]
    public async Task NumbersThatMayBeDays_AreNoProposals(string text)
    {
        var replies = await Wang.SendAsync(text);

        Assert.All(replies, r => Assert.DoesNotContain("第0012号", r, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASignUpAndALookUpInOneMessage_TheSignUpAsks_AndTheLookUpIsNamedAsNotDone()
    {
        var replies = await Wang.SendAsync("报名明天的协商会，顺便看下我的提案");

        Assert.Equal(2, replies.Count);
        Assert.Contains("您要报名的是这个会议吗", replies[0], StringComparison.Ordinal);
        Assert.Contains("小微园区安全管理", replies[0], StringComparison.Ordinal);
        Assert.Equal("另外，您说的“看下我的提案”这次还没有办理。请先回复上面的问题，之后再单独发送一次。", replies[1]);
        Assert.Null(await _host.ParticipationAsync("MT-2027-01", "M001"));

        Assert.Contains("报名成功", await Wang.AskAsync("是"), StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-2027-01", "M001"))?.Status);
        Assert.Contains("一届五次第0012号", await Wang.AskAsync("看下我的提案"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoLookUpsInOneMessage_AreBothAnswered_InTheOrderAsked()
    {
        var replies = await Wang.SendAsync("我的提案还有最近有什么会");

        Assert.Equal(2, replies.Count);
        Assert.StartsWith("您共有 1 件提案", replies[0], StringComparison.Ordinal);
        Assert.StartsWith("近期会议活动（共4场）", replies[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALookUpThenASignUp_SaidByVoice_AreBothDone()
    {
        var replies = await Wang.SendAsync("看下我的提案 再帮我报名大运河视察");

        Assert.Equal(2, replies.Count);
        Assert.StartsWith("您共有 1 件提案", replies[0], StringComparison.Ordinal);
        Assert.StartsWith("报名成功！【大运河临平段文化遗产保护视察】", replies[1], StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-2027-04", "M001"))?.Status);
    }

    [Fact]
    public async Task ASignUpAndALeaveWithItsReason_TheLeaveIsNamedWithItsReason()
    {
        var replies = await Wang.SendAsync("报名明天的会，常委会请假，家里有事");

        Assert.Equal(2, replies.Count);
        Assert.Contains("您要报名的是这个会议吗", replies[0], StringComparison.Ordinal);
        Assert.Contains("“常委会请假，家里有事”这次还没有办理", replies[1], StringComparison.Ordinal);
        Assert.Null(await _host.ParticipationAsync("MT-2027-03", "M001"));
    }

    /// <summary>Words after a request that are no request of their own are that request's, as before.</summary>
    [Theory]
    [InlineData("常委会请假，家里有事", "事由：因事")]
    [InlineData("最近有什么会，我想报名", "近期会议活动（共3场）")]
    [InlineData("明天的会我去不了，帮我请个假", "小微园区安全管理")]
    [InlineData("查12号提案，看看进度", "一届五次第0012号")]
    [InlineData("取消报名，我不去了", "没有")]
    public async Task OneRequestInSeveralClauses_GetsOneAnswer(string text, string expected)
    {
        var reply = await Wang.AskAsync(text);

        Assert.Contains(expected, reply, StringComparison.Ordinal);
        Assert.DoesNotContain("还没有办理", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADayAndAWordManyMeetingsHave_TheDayPicksTheMeeting()
    {
        var reply = await Wang.AskAsync("明天下午那个协商会我报个名");

        Assert.Contains("您要报名的是这个会议吗", reply, StringComparison.Ordinal);
        Assert.Contains("小微园区安全管理", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("生物医药", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConfirmationAnsweredWithTheLeaveReason_IsAYes_AndTheReasonIsKept()
    {
        Assert.Contains("您要请假的是这个会议吗", await Wang.AskAsync("请假 第二十六次常委会 孙子发烧要在家带"), StringComparison.Ordinal);

        Assert.Contains("事由：因事", await Wang.AskAsync("因事"), StringComparison.Ordinal);
        Assert.Contains("已提交", await Wang.AskAsync("没有"), StringComparison.Ordinal);

        var leave = await _host.ParticipationAsync("MT-2027-03", "M001");
        Assert.Equal(ParticipationStatus.LeavePending, leave?.Status);
        Assert.Equal(LeaveReason.Personal, leave?.LeaveReason);
    }

    [Fact]
    public async Task CannotComeToAMeetingNotSignedUpFor_SaysSo_InsteadOfNoSuchMeeting()
    {
        var reply = await Wang.AskAsync("大运河那个我不去了家里有事");

        Assert.StartsWith("您没有报名【大运河临平段文化遗产保护视察】", reply, StringComparison.Ordinal);
        Assert.Null(await _host.ParticipationAsync("MT-2027-04", "M001"));
    }

    [Theory]
    [InlineData("怎么报名", "请问您要报名哪个会议？")]
    [InlineData("如何报名", "请问您要报名哪个会议？")]
    [InlineData("不知道怎么报名", "请问您要报名哪个会议？")]
    [InlineData("伐晓得哪能报名", "请问您要报名哪个会议？")]
    [InlineData("报名怎么弄呢", "请问您要报名哪个会议？")]
    [InlineData("不晓得怎么取消报名", "您目前没有可以取消的报名。")]
    public async Task AskingHow_OffersTheMeetings_WithoutSayingNoneWasFound(string text, string expected)
    {
        var reply = await Wang.AskAsync(text);

        Assert.StartsWith(expected, reply, StringComparison.Ordinal);
        Assert.DoesNotContain("没有找到", reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("我到了签个到")]
    [InlineData("签个到")]
    [InlineData("我来打卡")]
    public async Task CheckInSaidOtherwise_IsCheckIn(string text) =>
        Assert.Contains("签到处", await Wang.AskAsync(text), StringComparison.Ordinal);

    [Theory]
    [InlineData("谢谢你啊小助手", "不客气，有需要随时找我。")]
    [InlineData("谢谢小助手", "不客气，有需要随时找我。")]
    [InlineData("好的知道了", "好的，有需要随时找我。")]
    [InlineData("嗯嗯好的收到", "好的，有需要随时找我。")]
    [InlineData("好的好的谢谢", "不客气，有需要随时找我。")]
    [InlineData("晚安", "好的，有需要随时找我。")]
    public async Task ThanksAndAcknowledgementsStrungTogether_GetAShortAnswer(string text, string expected) =>
        Assert.Equal(expected, await Wang.AskAsync(text));

    [Theory]
    [InlineData("你好 我想请假", "您要请假的是这个会议吗")]
    [InlineData("你好，报名明天的会", "您要报名的是这个会议吗")]
    [InlineData("小助手在吗 我想查下提案", "请告诉我要查哪件提案")]
    [InlineData("上午好 最近有会吗", "近期会议活动（共4场）")]
    public async Task AGreetingBeforeARequest_GetsTheRequestAnswered(string text, string expected)
    {
        var reply = await Wang.AskAsync(text);

        Assert.StartsWith(expected, reply, StringComparison.Ordinal);
        Assert.DoesNotContain("我可以帮您", reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("你好")]
    [InlineData("你好小助手")]
    [InlineData("你好，我想问一下")]
    public async Task AGreetingAlone_StillGetsTheIntroduction(string text) =>
        Assert.StartsWith("王建国您好，我是临平区政协委员履职助手。", await Wang.AskAsync(text), StringComparison.Ordinal);

    [Theory]
    [InlineData("你是谁")]
    [InlineData("你是机器人吗")]
    [InlineData("你叫什么名字")]
    public async Task AskingWhoTheBotIs_GetsTheIntroduction(string text) =>
        Assert.StartsWith("王建国您好，我是临平区政协委员履职助手。", await Wang.AskAsync(text), StringComparison.Ordinal);

    [Theory]
    [InlineData("呃那个就是我想问下就是我那个提案啊到底怎么样了")]
    [InlineData("我那个提案怎么样了")]
    public async Task MyProposal_SaidWithVoiceFillers_ListsMine(string text) =>
        Assert.StartsWith("您共有 1 件提案", await Wang.AskAsync(text), StringComparison.Ordinal);

    [Fact]
    public async Task EvaluateAlone_IsAboutProposals() =>
        Assert.StartsWith("您目前没有需要评价的提案", await Wang.AskAsync("评价"), StringComparison.Ordinal);

    [Fact]
    public async Task AReport_TitleCorrectedWhereTheCategoryIsAsked_IsChanged_AndTheSummaryShowsIt()
    {
        await Wang.AskAsync("我要提交社情民意");
        await Wang.AskAsync("关于老年人使用智能手机困难的问题");
        await Wang.AskAsync("很多老年人不会用智能手机扫码挂号打车，建议医院保留人工窗口，社区开展培训，公共场所保留现金支付");
        Assert.Contains("第3步：请选择类别", await Wang.AskAsync("完成"), StringComparison.Ordinal);

        Assert.Equal("请发送新的标题。", await Wang.AskAsync("改一下标题"));
        var summary = await Wang.AskAsync("关于老年人数字鸿沟的问题");
        Assert.Contains("标题：关于老年人数字鸿沟的问题", summary, StringComparison.Ordinal);
        Assert.Contains("请发送新的标题。", await Wang.AskAsync("标题写错了"), StringComparison.Ordinal);
        await Wang.AskAsync("关于弥合老年人数字鸿沟的建议");
        Assert.StartsWith("请重新发送正文", await Wang.AskAsync("改一下正文"), StringComparison.Ordinal);
        Assert.Equal(0, await _host.DbAsync(db => db.Opinions.CountAsync(o => o.Title.Contains("数字鸿沟"))));
    }

    /// <summary>A member who talked to the bot before gets a short answer to chat, not the whole menu again.</summary>
    [Theory]
    [InlineData("今天天气怎么样")]
    [InlineData("测试")]
    [InlineData("在干嘛呢")]
    public async Task OffTopicWords_OfAMemberWhoTalkedBefore_GetAShortAnswer(string text)
    {
        await Wang.AskAsync("我的会议");

        var reply = await Wang.AskAsync(text);

        Assert.Equal("抱歉，没太明白您的意思。\n我可以帮您查会议、报名请假、查提案、报送社情民意，发送“帮助”查看全部。", reply);
    }

    /// <summary>A member asking for a person is told there is none in the chat and whom to contact.</summary>
    [Theory]
    [InlineData("转人工")]
    [InlineData("人工客服")]
    [InlineData("我要找人工")]
    [InlineData("帮我转人工服务")]
    public async Task AskedForAPerson_TheBotSaysWhomToContact(string text)
    {
        var reply = await Wang.AskAsync(text);

        Assert.Equal("我是自动回复的小助手，这里没有人工客服。需要人工帮忙，请联系区政协办公室。", reply);
    }

    /// <summary>Words of a proposal's title that mention 人工 are still a search ("人工智能", "人工服务窗口").</summary>
    [Fact]
    public async Task AProposalAboutManualService_IsStillSearched()
    {
        var reply = await Wang.AskAsync("关于增加人工服务窗口的提案");

        Assert.DoesNotContain("人工客服", reply, StringComparison.Ordinal);
    }

    /// <summary>The first message of a member new to the bot (or back after the state expired) gets the menu once.</summary>
    [Fact]
    public async Task OffTopicWords_AsTheFirstMessage_GetTheMenu()
    {
        var reply = await Wang.AskAsync("今天天气怎么样");

        Assert.StartsWith("抱歉，没太明白您的意思。", reply, StringComparison.Ordinal);
        Assert.Contains("【会议活动】", reply, StringComparison.Ordinal);
        Assert.Contains("我的社情民意", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeatsOfOneMeetingAsked_AreAnsweredForThatMeeting()
    {
        var reply = await Wang.AskAsync("大运河视察还有名额吗");

        Assert.StartsWith("【大运河临平段文化遗产保护视察】（2027年5月12日（周三）08:30）", reply, StringComparison.Ordinal);
        Assert.Contains("还有20个名额（共20个）", reply, StringComparison.Ordinal);
        Assert.Contains("您还没有报名", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("生物医药", reply, StringComparison.Ordinal);

        Assert.StartsWith("报名成功！【大运河临平段文化遗产保护视察】", await Wang.AskAsync("报名 1"), StringComparison.Ordinal);
        Assert.Contains("您已报名", await Wang.AskAsync("大运河那个还有位置吗"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CanISignUpAsked_OfTomorrowsMeeting_IsAnsweredForThatMeeting_AndSignsNobodyUp()
    {
        var reply = await Wang.AskAsync("明天的协商会还能报名吗");

        Assert.StartsWith("【“请你来协商”：小微园区安全管理】", reply, StringComparison.Ordinal);
        Assert.Contains("还有30个名额", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("生物医药", reply, StringComparison.Ordinal);
        Assert.Null(await _host.ParticipationAsync("MT-2027-01", "M001"));
    }

    [Fact]
    public async Task SeatsOfAFullMeetingAsked_OfferTheWaitlist()
    {
        await _host.UpdateMeetingAsync("MT-2027-04", m => m.Capacity = 1);
        await _host.Member("chenxiaoyan").AskAsync("报名大运河视察");

        var reply = await Wang.AskAsync("大运河视察还有名额吗？");

        Assert.Contains("名额已满（共1个）", reply, StringComparison.Ordinal);
        Assert.Contains("候补", reply, StringComparison.Ordinal);
    }

    /// <summary>
    /// A time named with leave, a cancellation or a sign-up, and no meeting of the member's then: that is the answer,
    /// not "没有找到相符的会议" with meetings of other months to pick from (杭州, 开会 name no meeting).
    /// </summary>
    [Theory]
    [InlineData("我下个月去不了杭州开会", "下个月（12月）没有需要您出席的会议，不用请假。")]
    [InlineData("下个月的会我请假", "下个月（12月）没有需要您出席的会议，不用请假。")]
    [InlineData("12月份我参加不了", "2026年12月没有需要您出席的会议，不用请假。")]
    [InlineData("12月的活动我要报名", "2026年12月没有可以报名的会议。发送“最近有什么会议”可查看您能参加的会议。")]
    [InlineData("下周的报名帮我取消", "下周没有您报名的会议，无需取消。发送“我的会议”可查看报名情况。")]
    public async Task APeriodWithNoMeetingOfTheMembers_IsSaidPlainly(string text, string expected)
    {
        await Wang.SendAsync("报名大运河视察");

        Assert.Equal(expected, await Wang.AskAsync(text));
        Assert.StartsWith("没太明白“1”", await Wang.AskAsync("1"), StringComparison.Ordinal);
        Assert.Null(await _host.ParticipationAsync("MT-2027-03", "M001"));
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-2027-04", "M001"))?.Status);
    }

    /// <summary>A meeting named in full in a long leave sentence needs no "是这个会议吗": the leave dialog goes on.</summary>
    [Fact]
    public async Task LeaveForAMeetingNamedInFull_InALongSentence_GoesStraightToTheNote()
    {
        await MoveStandingCommitteeToNextWednesdayAsync();

        var reply = await Wang.AskAsync("下周三的常委会我要出差去不了，请个假");

        Assert.StartsWith("为【区政协一届常委会第二十六次会议】", reply, StringComparison.Ordinal);
        Assert.Contains("事由：公务", reply, StringComparison.Ordinal);
        Assert.Contains("已提交", await Wang.AskAsync("无"), StringComparison.Ordinal);
        var leave = await _host.ParticipationAsync("MT-2027-03", "M001");
        Assert.Equal(ParticipationStatus.LeavePending, leave?.Status);
        Assert.Equal(LeaveReason.Official, leave?.LeaveReason);
    }

    /// <summary>"无" where the meeting found by a day alone is to be confirmed: the member hears what is asked.</summary>
    [Fact]
    public async Task NoNoteAnswered_WhereTheMeetingIsConfirmed_SaysWhatIsAsked()
    {
        await MoveStandingCommitteeToNextWednesdayAsync();
        Assert.Contains("您要请假的是这个会议吗", await Wang.AskAsync("下周三的会我请个假，出差"), StringComparison.Ordinal);

        var reply = await Wang.AskAsync("无");

        Assert.Equal("先确认一下会议：是这个会议请回复“是”，接着办理请假；不是请回复“不是”。", reply);
        Assert.Null(await _host.ParticipationAsync("MT-2027-03", "M001"));
    }

    [Theory]
    [InlineData("大运河视察和生物医药那个协商会都报名")]
    [InlineData("报名大运河视察，还有生物医药那个也报名")]
    [InlineData("报名大运河视察，生物医药专题协商会也报个名")]
    public async Task TwoMeetingsToSignUpFor_InOneMessage_AreBothSignedUp(string text)
    {
        var replies = await Wang.SendAsync(text);

        Assert.Equal(2, replies.Count);
        Assert.StartsWith("报名成功！【大运河临平段文化遗产保护视察】", replies[0], StringComparison.Ordinal);
        Assert.StartsWith("报名成功！【以新质生产力助推生物医药产业高质量发展专题协商会】", replies[1], StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-2027-04", "M001"))?.Status);
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-2027-02", "M001"))?.Status);
    }

    /// <summary>
    /// Both meetings to sign up for, one named by a day alone: the one named by its title is signed up at once, the day's
    /// is confirmed after, so that "是" leaves both signed up.
    /// </summary>
    [Theory]
    [InlineData("明天的会和大运河视察都报名")]
    [InlineData("明天的会还有大运河都报名")]
    [InlineData("报名明天的会，还有大运河那个也报名")]
    [InlineData("报名明天的会 大运河视察也报名")]
    public async Task BothMeetingsToSignUpFor_OneNamedByADay_TheOtherIsSignedUpFirst_AndTheDaysIsConfirmed(string text)
    {
        var replies = await Wang.SendAsync(text);

        Assert.Equal(2, replies.Count);
        Assert.StartsWith("报名成功！【大运河临平段文化遗产保护视察】", replies[0], StringComparison.Ordinal);
        Assert.StartsWith("您要报名的是这个会议吗？\n1. 【“请你来协商”：小微园区安全管理】", replies[1], StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-2027-04", "M001"))?.Status);
        Assert.Null(await _host.ParticipationAsync("MT-2027-01", "M001"));

        Assert.StartsWith("报名成功！【“请你来协商”：小微园区安全管理】", await Wang.AskAsync("是"), StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-2027-01", "M001"))?.Status);
    }

    /// <summary>When and where one meeting is: its time, place and the member's own state, not the whole list.</summary>
    [Theory]
    [InlineData("大运河视察几点集合", "【大运河临平段文化遗产保护视察】\n时间：2027年5月12日（周三）08:30—12:30\n地点：塘栖古镇\n您还没有报名，需要报名请回复“报名 1”。")]
    [InlineData("常委会在哪里开", "【区政协一届常委会第二十六次会议】\n时间：2027年3月25日（周四）09:00—12:00\n地点：区政协三楼大会议室\n这是指定出席的会议，请按时出席；不能出席请请假。")]
    [InlineData("明天的会几点开始", "【“请你来协商”：小微园区安全管理】\n时间：2026年11月28日（周六）14:30—17:00\n地点：区政协民主议事堂\n您还没有报名，需要报名请回复“报名 1”。")]
    public async Task WhenOrWhereOfOneMeetingAsked_IsAnsweredForThatMeeting(string text, string expected)
    {
        Assert.Equal(expected, await Wang.AskAsync(text));
        Assert.Equal(0, await _host.ParticipationCountAsync());
    }

    [Fact]
    public async Task WhenOrWhereAsked_ThenSignUp1_SignsUpForThatMeeting()
    {
        await Wang.AskAsync("大运河视察几点集合");

        Assert.StartsWith("报名成功！【大运河临平段文化遗产保护视察】", await Wang.AskAsync("报名 1"), StringComparison.Ordinal);
        Assert.Contains("您已报名。", await Wang.AskAsync("大运河视察在哪里集合"), StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-2027-04", "M001"))?.Status);
    }

    /// <summary>Naming no meeting, "where is the meeting" is about the member's next one they are signed up to or called to.</summary>
    [Fact]
    public async Task WhereAsked_NamingNoMeeting_IsAboutTheMembersNextMeeting()
    {
        Assert.Equal(
            "您接下来要参加的会议是：\n【区政协一届常委会第二十六次会议】\n时间：2027年3月25日（周四）09:00—12:00\n地点：区政协三楼大会议室\n这是指定出席的会议，请按时出席；不能出席请请假。",
            await Wang.AskAsync("开会地点在哪"));

        // 吴敏 (M006) has leave from the 常委会: nothing until she signs up.
        await _host.DbAsync(db =>
        {
            var now = _host.Time.GetUtcNow();
            db.Participations.Add(new Participation
            {
                MeetingId = "MT-2027-03",
                MemberId = "M006",
                Status = ParticipationStatus.LeaveApproved,
                LeaveReason = LeaveReason.Official,
                CreatedAt = now,
                UpdatedAt = now,
            });
            return db.SaveChangesAsync();
        });
        var wu = _host.Member("wumin");
        Assert.Equal("您近期没有已报名或需要出席的会议。发送“最近有什么会议”可查看您能参加的会议。", await wu.AskAsync("会在哪里开"));
        await wu.AskAsync("报名大运河视察");
        _host.Time.Advance(MeetingConversation.CurrentLifetime + TimeSpan.FromMinutes(1));
        Assert.StartsWith("您接下来要参加的会议是：\n【大运河临平段文化遗产保护视察】\n时间：2027年5月12日（周三）08:30—12:30\n地点：塘栖古镇\n您已报名。", await wu.AskAsync("几点集合"), StringComparison.Ordinal);
    }

    /// <summary>"取消" where leave for a 指定出席 meeting is to be confirmed: there is no sign-up to cancel, and it says so.</summary>
    [Fact]
    public async Task QuXiao_WhereLeaveForAMandatoryMeetingIsConfirmed_SaysThereIsNoSignUp_AndOffersLeave()
    {
        await MoveStandingCommitteeToNextWednesdayAsync();
        Assert.StartsWith("您说不能参加的是这个会议吗？确认后为您办理请假。", await Wang.AskAsync("下周三的会我去不了"), StringComparison.Ordinal);

        Assert.Equal("这个会议是指定出席的，没有报名可以取消，不能参加需要请假。要为它请假请回复“是”；不请假请回复“不是”。", await Wang.AskAsync("取消"));
        Assert.Null(await _host.ParticipationAsync("MT-2027-03", "M001"));

        Assert.Contains("是指定出席的会议，不能参加需要请假", await Wang.AskAsync("是"), StringComparison.Ordinal);
    }

    /// <summary>How "my" proposals stand, asked in dialect or without naming any: the member's proposals, no title search.</summary>
    [Theory]
    [InlineData("提案办得哪能了")]
    [InlineData("我的提案办得咋样了")]
    [InlineData("提案有回复了吗")]
    [InlineData("我那个提案有答复没")]
    [InlineData("提案进度查询")]
    public async Task HowProposalsStand_AskedWithoutNamingOne_ListsTheMembersOwn(string text) =>
        Assert.StartsWith("您共有 1 件提案，还有 1 件没有办完", await Wang.AskAsync(text), StringComparison.Ordinal);

    [Fact]
    public async Task LeaveTypedAsQingJia_IsLeave_AndIsSubmitted()
    {
        Assert.StartsWith("为【区政协一届常委会第二十六次会议】（2027年3月25日（周四）09:00）请假。请问请假事由是哪一类？", await Wang.AskAsync("常委会请家"), StringComparison.Ordinal);
        await Wang.AskAsync("1");
        Assert.Contains("已提交", await Wang.AskAsync("无"), StringComparison.Ordinal);

        Assert.Equal(ParticipationStatus.LeavePending, (await _host.ParticipationAsync("MT-2027-03", "M001"))?.Status);
    }

    /// <summary>"还有名额吗" naming no meeting: the meetings open for sign-up with seats left, not 没太明白.</summary>
    [Fact]
    public async Task SeatsAsked_NamingNoMeeting_ListTheOpenMeetingsWithSeatsLeft()
    {
        await _host.UpdateMeetingAsync("MT-2027-04", m => m.Capacity = 1);
        await _host.Member("chenxiaoyan").AskAsync("报名大运河视察");

        var reply = await Wang.AskAsync("还有名额吗");

        Assert.StartsWith("近期会议活动（共2场）：\n\n1. “请你来协商”：小微园区安全管理", reply, StringComparison.Ordinal);
        Assert.Contains("2. 以新质生产力助推生物医药产业高质量发展专题协商会", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("大运河", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("常委会", reply, StringComparison.Ordinal);
        Assert.Null(await _host.ParticipationAsync("MT-2027-04", "M001"));
    }

    /// <summary>Two requests said by voice with a space between: both are done.</summary>
    [Fact]
    public async Task TwoRequestsSeparatedByASpace_AreBothDone()
    {
        var replies = await Wang.SendAsync("报名大运河视察 查一下我的提案");

        Assert.Equal(2, replies.Count);
        Assert.StartsWith("报名成功！【大运河临平段文化遗产保护视察】", replies[0], StringComparison.Ordinal);
        Assert.StartsWith("您共有 1 件提案", replies[1], StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-2027-04", "M001"))?.Status);

        var two = await Wang.SendAsync("我的会议 查提案12号");
        Assert.Equal(2, two.Count);
        Assert.StartsWith("您近期的会议活动：", two[0], StringComparison.Ordinal);
        Assert.StartsWith("一届五次第0012号", two[1], StringComparison.Ordinal);
    }

    /// <summary>A space inside one request does not split it: a command and its number, a leave and its note, an evaluation.</summary>
    [Theory]
    [InlineData("查提案 12号", "一届五次第0012号《关于高水平建设临平数智城的建议》")]
    [InlineData("搜索提案 养老", "一届五次第0035号")]
    [InlineData("报名 大运河视察", "报名成功！【大运河临平段文化遗产保护视察】")]
    [InlineData("大运河视察 几点集合", "【大运河临平段文化遗产保护视察】\n时间：")]
    [InlineData("常委会请假 家里有事", "为【区政协一届常委会第二十六次会议】（2027年3月25日（周四）09:00）请假，事由：因事")]
    public async Task ASpaceInsideOneRequest_DoesNotSplitIt(string text, string expected) =>
        Assert.StartsWith(expected, await Wang.AskAsync(text), StringComparison.Ordinal);

    /// <summary>Phrasings of the third audit: dialect, voice input, emoji, polite and short forms, across the intents.</summary>
    [Theory]
    [InlineData("最近有啥会要开伐", "近期会议活动（共4场）")]
    [InlineData("最近有没有什么活动😊", "近期会议活动（共4场）")]
    [InlineData("有会议安排没", "近期会议活动（共4场）")]
    [InlineData("这周有会吗", "本周的会议活动（共1场）")]
    [InlineData("还能报名吗", "近期会议活动（共3场）")]
    [InlineData("大运河视察在哪里集合", "【大运河临平段文化遗产保护视察】\n时间：2027年5月12日（周三）08:30—12:30\n地点：塘栖古镇")]
    [InlineData("常委会几点开", "【区政协一届常委会第二十六次会议】\n时间：2027年3月25日（周四）09:00—12:00")]
    [InlineData("明天的会在哪开", "【“请你来协商”：小微园区安全管理】\n时间：2026年11月28日（周六）14:30—17:00")]
    [InlineData("明天的协商会几点开始", "【“请你来协商”：小微园区安全管理】\n时间：")]
    [InlineData("生物医药协商会啥时候开", "【以新质生产力助推生物医药产业高质量发展专题协商会】\n时间：2027年4月9日（周五）09:00—12:00")]
    [InlineData("常委会在几楼", "【区政协一届常委会第二十六次会议】\n时间：")]
    [InlineData("大运河视察我报一个👍", "报名成功！【大运河临平段文化遗产保护视察】")]
    [InlineData("帮我报个名 大运河那个", "报名成功！【大运河临平段文化遗产保护视察】")]
    [InlineData("大运河的视察算我一个", "报名成功！【大运河临平段文化遗产保护视察】")]
    [InlineData("生物医药那个我也去", "报名成功！【以新质生产力助推生物医药产业高质量发展专题协商会】")]
    [InlineData("常委会我请假哈 生病了", "为【区政协一届常委会第二十六次会议】（2027年3月25日（周四）09:00）请假，事由：因病")]
    [InlineData("第二十六次常委会 请个假 出差", "为【区政协一届常委会第二十六次会议】（2027年3月25日（周四）09:00）请假，事由：公务")]
    [InlineData("常委会要请假咋弄", "您要请假的是这个会议吗？")]
    [InlineData("26次常委会请假", "您要请假的是这个会议吗？")]
    [InlineData("常委会清假", "为【区政协一届常委会第二十六次会议】（2027年3月25日（周四）09:00）请假。")]
    [InlineData("我报了啥会", "您近期的会议活动：")]
    [InlineData("我都报名了啥", "您近期的会议活动：")]
    [InlineData("我有哪些会要参加", "您近期的会议活动：")]
    [InlineData("我到会场了", "今天没有您要参加的会议。签到在会场办理")]
    [InlineData("12号提案咋样了", "一届五次第0012号《关于高水平建设临平数智城的建议》")]
    [InlineData("查下十二号提案", "一届五次第0012号《关于高水平建设临平数智城的建议》")]
    [InlineData("我提的提案到哪一步了", "您共有 1 件提案")]
    [InlineData("数智城的提案进展", "一届五次第0012号")]
    [InlineData("养老的提案有没有", "一届五次第0035号")]
    [InlineData("我想反映个情况", "好的，我们来报送一条社情民意信息。")]
    [InlineData("报个社情民意", "好的，我们来报送一条社情民意信息。")]
    [InlineData("我要报一条社情民意😀", "好的，我们来报送一条社情民意信息。")]
    [InlineData("我报的社情民意咋样了", "您还没有报送过社情民意信息")]
    [InlineData("我上次报的信息有没有被采用", "您还没有报送过社情民意信息")]
    [InlineData("谢谢啦👍", "不客气，有需要随时找我。")]
    [InlineData("辛苦小助手了", "不客气，有需要随时找我。")]
    [InlineData("你会干啥", "王建国您好，我是临平区政协委员履职助手。")]
    [InlineData("怎么用这个", "王建国您好，我是临平区政协委员履职助手。")]
    [InlineData("不搞了", "当前没有正在办理的事项")]
    [InlineData("算嘞", "当前没有正在办理的事项")]
    public async Task PhrasingsOfTheThirdAudit_AreUnderstood(string text, string expected) =>
        Assert.StartsWith(expected, await Wang.AskAsync(text), StringComparison.Ordinal);

    [Theory]
    [InlineData("继续")]
    [InlineData("接着写")]
    public async Task GoOn_WithNoDraftKept_SaysThereIsNone_AndHowToStart(string text)
    {
        await Wang.AskAsync("我的提案");

        var reply = await Wang.AskAsync(text);

        Assert.Equal("您目前没有未填完的社情民意草稿。要报送社情民意，请发送“我要提交社情民意”。", reply);
    }

    /// <summary>Phrasings of the second audit: typos of the pinyin keyboard, dialect, voice input, fillers.</summary>
    [Theory]
    [InlineData("帮我取消一下报名", "您目前没有可以取消的报名")]
    [InlineData("常委会我去不来了", "【区政协一届常委会第二十六次会议】（2027年3月25日（周四）09:00）是指定出席的会议，不能参加需要请假。")]
    [InlineData("我没空去大运河视察", "您没有报名【大运河临平段文化遗产保护视察】")]
    [InlineData("大运河那个我不去嘞", "您没有报名【大运河临平段文化遗产保护视察】")]
    [InlineData("我想请个病假", "您要请假的是这个会议吗？")]
    [InlineData("请假流程", "您要请假的是这个会议吗？")]
    [InlineData("我要请假，身体不大舒服", "您要请假的是这个会议吗？")]
    [InlineData("我要抱名大运河视察", "报名成功！【大运河临平段文化遗产保护视察】")]
    [InlineData("大运河视察我报个名哈", "报名成功！【大运河临平段文化遗产保护视察】")]
    [InlineData("那个生物医药的会给我报一个", "报名成功！【以新质生产力助推生物医药产业高质量发展专题协商会】")]
    [InlineData("我也想去大运河看看", "您要报名的是这个会议吗？\n1. 【大运河临平段文化遗产保护视察】")]
    [InlineData("我的提安", "您共有 1 件提案")]
    [InlineData("我要提交社情明意", "好的，我们来报送一条社情民意信息。")]
    [InlineData("我的会", "您近期的会议活动：")]
    [InlineData("我要退出", "当前没有正在办理的事项")]
    public async Task PhrasingsOfTheSecondAudit_AreUnderstood(string text, string expected) =>
        Assert.StartsWith(expected, await Wang.AskAsync(text), StringComparison.Ordinal);

    [Fact]
    public async Task CancellingASignUp_SaidAroundTheWordSignUp_Cancels_AndAQuestionAboutItDoesNot()
    {
        await Wang.AskAsync("报名大运河视察");

        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-2027-04", "M001"))?.Status);
        Assert.StartsWith("您近期的会议活动：", await Wang.AskAsync("大运河视察的报名取消了吗"), StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-2027-04", "M001"))?.Status);

        Assert.StartsWith("已取消您对【大运河临平段文化遗产保护视察】", await Wang.AskAsync("帮我把大运河的报名撤了"), StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.Cancelled, (await _host.ParticipationAsync("MT-2027-04", "M001"))?.Status);
    }

    [Fact]
    public async Task ASickLeaveAskedWithoutAMeeting_TakesTheReasonFromTheWords()
    {
        await Wang.AskAsync("我想请个病假");

        Assert.Contains("事由：因病", await Wang.AskAsync("是"), StringComparison.Ordinal);
        Assert.Contains("已提交", await Wang.AskAsync("无"), StringComparison.Ordinal);
        Assert.Equal(LeaveReason.Illness, (await _host.ParticipationAsync("MT-2027-03", "M001"))?.LeaveReason);
    }

    /// <summary>
    /// A when-or-where question naming no meeting, right after signing up for one or asking about one, is about that
    /// meeting, as a person would take it ("好的" between changes nothing); some time later it is about the member's next
    /// meeting again.
    /// </summary>
    [Fact]
    public async Task WhenOrWhereAsked_RightAfterSigningUp_IsAboutTheMeetingJustSignedUpFor()
    {
        Assert.StartsWith("报名成功！【大运河临平段文化遗产保护视察】", await Wang.AskAsync("报名大运河视察"), StringComparison.Ordinal);
        await Wang.AskAsync("好的");

        Assert.StartsWith("【大运河临平段文化遗产保护视察】\n时间：2027年5月12日（周三）08:30—12:30\n地点：塘栖古镇\n您已报名", await Wang.AskAsync("几点集合"), StringComparison.Ordinal);
        Assert.StartsWith("【大运河临平段文化遗产保护视察】\n时间：", await Wang.AskAsync("在哪里开"), StringComparison.Ordinal);

        _host.Time.Advance(TimeSpan.FromHours(1));
        Assert.StartsWith("您接下来要参加的会议是：\n【区政协一届常委会第二十六次会议】", await Wang.AskAsync("几点集合"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenOrWhereAsked_RightAfterAskingAboutAMeeting_IsAboutThatMeeting()
    {
        Assert.StartsWith("【以新质生产力助推生物医药产业高质量发展专题协商会】", await Wang.AskAsync("生物医药那个会还有名额吗"), StringComparison.Ordinal);

        Assert.StartsWith("【以新质生产力助推生物医药产业高质量发展专题协商会】\n时间：2027年4月9日（周五）09:00—12:00\n地点：区行政服务中心三楼会议室", await Wang.AskAsync("几点开始"), StringComparison.Ordinal);
        Assert.Equal(0, await _host.ParticipationCountAsync());
    }

    /// <summary>
    /// Not coming to a 指定出席 meeting with the reason said ("家里有点事", "要去北京出差"): the member has said everything,
    /// so the leave is asked for at once with that reason, as without a reason it is asked for at once too; no 是这个会议吗.
    /// </summary>
    [Theory]
    [InlineData("常委会我来不了 家里有点事", LeaveReason.Personal)]
    [InlineData("常委会我来不了，家里有点事", LeaveReason.Personal)]
    [InlineData("常委会我来不了", null)]
    [InlineData("我想请假常委会那天我要去北京出差", LeaveReason.Official)]
    public async Task CannotComeToTheStandingCommittee_WithOrWithoutAReason_GoesStraightToTheLeave(string text, LeaveReason? reason)
    {
        var reply = await Wang.AskAsync(text);

        Assert.DoesNotContain("是这个会议吗", reply, StringComparison.Ordinal);
        Assert.Contains("【区政协一届常委会第二十六次会议】（2027年3月25日（周四）09:00）", reply, StringComparison.Ordinal);
        if (reason is { } said)
        {
            Assert.Contains(MeetingTexts.LeaveReasonTaken(said) + "\n" + MeetingTexts.AskLeaveNote, reply, StringComparison.Ordinal);
        }
        else
        {
            Assert.EndsWith(MeetingTexts.AskLeaveReason, reply, StringComparison.Ordinal);
            Assert.Contains("事由：因事", await Wang.AskAsync("因事"), StringComparison.Ordinal);
        }

        Assert.Contains("已提交", await Wang.AskAsync("无"), StringComparison.Ordinal);
        var leave = await _host.ParticipationAsync("MT-2027-03", "M001");
        Assert.Equal(ParticipationStatus.LeavePending, leave?.Status);
        Assert.Equal(reason ?? LeaveReason.Personal, leave?.LeaveReason);
    }

    /// <summary>A thumbs-up or a folded-hands emoji alone is an acknowledgement, not a request for the menu.</summary>
    [Theory]
    [InlineData("👍")]
    [InlineData("🙏")]
    [InlineData("👌👌")]
    public async Task AnEmojiAlone_IsAnAcknowledgement(string text)
    {
        await Wang.AskAsync("我的会议");

        Assert.Equal("好的，有需要随时找我。", await Wang.AskAsync(text));
    }

    /// <summary>Phrasings of the fourth audit (Shanghai/Hangzhou speech, emoji, voice run-ons), each answered as meant.</summary>
    [Fact]
    public async Task FourthAuditPhrasings_AreAnsweredAsMeant()
    {
        var seats = await Wang.AskAsync("侬帮我看看生物医药那个会还有位子伐");
        Assert.StartsWith("【以新质生产力助推生物医药产业高质量发展专题协商会】（2027年4月9日（周五）09:00）", seats, StringComparison.Ordinal);
        Assert.Contains("还有60个名额（共60个）", seats, StringComparison.Ordinal);

        Assert.Equal(await Wang.AskAsync("我的会议"), await Wang.AskAsync("我的会有哪些😊"));
        Assert.Equal(await Wang.AskAsync("我的会议"), await Wang.AskAsync("我报的会议有几个"));
        Assert.StartsWith("一届五次第0012号《关于高水平建设临平数智城的建议》", await Wang.AskAsync("帮我查下数智城的提案办到哪了谢谢啦"), StringComparison.Ordinal);

        Assert.StartsWith("【大运河临平段文化遗产保护视察】\n时间：2027年5月12日（周三）08:30—12:30", await Wang.AskAsync("那个视察几点出发啊"), StringComparison.Ordinal);

        Assert.StartsWith("报名成功！【“请你来协商”：小微园区安全管理】", await Wang.AskAsync("小微园区那个会阿拉也想去"), StringComparison.Ordinal);
        Assert.StartsWith("报名成功！【大运河临平段文化遗产保护视察】", await Wang.AskAsync("帮我报下名大运河视察吧谢谢"), StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-2027-01", "M001"))?.Status);
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-2027-04", "M001"))?.Status);
    }

    /// <summary>
    /// "我去不了" where the one meeting to confirm is a 指定出席 one, then something else: what was left undone is the
    /// leave request (no sign-up was to be cancelled, and none is "kept").
    /// </summary>
    [Fact]
    public async Task CannotComeToAMandatoryMeeting_LeftForSomethingElse_SaysTheLeaveWasNotSubmitted()
    {
        Assert.StartsWith("您说不能参加的是这个会议吗？确认后为您办理请假。", await Wang.AskAsync("我去不了"), StringComparison.Ordinal);

        var replies = await Wang.SendAsync("报名大运河视察");

        Assert.StartsWith("报名成功！【大运河临平段文化遗产保护视察】", replies[0], StringComparison.Ordinal);
        Assert.Equal(MeetingTexts.LeaveNotSubmitted, replies[^1].Split('\n')[^1]);
        Assert.DoesNotContain("报名仍然保留", string.Join('\n', replies), StringComparison.Ordinal);
        Assert.Null(await _host.ParticipationAsync("MT-2027-03", "M001"));
    }

    /// <summary>The 26th 常委会 next Wednesday, and a 27th later, so that "常委会" alone fits two.</summary>
    private async Task MoveStandingCommitteeToNextWednesdayAsync()
    {
        await _host.UpdateMeetingAsync("MT-2027-03", m =>
        {
            m.StartsAt = DateTimeOffset.Parse("2026-12-02T09:00:00+08:00", CultureInfo.InvariantCulture);
            m.EndsAt = DateTimeOffset.Parse("2026-12-02T12:00:00+08:00", CultureInfo.InvariantCulture);
        });
        await _host.DbAsync(db =>
        {
            db.Meetings.Add(new Meeting
            {
                Id = "MT-2027-27",
                Title = "区政协一届常委会第二十七次会议",
                Type = MeetingType.StandingCommittee,
                Location = "区政协三楼大会议室",
                StartsAt = DateTimeOffset.Parse("2027-06-24T09:00:00+08:00", CultureInfo.InvariantCulture),
                EndsAt = DateTimeOffset.Parse("2027-06-24T12:00:00+08:00", CultureInfo.InvariantCulture),
                Participation = ParticipationMode.Mandatory,
                Invitees = [new MeetingInvitee { MeetingId = "MT-2027-27", MemberId = "M001" }],
            });
            return db.SaveChangesAsync();
        });
    }
}
