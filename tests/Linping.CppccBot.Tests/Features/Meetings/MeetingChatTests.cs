using Linping.CppccBot.Features.Meetings;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Features.Reminders;
using Linping.CppccBot.Tests.Infrastructure;

namespace Linping.CppccBot.Tests.Features.Meetings;

/// <summary>Members and staff talking about meetings through the test client, against the seeded demo data.</summary>
public sealed class MeetingChatTests : IAsyncLifetime
{
    private readonly BotHostFactory _host = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private BotTestClient Wang => _host.Member("wangjianguo");

    [Fact]
    public async Task List_ShowsTheInvitedUpcomingMeetings_NumberedByStart_WithTimesSeatsAndDeadlines()
    {
        var reply = await Wang.AskAsync("最近有什么会议？");

        Assert.Contains("共4场", reply, StringComparison.Ordinal);
        var first = reply.IndexOf("1. “请你来协商”：小微园区安全管理", StringComparison.Ordinal);
        var second = reply.IndexOf("2. 区政协一届常委会第二十六次会议", StringComparison.Ordinal);
        var third = reply.IndexOf("3. 以新质生产力助推生物医药产业高质量发展专题协商会", StringComparison.Ordinal);
        var fourth = reply.IndexOf("4. 大运河临平段文化遗产保护视察", StringComparison.Ordinal);
        Assert.True(first >= 0 && first < second && second < third && third < fourth, reply);
        Assert.Contains("类型：请你来协商｜自愿报名", reply, StringComparison.Ordinal);
        Assert.Contains("时间：2027年3月18日（周四）14:30—17:00", reply, StringComparison.Ordinal);
        Assert.Contains("地点：区政协民主议事堂", reply, StringComparison.Ordinal);
        Assert.Contains("名额：剩余30个（共30个）", reply, StringComparison.Ordinal);
        Assert.Contains("报名截止：2027年3月17日（周三）17:30", reply, StringComparison.Ordinal);
        Assert.Contains("常委会会议｜指定出席", reply, StringComparison.Ordinal);
        Assert.Contains("无需报名，请按时出席", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AskingForAMonthOrADay_ListsOnlyThoseMeetings_NumberedAsShown()
    {
        var march = await Wang.AskAsync("明年3月有什么会？");
        var today = await Wang.AskAsync("今天有会吗");

        Assert.StartsWith("2027年3月的会议活动（共2场）：", march, StringComparison.Ordinal);
        Assert.Contains("1. “请你来协商”：小微园区安全管理", march, StringComparison.Ordinal);
        Assert.Contains("2. 区政协一届常委会第二十六次会议", march, StringComparison.Ordinal);
        Assert.DoesNotContain("大运河", march, StringComparison.Ordinal);
        Assert.StartsWith("今天（11月27日）没有您的会议活动。\n\n近期会议活动（共4场）：", today, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheList_SaysWhenSignUpHasClosed_AndWhenAMeetingIsFull()
    {
        await _host.UpdateMeetingAsync("MT-2027-01", m => m.SignupDeadline = _host.Time.GetUtcNow().AddMinutes(-1));
        await _host.UpdateMeetingAsync("MT-2027-04", m => m.Capacity = 1);
        await _host.Member("chenxiaoyan").AskAsync("报名 MT-2027-04");

        var reply = await Wang.AskAsync("最近有什么会议？");

        var closed = reply[reply.IndexOf("1. “请你来协商”", StringComparison.Ordinal)..reply.IndexOf("2. ", StringComparison.Ordinal)];
        Assert.Contains("报名已截止", closed, StringComparison.Ordinal);
        Assert.DoesNotContain("名额：", closed, StringComparison.Ordinal);
        Assert.Contains("名额：已满（共1个），可报名候补", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMeetingUnderWay_IsListedAsSuch_WithoutOfferingTheLeaveItWouldRefuse()
    {
        var now = _host.Time.GetUtcNow();
        await _host.UpdateMeetingAsync("MT-2027-03", m => (m.StartsAt, m.EndsAt) = (now.AddMinutes(-10), now.AddHours(2)));

        var reply = await Wang.AskAsync("最近有什么会议？");
        var leave = await Wang.AskAsync("请假 1");

        var underWay = reply[reply.IndexOf("1. 区政协一届常委会第二十六次会议", StringComparison.Ordinal)..reply.IndexOf("2. ", StringComparison.Ordinal)];
        Assert.Contains("会议进行中", underWay, StringComparison.Ordinal);
        Assert.DoesNotContain("请假", underWay, StringComparison.Ordinal);
        Assert.Contains("已经开始或结束，无法再请假", leave, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SayingCheckIn_TellsTheMemberWhereCheckInIsDone_WithTodaysMeetingsAndTheirState()
    {
        var none = await Wang.AskAsync("签到");
        var now = _host.Time.GetUtcNow();
        await _host.UpdateMeetingAsync("MT-2027-03", m => (m.StartsAt, m.EndsAt) = (now.AddHours(1), now.AddHours(3)));
        var expected = await Wang.AskAsync("我到了，签到一下");
        await _host.DbAsync(async db =>
        {
            db.Participations.Add(new Participation
            {
                MeetingId = "MT-2027-03",
                MemberId = "M001",
                Status = ParticipationStatus.CheckedIn,
                CheckedInAt = now.AddMinutes(-5),
                CreatedAt = now,
                UpdatedAt = now,
            });
            return await db.SaveChangesAsync();
        });
        var done = await Wang.AskAsync("签到");

        Assert.Equal("今天没有您要参加的会议。签到在会场办理：请到签到处，由会务工作人员为您登记。", none);
        Assert.Equal("您今天的会议：\n· 【区政协一届常委会第二十六次会议】（2026年11月27日（周五）10:00）：未签到\n签到在会场办理：请到签到处，由会务工作人员为您登记。", expected);
        Assert.Equal("您今天的会议：\n· 【区政协一届常委会第二十六次会议】（2026年11月27日（周五）10:00）：已签到（08:55）", done);
    }

    [Fact]
    public async Task List_LeavesOutMeetingsTheMemberIsNotInvitedTo_AndCancelledOnes()
    {
        await _host.UpdateMeetingAsync("MT-2027-03", m => m.Invitees.RemoveAll(i => i.MemberId == "M001"));
        await _host.UpdateMeetingAsync("MT-2027-04", m => m.Status = MeetingStatus.Cancelled);

        var reply = await Wang.AskAsync("最近有什么会议");

        Assert.Contains("共2场", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("常委会第二十六次", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("大运河", reply, StringComparison.Ordinal);
        var chen = await _host.Member("chenxiaoyan").AskAsync("最近有什么会议");
        Assert.Contains("共3场", chen, StringComparison.Ordinal);
        Assert.Contains("常委会第二十六次", chen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignUp_ByTheNumberOfTheLastList_SignsUpAndRecordsWhoAndWhen()
    {
        await Wang.SendAsync("最近有什么会议");

        var reply = await Wang.AskAsync("报名 1");

        Assert.Contains("报名成功", reply, StringComparison.Ordinal);
        Assert.Contains("【“请你来协商”：小微园区安全管理】（2027年3月18日（周四）14:30）", reply, StringComparison.Ordinal);
        var stored = await _host.ParticipationAsync("MT-2027-01", "M001");
        Assert.Equal(ParticipationStatus.SignedUp, stored?.Status);
        var change = Assert.Single(await _host.ChangesAsync("MT-2027-01", "M001"));
        Assert.Equal((null, "SignedUp", "M001"), (change.From, change.To, change.Actor));
        Assert.Equal(_host.Time.GetUtcNow(), change.At);
        Assert.Contains("名额：剩余29个（共30个）", await Wang.AskAsync("最近有什么会议"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("报名第三个")]
    [InlineData("3号会议报名")]
    [InlineData("报名３")]
    public async Task SignUp_UnderstandsTheWaysPeopleSayAListNumber(string text)
    {
        await Wang.SendAsync("最近有什么会议");

        var reply = await Wang.AskAsync(text);

        Assert.Contains("报名成功", reply, StringComparison.Ordinal);
        Assert.Contains("生物医药", reply, StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-2027-02", "M001"))?.Status);
    }

    [Fact]
    public async Task SignUp_ByNumberWithoutARecentList_SaysSoAndShowsTheList_WithoutSigningUp()
    {
        var replies = await Wang.SendAsync("报名 2");

        Assert.Contains("没有找到您最近查看的会议列表", replies[0], StringComparison.Ordinal);
        Assert.Contains("共4场", replies[1], StringComparison.Ordinal);
        Assert.Equal(0, await _host.ParticipationCountAsync());
    }

    [Fact]
    public async Task SignUp_ByANumberOutsideTheList_SaysSo()
    {
        await Wang.SendAsync("最近有什么会议");

        Assert.Contains("序号9不在您上次查看的列表中（共4场）", await Wang.AskAsync("报名 9"), StringComparison.Ordinal);
        Assert.Equal(0, await _host.ParticipationCountAsync());
    }

    [Fact]
    public async Task SignUp_ByAListSeenLongAgo_AsksToLookAgain()
    {
        await Wang.SendAsync("最近有什么会议");
        _host.Time.Advance(TimeSpan.FromDays(1));

        var replies = await Wang.SendAsync("报名 1");

        Assert.Contains("没有找到您最近查看的会议列表", replies[0], StringComparison.Ordinal);
        Assert.Equal(0, await _host.ParticipationCountAsync());
    }

    [Theory]
    [InlineData("报名 mt-2027-02", "MT-2027-02")]
    [InlineData("报名小微园区那个协商会", "MT-2027-01")]
    [InlineData("我参加生物医药专题协商会", "MT-2027-02")]
    [InlineData("我要报名请你来协商", "MT-2027-01")]
    [InlineData("报名大运河视察！", "MT-2027-04")]
    public async Task SignUp_ByIdOrWordsOfTheTitle_SignsUpForThatMeeting(string text, string meetingId)
    {
        var reply = await Wang.AskAsync(text);

        Assert.Contains("报名成功", reply, StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync(meetingId, "M001"))?.Status);
        Assert.Equal(1, await _host.ParticipationCountAsync());
    }

    [Fact]
    public async Task SignUp_WithWordsFittingSeveralMeetings_AsksWhich_AndSignsUpOnlyForTheChosenOne()
    {
        var question = await Wang.AskAsync("报名协商");

        Assert.Contains("有2个会议与您说的相符", question, StringComparison.Ordinal);
        Assert.Contains("1. 【“请你来协商”：小微园区安全管理】", question, StringComparison.Ordinal);
        Assert.Contains("2. 【以新质生产力助推生物医药产业高质量发展专题协商会】", question, StringComparison.Ordinal);
        Assert.Equal(0, await _host.ParticipationCountAsync());

        Assert.Contains("请回复 1 到 2 之间的序号", await Wang.AskAsync("5"), StringComparison.Ordinal);
        var reply = await Wang.AskAsync("生物医药那个");

        Assert.Contains("报名成功", reply, StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-2027-02", "M001"))?.Status);
        Assert.Null(await _host.ParticipationAsync("MT-2027-01", "M001"));
    }

    [Fact]
    public async Task SignUp_WithATypo_AsksToConfirm_AndDoesNothingOnNo()
    {
        var question = await Wang.AskAsync("报名小微园区安去管理");

        Assert.Contains("您要报名的是这个会议吗", question, StringComparison.Ordinal);
        Assert.Contains("小微园区安全管理", question, StringComparison.Ordinal);
        Assert.EndsWith("请回复“是”确认，回复“不是”放弃。", question, StringComparison.Ordinal);
        Assert.Contains("没有办理", await Wang.AskAsync("不是"), StringComparison.Ordinal);
        Assert.Equal(0, await _host.ParticipationCountAsync());
    }

    [Fact]
    public async Task SignUp_WithWordsFittingNoMeeting_SaysSo_AndOffersTheMeetingsOpenForSignUp()
    {
        var reply = await Wang.AskAsync("报名火星基地考察");

        Assert.StartsWith("没有找到与您说的相符的会议。请问您要报名哪个会议？\n1. 【“请你来协商”：小微园区安全管理】", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("火星", reply, StringComparison.Ordinal);
        Assert.Equal(0, await _host.ParticipationCountAsync());
        Assert.Contains("报名成功", await Wang.AskAsync("1"), StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-2027-01", "M001"))?.Status);
    }

    [Fact]
    public async Task SignUp_Twice_SaysAlreadySignedUp()
    {
        await Wang.SendAsync("报名大运河");

        Assert.Contains("您已报名【大运河临平段文化遗产保护视察】（2027年5月12日（周三）08:30），无需重复报名", await Wang.AskAsync("报名大运河"), StringComparison.Ordinal);
        Assert.Single(await _host.ChangesAsync("MT-2027-04", "M001"));
    }

    [Fact]
    public async Task SignUp_PastTheDeadline_IsRefusedWithTheDeadline()
    {
        _host.Time.SetUtcNow(DateTimeOffset.Parse("2027-03-17T18:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture));

        var reply = await Wang.AskAsync("报名小微园区安全管理");

        Assert.Contains("报名已于2027年3月17日（周三）17:30截止", reply, StringComparison.Ordinal);
        Assert.Equal(0, await _host.ParticipationCountAsync());
    }

    [Fact]
    public async Task SignUp_ForAMeetingOver_OrCancelled_OrNotInvited_OrMandatory_GetsItsOwnAnswer()
    {
        await _host.UpdateMeetingAsync("MT-2027-04", m => m.Status = MeetingStatus.Cancelled);
        await _host.UpdateMeetingAsync("MT-2027-02", m =>
        {
            m.InviteAllMembers = false;
            m.Invitees.Add(new MeetingInvitee { MeetingId = m.Id, MemberId = "M002" });
        });

        Assert.Contains("已取消，无法报名", await Wang.AskAsync("报名大运河"), StringComparison.Ordinal);
        var notInvited = await Wang.AskAsync("报名生物医药");
        Assert.StartsWith("您说的会议不在您的参会范围内，无法报名。", notInvited, StringComparison.Ordinal);
        Assert.DoesNotContain("生物医药", notInvited, StringComparison.Ordinal);
        Assert.Contains("指定出席的会议，无需报名", await Wang.AskAsync("报名常委会"), StringComparison.Ordinal);
        _host.Time.SetUtcNow(DateTimeOffset.Parse("2027-03-19T09:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("已经结束，无法报名", await Wang.AskAsync("报名 MT-2027-01"), StringComparison.Ordinal);
        Assert.Equal(0, await _host.ParticipationCountAsync());
    }

    [Fact]
    public async Task SignUp_WhenFull_OffersTheWaitlist_AndJoinsItOnYes()
    {
        await _host.UpdateMeetingAsync("MT-2027-04", m => m.Capacity = 1);
        await _host.Member("chenxiaoyan").SendAsync("报名大运河");

        var offer = await Wang.AskAsync("报名大运河");
        var joined = await Wang.AskAsync("好");

        Assert.Contains("名额已满（共1个）", offer, StringComparison.Ordinal);
        Assert.Contains("需要加入候补吗", offer, StringComparison.Ordinal);
        Assert.Contains("您是候补第1位", joined, StringComparison.Ordinal);
        var stored = await _host.ParticipationAsync("MT-2027-04", "M001");
        Assert.Equal((ParticipationStatus.Waitlisted, 1), (stored?.Status, stored?.WaitlistPosition));
        Assert.Contains("候补第1位", await Wang.AskAsync("我的会议"), StringComparison.Ordinal);
        Assert.Contains("已在【大运河临平段文化遗产保护视察】（2027年5月12日（周三）08:30）的候补名单中（第1位）", await Wang.AskAsync("报名大运河"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignUp_WhenFull_AndTheMemberDeclinesTheWaitlist_StoresNothing()
    {
        await _host.UpdateMeetingAsync("MT-2027-04", m => m.Capacity = 1);
        await _host.Member("chenxiaoyan").SendAsync("报名大运河");

        await Wang.SendAsync("报名大运河");

        Assert.Contains("没有加入候补", await Wang.AskAsync("不需要"), StringComparison.Ordinal);
        Assert.Null(await _host.ParticipationAsync("MT-2027-04", "M001"));
    }

    [Fact]
    public async Task Cancel_ASignUp_MovesTheFirstOnTheWaitlistUp_AndRecordsBoth()
    {
        await _host.UpdateMeetingAsync("MT-2027-04", m => m.Capacity = 1);
        await Wang.SendAsync("报名大运河");
        var chen = _host.Member("chenxiaoyan");
        await chen.SendAsync("报名大运河");
        await chen.SendAsync("是");
        var liu = _host.Member("liuzhiqiang");
        await liu.SendAsync("报名大运河");
        await liu.SendAsync("是");

        var reply = await Wang.AskAsync("我不去大运河视察了");

        Assert.Contains("已取消您对【大运河临平段文化遗产保护视察】（2027年5月12日（周三）08:30）的报名", reply, StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.Cancelled, (await _host.ParticipationAsync("MT-2027-04", "M001"))?.Status);
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-2027-04", "M002"))?.Status);
        var liuStored = await _host.ParticipationAsync("MT-2027-04", "M003");
        Assert.Equal((ParticipationStatus.Waitlisted, 1), (liuStored?.Status, liuStored?.WaitlistPosition));
        var promotion = (await _host.ChangesAsync("MT-2027-04", "M002"))[^1];
        Assert.Equal(("Waitlisted", "SignedUp", "M001"), (promotion.From, promotion.To, promotion.Actor));
    }

    [Fact]
    public async Task Cancel_FromTheWaitlist_LeavesIt_AndRenumbersTheRest()
    {
        await _host.UpdateMeetingAsync("MT-2027-04", m => m.Capacity = 1);
        await Wang.SendAsync("报名大运河");
        var chen = _host.Member("chenxiaoyan");
        await chen.SendAsync("报名大运河");
        await chen.SendAsync("是");
        var liu = _host.Member("liuzhiqiang");
        await liu.SendAsync("报名大运河");
        await liu.SendAsync("是");

        Assert.Contains("移出", await chen.AskAsync("取消候补大运河"), StringComparison.Ordinal);

        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-2027-04", "M001"))?.Status);
        Assert.Equal(1, (await _host.ParticipationAsync("MT-2027-04", "M003"))?.WaitlistPosition);
    }

    [Fact]
    public async Task LeavingTheWaitlist_WithoutNamingTheMeeting_AsksAboutTheWaitlist_NotTheSignUps()
    {
        await _host.UpdateMeetingAsync("MT-2027-04", m => m.Capacity = 1);
        var chen = _host.Member("chenxiaoyan");
        Assert.Contains("您目前不在任何会议的候补名单中", await chen.AskAsync("取消候补"), StringComparison.Ordinal);
        await Wang.SendAsync("报名大运河");
        await chen.SendAsync("报名大运河");
        await chen.SendAsync("是");
        Assert.Contains("报名成功", await chen.AskAsync("报名小微园区安全管理"), StringComparison.Ordinal);

        var question = await chen.AskAsync("取消候补");
        var done = await chen.AskAsync("1");

        Assert.StartsWith("您要退出候补的是这个会议吗？\n1. 【大运河临平段文化遗产保护视察】", question, StringComparison.Ordinal);
        Assert.DoesNotContain("小微园区", question, StringComparison.Ordinal);
        Assert.Contains("已将您移出【大运河临平段文化遗产保护视察】", done, StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.Cancelled, (await _host.ParticipationAsync("MT-2027-04", "M002"))?.Status);
    }

    [Fact]
    public async Task LeavingTheWaitlist_ByName_NeverGivesUpASeat()
    {
        await Wang.SendAsync("报名大运河");

        var reply = await Wang.AskAsync("取消候补大运河");

        Assert.StartsWith("您已是【大运河临平段文化遗产保护视察】", reply, StringComparison.Ordinal);
        Assert.Contains("不在候补名单中，报名保留", reply, StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-2027-04", "M001"))?.Status);
    }

    [Fact]
    public async Task Cancel_WithoutASignUp_SaysSo_AndForAMandatoryMeetingPointsToLeave()
    {
        Assert.Contains("您没有报名", await Wang.AskAsync("取消报名 MT-2027-01"), StringComparison.Ordinal);
        Assert.Contains("请发送“请假”", await Wang.AskAsync("取消报名 MT-2027-03"), StringComparison.Ordinal);
        Assert.Contains("没有可以取消的报名", await Wang.AskAsync("取消报名"), StringComparison.Ordinal);
        Assert.Equal(0, await _host.ParticipationCountAsync());
    }

    [Theory]
    [InlineData("大运河视察我不能参加了")]
    [InlineData("大运河视察我去不了")]
    [InlineData("大运河那个我参加不了")]
    [InlineData("大运河那个我去不成了")]
    public async Task CannotAttend_AMeetingSignedUpTo_CancelsTheSignUp_AndNeverSignsUp(string text)
    {
        var before = await Wang.AskAsync(text);
        await Wang.SendAsync("报名大运河");

        var reply = await Wang.AskAsync(text);

        Assert.Contains("您没有报名", before, StringComparison.Ordinal);
        Assert.Contains("已取消", reply, StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.Cancelled, (await _host.ParticipationAsync("MT-2027-04", "M001"))?.Status);
    }

    /// <summary>Asks, and answers 是 when the bot asks whether the 常委会 is meant.</summary>
    private async Task<string> AskConfirmingAsync(string text)
    {
        var reply = await Wang.AskAsync(text);
        return reply.StartsWith("您说不能参加的是这个会议吗？", StringComparison.Ordinal) && reply.Contains("1. 【区政协一届常委会第二十六次会议】", StringComparison.Ordinal)
            ? await Wang.AskAsync("是")
            : reply;
    }

    [Theory]
    [InlineData("常委会我去不了", null)]
    [InlineData("常委会那天我来不了，要出差", LeaveReason.Official)]
    public async Task CannotAttend_AMandatoryMeeting_AsksForLeave(string text, LeaveReason? reason)
    {
        var ask = await AskConfirmingAsync(text);
        if (reason is null)
        {
            Assert.Contains("1 因病　2 因事　3 公务", ask, StringComparison.Ordinal);
            await Wang.AskAsync("2");
        }

        var done = await Wang.AskAsync("无");

        Assert.StartsWith("【区政协一届常委会第二十六次会议】（2027年3月25日（周四）09:00）是指定出席的会议，不能参加需要请假。", ask, StringComparison.Ordinal);
        Assert.Contains("请假待批", done, StringComparison.Ordinal);
        var stored = await _host.ParticipationAsync("MT-2027-03", "M001");
        Assert.Equal((ParticipationStatus.LeavePending, reason ?? LeaveReason.Personal), (stored?.Status, stored?.LeaveReason));
        Assert.Contains("正在等待审批", await AskConfirmingAsync(text), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("3月25号的会我请假，身体不好")]
    [InlineData("常委会请假 身体不好")]
    [InlineData("帮我请个假，常委会我去不了，身体不舒服")]
    public async Task Leave_NamedByDayOrWithAReasonInOwnWords_FindsTheMeeting(string text)
    {
        var ask = await Wang.AskAsync(text);
        if (ask.Contains("您要请假的是这个会议吗", StringComparison.Ordinal))
        {
            Assert.Contains("区政协一届常委会第二十六次会议", ask, StringComparison.Ordinal);
            ask = await Wang.AskAsync("是");
        }

        var done = await Wang.AskAsync("无");

        Assert.Contains("事由：因病", ask, StringComparison.Ordinal);
        Assert.DoesNotContain("没有找到", ask, StringComparison.Ordinal);
        Assert.Contains("请假待批", done, StringComparison.Ordinal);
        Assert.Equal((ParticipationStatus.LeavePending, LeaveReason.Illness), await _host.ParticipationAsync("MT-2027-03", "M001") is { } p ? (p.Status, p.LeaveReason) : default);
    }

    [Fact]
    public async Task SignUp_InALongSentence_AsksAboutTheMeetingItNames_AndSignsUpOnYes()
    {
        var ask = await Wang.AskAsync("我想报个名参加一下那个大运河的视察活动，不知道还有没有名额");

        Assert.StartsWith("您要报名的是这个会议吗？\n1. 【大运河临平段文化遗产保护视察】", ask, StringComparison.Ordinal);
        Assert.Equal(Linping.CppccBot.Features.Meetings.MeetingTexts.ConfirmOne, await Wang.AskAsync("2"));
        Assert.Contains("报名成功", await Wang.AskAsync("是"), StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-2027-04", "M001"))?.Status);
    }

    [Fact]
    public async Task CannotAttend_TomorrowsMeeting_WhenThereIsNone_SaysSo_AndOffersNoMeetingOfAnotherDay()
    {
        await Wang.SendAsync("报名大运河");

        var reply = await Wang.AskAsync("明天的会我去不了");

        Assert.Equal("明天（11月28日）没有需要您出席的会议，不用请假。", reply);
        Assert.StartsWith("没太明白“1”", await Wang.AskAsync("1"), StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-2027-04", "M001"))?.Status);
    }

    [Fact]
    public async Task CannotAttend_NextMonth_IsAboutTheMeetingsThen_NoneOrTheOne()
    {
        var none = await Wang.AskAsync("我下个月去不了杭州开会");
        await _host.AddMeetingAsync("MT-DEC", _host.Time.GetUtcNow().AddDays(10), ParticipationMode.Mandatory, [], ["M001"]);

        var ask = await Wang.AskAsync("我下个月去不了杭州开会");
        var leave = await Wang.AskAsync("是");

        Assert.Equal("下个月（12月）没有需要您出席的会议，不用请假。", none);
        Assert.Equal("您说不能参加的是这个会议吗？确认后为您办理请假。\n1. 【临平区民营经济发展专题调研】（2026年12月7日（周一）09:00）\n请回复“是”确认，回复“不是”放弃。", ask);
        Assert.StartsWith("【临平区民营经济发展专题调研】（2026年12月7日（周一）09:00）是指定出席的会议，不能参加需要请假。", leave, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leave_NextMonth_WithSeveralMeetingsThen_OffersThoseOnly()
    {
        var now = _host.Time.GetUtcNow();
        await _host.AddMeetingAsync("MT-DEC", now.AddDays(10), ParticipationMode.Mandatory, [], ["M001"]);
        await _host.AddMeetingAsync("MT-DEC2", now.AddDays(20), ParticipationMode.Mandatory, [], ["M001"]);

        var ask = await Wang.AskAsync("下个月的会我请假");

        Assert.StartsWith("下个月（12月）有2个会议，请问是哪一个？\n1. 【临平区民营经济发展专题调研】（2026年12月7日（周一）09:00）\n2. 【临平区民营经济发展专题调研】（2026年12月17日（周四）09:00）", ask, StringComparison.Ordinal);
        Assert.DoesNotContain("第二十六次", ask, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leave_WithTheReasonInTheText_AsksOnlyForTheNote_AndWaitsForApproval()
    {
        var ask = await Wang.AskAsync("常委会我请个假，单位有事");
        var done = await Wang.AskAsync("无");

        Assert.Contains("【区政协一届常委会第二十六次会议】（2027年3月25日（周四）09:00）", ask, StringComparison.Ordinal);
        Assert.Contains("事由：公务（如不对，请回复“因病”“因事”或“公务”更正）。", ask, StringComparison.Ordinal);
        Assert.Contains("请假待批", done, StringComparison.Ordinal);
        var stored = await _host.ParticipationAsync("MT-2027-03", "M001");
        Assert.Equal((ParticipationStatus.LeavePending, LeaveReason.Official, null), (stored?.Status, stored?.LeaveReason, stored?.LeaveNote));
        var change = Assert.Single(await _host.ChangesAsync("MT-2027-03", "M001"));
        Assert.Equal((null, "LeavePending", "M001"), (change.From, change.To, change.Actor));
        Assert.Contains("请假待批（公务）", await Wang.AskAsync("我的会议"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("常委会请假，工作上有事走不开")]
    [InlineData("常委会我请个假，公司有事")]
    public async Task Leave_ForWork_IsOnDuty_AndTheWordsStillFindTheMeeting(string text)
    {
        var ask = await Wang.AskAsync(text);

        Assert.StartsWith("为【区政协一届常委会第二十六次会议】", ask, StringComparison.Ordinal);
        Assert.Contains("事由：公务", ask, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("不是公务")]
    [InlineData("家里老人住院需要陪护，不是公务")]
    [InlineData("我不是因病，是家里老人要做手术")]
    public async Task Leave_ANoteThatMentionsACategory_IsTheNote_NotACorrection(string note)
    {
        await Wang.AskAsync("常委会请假，家里有事");

        var done = await Wang.AskAsync(note);

        Assert.Contains("请假待批", done, StringComparison.Ordinal);
        var stored = await _host.ParticipationAsync("MT-2027-03", "M001");
        Assert.Equal((LeaveReason.Personal, note), (stored?.LeaveReason, stored?.LeaveNote));
    }

    [Fact]
    public async Task Leave_AnOkAfterTheCorrection_MeansNoNote()
    {
        await Wang.AskAsync("常委会请假，家里有事");
        Assert.StartsWith("事由已是：因事。", await Wang.AskAsync("因事"), StringComparison.Ordinal);
        await Wang.AskAsync("改成公务");

        var done = await Wang.AskAsync("好的");

        Assert.Contains("请假待批", done, StringComparison.Ordinal);
        var stored = await _host.ParticipationAsync("MT-2027-03", "M001");
        Assert.Equal((LeaveReason.Official, (string?)null), (stored?.LeaveReason, stored?.LeaveNote));
    }

    [Theory]
    [InlineData("因病", LeaveReason.Illness)]
    [InlineData("不是因事，是公务", LeaveReason.Official)]
    [InlineData("改成病假吧", LeaveReason.Illness)]
    public async Task Leave_TheCategoryReadFromTheWords_CanBeCorrectedBeforeTheNote(string correction, LeaveReason expected)
    {
        await Wang.AskAsync("常委会请假，家里有事");

        var corrected = await Wang.AskAsync(correction);
        var done = await Wang.AskAsync("孩子高考，需要陪同");

        Assert.StartsWith($"好的，事由改为：{expected.ToLabel()}。", corrected, StringComparison.Ordinal);
        Assert.Contains("请假待批", done, StringComparison.Ordinal);
        var stored = await _host.ParticipationAsync("MT-2027-03", "M001");
        Assert.Equal((ParticipationStatus.LeavePending, expected, "孩子高考，需要陪同"), (stored?.Status, stored?.LeaveReason, stored?.LeaveNote));
    }

    [Fact]
    public async Task Leave_WithoutAReason_AsksForTheCategoryAndANote_AndKeepsTheNoteOutOfReplies()
    {
        Assert.Contains("1 因病", await Wang.AskAsync("常委会请假"), StringComparison.Ordinal);
        Assert.Contains("没有看懂请假事由", await Wang.AskAsync("嗯嗯"), StringComparison.Ordinal);
        Assert.Contains("事由：因病", await Wang.AskAsync("1"), StringComparison.Ordinal);
        var done = await Wang.AskAsync("术后在浙一医院复查");

        Assert.Contains("已提交【区政协一届常委会第二十六次会议】（2027年3月25日（周四）09:00）的请假申请（因病）", done, StringComparison.Ordinal);
        Assert.DoesNotContain("浙一", done, StringComparison.Ordinal);
        var stored = await _host.ParticipationAsync("MT-2027-03", "M001");
        Assert.Equal((LeaveReason.Illness, "术后在浙一医院复查"), (stored?.LeaveReason, stored?.LeaveNote));
        Assert.DoesNotContain(await _host.ChangesAsync("MT-2027-03", "M001"), c => c.Note?.Contains("浙一", StringComparison.Ordinal) == true);
        Assert.Contains("已提交", await Wang.AskAsync("常委会请假"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leave_ForAVoluntaryMeeting_PointsToCancellingTheSignUp()
    {
        var reply = await Wang.AskAsync("大运河视察我请个假");

        Assert.Contains("自愿报名的活动，不需要请假", reply, StringComparison.Ordinal);
        Assert.Equal(0, await _host.ParticipationCountAsync());
    }

    [Fact]
    public async Task LeaveReview_ListsPendingRequests_ForTheOrganiser_AndApprovalIsStoredAndRecorded()
    {
        await Wang.SendAsync("第二十六次常委会请假 因病");
        await Wang.SendAsync("无");
        var staff = _host.Member("lims");

        var list = await staff.AskAsync("请假审批");
        var approved = await staff.AskAsync("批准 1");

        Assert.Contains("1. 王建国　【区政协一届常委会第二十六次会议】", list, StringComparison.Ordinal);
        Assert.Contains("因病", list, StringComparison.Ordinal);
        Assert.Contains("已批准王建国", approved, StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.LeaveApproved, (await _host.ParticipationAsync("MT-2027-03", "M001"))?.Status);
        var change = (await _host.ChangesAsync("MT-2027-03", "M001"))[^1];
        Assert.Equal(("LeavePending", "LeaveApproved", "S001"), (change.From, change.To, change.Actor));
        Assert.Contains("已处理过（已准假）", await staff.AskAsync("不批准 1"), StringComparison.Ordinal);
        Assert.Contains("已准假", await Wang.AskAsync("我的会议"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LeaveRejection_WithAReasonInPlainWords_IsStoredWithTheReason()
    {
        var staff = await LeaveRequestsListedAsync(Wang);

        var rejected = await staff.AskAsync("不批准 1 本次会议需全体出席");

        Assert.Contains("已不批准王建国", rejected, StringComparison.Ordinal);
        // This host's WeCom API cannot be reached: the organiser is told the notice waits for a retry, not that the member knows.
        Assert.EndsWith("的请假，通知本人的消息暂未发出，稍后会自动重发；如需尽快告知，请另行联系。", rejected, StringComparison.Ordinal);
        var stored = await _host.ParticipationAsync("MT-2027-03", "M001");
        Assert.Equal((ParticipationStatus.LeaveRejected, "本次会议需全体出席"), (stored?.Status, stored?.LeaveDecisionNote));
    }

    [Fact]
    public async Task LeaveAskedAgainAfterARefusal_ForTheSameReason_IsNotSentToTheOfficeAgain_ButANewReasonIs()
    {
        var staff = await LeaveRequestsListedAsync(Wang);
        await staff.AskAsync("不批准 1 本次会议需全体出席");
        var changes = (await _host.ChangesAsync("MT-2027-03", "M001")).Count;

        // The same reason again, said at once: the refusal and its reason stand, and the office is named.
        var again = await Wang.AskAsync("第二十六次常委会请假 因病");

        Assert.Contains("请假申请（因病）未获批准，原因：本次会议需全体出席", again, StringComparison.Ordinal);
        Assert.Contains("联系区政协办公室", again, StringComparison.Ordinal);
        Assert.DoesNotContain("已提交", again, StringComparison.Ordinal);

        // Without a reason: told of the refusal first; the same reason chosen is not submitted either.
        var asked = await Wang.AskAsync("常委会请假");
        Assert.Contains("未获批准", asked, StringComparison.Ordinal);
        Assert.Contains("1 因病", asked, StringComparison.Ordinal);
        Assert.Contains("未获批准", await Wang.AskAsync("1"), StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.LeaveRejected, (await _host.ParticipationAsync("MT-2027-03", "M001"))?.Status);
        Assert.Equal(changes, (await _host.ChangesAsync("MT-2027-03", "M001")).Count);
        Assert.DoesNotContain("王建国", await staff.AskAsync("请假审批"), StringComparison.Ordinal);

        // A reason the office has not judged is a new request.
        await Wang.AskAsync("第二十六次常委会请假 因事");
        Assert.Contains("已提交", await Wang.AskAsync("无"), StringComparison.Ordinal);
        var stored = await _host.ParticipationAsync("MT-2027-03", "M001");
        Assert.Equal((ParticipationStatus.LeavePending, LeaveReason.Personal), (stored?.Status, stored?.LeaveReason));
    }

    [Fact]
    public async Task AfterARefusal_CorrectingTheReasonToTheRefusedOne_IsAnsweredAtOnce_AndNothingIsSubmitted()
    {
        var staff = await LeaveRequestsListedAsync(Wang);
        await staff.AskAsync("不批准 1 本次会议需全体出席");
        var changes = (await _host.ChangesAsync("MT-2027-03", "M001")).Count;
        await Wang.AskAsync("常委会请假");
        await Wang.AskAsync("2");

        var corrected = await Wang.AskAsync("不是因事，是因病");
        var after = await Wang.AskAsync("家里老人住院");

        Assert.StartsWith("您【区政协一届常委会第二十六次会议】（2027年3月25日（周四）09:00）的请假申请（因病）未获批准，原因：本次会议需全体出席。", corrected, StringComparison.Ordinal);
        Assert.DoesNotContain("事由改为", corrected, StringComparison.Ordinal);
        Assert.DoesNotContain("已提交", after, StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.LeaveRejected, (await _host.ParticipationAsync("MT-2027-03", "M001"))?.Status);
        Assert.Equal(changes, (await _host.ChangesAsync("MT-2027-03", "M001")).Count);
    }

    [Fact]
    public async Task LeaveReview_DecidesEveryNumberGiven_AndTheReasonIsOnlyTheWordsAfterThem()
    {
        var staff = await LeaveRequestsListedAsync(Wang, _host.Member("chenxiaoyan"));

        var outside = await staff.AskAsync("不批准 1、3 需全体出席");

        Assert.StartsWith("序号3不在待审批列表中（共2条），没有做任何审批。", outside, StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.LeavePending, (await _host.ParticipationAsync("MT-2027-03", "M001"))?.Status);

        var rejected = await staff.AskAsync("不批准 1、2 需全体出席");

        Assert.Contains("1. 已不批准", rejected, StringComparison.Ordinal);
        Assert.Contains("2. 已不批准", rejected, StringComparison.Ordinal);
        foreach (var member in new[] { "M001", "M002" })
        {
            var stored = await _host.ParticipationAsync("MT-2027-03", member);
            Assert.Equal((ParticipationStatus.LeaveRejected, "需全体出席"), (stored?.Status, stored?.LeaveDecisionNote));
        }
    }

    [Theory]
    [InlineData("全部批准")]
    [InlineData("批准 1-2")]
    [InlineData("批准1，2")]
    [InlineData("批准 1 2")]
    public async Task LeaveReview_ApprovesSeveralAtOnce(string command)
    {
        var staff = await LeaveRequestsListedAsync(Wang, _host.Member("chenxiaoyan"));

        var approved = await staff.AskAsync(command);

        Assert.Contains("已批准王建国", approved, StringComparison.Ordinal);
        Assert.Contains("已批准陈晓燕", approved, StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.LeaveApproved, (await _host.ParticipationAsync("MT-2027-03", "M001"))?.Status);
        Assert.Equal(ParticipationStatus.LeaveApproved, (await _host.ParticipationAsync("MT-2027-03", "M002"))?.Status);
    }

    [Fact]
    public async Task TakingBackALeaveRequest_PointsToTheOffice_AndChangesNothing()
    {
        await Wang.SendAsync("第二十六次常委会请假 因病");
        await Wang.SendAsync("无");

        var reply = await Wang.AskAsync("取消请假");

        Assert.StartsWith("请假申请由区政协办公室审批，提交后不能在这里撤回。", reply, StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.LeavePending, (await _host.ParticipationAsync("MT-2027-03", "M001"))?.Status);
    }

    /// <summary>Each member asks leave from the 26th standing committee (因病); the organiser (lims) lists the requests.</summary>
    private async Task<BotTestClient> LeaveRequestsListedAsync(params BotTestClient[] members)
    {
        foreach (var member in members)
        {
            await member.SendAsync("第二十六次常委会请假 因病");
            await member.SendAsync("无");
        }

        var staff = _host.Member("lims");
        await staff.AskAsync("请假审批");
        return staff;
    }

    // The host's clock is Friday 2026-11-27 09:00 in Shanghai: tomorrow is Saturday 11-28, next Friday 12-04.
    private Task AddTomorrowsMeetingAsync(params string[] signedUp) =>
        _host.AddMeetingAsync("MT-TOMORROW", _host.Time.GetUtcNow().AddDays(1), ParticipationMode.OpenSignup, signedUp, ["M001", "M002"]);

    [Fact]
    public async Task MorningOrAfternoon_PicksBetweenMeetingsOnTheSameDay()
    {
        var tomorrow = _host.Time.GetUtcNow().AddDays(1);
        await _host.AddMeetingAsync("MT-AM", tomorrow, ParticipationMode.OpenSignup, [], ["M001"]);
        await _host.AddMeetingAsync("MT-PM", tomorrow.AddHours(5.5), ParticipationMode.OpenSignup, [], ["M001"]);

        var afternoon = await Wang.AskAsync("明天下午的会我报名");
        var confirmed = await Wang.AskAsync("是");

        Assert.StartsWith("您要报名的是这个会议吗？\n1. 【临平区民营经济发展专题调研】（2026年11月28日（周六）14:30", afternoon, StringComparison.Ordinal);
        Assert.Contains("报名成功", confirmed, StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-PM", "M001"))?.Status);

        var both = await Wang.AskAsync("明天的会我要取消报名");
        Assert.StartsWith("您要取消报名的是这个会议吗？", both, StringComparison.Ordinal);
        await Wang.AskAsync("不是");

        var ask = await Wang.AskAsync("明天的会我想报名");
        var morning = await Wang.AskAsync("上午那个");

        Assert.Contains("明天（11月28日）有", ask, StringComparison.Ordinal);
        Assert.Contains("报名成功", morning, StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-AM", "M001"))?.Status);
    }

    [Fact]
    public async Task ALongLeaveMessage_NamingTheMeetingLate_FindsThatMeeting()
    {
        var text = string.Concat(Enumerable.Repeat("我是王建国委员，最近身体一直不太好，医生说要多休息，", 3)) + "所以第二十六次常委会我想请个假";

        var reply = await Wang.AskAsync(text);

        // The reason is said (身体不太好): the member has said everything, so the leave goes on with it.
        Assert.StartsWith("为【区政协一届常委会第二十六次会议】（2027年3月25日（周四）09:00）请假，事由：因病", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALongLeaveMessage_NamingTheMeetingLate_WithoutAReason_AsksToConfirmIt()
    {
        var text = string.Concat(Enumerable.Repeat("我是王建国委员，最近一直在外地，", 3)) + "所以第二十六次常委会我想请个假";

        var reply = await Wang.AskAsync(text);

        Assert.StartsWith("您要请假的是这个会议吗？\n1. 【区政协一届常委会第二十六次会议】", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("2. ", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASentenceNamingOneOfTheListedMeetings_PicksIt()
    {
        await AddTomorrowsMeetingAsync("M001");
        await Wang.SendAsync("报名大运河");
        Assert.Contains("临平区民营经济发展专题调研", await Wang.AskAsync("取消报名"), StringComparison.Ordinal);

        var done = await Wang.AskAsync("不好意思啊，最近腰不好，医生让我在家静养一段时间，大运河那个就不去了");

        Assert.Contains("已取消您对【大运河临平段文化遗产保护视察】", done, StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.Cancelled, (await _host.ParticipationAsync("MT-2027-04", "M001"))?.Status);
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-TOMORROW", "M001"))?.Status);
    }

    [Theory]
    [InlineData("都取消")]
    [InlineData("两个都去不了")]
    [InlineData("全部")]
    public async Task Cancel_WithoutNamingAMeeting_AndThenAll_CancelsEveryOneListed(string all)
    {
        await AddTomorrowsMeetingAsync("M001");
        await Wang.SendAsync("报名大运河");

        var ask = await Wang.AskAsync("取消报名");
        var done = string.Join("\n", await Wang.SendAsync(all));

        Assert.Contains("大运河临平段文化遗产保护视察", ask, StringComparison.Ordinal);
        Assert.Contains("临平区民营经济发展专题调研", ask, StringComparison.Ordinal);
        Assert.Contains("大运河临平段文化遗产保护视察", done, StringComparison.Ordinal);
        Assert.Contains("临平区民营经济发展专题调研", done, StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.Cancelled, (await _host.ParticipationAsync("MT-2027-04", "M001"))?.Status);
        Assert.Equal(ParticipationStatus.Cancelled, (await _host.ParticipationAsync("MT-TOMORROW", "M001"))?.Status);
    }

    [Fact]
    public async Task CannotAttend_All_WhenOneIsMandatory_IsTakenOneAtATime_AndChangesNothing()
    {
        await Wang.SendAsync("报名大运河");

        await Wang.SendAsync("我去不了");
        var reply = await Wang.AskAsync("都去不了");

        Assert.Equal(Linping.CppccBot.Features.Meetings.MeetingTexts.OneAtATime, reply);
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-2027-04", "M001"))?.Status);
        Assert.Contains("已取消您对【大运河临平段文化遗产保护视察】", await Wang.AskAsync("2"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("明天的会报名了吗？")]
    [InlineData("明天的会我要参加吗")]
    [InlineData("明天的会我能不能参加？")]
    public async Task AQuestionAboutTomorrowsMeeting_ChangesNothing(string question)
    {
        await AddTomorrowsMeetingAsync();

        var reply = await Wang.AskAsync(question);

        Assert.StartsWith("您近期的会议活动", reply, StringComparison.Ordinal);
        Assert.Null(await _host.ParticipationAsync("MT-TOMORROW", "M001"));
    }

    [Fact]
    public async Task CannotAttend_ADayMentionedAsAReason_DoesNotOutweighTheMeetingNamed()
    {
        await AddTomorrowsMeetingAsync("M001");
        await Wang.SendAsync("报名大运河");

        var ask = await Wang.AskAsync("我明天要出差，大运河视察去不了");
        var reply = await Wang.AskAsync("是");

        Assert.StartsWith("您说不能参加的是这个会议吗？确认后将取消您的报名。\n1. 【大运河临平段文化遗产保护视察】", ask, StringComparison.Ordinal);
        Assert.Contains("已取消", reply, StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.Cancelled, (await _host.ParticipationAsync("MT-2027-04", "M001"))?.Status);
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-TOMORROW", "M001"))?.Status);
    }

    [Fact]
    public async Task CannotAttend_TomorrowsMeeting_AsksFirst_SayingTheSignUpWillBeCancelled()
    {
        await AddTomorrowsMeetingAsync("M001");

        var ask = await Wang.AskAsync("明天的会我去不了");
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-TOMORROW", "M001"))?.Status);
        var done = await Wang.AskAsync("嗯嗯");

        Assert.StartsWith("您说不能参加的是这个会议吗？确认后将取消您的报名。\n1. 【临平区民营经济发展专题调研】", ask, StringComparison.Ordinal);
        Assert.Contains("已取消", done, StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.Cancelled, (await _host.ParticipationAsync("MT-TOMORROW", "M001"))?.Status);
    }

    [Fact]
    public async Task CannotAttend_NextFridaysMandatoryMeeting_LeadsToLeave()
    {
        await _host.AddMeetingAsync("MT-FRIDAY", _host.Time.GetUtcNow().AddDays(7), ParticipationMode.Mandatory, [], ["M001"]);

        var ask = await Wang.AskAsync("下周五的会去不了");
        var leave = await Wang.AskAsync("是");

        Assert.StartsWith("您说不能参加的是这个会议吗？确认后为您办理请假。", ask, StringComparison.Ordinal);
        Assert.Contains("是指定出席的会议，不能参加需要请假", leave, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CannotAttend_AMeetingThatDayTheMemberIsNotSignedUpTo_SaysSo_AndOffersNothingElse()
    {
        await AddTomorrowsMeetingAsync();

        var reply = await Wang.AskAsync("明天的会来不了");

        Assert.StartsWith("您没有报名", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChitChatWithAGo_IsNoSignUp_AndOpensNoChoice()
    {
        var reply = await Wang.AskAsync("今天天气不错，老伙计们约我去公园下棋");

        Assert.DoesNotContain("请问您要报名哪个会议", reply, StringComparison.Ordinal);
        Assert.Equal(0, await _host.ParticipationCountAsync());
    }

    [Theory]
    [InlineData("我不请假了")]
    [InlineData("那我还是不请假了")]
    [InlineData("取消请假")]
    public async Task ChangingOnesMind_AtTheLeaveNote_SubmitsNothing(string words)
    {
        await Wang.SendAsync("常委会请假");
        await Wang.SendAsync("1");

        Assert.Equal("好的，没有提交请假申请，请按时出席。", await Wang.AskAsync(words));
        Assert.Null(await _host.ParticipationAsync("MT-2027-03", "M001"));
    }

    /// <summary>
    /// "不是" to the reason: not this meeting, or no leave after all; the member hears how to start again. "算了" and
    /// "取消" leave the dialog as they leave any.
    /// </summary>
    [Theory]
    [InlineData("常委会请假", "不是", Declined)]
    [InlineData("常委会请假", "不对", Declined)]
    [InlineData("常委会请假", "不是这个会", Declined)]
    [InlineData("常委会请假", "搞错了", Declined)]
    [InlineData("常委会我去不了", "不是这个会议", Declined)]
    [InlineData("常委会请假", "算了", "好的，已退出“会议请假”。")]
    [InlineData("常委会请假", "取消", "好的，已退出“会议请假”。")]
    public async Task No_AtTheLeaveReason_SubmitsNothing_AndSaysHowToStartAgain(string request, string no, string expected)
    {
        await Wang.SendAsync(request);

        var reply = await Wang.AskAsync(no);
        var next = await Wang.AskAsync("1");

        Assert.Equal(expected, reply);
        Assert.DoesNotContain("事由", next, StringComparison.Ordinal);
        Assert.Null(await _host.ParticipationAsync("MT-2027-03", "M001"));
    }

    private const string Declined = "好的，没有提交【区政协一届常委会第二十六次会议】（2027年3月25日（周四）09:00）的请假申请。要为其他会议请假，请重新发送并说明是哪个会议，如“常委会请假”。";

    /// <summary>A category said with a no is taken only when it is the one meant: "不是因事" names none.</summary>
    [Theory]
    [InlineData("不是因事", null)]
    [InlineData("不是因病，是因事", LeaveReason.Personal)]
    [InlineData("不是，公务", LeaveReason.Official)]
    public async Task ACategorySaidWithANo_AtTheLeaveReason(string words, LeaveReason? reason)
    {
        await Wang.SendAsync("常委会请假");

        var reply = await Wang.AskAsync(words);

        Assert.Equal(reason is { } r ? $"事由：{r.ToLabel()}。\n{MeetingTexts.AskLeaveNote}" : MeetingTexts.AskLeaveReasonAgain, reply);
    }

    [Theory]
    [InlineData("我要提交社情民意", "涉密")]
    [InlineData("报名大运河视察", "报名成功")]
    public async Task ANewRequest_AtTheLeaveNote_IsTakenUp_AndTheLeaveIsNotSubmitted(string request, string expected)
    {
        await Wang.SendAsync("常委会请假 因事");

        var replies = await Wang.SendAsync(request);

        Assert.Contains(expected, replies[0], StringComparison.Ordinal);
        Assert.Equal(Linping.CppccBot.Features.Meetings.MeetingTexts.LeaveNotSubmitted, replies[^1]);
        Assert.Null(await _host.ParticipationAsync("MT-2027-03", "M001"));
    }

    [Fact]
    public async Task QuXiao_AskedWhichSignUpToCancel_IsAskedAbout_NotTakenAsLeaving()
    {
        await Wang.SendAsync("报名大运河");
        Assert.Contains("您要取消报名的是这个会议吗？", await Wang.AskAsync("取消报名"), StringComparison.Ordinal);

        var ask = await Wang.AskAsync("取消");
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-2027-04", "M001"))?.Status);
        var done = await Wang.AskAsync("是");

        Assert.Equal("是要取消这个会议的报名吗？请回复“是”确认，回复“不是”放弃。", ask);
        Assert.Contains("已取消", done, StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.Cancelled, (await _host.ParticipationAsync("MT-2027-04", "M001"))?.Status);
    }

    [Fact]
    public async Task WhichCanISignUpFor_ListsOnlyTheMeetingsOpenForSignUp()
    {
        var reply = await Wang.AskAsync("有哪些活动可以报名");

        Assert.Contains("大运河临平段文化遗产保护视察", reply, StringComparison.Ordinal);
        Assert.Contains("小微园区安全管理", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("常委会", reply, StringComparison.Ordinal);
        Assert.Contains("常委会", await Wang.AskAsync("最近有什么会议"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TakingBackALeaveRequest_WhenThereIsNone_SaysSo()
    {
        Assert.StartsWith("您目前没有待审批或已批准的请假申请，无需撤回。", await Wang.AskAsync("我不请假了"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("报名大运河", "报名成功")]
    [InlineData("我要提交社情民意", "涉密")]
    [InlineData("查提案12号", "一届五次第0012号")]
    public async Task ANewRequest_WhileTheLeaveReasonIsAsked_LeavesTheLeaveUnsubmitted_AndSaysSo(string request, string expected)
    {
        Assert.Contains("1 因病　2 因事　3 公务", await Wang.AskAsync("常委会请假"), StringComparison.Ordinal);

        var replies = await Wang.SendAsync(request);

        Assert.Contains(expected, replies[0], StringComparison.Ordinal);
        Assert.Equal(Linping.CppccBot.Features.Meetings.MeetingTexts.LeaveNotSubmitted, replies[^1]);
        Assert.Null(await _host.ParticipationAsync("MT-2027-03", "M001"));
    }

    [Fact]
    public async Task ALookUp_WhileTheLeaveNoteIsAsked_SaysTheLeaveWasNotSubmitted()
    {
        await Wang.SendAsync("常委会我请个假，单位有事");

        var replies = await Wang.SendAsync("我的会议");

        Assert.Contains("指定出席", replies[0], StringComparison.Ordinal);
        Assert.Equal(Linping.CppccBot.Features.Meetings.MeetingTexts.LeaveNotSubmitted, replies[^1]);
        Assert.Null(await _host.ParticipationAsync("MT-2027-03", "M001"));
    }

    [Theory]
    [InlineData("不请了")]
    [InlineData("不请假了")]
    public async Task ChangingOnesMind_InTheLeaveDialog_SubmitsNothing(string words)
    {
        await Wang.SendAsync("常委会请假");

        Assert.Equal("好的，没有提交请假申请，请按时出席。", await Wang.AskAsync(words));
        Assert.Null(await _host.ParticipationAsync("MT-2027-03", "M001"));
    }

    [Fact]
    public async Task ANewRequest_WhileChoosingAMeeting_IsTakenUp()
    {
        Assert.Contains("您要请假的是这个会议吗？", await Wang.AskAsync("我要请假"), StringComparison.Ordinal);

        var replies = await Wang.SendAsync("报名大运河");

        Assert.Contains("报名成功", replies[0], StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.SignedUp, (await _host.ParticipationAsync("MT-2027-04", "M001"))?.Status);

        // What was left undone is said, not dropped silently.
        Assert.Equal(MeetingTexts.LeaveNotSubmitted, replies[^1]);
    }

    [Fact]
    public async Task ASignUpLeftUnconfirmed_ForAnotherRequest_IsSaidToBeUndone()
    {
        Assert.StartsWith("请问您要报名哪个会议？", await Wang.AskAsync("我要报名"), StringComparison.Ordinal);

        var replies = await Wang.SendAsync("我的提案");

        Assert.Equal("（刚才的报名还没有完成。需要时请重新发送，如“报名 1”。）", replies[^1]);
        Assert.Equal(0, await _host.ParticipationCountAsync());
    }

    [Fact]
    public async Task SeveralListNumbers_AreTakenOneAtATime_AndTheListKeepsItsNumbers()
    {
        await Wang.AskAsync("最近有什么会议");

        var reply = await Wang.AskAsync("报名 1、4");

        Assert.Equal("请一次办理一个会议：先发送“报名 1”，办好后再发送“报名 4”。", reply);
        Assert.Equal(0, await _host.ParticipationCountAsync());
        Assert.Contains("大运河临平段文化遗产保护视察", await Wang.AskAsync("报名 4"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SigningUp_ForAMeetingOnApprovedLeave_SaysTheLeaveStands()
    {
        var staff = await LeaveRequestsListedAsync(Wang);
        await staff.AskAsync("批准 1");

        var reply = await Wang.AskAsync("报名第二十六次常委会");

        Assert.StartsWith("您【区政协一届常委会第二十六次会议】", reply, StringComparison.Ordinal);
        Assert.Contains("的请假已获批准。如能出席，请联系区政协办公室说明", reply, StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.LeaveApproved, (await _host.ParticipationAsync("MT-2027-03", "M001"))?.Status);
    }

    [Theory]
    [InlineData("常委会我来不了了，家里有事")]
    [InlineData("常委会那天我来不了了")]
    [InlineData("常委会请假，身体不舒服")]
    public async Task CannotAttend_AMeetingOnApprovedLeave_SaysTheLeaveStands_InsteadOfOfferingItAgain(string text)
    {
        var staff = await LeaveRequestsListedAsync(Wang);
        await staff.AskAsync("批准 1");

        var reply = await Wang.AskAsync(text);
        var yes = await Wang.AskAsync("是");

        Assert.Equal("您【区政协一届常委会第二十六次会议】（2027年3月25日（周四）09:00）的请假已获批准，无需再次申请。", reply);
        Assert.DoesNotContain("请假", yes, StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.LeaveApproved, (await _host.ParticipationAsync("MT-2027-03", "M001"))?.Status);
        Assert.Equal(2, (await _host.ChangesAsync("MT-2027-03", "M001")).Count);
    }

    [Fact]
    public async Task TheNextWordsAfterARefusedLeave_GetWhatCanBeDoneInstead_NotTheMenu()
    {
        var now = _host.Time.GetUtcNow();
        await _host.UpdateMeetingAsync("MT-2027-03", m => (m.StartsAt, m.EndsAt) = (now.AddMinutes(-10), now.AddHours(2)));

        var started = await Wang.AskAsync("常委会请假");
        var reason = await Wang.AskAsync("因病");
        var again = await Wang.AskAsync("因病");
        await Wang.AskAsync("大运河视察请假");
        var what = await Wang.AskAsync("那怎么办");

        Assert.Contains("已经开始或结束，无法再请假", started, StringComparison.Ordinal);
        Assert.Equal("关于刚才的请假：【区政协一届常委会第二十六次会议】（2026年11月27日（周五）08:50）已经开始或结束，请假无法在这里办理了。确有特殊情况，请直接联系区政协办公室说明。", reason);
        Assert.StartsWith("抱歉，没太明白您的意思。", again, StringComparison.Ordinal);
        Assert.Equal("关于刚才的请假：【大运河临平段文化遗产保护视察】（2027年5月12日（周三）08:30）是自愿报名的活动，您没有报名，不参加也无需办理任何手续。", what);
        Assert.Null(await _host.ParticipationAsync("MT-2027-03", "M001"));
    }

    [Fact]
    public async Task CheckIn_FromOfficeStaff_SaysWhoChecksInWhom_NotThatItIsForMembers()
    {
        var organiser = await _host.Member("lims").AskAsync("签到");

        Assert.Equal("签到由会务工作人员在会场为到会委员登记，工作人员本人无需签到。查看某个会议的签到情况，请发送“报名情况 会议名称”，如“报名情况 常委会”。", organiser);
    }

    [Fact]
    public async Task LeaveReview_IsNotOpenToMembers()
    {
        await Wang.SendAsync("常委会请假因病");
        await Wang.SendAsync("无");

        Assert.Equal(MeetingTextsStaffOnly, await Wang.AskAsync("请假审批"));
        Assert.Equal(MeetingTextsStaffOnly, await Wang.AskAsync("批准 1"));
        Assert.Equal(ParticipationStatus.LeavePending, (await _host.ParticipationAsync("MT-2027-03", "M001"))?.Status);
    }

    [Fact]
    public async Task MyMeetings_WithNothing_SaysSo_AndStaffWhoAreNotMembersSeeAllMeetingsButCannotSignUp()
    {
        Assert.Contains("指定出席", await Wang.AskAsync("我的会议"), StringComparison.Ordinal);
        var staff = _host.Member("lims");
        Assert.Contains("共4场", await staff.AskAsync("最近有什么会议"), StringComparison.Ordinal);
        Assert.Contains("仅面向政协委员", await staff.AskAsync("报名大运河"), StringComparison.Ordinal);
    }

    private const string MeetingTextsStaffOnly = Linping.CppccBot.Features.Meetings.MeetingTexts.StaffOnly;
}
