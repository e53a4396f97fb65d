using System.Net;
using System.Text.Json;
using Linping.CppccBot.Features.Meetings;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Features.Meetings;
using Linping.CppccBot.Tests.Features.Reminders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Features.Staff;

/// <summary>The meeting lifecycle through the staff API, as members and groups see it on the fake WeCom API.</summary>
public sealed class StaffMeetingTests : StaffApiHost
{
    private const string Title = "关于加快数字经济发展的专题协商会";

    [Fact]
    public async Task ADraft_IsInvisibleToMembers_PublishingSendsTheNoticeToInviteesAndGroups_Once()
    {
        var (created, draft) = await PostAsync("/api/admin/meetings", new
        {
            title = Title,
            type = "ThematicConsultation",
            location = "区政协三楼会议室",
            startsAt = "2026-12-02T14:30:00+08:00",
            endsAt = "2026-12-02T17:00:00+08:00",
            participation = "Mandatory",
            invitees = new[] { "M001", "M002" },
            groups = new[] { "G-ALL" },
        });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = draft.GetProperty("id").GetString()!;
        Assert.Equal("MT-2026-01", id);
        Assert.Equal("草稿", draft.GetProperty("statusLabel").GetString());
        Assert.DoesNotContain(Title, string.Join("\n", await Host.Member("wangjianguo").SendAsync("最近有什么会议")), StringComparison.Ordinal);
        Assert.Equal(0, (await Host.RunRemindersAsync()).Claimed);
        Assert.Empty(WeCom.Messages);

        var (published, body) = await PostAsync($"/api/admin/meetings/{id}/publish");

        Assert.True(published.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal(3, body.GetProperty("notice").GetProperty("sent").GetInt32());
        var send = Assert.Single(WeCom.Sends());
        Assert.Equal(["wangjianguo", "chenxiaoyan"], send.Recipients);
        Assert.Contains($"【会议通知】{Title}", send.Content, StringComparison.Ordinal);
        Assert.Contains("时间：2026年12月2日（周三）14:30—17:00", send.Content, StringComparison.Ordinal);
        Assert.Contains("地点：区政协三楼会议室", send.Content, StringComparison.Ordinal);
        Assert.Contains($"如需请假，请直接回复“请假 {id}”", send.Content, StringComparison.Ordinal);
        var webhook = Assert.Single(WeCom.Webhooks());
        Assert.Equal(ReminderHarness.GroupKey, webhook.WebhookKey);
        Assert.Contains($"【会议通知】{Title}", webhook.Content, StringComparison.Ordinal);
        Assert.DoesNotContain($"请假 {id}", webhook.Content, StringComparison.Ordinal);
        Assert.Contains(Title, string.Join("\n", await Host.Member("wangjianguo").SendAsync("最近有什么会议")), StringComparison.Ordinal);

        var (again, againBody) = await PostAsync($"/api/admin/meetings/{id}/publish");
        await Host.RunRemindersAsync();

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("会议已经发布过了，通知不会重复发送。", againBody.GetProperty("title").GetString());
        Assert.Single(WeCom.Sends());
        Assert.Single(WeCom.Webhooks());
        var changes = await Host.DbAsync(db => db.StateChanges.Where(c => c.EntityType == "Meeting" && c.EntityId == id).OrderBy(c => c.Id).ToListAsync(Ct));
        Assert.Equal([":Draft:staff-api", "Draft:Published:staff-api"], changes.Select(c => $"{c.From}:{c.To}:{c.Actor}"));
    }

    [Fact]
    public async Task AChangeToAnImportedMeeting_TellsOnlyWhomItConcerns_NotEveryoneOfThePublicationAgain()
    {
        // Imported as published (the demo data): nobody was ever sent its publication notice.
        var (same, sameBody) = await PatchAsync("/api/admin/meetings/MT-2027-04", new { capacity = 20 });
        Assert.True(same.StatusCode == HttpStatusCode.OK, sameBody.ToString());
        Assert.Empty(WeCom.Sends());
        Assert.Empty(WeCom.Webhooks());

        await Host.DbAsync(async db =>
        {
            db.Members.Add(new Member { Id = "M009", Name = "赵一鸣", WeComUserId = "zhaoyiming" });
            return await db.SaveChangesAsync(Ct);
        });
        var invitees = new[] { "M001", "M002", "M003", "M004", "M005", "M006", "M007", "M008", "M009" };
        var (added, addedBody) = await PatchAsync("/api/admin/meetings/MT-2027-03", new { invitees });

        Assert.True(added.StatusCode == HttpStatusCode.OK, addedBody.ToString());
        var send = Assert.Single(WeCom.Sends());
        Assert.Equal(["zhaoyiming"], send.Recipients);
        Assert.Contains("【会议通知】", send.Content, StringComparison.Ordinal);
        Assert.Empty(WeCom.Webhooks());
    }

    [Fact]
    public async Task AnInviteeTakenOffAPublishedMeeting_IsToldTheyNeedNotCome_AndGetsNoReminder()
    {
        var (_, draft) = await PostAsync("/api/admin/meetings", new
        {
            title = Title,
            type = "ThematicConsultation",
            startsAt = "2026-12-02T14:30:00+08:00",
            endsAt = "2026-12-02T17:00:00+08:00",
            participation = "Mandatory",
            invitees = new[] { "M001", "M002", "M003" },
            groups = new[] { "G-ALL" },
        });
        var id = draft.GetProperty("id").GetString()!;
        await PostAsync($"/api/admin/meetings/{id}/publish");

        var (changed, body) = await PatchAsync($"/api/admin/meetings/{id}", new { invitees = new[] { "M001", "M003" } });

        Assert.True(changed.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal(1, body.GetProperty("uninvited").GetProperty("sent").GetInt32());
        var sends = WeCom.Sends();
        Assert.Equal(2, sends.Count);
        Assert.Equal(["chenxiaoyan"], sends[1].Recipients);
        Assert.Contains($"【参会安排调整】{Title}", sends[1].Content, StringComparison.Ordinal);
        Assert.Contains("时间：2026年12月2日（周三）14:30—17:00", sends[1].Content, StringComparison.Ordinal);
        Assert.Contains("参会名单已调整，您无需参加本次会议。", sends[1].Content, StringComparison.Ordinal);
        Assert.Single(WeCom.Webhooks());
        Assert.DoesNotContain(Title, string.Join("\n", await Host.Member("chenxiaoyan").SendAsync("最近有什么会议")), StringComparison.Ordinal);

        // The same list again tells nobody; the day before, the reminder goes to those still invited.
        var (same, sameBody) = await PatchAsync($"/api/admin/meetings/{id}", new { invitees = new[] { "M001", "M003" } });
        Assert.True(same.StatusCode == HttpStatusCode.OK, sameBody.ToString());
        Assert.Equal(0, sameBody.GetProperty("uninvited").GetProperty("sent").GetInt32());
        Host.Time.SetUtcNow(DateTimeOffset.Parse("2026-12-01T14:30:00+08:00", System.Globalization.CultureInfo.InvariantCulture));
        await Host.RunRemindersAsync();
        var reminder = Assert.Single(WeCom.Sends(), s => s.Content.Contains("【会议提醒】", StringComparison.Ordinal));
        Assert.Equal(["wangjianguo", "liuzhiqiang"], reminder.Recipients);
        Assert.Equal(3, WeCom.Sends().Count);
    }

    [Fact]
    public async Task AnInviteeTakenOffBeforeAnyoneWasTold_HearsNothing()
    {
        // Imported as published (the demo data): nobody was sent its notice, so nobody is told it is off either.
        var (changed, body) = await PatchAsync("/api/admin/meetings/MT-2027-03", new { invitees = new[] { "M001" } });

        Assert.True(changed.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal(0, body.GetProperty("uninvited").GetProperty("sent").GetInt32());
        Assert.Empty(WeCom.Sends());
    }

    [Fact]
    public async Task TwoRosterEntriesWithOneWeComAccountInAnotherCase_AreSentToOnce_AndPublishingWorks()
    {
        // Stored before accounts were compared without case (an import now refuses it): one WeCom user, two rows.
        await Host.DbAsync(async db =>
        {
            db.Members.Add(new Member { Id = "M900", Name = "王建国（重复）", WeComUserId = "WangJianGuo" });
            return await db.SaveChangesAsync(Ct);
        });
        var (created, draft) = await PostAsync("/api/admin/meetings", new
        {
            title = Title,
            type = "ThematicConsultation",
            startsAt = "2026-12-02T14:30:00+08:00",
            endsAt = "2026-12-02T17:00:00+08:00",
            participation = "Mandatory",
            invitees = new[] { "M001", "M900", "M002" },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, draft.ToString());

        var (published, body) = await PostAsync($"/api/admin/meetings/{draft.GetProperty("id").GetString()}/publish");
        await Host.RunRemindersAsync();

        Assert.True(published.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal(3, body.GetProperty("notice").GetProperty("sent").GetInt32());
        var send = Assert.Single(WeCom.Sends());
        Assert.Equal(2, send.Recipients.Count);
        Assert.Contains("chenxiaoyan", send.Recipients);
        Assert.Single(send.Recipients, r => string.Equals(r, "wangjianguo", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task AMeetingPublishedInsideAReminderWindow_GetsNoReminderForThatWindowOnTopOfTheNotice_OnlyTheNextOne()
    {
        var local = Host.Time.GetUtcNow().ToOffset(TimeSpan.FromHours(8));
        var soon = await CreatePublishedAsync(new
        {
            title = "临时增加的界别协商座谈",
            type = "ThematicConsultation",
            startsAt = local.AddMinutes(110),
            endsAt = local.AddMinutes(200),
            participation = "Mandatory",
            invitees = new[] { "M001", "M002" },
            groups = new[] { "G-ALL" },
        });
        var tomorrow = await CreatePublishedAsync(new
        {
            title = Title,
            type = "ThematicConsultation",
            startsAt = local.AddHours(23),
            endsAt = local.AddHours(25),
            participation = "Mandatory",
            invitees = new[] { "M001", "M002" },
            groups = new[] { "G-ALL" },
        });
        Assert.Equal(2, WeCom.Sends().Count);
        Assert.Equal(2, WeCom.Webhooks().Count);

        Host.Time.Advance(TimeSpan.FromMinutes(1));
        await RunMinuteJobAsync();
        Host.Time.Advance(TimeSpan.FromMinutes(30));
        await RunMinuteJobAsync();

        Assert.Equal(2, WeCom.Sends().Count);
        Assert.Equal(2, WeCom.Webhooks().Count);
        var ledger = await Host.DbAsync(db => db.ReminderDeliveries.Where(r => r.MeetingId == soon || r.MeetingId == tomorrow).Select(r => r.Kind).Distinct().ToListAsync(Ct));
        Assert.Equal([ReminderDelivery.PublishedKind], ledger);

        // The next window of the meeting published a day ahead did begin after its notice: that reminder goes out.
        Host.Time.SetUtcNow(local.AddHours(21).AddMinutes(1));
        await RunMinuteJobAsync();

        var reminder = Assert.Single(WeCom.Sends().Skip(2));
        Assert.Contains("【会议提醒】", reminder.Content, StringComparison.Ordinal);
        Assert.Contains(Title, reminder.Content, StringComparison.Ordinal);
        Assert.Equal(["wangjianguo", "chenxiaoyan"], reminder.Recipients);
    }

    [Fact]
    public async Task SignUpsArrive_AndAChangeOfTime_IsAnnounced_AndTheRemindersFollowTheNewTime()
    {
        var id = await CreatePublishedAsync(new
        {
            title = Title,
            type = "ThematicConsultation",
            startsAt = "2026-11-30T09:00:00+08:00",
            endsAt = "2026-11-30T11:00:00+08:00",
            capacity = 30,
            participation = "OpenSignup",
            invitees = new[] { "*" },
            groups = new[] { "G-ALL" },
        });
        Assert.Equal(8, Assert.Single(WeCom.Sends()).Recipients.Count);
        var chen = Host.Member("chenxiaoyan");
        await chen.SendAsync("最近有什么会议");
        Assert.Contains("报名成功", await chen.AskAsync("报名 1"), StringComparison.Ordinal);

        var list = await GetAsync("/api/admin/meetings");
        var listed = list.EnumerateArray().Single(m => m.GetProperty("id").GetString() == id);
        Assert.Equal(1, listed.GetProperty("counts").GetProperty("已报名").GetInt32());
        var detail = await GetAsync($"/api/admin/meetings/{id}");
        var signUp = Assert.Single(detail.GetProperty("participations").EnumerateArray());
        Assert.Equal(("M002", "陈晓燕", "已报名"), (signUp.GetProperty("memberId").GetString(), signUp.GetProperty("memberName").GetString(), signUp.GetProperty("statusLabel").GetString()));

        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/admin/meetings/{id}")
        {
            Content = JsonContent(new { startsAt = "2026-12-01T14:00:00+08:00", endsAt = "2026-12-01T16:00:00+08:00" }),
        };
        var changed = await Staff.SendAsync(patch, Ct);

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(2, WeCom.Sends().Count);
        Assert.Contains($"【会议变更通知】{Title}", WeCom.Sends()[1].Content, StringComparison.Ordinal);
        Assert.Contains("时间：2026年12月1日（周二）14:00—16:00", WeCom.Sends()[1].Content, StringComparison.Ordinal);
        Assert.Contains("时间由2026年11月30日（周一）09:00—11:00改为2026年12月1日（周二）14:00—16:00。\n变更后的安排如下：", WeCom.Sends()[1].Content, StringComparison.Ordinal);
        Assert.Contains("已报名的委员无需重新报名", WeCom.Sends()[1].Content, StringComparison.Ordinal);
        Assert.Equal(2, WeCom.Webhooks().Count);

        // The day before the old time nothing is due any more; the day before the new time the signed-up member is reminded.
        Host.Time.SetUtcNow(DateTimeOffset.Parse("2026-11-29T09:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, (await Host.RunRemindersAsync()).Claimed);
        Host.Time.SetUtcNow(DateTimeOffset.Parse("2026-11-30T14:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture));
        await Host.RunRemindersAsync();

        Assert.Equal(3, WeCom.Sends().Count);
        Assert.Equal(["chenxiaoyan"], WeCom.Sends()[2].Recipients);
        Assert.Contains("【会议提醒】", WeCom.Sends()[2].Content, StringComparison.Ordinal);
        Assert.Contains("2026年12月1日（周二）14:00", WeCom.Sends()[2].Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LiftingTheSeatLimit_IsSaidAsSuch_AndAPassedDeadlineIsNoInvitationToSignUp()
    {
        var (lifted, liftedBody) = await PatchAsync("/api/admin/meetings/MT-2027-04", new { capacity = (int?)null });

        Assert.True(lifted.StatusCode == HttpStatusCode.OK, liftedBody.ToString());
        var notice = WeCom.Sends()[0].Content;
        Assert.Contains("名额由20人改为不限。", notice, StringComparison.Ordinal);
        Assert.Contains("名额：不限", notice, StringComparison.Ordinal);

        WeCom.ClearMessages();
        var deadline = Host.Time.GetUtcNow().AddHours(1);
        await PatchAsync("/api/admin/meetings/MT-2027-04", new { signupDeadline = deadline.ToString("o", System.Globalization.CultureInfo.InvariantCulture) });
        Host.Time.Advance(TimeSpan.FromHours(2));
        await PatchAsync("/api/admin/meetings/MT-2027-04", new { location = "区政协五楼会议室" });

        var moved = WeCom.Sends()[^1].Content;
        Assert.Contains("地点由“", moved, StringComparison.Ordinal);
        Assert.Contains("”改为“区政协五楼会议室”。", moved, StringComparison.Ordinal);
        Assert.Contains("（已截止）", moved, StringComparison.Ordinal);
        Assert.Contains("报名已截止，已报名的委员请按以上安排参加。", moved, StringComparison.Ordinal);
        Assert.DoesNotContain("如需参加，请直接回复", moved, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_SendsOneCancellationNotice_AndTheMeetingCannotBeCancelledOrChangedAgain()
    {
        var (cancelled, body) = await PostAsync("/api/admin/meetings/MT-2027-03/cancel");
        await Host.RunRemindersAsync();
        await Host.RunRemindersAsync();
        var (again, _) = await PostAsync("/api/admin/meetings/MT-2027-03/cancel");
        var (change, _) = await PutAsync("/api/admin/meetings/MT-2027-03", new { location = "别处" });

        Assert.True(cancelled.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal("已取消", body.GetProperty("meeting").GetProperty("statusLabel").GetString());
        var send = Assert.Single(WeCom.Sends());
        Assert.Equal(8, send.Recipients.Count);
        Assert.Contains("liuzhiqiang", send.Recipients);
        Assert.Contains("【会议取消通知】", send.Content, StringComparison.Ordinal);
        Assert.Single(WeCom.Webhooks());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, change.StatusCode);
        var title = await Host.DbAsync(db => db.Meetings.Where(m => m.Id == "MT-2027-03").Select(m => m.Title).SingleAsync(Ct));
        Assert.DoesNotContain(title, string.Join("\n", await Host.Member("liuzhiqiang").SendAsync("最近有什么会议")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancellingAFullMeeting_TellsItsWaitlistToo_NotThoseWhoCancelled()
    {
        await AddMeetingWithSeatsAsync("MT-FULL", seats: 1, signedUp: ["M001"], invitees: ["M001", "M002", "M003", "M004"]);
        Assert.Contains("名额已满", await Host.Member("chenxiaoyan").AskAsync("报名 MT-FULL"), StringComparison.Ordinal);
        Assert.Contains("候补第1位", await Host.Member("chenxiaoyan").AskAsync("是"), StringComparison.Ordinal);
        await Host.Member("liuzhiqiang").SendAsync("报名 MT-FULL");
        await Host.Member("liuzhiqiang").SendAsync("是");
        await Host.Member("liuzhiqiang").SendAsync("取消候补");
        await Host.Member("liuzhiqiang").SendAsync("是");
        Assert.Equal(ParticipationStatus.Cancelled, (await Host.DbAsync(db => db.Participations.SingleAsync(p => p.MeetingId == "MT-FULL" && p.MemberId == "M003", Ct))).Status);

        var (cancelled, body) = await PostAsync("/api/admin/meetings/MT-FULL/cancel");
        await Host.RunRemindersAsync();

        Assert.True(cancelled.StatusCode == HttpStatusCode.OK, body.ToString());
        var send = Assert.Single(WeCom.Sends());
        Assert.Contains("【会议取消通知】", send.Content, StringComparison.Ordinal);
        Assert.Equal(["chenxiaoyan", "wangjianguo"], send.Recipients.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ApprovingLeave_TellsTheMember_AndRejectingGivesTheReason()
    {
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            var meetings = scope.ServiceProvider.GetRequiredService<MeetingService>();
            Assert.Equal(LeaveOutcome.Requested, (await meetings.RequestLeaveAsync("MT-2027-03", "M001", LeaveReason.Illness, null, Ct)).Outcome);
            Assert.Equal(LeaveOutcome.Requested, (await meetings.RequestLeaveAsync("MT-2027-03", "M002", LeaveReason.Personal, null, Ct)).Outcome);
        }

        var pending = await GetAsync("/api/admin/leave");
        Assert.Equal(["M001 王建国:因病", "M002 陈晓燕:因事"], pending.EnumerateArray().Select(l => $"{l.GetProperty("memberId").GetString()} {l.GetProperty("memberName").GetString()}:{l.GetProperty("reason").GetString()}"));

        var (approved, approvedBody) = await PostAsync("/api/admin/meetings/MT-2027-03/leave/M001/approve");
        var (rejected, _) = await PostAsync("/api/admin/meetings/MT-2027-03/leave/M002/reject", new { reason = "本次会议需全体出席" });
        var (twice, twiceBody) = await PostAsync("/api/admin/meetings/MT-2027-03/leave/M001/reject");
        var (none, _) = await PostAsync("/api/admin/meetings/MT-2027-03/leave/M003/approve");

        Assert.True(approved.StatusCode == HttpStatusCode.OK, approvedBody.ToString());
        Assert.Equal("已准假", approvedBody.GetProperty("statusLabel").GetString());
        Assert.Equal("Sent", approvedBody.GetProperty("memberTold").GetString());
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal("该请假申请已处理（已准假）。", twiceBody.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        var sends = WeCom.Sends();
        Assert.Equal(2, sends.Count);
        Assert.Equal(["wangjianguo"], sends[0].Recipients);
        Assert.Contains("的请假申请已批准", sends[0].Content, StringComparison.Ordinal);
        Assert.Equal(["chenxiaoyan"], sends[1].Recipients);
        Assert.Contains("未获批准，原因：本次会议需全体出席", sends[1].Content, StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.LeaveApproved, (await Host.DbAsync(db => db.Participations.SingleAsync(p => p.MeetingId == "MT-2027-03" && p.MemberId == "M001", Ct))).Status);
        Assert.Empty((await GetAsync("/api/admin/leave")).EnumerateArray());
    }

    [Fact]
    public async Task RefusedLeave_CanBeApprovedOnReview_TheMemberHearsTheRefusalIsVoid_AndAnApprovalIsFinal()
    {
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            var meetings = scope.ServiceProvider.GetRequiredService<MeetingService>();
            Assert.Equal(LeaveOutcome.Requested, (await meetings.RequestLeaveAsync("MT-2027-03", "M002", LeaveReason.Personal, null, Ct)).Outcome);
        }

        var (rejected, _) = await PostAsync("/api/admin/meetings/MT-2027-03/leave/M002/reject", new { reason = "本次会议需全体出席" });
        var (rejectedAgain, rejectedAgainBody) = await PostAsync("/api/admin/meetings/MT-2027-03/leave/M002/reject");
        var refused = await GetAsync("/api/admin/leave/refused");
        var (reviewed, reviewedBody) = await PostAsync("/api/admin/meetings/MT-2027-03/leave/M002/approve");
        var (overturned, overturnedBody) = await PostAsync("/api/admin/meetings/MT-2027-03/leave/M002/reject", new { reason = "改变主意" });

        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, rejectedAgain.StatusCode);
        Assert.Equal("该请假申请已处理（请假未准）。", rejectedAgainBody.GetProperty("title").GetString());
        Assert.True(reviewed.StatusCode == HttpStatusCode.OK, reviewedBody.ToString());
        Assert.Equal("已准假", reviewedBody.GetProperty("statusLabel").GetString());
        Assert.Equal("Sent", reviewedBody.GetProperty("memberTold").GetString());
        var listed = Assert.Single(refused.EnumerateArray());
        Assert.Equal("M002 陈晓燕 因事 本次会议需全体出席", $"{listed.GetProperty("memberId").GetString()} {listed.GetProperty("memberName").GetString()} {listed.GetProperty("reason").GetString()} {listed.GetProperty("refusalReason").GetString()}");
        Assert.Empty((await GetAsync("/api/admin/leave/refused")).EnumerateArray());
        Assert.Equal(HttpStatusCode.Conflict, overturned.StatusCode);
        Assert.Equal("该请假申请已处理（已准假）。", overturnedBody.GetProperty("title").GetString());
        var sends = WeCom.Sends();
        Assert.Equal(2, sends.Count);
        Assert.All(sends, s => Assert.Equal(["chenxiaoyan"], s.Recipients));
        Assert.Contains("未获批准，原因：本次会议需全体出席", sends[0].Content, StringComparison.Ordinal);
        Assert.Contains("经区政协办公室重新审核，现已批准，此前的不准假通知作废。", sends[1].Content, StringComparison.Ordinal);
        var participation = await Host.DbAsync(db => db.Participations.SingleAsync(p => p.MeetingId == "MT-2027-03" && p.MemberId == "M002", Ct));
        Assert.Equal((ParticipationStatus.LeaveApproved, null), (participation.Status, participation.LeaveDecisionNote));
        var audit = await Host.DbAsync(db => db.StateChanges.Where(c => c.EntityId == "MT-2027-03/M002").OrderBy(c => c.Id).Select(c => c.From + ">" + c.To).ToListAsync(Ct));
        Assert.Equal("LeaveRejected>LeaveApproved", audit[^1]);
    }

    [Fact]
    public async Task LeaveOfACancelledMeeting_IsNoLongerListed_AndDecidingIt_IsRefusedSayingSo_AndTellsNobody()
    {
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            var meetings = scope.ServiceProvider.GetRequiredService<MeetingService>();
            Assert.Equal(LeaveOutcome.Requested, (await meetings.RequestLeaveAsync("MT-2027-03", "M001", LeaveReason.Illness, null, Ct)).Outcome);
            Assert.Equal(LeaveOutcome.Requested, (await meetings.RequestLeaveAsync("MT-2027-03", "M002", LeaveReason.Personal, null, Ct)).Outcome);
        }

        var organiser = Host.Member("lims");
        Assert.Contains("2. 陈晓燕", await organiser.AskAsync("请假审批"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("/api/admin/meetings/MT-2027-03/cancel")).Response.StatusCode);
        WeCom.ClearMessages();

        var (approved, approvedBody) = await PostAsync("/api/admin/meetings/MT-2027-03/leave/M001/approve");
        var (rejected, rejectedBody) = await PostAsync("/api/admin/meetings/MT-2027-03/leave/M002/reject", new { reason = "本次会议需全体出席" });
        var inChat = await organiser.AskAsync("批准 2");

        Assert.Equal(HttpStatusCode.Conflict, approved.StatusCode);
        Assert.Equal("会议已取消，这条请假无需再审批。", approvedBody.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.Conflict, rejected.StatusCode);
        Assert.Equal("会议已取消，这条请假无需再审批。", rejectedBody.GetProperty("title").GetString());
        Assert.Equal("【区政协一届常委会第二十六次会议】（2027年3月25日（周四）09:00）已取消，陈晓燕的这条请假无需再审批。", inChat);
        Assert.Empty(WeCom.Sends());
        Assert.Equal(
            [ParticipationStatus.LeavePending, ParticipationStatus.LeavePending],
            await Host.DbAsync(db => db.Participations.Where(p => p.MeetingId == "MT-2027-03").OrderBy(p => p.MemberId).Select(p => p.Status).ToListAsync(Ct)));
        Assert.Empty((await GetAsync("/api/admin/leave")).EnumerateArray());
        Assert.Equal(MeetingTexts.NoLeavePending, await organiser.AskAsync("请假审批"));
    }

    [Fact]
    public async Task LeaveStillUndecided_WhenTheMeetingStarts_StaysToDecide_MarkedAsLate_AndTheMemberIsTold()
    {
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            var meetings = scope.ServiceProvider.GetRequiredService<MeetingService>();
            Assert.Equal(LeaveOutcome.Requested, (await meetings.RequestLeaveAsync("MT-2027-03", "M001", LeaveReason.Illness, null, Ct)).Outcome);
            Assert.Equal(LeaveOutcome.Requested, (await meetings.RequestLeaveAsync("MT-2027-03", "M002", LeaveReason.Personal, null, Ct)).Outcome);
        }

        var now = Host.Time.GetUtcNow();
        await Host.UpdateMeetingAsync("MT-2027-03", m => (m.StartsAt, m.EndsAt) = (now.AddMinutes(-30), now.AddHours(2)));
        var organiser = Host.Member("lims");

        var listed = await GetAsync("/api/admin/leave");
        var chatList = await organiser.AskAsync("请假审批");
        var (approved, approvedBody) = await PostAsync("/api/admin/meetings/MT-2027-03/leave/M001/approve");
        Host.Time.Advance(TimeSpan.FromHours(3));
        var afterTheEnd = await organiser.AskAsync("请假审批");
        var rejected = await organiser.AskAsync("不批准 1 本次会议需全体出席");

        Assert.Equal(
            ["M001 started:True ended:False", "M002 started:True ended:False"],
            listed.EnumerateArray().Select(l => $"{l.GetProperty("memberId").GetString()} started:{l.GetProperty("meetingStarted").GetBoolean()} ended:{l.GetProperty("meetingEnded").GetBoolean()}"));
        Assert.Contains("1. 王建国　【区政协一届常委会第二十六次会议】（2026年11月27日（周五）08:30）（会议已开始）　因病", chatList, StringComparison.Ordinal);
        Assert.True(approved.StatusCode == HttpStatusCode.OK, approvedBody.ToString());
        Assert.Equal(("已准假", "Sent"), (approvedBody.GetProperty("statusLabel").GetString(), approvedBody.GetProperty("memberTold").GetString()));
        Assert.Contains("1. 陈晓燕　【区政协一届常委会第二十六次会议】（2026年11月27日（周五）08:30）（会议已结束）　因事", afterTheEnd, StringComparison.Ordinal);
        Assert.StartsWith("已不批准陈晓燕", rejected, StringComparison.Ordinal);
        Assert.EndsWith("已通知本人。", rejected, StringComparison.Ordinal);
        var sends = WeCom.Sends();
        Assert.Equal([["wangjianguo"], ["chenxiaoyan"]], sends.Select(s => s.Recipients.ToArray()));
        Assert.Contains("的请假申请已批准", sends[0].Content, StringComparison.Ordinal);
        Assert.Contains("未获批准，原因：本次会议需全体出席。如有疑问请联系区政协办公室。", sends[1].Content, StringComparison.Ordinal);
        Assert.DoesNotContain("请按时出席", sends[1].Content, StringComparison.Ordinal);
        Assert.Equal(
            [ParticipationStatus.LeaveApproved, ParticipationStatus.LeaveRejected],
            await Host.DbAsync(db => db.Participations.Where(p => p.MeetingId == "MT-2027-03").OrderBy(p => p.MemberId).Select(p => p.Status).ToListAsync(Ct)));
        Assert.Empty((await GetAsync("/api/admin/leave")).EnumerateArray());
        Assert.Equal(MeetingTexts.NoLeavePending, await organiser.AskAsync("请假审批"));
    }

    [Fact]
    public async Task AMeetingUnderWay_CannotBeMovedToAnotherTimeOrPlace_ButItsEndCanBeChanged()
    {
        var now = Host.Time.GetUtcNow();
        await Host.UpdateMeetingAsync("MT-2027-03", m => (m.StartsAt, m.EndsAt) = (now.AddMinutes(-10), now.AddHours(2)));

        var (place, placeBody) = await PatchAsync("/api/admin/meetings/MT-2027-03", new { location = "区政协二楼会议室" });
        var (time, _) = await PatchAsync("/api/admin/meetings/MT-2027-03", new { startsAt = now.AddHours(1), endsAt = now.AddHours(3) });
        var (end, endBody) = await PatchAsync("/api/admin/meetings/MT-2027-03", new { endsAt = now.AddHours(3) });

        Assert.Equal(HttpStatusCode.Conflict, place.StatusCode);
        Assert.Equal("会议已开始，不能再修改开始时间或地点；如需临时调整，请直接通知参会委员。", placeBody.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.Conflict, time.StatusCode);
        Assert.True(end.StatusCode == HttpStatusCode.OK, endBody.ToString());
        var stored = await Host.DbAsync(db => db.Meetings.AsNoTracking().SingleAsync(m => m.Id == "MT-2027-03", Ct));
        Assert.Equal(("区政协三楼大会议室", now.AddMinutes(-10), now.AddHours(3)), (stored.Location, stored.StartsAt, stored.EndsAt));
        Assert.Empty(WeCom.Sends());
    }

    [Fact]
    public async Task OtherChangesToAMeetingUnderWay_AreSaved_AndTheAnswerSaysNobodyWasTold_NotThatNoticesWentOut()
    {
        const string id = "MT-SEATS-1";
        await AddMeetingWithSeatsAsync(id, 1, ["M001"], ["M001", "M002"]);
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            Assert.Equal(SignUpOutcome.Waitlisted, (await scope.ServiceProvider.GetRequiredService<MeetingService>().SignUpAsync(id, "M002", joinWaitlist: true, Ct)).Outcome);
        }

        var now = Host.Time.GetUtcNow();
        await Host.UpdateMeetingAsync(id, m => (m.StartsAt, m.EndsAt) = (now.AddMinutes(-10), now.AddHours(2)));
        WeCom.ClearMessages();

        var (changed, body) = await PatchAsync($"/api/admin/meetings/{id}", new { title = "临平区民营经济发展专题调研座谈", capacity = 2, invitees = new[] { "M001", "M002", "M004" } });

        Assert.True(changed.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("notice").ValueKind);
        Assert.Equal("会议已开始，修改已保存，但不再通知委员和群；如需告知，请直接联系参会委员。", body.GetProperty("noticeWithheld").GetString());
        Assert.Equal(0, body.GetProperty("promotedFromWaitlist").GetInt32());
        Assert.Equal("临平区民营经济发展专题调研座谈", body.GetProperty("meeting").GetProperty("title").GetString());
        Assert.Empty(WeCom.Sends());
        Assert.Empty(WeCom.Webhooks());
        Assert.Equal(ParticipationStatus.Waitlisted, (await Host.DbAsync(db => db.Participations.SingleAsync(p => p.MeetingId == id && p.MemberId == "M002", Ct))).Status);
        Assert.DoesNotContain(await Host.LedgerAsync(id), r => r.Kind.StartsWith(ReminderDelivery.ChangedKindPrefix, StringComparison.Ordinal) || r.Kind == ReminderDelivery.PublishedKind);

        // Before the start the same answer has the notice and no such field.
        var (before, beforeBody) = await PatchAsync("/api/admin/meetings/MT-2027-04", new { title = "临平区新型农村集体经济发展视察活动" });
        Assert.True(before.StatusCode == HttpStatusCode.OK, beforeBody.ToString());
        Assert.Equal(JsonValueKind.Object, beforeBody.GetProperty("notice").ValueKind);
        Assert.False(beforeBody.TryGetProperty("noticeWithheld", out var withheld) && withheld.ValueKind != JsonValueKind.Null);
    }

    [Fact]
    public async Task CheckIn_IsRecorded_Once_AndRefusedForUnknownMembersAndUnpublishedMeetings()
    {
        var (early, earlyBody) = await PostAsync("/api/admin/meetings/MT-2027-01/checkins", new { memberId = "M004" });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal("会议在2027年3月18日举行，当天才能签到。", earlyBody.GetProperty("title").GetString());
        Assert.False(await Host.DbAsync(db => db.Participations.AnyAsync(p => p.MeetingId == "MT-2027-01" && p.MemberId == "M004", Ct)));

        // The day of the meeting (14:30), at the door.
        Host.Time.SetUtcNow(DateTimeOffset.Parse("2027-03-18T13:50:00+08:00", System.Globalization.CultureInfo.InvariantCulture));
        var (first, firstBody) = await PostAsync("/api/admin/meetings/MT-2027-01/checkins", new { memberId = "M004" });
        var (second, _) = await PostAsync("/api/admin/meetings/MT-2027-01/checkins", new { memberId = "M004" });
        var (unknown, unknownBody) = await PostAsync("/api/admin/meetings/MT-2027-01/checkins", new { memberId = "M999" });
        var (noMeeting, _) = await PostAsync("/api/admin/meetings/MT-NOPE/checkins", new { memberId = "M004" });
        var (_, draft) = await PostAsync("/api/admin/meetings", new
        {
            title = "委员履职培训",
            type = "Training",
            startsAt = "2027-03-18T15:00:00+08:00",
            endsAt = "2027-03-18T17:00:00+08:00",
            participation = "Mandatory",
            invitees = new[] { "M001" },
        });
        var draftId = draft.GetProperty("id").GetString();
        var (notPublished, notPublishedBody) = await PostAsync($"/api/admin/meetings/{draftId}/checkins", new { memberId = "M001" });
        await PostAsync($"/api/admin/meetings/{draftId}/publish");
        var (notInvited, _) = await PostAsync($"/api/admin/meetings/{draftId}/checkins", new { memberId = "M008" });

        Assert.True(first.StatusCode == HttpStatusCode.OK, firstBody.ToString());
        Assert.Equal("已签到", firstBody.GetProperty("statusLabel").GetString());
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("没有编号为 M999 的委员", unknownBody.GetProperty("errors").GetProperty("memberId")[0].GetString());
        Assert.Equal(HttpStatusCode.NotFound, noMeeting.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, notPublished.StatusCode);
        Assert.Equal("会议尚未发布，不能签到。", notPublishedBody.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.Conflict, notInvited.StatusCode);
        var participation = await Host.DbAsync(db => db.Participations.SingleAsync(p => p.MeetingId == "MT-2027-01" && p.MemberId == "M004", Ct));
        Assert.Equal((ParticipationStatus.CheckedIn, Host.Time.GetUtcNow()), (participation.Status, participation.CheckedInAt));
        Assert.Equal(1, await Host.DbAsync(db => db.StateChanges.CountAsync(c => c.EntityId == "MT-2027-01/M004" && c.To == "CheckedIn", Ct)));
        var detail = await GetAsync("/api/admin/meetings/MT-2027-01");
        Assert.Equal(1, detail.GetProperty("meeting").GetProperty("counts").GetProperty("已签到").GetInt32());

        // At the door of a 指定出席 meeting: checked in, a leave request changes nothing.
        var (_, training) = await PostAsync($"/api/admin/meetings/{draftId}/checkins", new { memberId = "M001" });
        Assert.Equal("已签到", training.GetProperty("statusLabel").GetString());
        Assert.StartsWith("您已在【委员履职培训】", await Host.Member("wangjianguo").AskAsync($"请假 {draftId} 因病"), StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.CheckedIn, (await Host.DbAsync(db => db.Participations.SingleAsync(p => p.MeetingId == draftId && p.MemberId == "M001", Ct))).Status);
    }

    [Fact]
    public async Task BadMeetingInput_Is400NamingTheFields_UnknownIds404_AndNothingIsStored()
    {
        var (bad, body) = await PostAsync("/api/admin/meetings", new
        {
            type = "Party",
            startsAt = "2026-12-02T14:30:00+08:00",
            endsAt = "2026-12-02T12:00:00+08:00",
            participation = "Mandatory",
            invitees = new[] { "M001", "M999" },
        });
        var (past, pastBody) = await PostAsync("/api/admin/meetings", new
        {
            title = Title,
            type = "Other",
            startsAt = "2026-11-20T14:30:00+08:00",
            endsAt = "2026-11-20T16:00:00+08:00",
            participation = "OpenSignup",
            invitees = new[] { "*" },
        });
        var (notJson, _) = await PostAsync("/api/admin/meetings/MT-2027-01/checkins", "not an object");
        var missing = await Staff.GetAsync("/api/admin/meetings/MT-NOPE", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = body.GetProperty("errors");
        Assert.Equal("缺少必填值", errors.GetProperty("title")[0].GetString());
        Assert.StartsWith("未知的取值“Party”", errors.GetProperty("type")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("结束时间必须晚于开始时间 startsAt", errors.GetProperty("endsAt")[0].GetString());
        Assert.Equal("引用了不存在的委员 M999", errors.GetProperty("invitees[1]")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Equal("开始时间不能早于现在", pastBody.GetProperty("errors").GetProperty("startsAt")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal(4, await Host.DbAsync(db => db.Meetings.CountAsync(Ct)));
    }

    private async Task<string> CreatePublishedAsync(object meeting)
    {
        var (created, body) = await PostAsync("/api/admin/meetings", meeting);
        Assert.True(created.StatusCode == HttpStatusCode.Created, body.ToString());
        var id = body.GetProperty("id").GetString()!;
        var (published, publishedBody) = await PostAsync($"/api/admin/meetings/{id}/publish");
        Assert.True(published.StatusCode == HttpStatusCode.OK, publishedBody.ToString());
        return id;
    }

    [Fact]
    public async Task MoreSeats_MoveTheWaitlistUp_InOrder_AndTellThoseWhoGotASeat()
    {
        const string id = "MT-SEATS-1";
        await AddMeetingWithSeatsAsync(id, 1, ["M001"], ["M001", "M002", "M004"]);
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            var meetings = scope.ServiceProvider.GetRequiredService<MeetingService>();
            Assert.Equal(SignUpOutcome.Waitlisted, (await meetings.SignUpAsync(id, "M002", joinWaitlist: true, Ct)).Outcome);
            Assert.Equal(SignUpOutcome.Waitlisted, (await meetings.SignUpAsync(id, "M004", joinWaitlist: true, Ct)).Outcome);
        }

        var (two, twoBody) = await PatchAsync($"/api/admin/meetings/{id}", new { capacity = 2 });

        Assert.True(two.StatusCode == HttpStatusCode.OK, twoBody.ToString());
        Assert.Equal(1, twoBody.GetProperty("promotedFromWaitlist").GetInt32());
        Assert.Equal(
            [("M001", ParticipationStatus.SignedUp, (int?)null), ("M002", ParticipationStatus.SignedUp, null), ("M004", ParticipationStatus.Waitlisted, 1)],
            await Host.DbAsync(db => db.Participations.AsNoTracking().Where(p => p.MeetingId == id).OrderBy(p => p.MemberId)
                .Select(p => ValueTuple.Create(p.MemberId, p.Status, p.WaitlistPosition)).ToListAsync(Ct)));
        Assert.Contains("您已由候补转为“已报名”", Assert.Single(WeCom.Sends(), s => s.Recipients.SequenceEqual(["chenxiaoyan"])).Content, StringComparison.Ordinal);
        Assert.DoesNotContain(WeCom.Sends(), s => s.Recipients.SequenceEqual(["zhanglihua"]));

        var (unlimited, unlimitedBody) = await PatchAsync($"/api/admin/meetings/{id}", new { capacity = (int?)null });

        Assert.True(unlimited.StatusCode == HttpStatusCode.OK, unlimitedBody.ToString());
        Assert.Equal(1, unlimitedBody.GetProperty("promotedFromWaitlist").GetInt32());
        Assert.Equal(ParticipationStatus.SignedUp, (await Host.DbAsync(db => db.Participations.SingleAsync(p => p.MeetingId == id && p.MemberId == "M004", Ct))).Status);
        Assert.Contains("您已由候补转为“已报名”", Assert.Single(WeCom.Sends(), s => s.Recipients.SequenceEqual(["zhanglihua"])).Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASeatForTheWaitlist_IsNoNoticeToEveryone_WhileTheMeetingIsFullAgain()
    {
        const string id = "MT-SEATS-4";
        await AddMeetingWithSeatsAsync(id, 1, ["M001"], ["M001", "M002", "M004"]);
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            var meetings = scope.ServiceProvider.GetRequiredService<MeetingService>();
            Assert.Equal(SignUpOutcome.Waitlisted, (await meetings.SignUpAsync(id, "M002", joinWaitlist: true, Ct)).Outcome);
        }

        var (two, twoBody) = await PatchAsync($"/api/admin/meetings/{id}", new { capacity = 2 });

        Assert.True(two.StatusCode == HttpStatusCode.OK, twoBody.ToString());
        var sends = WeCom.Sends();
        Assert.Contains("您已由候补转为“已报名”", Assert.Single(sends).Content, StringComparison.Ordinal);
        Assert.Equal(["chenxiaoyan"], sends[0].Recipients);

        // A third seat is free: that is news, and the notice says how many seats there are.
        WeCom.ClearMessages();
        await PatchAsync($"/api/admin/meetings/{id}", new { capacity = 3 });
        var notice = Assert.Single(WeCom.Sends());
        Assert.Contains("名额：3人", notice.Content, StringComparison.Ordinal);
        Assert.Contains("zhanglihua", notice.Recipients);
    }

    [Fact]
    public async Task ADraftWhoseSignUpDeadlineHasPassed_IsNotPublished()
    {
        var deadline = Host.Time.GetUtcNow().AddHours(-1).ToString("o", System.Globalization.CultureInfo.InvariantCulture);
        var (created, body) = await PostAsync("/api/admin/meetings", new
        {
            title = "临平区数字经济专题调研",
            type = "Research",
            location = "区政协四楼会议室",
            startsAt = Host.Time.GetUtcNow().AddDays(3).ToString("o", System.Globalization.CultureInfo.InvariantCulture),
            endsAt = Host.Time.GetUtcNow().AddDays(3).AddHours(2).ToString("o", System.Globalization.CultureInfo.InvariantCulture),
            participation = "OpenSignup",
            capacity = 20,
            signupDeadline = deadline,
            invitees = new[] { "*" },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, body.ToString());
        var id = body.GetProperty("id").GetString()!;

        var (refused, refusedBody) = await PostAsync($"/api/admin/meetings/{id}/publish");

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("报名截止时间已过", refusedBody.ToString(), StringComparison.Ordinal);
        Assert.Empty(WeCom.Sends());
        Assert.Equal(MeetingStatus.Draft, (await Host.DbAsync(db => db.Meetings.AsNoTracking().SingleAsync(m => m.Id == id, Ct))).Status);
    }

    [Fact]
    public async Task FewerSeats_ThanMembersSignedUp_AreRefused_AndNothingChanges()
    {
        const string id = "MT-SEATS-3";
        await AddMeetingWithSeatsAsync(id, 3, ["M001", "M002"], ["M001", "M002", "M004"]);
        var location = await Host.DbAsync(db => db.Meetings.Where(m => m.Id == id).Select(m => m.Location).SingleAsync(Ct));

        var (refused, body) = await PatchAsync($"/api/admin/meetings/{id}", new { capacity = 1, location = "区政协三楼会议室" });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("名额不能少于已报名的 2 人", body.GetProperty("errors").GetProperty("capacity")[0].GetString());
        var stored = await Host.DbAsync(db => db.Meetings.AsNoTracking().SingleAsync(m => m.Id == id, Ct));
        Assert.Equal((3, location), (stored.Capacity, stored.Location));
        Assert.Empty(WeCom.Sends());
    }

    [Fact]
    public async Task ASignUp_BetweenMoreSeatsAndTheWaitlistMovingUp_QueuesBehindTheWaitlist()
    {
        const string id = "MT-SEATS-2";
        await AddMeetingWithSeatsAsync(id, 1, ["M001"], ["M001", "M002", "M004"]);
        await using var scope = Host.Services.CreateAsyncScope();
        var meetings = scope.ServiceProvider.GetRequiredService<MeetingService>();
        Assert.Equal(SignUpOutcome.Waitlisted, (await meetings.SignUpAsync(id, "M002", joinWaitlist: true, Ct)).Outcome);

        // The PATCH has saved the second seat; its promotion has not run yet.
        await SetSeatsAsync(id, 2);
        var late = await meetings.SignUpAsync(id, "M004", joinWaitlist: false, Ct);
        var promoted = await meetings.FillFromWaitlistAsync(id, "staff-api", Ct);

        Assert.Equal(SignUpOutcome.Full, late.Outcome);
        Assert.Equal(1, promoted);
        Assert.Equal(ParticipationStatus.SignedUp, (await Host.DbAsync(db => db.Participations.SingleAsync(p => p.MeetingId == id && p.MemberId == "M002", Ct))).Status);
        Assert.False(await Host.DbAsync(db => db.Participations.AnyAsync(p => p.MeetingId == id && p.MemberId == "M004", Ct)));
    }

    [Fact]
    public async Task SeatsAddedOutsideTheApi_GoToTheWaitlist_AtTheNextMinuteJob()
    {
        const string id = "MT-SEATS-3";
        await AddMeetingWithSeatsAsync(id, 1, ["M001"], ["M001", "M002"]);
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            Assert.Equal(SignUpOutcome.Waitlisted, (await scope.ServiceProvider.GetRequiredService<MeetingService>().SignUpAsync(id, "M002", joinWaitlist: true, Ct)).Outcome);
        }

        // What a re-import of the office's file with more seats does: the number changes, nothing else.
        await SetSeatsAsync(id, 5);
        await RunMinuteJobAsync();

        Assert.Equal(ParticipationStatus.SignedUp, (await Host.DbAsync(db => db.Participations.SingleAsync(p => p.MeetingId == id && p.MemberId == "M002", Ct))).Status);
        Assert.Contains("您已由候补转为“已报名”", Assert.Single(WeCom.Sends(), s => s.Recipients.SequenceEqual(["chenxiaoyan"])).Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMisspeltField_IsRefusedByName_AndChangesNothing()
    {
        var (meeting, meetingBody) = await PatchAsync("/api/admin/meetings/MT-2027-03", new { capcity = 40 });
        var (member, memberBody) = await PutAsync("/api/admin/members/M001", new { name = "王建国", wecomUserId = "wangjianguo", mobil = "13800000001" });
        var (status, statusBody) = await PostAsync("/api/admin/proposals/12/status", new { stauts = "Replied" });

        Assert.Equal(HttpStatusCode.BadRequest, meeting.StatusCode);
        Assert.StartsWith("没有这个字段；可用的字段：", meetingBody.GetProperty("errors").GetProperty("capcity")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, member.StatusCode);
        Assert.Contains("mobile", memberBody.GetProperty("errors").GetProperty("mobil")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, status.StatusCode);
        Assert.True(statusBody.GetProperty("errors").TryGetProperty("stauts", out _));
        Assert.Empty(WeCom.Messages);
        Assert.Null((await Host.DbAsync(db => db.Meetings.SingleAsync(m => m.Id == "MT-2027-03", Ct))).Capacity);
    }

    public static TheoryData<string, string, string, string> DuplicateFields => new()
    {
        { "POST", "/api/admin/meetings/MT-2027-03/checkins", """{"memberId":"M001","memberId":"M002"}""", "memberId" },
        { "PATCH", "/api/admin/meetings/MT-2027-03", """{"location":"区政协一楼","Location":"区政协二楼"}""", "Location" },
        { "POST", "/api/admin/meetings", """{"title":"甲","title":"乙"}""", "title" },
        { "PUT", "/api/admin/members/M001", """{"name":"王建国","wecomUserId":"wangjianguo","name":"王建"}""", "name" },
        { "PUT", "/api/admin/groups/G-ALL", """{"name":"全体委员群","dingtalkWebhook":{"accessToken":"abcdefgh12","ACCESSTOKEN":"abcdefgh34"}}""", "dingtalkWebhook.ACCESSTOKEN" },
        { "POST", "/api/admin/meetings/MT-2027-03/leave/M002/reject", """{"reason":"需全体出席","reason":"另有安排"}""", "reason" },
        { "POST", "/api/admin/proposals/12/status", """{"status":"已答复","resultClass":"A","status":"已办结"}""", "status" },
        { "POST", "/api/admin/opinions/SQMY-2025-0001/status", """{"status":"已采用","Status":"未采用"}""", "Status" },
    };

    [Theory]
    [MemberData(nameof(DuplicateFields))]
    public async Task AFieldWrittenTwice_IsA400NamingIt_AndChangesNothing(string method, string path, string json, string field)
    {
        var before = await SnapshotAsync();

        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        var response = await Staff.SendAsync(request, Ct);
        var body = await BodyAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("请求中有无效的字段，未做任何修改。", body.GetProperty("title").GetString());
        Assert.Equal($"字段“{field}”出现了不止一次（字段名不分大小写），请只保留一个。", body.GetProperty("errors").GetProperty(field)[0].GetString());
        Assert.Equal(before, await SnapshotAsync());
        Assert.Empty(WeCom.Messages);
    }

    private Task<string> SnapshotAsync() => Host.DbAsync(async (Linping.CppccBot.Persistence.BotDbContext db) => string.Join(
        "|",
        await db.Meetings.CountAsync(Ct),
        await db.StateChanges.CountAsync(Ct),
        await db.Meetings.Where(m => m.Id == "MT-2027-03").Select(m => m.Location).SingleAsync(Ct),
        await db.Members.Where(m => m.Id == "M001").Select(m => m.Name).SingleAsync(Ct),
        string.Join(",", await db.Participations.OrderBy(p => p.Id).Select(p => p.MemberId + p.Status + p.CheckedInAt + p.LeaveDecisionNote).ToListAsync(Ct)),
        await db.ProposalHistory.CountAsync(Ct),
        await db.OpinionHistory.CountAsync(Ct)));

    private static StringContent JsonContent(object value) =>
        new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");
}
