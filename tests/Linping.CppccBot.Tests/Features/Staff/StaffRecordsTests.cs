using System.Globalization;
using System.Net;
using Linping.CppccBot.Features.Meetings;
using Linping.CppccBot.Features.Opinions;
using Linping.CppccBot.Features.Reminders;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Features.Reminders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Features.Staff;

/// <summary>Members, staff, groups and proposals upserted one at a time, and the status moves of proposals and 社情民意.</summary>
public sealed class StaffRecordsTests : StaffApiHost
{
    [Fact]
    public async Task AProposalStatusChange_TellsTheProposersOnce_AndWritesHistoryAndStateChange()
    {
        var (noClass, noClassBody) = await PostAsync("/api/admin/proposals/12/status", new { status = "已答复" });
        var (moved, body) = await PostAsync("/api/admin/proposals/12/status", new { status = "已答复", resultClass = "B", note = "区发改局书面答复" });
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            Assert.Equal(0, (await scope.ServiceProvider.GetRequiredService<ProposalNewsDispatcher>().RunAsync(Ct)).Claimed);
        }

        var (backwards, backwardsBody) = await PostAsync("/api/admin/proposals/12/status", new { status = "Submitted" });
        var (unknown, unknownBody) = await PostAsync("/api/admin/proposals/12/status", new { status = "完成" });
        var (missing, _) = await PostAsync("/api/admin/proposals/9999/status", new { status = "Closed" });

        Assert.Equal(HttpStatusCode.BadRequest, noClass.StatusCode);
        Assert.StartsWith("改为“已答复”时请填写答复类别", noClassBody.GetProperty("errors").GetProperty("resultClass")[0].GetString(), StringComparison.Ordinal);
        Assert.True(moved.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal(2, body.GetProperty("proposersTold").GetInt32());
        var sends = WeCom.Sends();
        Assert.Equal(2, sends.Count);
        Assert.Equal(["wangjianguo", "liuzhiqiang"], sends.SelectMany(s => s.Recipients));
        Assert.All(sends, s => Assert.Contains("一届五次第0012号", s.Content, StringComparison.Ordinal));
        Assert.All(sends, s => Assert.Contains("已答复（B 类）", s.Content, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Conflict, backwards.StatusCode);
        Assert.Equal("提案当前为“已答复”，不能改为“已提交”；可改为：Closed（已办结）、Rehandling（重新办理）。", backwardsBody.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.StartsWith("未知的办理状态“完成”", unknownBody.GetProperty("errors").GetProperty("status")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var proposal = await Host.DbAsync(db => db.Proposals.Include(p => p.History).SingleAsync(p => p.Serial == 12, Ct));
        Assert.Equal((ProposalStatus.Replied, AnswerClass.B, Host.Time.GetUtcNow()), (proposal.Status, proposal.ReplyClass, proposal.RepliedAt));
        Assert.Contains(proposal.History, h => h.Status == ProposalStatus.Replied && h.Note == "区发改局书面答复");
        var change = await Host.DbAsync(db => db.StateChanges.SingleAsync(c => c.EntityType == "Proposal" && c.EntityId == "一届五次/12" && c.Actor == "staff-api", Ct));
        Assert.Equal(("InHandling", "Replied"), (change.From, change.To));
    }

    [Fact]
    public async Task TheFrameworksOwnErrors_HaveChineseTitles_AsTheApisOwnDo()
    {
        var unknown = await Staff.GetAsync("/api/admin/nosuch", Ct);
        var wrongMethod = await Staff.DeleteAsync("/api/admin/members", Ct);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("没有这个地址或记录。", (await BodyAsync(unknown)).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal("这个地址不支持该请求方法。", (await BodyAsync(wrongMethod)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task AnOpinionAdopted_AndReportedUpward_TellsTheSubmitter_OtherMovesDoNot()
    {
        string id;
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            id = await scope.ServiceProvider.GetRequiredService<OpinionService>().SubmitAsync(
                "M004", new OpinionDraft("关于增设公交夜班线路的建议", "临平新城晚间公交班次少，建议增设夜班线路，方便市民出行。", null), Ct);
        }

        var (review, _) = await PostAsync($"/api/admin/opinions/{id}/status", new { status = "UnderReview" });
        Assert.DoesNotContain(WeCom.Sends(), s => s.Recipients.Contains("zhanglihua"));
        var (adopted, adoptedBody) = await PostAsync($"/api/admin/opinions/{id}/status", new { status = "已采用" });
        var (upward, _) = await PostAsync($"/api/admin/opinions/{id}/status", new { status = "ReportedUpward" });
        var (back, backBody) = await PostAsync($"/api/admin/opinions/{id}/status", new { status = "Submitted" });

        Assert.Equal(HttpStatusCode.OK, review.StatusCode);
        Assert.True(adopted.StatusCode == HttpStatusCode.OK, adoptedBody.ToString());
        Assert.Equal("Sent", adoptedBody.GetProperty("submitterTold").GetString());
        Assert.Equal(HttpStatusCode.OK, upward.StatusCode);
        var sends = WeCom.Sends().Where(s => s.Recipients.Contains("zhanglihua")).ToList();
        Assert.Equal(2, sends.Count);
        Assert.All(sends, s => Assert.Equal(["zhanglihua"], s.Recipients));
        Assert.Contains($"您报送的《关于增设公交夜班线路的建议》（编号 {id}）已被采用", sends[0].Content, StringComparison.Ordinal);
        Assert.Contains("已报送上级政协", sends[1].Content, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, back.StatusCode);
        Assert.Contains("已是最终状态", backBody.GetProperty("title").GetString(), StringComparison.Ordinal);
        var changes = await Host.DbAsync(db => db.StateChanges.Where(c => c.EntityId == id).OrderBy(c => c.Id).Select(c => c.From + ">" + c.To).ToListAsync(Ct));
        Assert.Equal([">Submitted", "Submitted>UnderReview", "UnderReview>Adopted", "Adopted>ReportedUpward"], changes);
        Assert.Contains("已上报", await Host.Member("zhanglihua").AskAsync("我的社情民意"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneOpinion_IsReadWithItsTextSubmitterAndHistory_AnUnknownIdIsNotFound()
    {
        string id;
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            id = await scope.ServiceProvider.GetRequiredService<OpinionService>().SubmitAsync(
                "M004", new OpinionDraft("关于增设公交夜班线路的建议", "临平新城晚间公交班次少，建议增设夜班线路。", "交通"), Ct);
        }

        Host.Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(HttpStatusCode.OK, (await PostAsync($"/api/admin/opinions/{id}/status", new { status = "审核中", note = "转交通组" })).Response.StatusCode);

        var opinion = await GetAsync($"/api/admin/opinions/{id}");
        var missing = await Staff.GetAsync("/api/admin/opinions/SQMY-1999-0001", Ct);

        Assert.Equal(id, opinion.GetProperty("id").GetString());
        Assert.Equal("临平新城晚间公交班次少，建议增设夜班线路。", opinion.GetProperty("content").GetString());
        Assert.Equal(("交通", "M004", "张丽华"), (opinion.GetProperty("category").GetString(), opinion.GetProperty("submittedBy").GetString(), opinion.GetProperty("submitterName").GetString()));
        Assert.Equal(("UnderReview", "审核中"), (opinion.GetProperty("status").GetString(), opinion.GetProperty("statusLabel").GetString()));
        var history = opinion.GetProperty("history").EnumerateArray().Select(h => (h.GetProperty("status").GetString(), h.GetProperty("note").GetString())).ToList();
        Assert.Equal([("Submitted", null), ("UnderReview", "转交通组")], history);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task MembersStaffGroupsAndProposals_AreUpserted_WithTheImportsValidation()
    {
        var (created, createdBody) = await PutAsync("/api/admin/members/M009", new
        {
            name = "钱国强",
            wecomUserId = "qianguoqiang",
            sector = "经济界",
            committees = new[] { "经济委员会" },
            isStandingMember = false,
            mobile = "13800000009",
        });
        var (taken, takenBody) = await PutAsync("/api/admin/members/M010", new { name = "孙明", wecomUserId = "wangjianguo" });
        var (badRole, badRoleBody) = await PutAsync("/api/admin/staff/S002", new { name = "赵敏", roles = new[] { "MeetingOrganiser", "Boss" } });
        var (group, _) = await PutAsync("/api/admin/groups/G-ECO", new { name = "经济界委员群", wecomWebhookKey = "secret-robot-key" });
        var (proposal, proposalBody) = await PutAsync("/api/admin/proposals/95", new
        {
            number = "一届五次第0095号",
            title = "关于优化营商环境的建议",
            proposers = new[] { "M009", "M001" },
            category = "经济",
            status = "Submitted",
        });

        Assert.True(created.StatusCode == HttpStatusCode.OK, createdBody.ToString());
        Assert.True(createdBody.GetProperty("created").GetBoolean());
        var member = (await GetAsync("/api/admin/members")).EnumerateArray().Single(m => m.GetProperty("id").GetString() == "M009");
        Assert.Equal(("钱国强", "138****0009"), (member.GetProperty("name").GetString(), member.GetProperty("mobile").GetString()));
        Assert.Contains("钱国强", await Host.Member("qianguoqiang").AskAsync("帮助") + string.Join("", await Host.Member("qianguoqiang").SendAsync("我的提案")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, taken.StatusCode);
        Assert.Equal("账号已属于数据库中的委员 M001", takenBody.GetProperty("errors").GetProperty("wecomUserId")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, badRole.StatusCode);
        Assert.StartsWith("未知的角色“Boss”", badRoleBody.GetProperty("errors").GetProperty("roles[1]")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, group.StatusCode);
        var groups = await GetAsync("/api/admin/groups");
        Assert.True(groups.EnumerateArray().Single(g => g.GetProperty("id").GetString() == "G-ECO").GetProperty("hasWecomRobot").GetBoolean());
        Assert.DoesNotContain("secret-robot-key", groups.ToString(), StringComparison.Ordinal);
        Assert.True(proposal.StatusCode == HttpStatusCode.OK, proposalBody.ToString());
        var listed = (await GetAsync("/api/admin/proposals")).EnumerateArray().Single(p => p.GetProperty("serial").GetInt32() == 95);
        Assert.Equal(("已提交", "M009"), (listed.GetProperty("statusLabel").GetString(), listed.GetProperty("proposers")[0].GetString()));
        Assert.False(await Host.DbAsync(db => db.Members.AnyAsync(m => m.Id == "M010", Ct)));
        Assert.False(await Host.DbAsync(db => db.Staff.AnyAsync(s => s.Id == "S002", Ct)));
    }

    [Fact]
    public async Task ControlAndBidiCharacters_AreLeftOutOfWhatStaffSend_AndANameOfOnlyThoseIsMissing()
    {
        var (kept, keptBody) = await PutAsync("/api/admin/members/M092", new { name = "\u0000\u202e<script>alert(1)</script>", wecomUserId = "m092\u200f", sector = "经济界\u2066\u0007" });
        var (empty, emptyBody) = await PutAsync("/api/admin/members/M093", new { name = "\u0000\u202e \u2069\u061c", wecomUserId = "m093" });

        Assert.True(kept.StatusCode == HttpStatusCode.OK, keptBody.ToString());
        var member = await Host.DbAsync(db => db.Members.AsNoTracking().SingleAsync(m => m.Id == "M092", Ct));
        Assert.Equal(("<script>alert(1)</script>", "m092", "经济界"), (member.Name, member.WeComUserId, member.Sector));
        Assert.StartsWith("<script>alert(1)</script>您好", await Host.Member("m092").AskAsync("你好"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(["缺少必填值"], emptyBody.GetProperty("errors").GetProperty("name").EnumerateArray().Select(e => e.GetString()));
        Assert.False(await Host.DbAsync(db => db.Members.AnyAsync(m => m.Id == "M093", Ct)));

        // A data file is read by the same rules; a report's content keeps its line breaks, not the rest.
        var file = """
            {
              "members": [ { "id": "M094", "name": "\u200f张\u0007三\u202c", "wecomUserId": "m094" } ],
              "opinions": [ { "id": "SQMY-2026-0094", "title": "关于\u202e路灯\u0000的建议", "submittedBy": "M094",
                              "content": "第一段\r\n第二段\u202e\u0000", "status": "Submitted", "submittedAt": "2026-11-02T09:00:00+08:00" } ]
            }
            """;
        var (imported, importedBody) = await UploadAsync("data.json", System.Text.Encoding.UTF8.GetBytes(file));
        var (none, noneBody) = await UploadAsync("data.json", System.Text.Encoding.UTF8.GetBytes("""{ "members": [ { "id": "M095", "name": "\u202e\u0000" } ] }"""));

        Assert.True(imported.StatusCode == HttpStatusCode.OK, importedBody.ToString());
        Assert.Equal("张三", await Host.DbAsync(db => db.Members.Where(m => m.Id == "M094").Select(m => m.Name).SingleAsync(Ct)));
        var opinion = await Host.DbAsync(db => db.Opinions.AsNoTracking().SingleAsync(o => o.Id == "SQMY-2026-0094", Ct));
        Assert.Equal(("关于路灯的建议", "第一段\n第二段"), (opinion.Title, opinion.Content));
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Equal(["缺少必填值"], noneBody.GetProperty("errors").GetProperty("members[0] (M095).name").EnumerateArray().Select(e => e.GetString()));
        Assert.False(await Host.DbAsync(db => db.Members.AnyAsync(m => m.Id == "M095", Ct)));
    }

    [Fact]
    public async Task AProposalPut_EditsItsContent_ButMovesItsStatusOnlyThroughTheStatusRoute()
    {
        var before = await Host.DbAsync(db => db.Proposals.AsNoTracking().Include(p => p.History).Include(p => p.Proposers).SingleAsync(p => p.Serial == 12, Ct));
        var record = new
        {
            number = before.Number,
            title = "关于加快数智临平建设的建议（修改）",
            proposers = before.Proposers.OrderBy(p => p.Position).Select(p => p.MemberId).ToArray(),
            category = before.Category,
            status = before.Status.ToString(),
        };

        var (skipped, skippedBody) = await PutAsync("/api/admin/proposals/12", record with { status = "Replied" });
        var stored = before.History.OrderBy(h => h.Id).Select(h => new { status = h.Status.ToString(), at = h.At.ToString("o", CultureInfo.InvariantCulture), note = h.Note }).ToArray();
        var (rewritten, rewrittenBody) = await PutAsync("/api/admin/proposals/12", new { record.number, record.title, record.proposers, record.category, record.status, history = stored.Take(1).ToArray() });
        var (repeated, repeatedBody) = await PutAsync("/api/admin/proposals/12", new { record.number, record.title, record.proposers, record.category, record.status, history = stored });
        var (edited, editedBody) = await PutAsync("/api/admin/proposals/12", record);
        var (created, createdBody) = await PutAsync("/api/admin/proposals/96", new
        {
            number = "一届五次第0096号",
            title = "关于完善社区养老服务的建议",
            proposers = new[] { "M002" },
            status = "Submitted",
        });

        Assert.Equal(HttpStatusCode.Conflict, skipped.StatusCode);
        Assert.StartsWith($"提案当前为“{before.Status.ToLabel()}”。改状态请用 POST /api/admin/proposals/一届五次第0012号/status", skippedBody.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, rewritten.StatusCode);
        Assert.StartsWith("办理过程只能通过 POST /api/admin/proposals/一届五次第0012号/status 逐步记入", rewrittenBody.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.True(stored.Length > 1);
        Assert.True(repeated.StatusCode == HttpStatusCode.OK, repeatedBody.ToString());
        Assert.True(edited.StatusCode == HttpStatusCode.OK, editedBody.ToString());
        Assert.True(created.StatusCode == HttpStatusCode.OK, createdBody.ToString());
        var after = await Host.DbAsync(db => db.Proposals.AsNoTracking().Include(p => p.History).SingleAsync(p => p.Serial == 12, Ct));
        Assert.Equal((before.Status, "关于加快数智临平建设的建议（修改）", before.History.Count), (after.Status, after.Title, after.History.Count));
        Assert.Empty(WeCom.Sends());
        var (evaluated, evaluatedBody) = await PutAsync("/api/admin/proposals/27", await RecordOfAsync(27, evaluation: new { result = "Unsatisfied", at = "2026-11-20T10:00:00+08:00" }));
        var (keptEvaluation, keptBody) = await PutAsync("/api/admin/proposals/27", await RecordOfAsync(27, evaluation: null));
        Assert.Equal(HttpStatusCode.Conflict, evaluated.StatusCode);
        Assert.StartsWith("提案评价由领衔提案人在对话中作出", evaluatedBody.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.True(keptEvaluation.StatusCode == HttpStatusCode.OK, keptBody.ToString());
        Assert.Equal(EvaluationResult.Satisfied, (await Host.DbAsync(db => db.Proposals.SingleAsync(p => p.Serial == 27, Ct))).Evaluation);
        var recorded = await Host.DbAsync(db => db.StateChanges.SingleAsync(c => c.EntityType == "Proposal" && c.EntityId == "一届五次/96", Ct));
        Assert.Equal(((string?)null, "Submitted", "staff-api", (string?)null), (recorded.From, recorded.To, recorded.Actor, recorded.Note));
    }

    [Fact]
    public async Task AMemberTakenOffTheRoster_IsNoLongerKnown_AndTheirSeatGoesToTheWaitlist()
    {
        const string meetingId = "MT-ROSTER-1";
        await Host.AddMeetingAsync(meetingId, Host.Time.GetUtcNow().AddDays(4), ParticipationMode.OpenSignup, ["M001"], ["M001", "M002"]);
        await Host.DbAsync(async db =>
        {
            (await db.Meetings.SingleAsync(m => m.Id == meetingId, Ct)).Capacity = 1;
            return await db.SaveChangesAsync(Ct);
        });
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            var signUp = await scope.ServiceProvider.GetRequiredService<MeetingService>().SignUpAsync(meetingId, "M002", joinWaitlist: true, Ct);
            Assert.Equal(SignUpOutcome.Waitlisted, signUp.Outcome);
        }

        var wang = Host.Member("wangjianguo");
        Assert.Contains("王建国", await wang.AskAsync("帮助"), StringComparison.Ordinal);

        var (off, offBody) = await PostAsync("/api/admin/members/M001/deactivate");
        var (again, againBody) = await PostAsync("/api/admin/members/M001/deactivate");
        var (unknown, _) = await PostAsync("/api/admin/members/M999/deactivate");

        Assert.True(off.StatusCode == HttpStatusCode.OK, offBody.ToString());
        // The waitlisted seat, and the named invitation to the 常委会 (which would count them absent).
        Assert.Equal([meetingId, "MT-2027-03"], offBody.GetProperty("withdrawnFrom").EnumerateArray().Select(m => m.GetString()));
        Assert.False(await Host.DbAsync(db => db.Meetings.AnyAsync(m => m.Invitees.Any(i => i.MemberId == "M001"), Ct)));
        Assert.Equal((HttpStatusCode.OK, false, 0), (again.StatusCode, againBody.GetProperty("changed").GetBoolean(), againBody.GetProperty("withdrawnFrom").GetArrayLength()));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.StartsWith("您好！本助手只为临平区政协委员", await wang.AskAsync("最近有什么会议"), StringComparison.Ordinal);
        var listed = (await GetAsync("/api/admin/members")).EnumerateArray().Single(m => m.GetProperty("id").GetString() == "M001");
        Assert.False(listed.GetProperty("isActive").GetBoolean());
        var own = await Host.DbAsync(db => db.Participations.AsNoTracking().Where(p => p.MeetingId == meetingId).OrderBy(p => p.MemberId).Select(p => p.Status).ToListAsync(Ct));
        Assert.Equal([ParticipationStatus.Cancelled, ParticipationStatus.SignedUp], own);
        Assert.Contains("您已由候补转为“已报名”", Assert.Single(WeCom.Sends(), s => s.Recipients.Contains("chenxiaoyan")).Content, StringComparison.Ordinal);
        var withdrawal = await Host.DbAsync(db => db.StateChanges.AsNoTracking().SingleAsync(c => c.EntityType == "Participation" && c.EntityId.Contains("M001") && c.To == "Cancelled", Ct));
        Assert.Equal(("staff-api", "no longer on the roster"), (withdrawal.Actor, withdrawal.Note));

        var (back, backBody) = await PostAsync("/api/admin/members/M001/reactivate");

        Assert.True(back.StatusCode == HttpStatusCode.OK, backBody.ToString());
        Assert.True(backBody.GetProperty("isActive").GetBoolean());
        Assert.Contains("王建国", await wang.AskAsync("帮助"), StringComparison.Ordinal);
        Assert.Equal(ParticipationStatus.Cancelled, (await Host.DbAsync(db => db.Participations.SingleAsync(p => p.MeetingId == meetingId && p.MemberId == "M001", Ct))).Status);
        var recorded = await Host.DbAsync(db => db.StateChanges.AsNoTracking().Where(c => c.EntityType == "Member" && c.EntityId == "M001").OrderBy(c => c.Id).Select(c => c.To).ToListAsync(Ct));
        Assert.Equal(["Inactive", "Active"], recorded);
    }

    [Fact]
    public async Task AMemberTakenOffTheRoster_IsNotInvitedAgainByAReimport_NorCountedAsExpected()
    {
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            // 常委会 (MT-2027-03) names M001–M008: M002 is on approved leave, M008 leaves the roster.
            var meetings = scope.ServiceProvider.GetRequiredService<MeetingService>();
            Assert.Equal(LeaveOutcome.Requested, (await meetings.RequestLeaveAsync("MT-2027-03", "M002", LeaveReason.Illness, null, Ct)).Outcome);
            var leave = Assert.Single(await meetings.PendingLeaveAsync(Ct));
            Assert.Equal(LeaveDecisionOutcome.Decided, (await meetings.DecideLeaveAsync(leave.ParticipationId, "S001", approve: true, reason: null, Ct)).Outcome);
        }

        Assert.True((await PostAsync("/api/admin/members/M008/deactivate")).Response.IsSuccessStatusCode);
        var (imported, importedBody) = await UploadAsync("linping-demo.json", await File.ReadAllBytesAsync(Repo("data", "linping-demo.json"), Ct));

        Assert.True(imported.IsSuccessStatusCode, importedBody.ToString());
        var invitees = await Host.DbAsync(db => db.Meetings.AsNoTracking().Where(m => m.Id == "MT-2027-03").SelectMany(m => m.Invitees.Select(i => i.MemberId)).ToListAsync(Ct));
        Assert.DoesNotContain("M008", invitees);
        Assert.Equal(7, invitees.Count);
        Assert.Contains("应出席6人（已扣除准假）", await Host.Member("lims").AskAsync("报名情况 常委会"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGroupRobot_MayBeGivenAsItsWholeWebhookAddress_AndAWrongOneIsRefused()
    {
        var (pasted, pastedBody) = await PutAsync("/api/admin/groups/G-ECO", new
        {
            name = "经济界委员群",
            wecomWebhookKey = " https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7f11-4bc4-97a0-0ec2sifa5aaa ",
            dingtalkWebhook = new { accessToken = "https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef0123456789abcdef", secret = "SEC0123456789abcdef" },
        });
        var (wrongHost, wrongHostBody) = await PutAsync("/api/admin/groups/G-X1", new { name = "其他群", wecomWebhookKey = "https://example.com/cgi-bin/webhook/send?key=abcdefgh" });
        var (withText, withTextBody) = await PutAsync("/api/admin/groups/G-X2", new { name = "其他群", wecomWebhookKey = "key=693a91f6 机器人" });
        var (badSecret, badSecretBody) = await PutAsync("/api/admin/groups/G-X3", new { name = "其他群", dingtalkWebhook = new { accessToken = "0123456789abcdef", secret = "my-secret-value" } });

        Assert.True(pasted.StatusCode == HttpStatusCode.OK, pastedBody.ToString());
        var group = await Host.DbAsync(db => db.Groups.AsNoTracking().SingleAsync(g => g.Id == "G-ECO", Ct));
        Assert.Equal(("693a91f6-7f11-4bc4-97a0-0ec2sifa5aaa", "0123456789abcdef0123456789abcdef"), (group.WeComWebhookKey, group.DingTalkAccessToken));
        Assert.Equal(HttpStatusCode.BadRequest, wrongHost.StatusCode);
        Assert.Equal("不是企业微信群机器人的 Webhook 地址（应为 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…）", wrongHostBody.GetProperty("errors").GetProperty("wecomWebhookKey")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, withText.StatusCode);
        Assert.StartsWith("企业微信群机器人的 key 只含字母、数字", withTextBody.GetProperty("errors").GetProperty("wecomWebhookKey")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badSecret.StatusCode);
        Assert.StartsWith("加签密钥应以 SEC 开头", badSecretBody.GetProperty("errors").GetProperty("dingtalkWebhook.secret")[0].GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("my-secret-value", badSecretBody.ToString(), StringComparison.Ordinal);
        Assert.False(await Host.DbAsync(db => db.Groups.AnyAsync(g => g.Id.StartsWith("G-X"), Ct)));
    }

    [Fact]
    public async Task Times_AreWrittenInTheBotsTimeZone_AsTheSameInstants()
    {
        string id;
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            id = await scope.ServiceProvider.GetRequiredService<OpinionService>().SubmitAsync(
                "M004", new OpinionDraft("关于增设公交夜班线路的建议", "临平新城晚间公交班次少，建议增设夜班线路，方便市民出行。", null), Ct);
        }

        var listed = (await GetAsync("/api/admin/opinions")).EnumerateArray().Single(o => o.GetProperty("id").GetString() == id);

        // The test clock stands at 2026-11-27 09:00 in Hangzhou (01:00 UTC).
        Assert.Equal("2026-11-27T09:00:00+08:00", listed.GetProperty("submittedAt").GetString());
        Assert.Equal(Host.Time.GetUtcNow(), listed.GetProperty("submittedAt").GetDateTimeOffset());
    }

    /// <summary>A stored proposal as a PUT body (its number, title, proposers, status), with the evaluation given.</summary>
    private Task<Dictionary<string, object?>> RecordOfAsync(int serial, object? evaluation) => Host.DbAsync(async db =>
    {
        var p = await db.Proposals.AsNoTracking().Include(x => x.Proposers).SingleAsync(x => x.Serial == serial, Ct);
        var body = new Dictionary<string, object?>
        {
            ["number"] = p.Number,
            ["title"] = p.Title,
            ["proposers"] = p.Proposers.OrderBy(x => x.Position).Select(x => x.MemberId).ToArray(),
            ["status"] = p.Status.ToString(),
            ["reply"] = p.ReplyClass is { } c ? new { resultClass = c.ToString(), summary = p.ReplySummary, repliedAt = p.RepliedAt?.ToString("o", System.Globalization.CultureInfo.InvariantCulture) } : null,
        };
        if (evaluation is not null)
        {
            body["evaluation"] = evaluation;
        }

        return body;
    });

    [Fact]
    public async Task AMisspeltFieldInsideANestedObject_IsRefused_AndCommentsAreAllowed()
    {
        using var commented = new StringContent("""
            // the economy group
            { "name": "经济界委员群", "wecomWebhookKey": "693a91f6-7f11-4bc4", }
            """, System.Text.Encoding.UTF8, "application/json");
        var ok = await Staff.PutAsync("/api/admin/groups/G-ECO", commented, Ct);
        var (nested, nestedBody) = await PutAsync("/api/admin/groups/G-X4", new { name = "其他群", dingtalkWebhook = new { accessToken = "0123456789abcdef", secrte = "SEC0123456789abcdef" } });

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, nested.StatusCode);
        Assert.StartsWith("没有这个字段；可用的字段：accessToken、secret", nestedBody.GetProperty("errors").GetProperty("dingtalkWebhook.secrte")[0].GetString(), StringComparison.Ordinal);
        Assert.False(await Host.DbAsync(db => db.Groups.AnyAsync(g => g.Id == "G-X4", Ct)));
    }
}
