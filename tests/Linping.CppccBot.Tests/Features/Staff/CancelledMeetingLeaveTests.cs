using System.Net;
using System.Text;
using Linping.CppccBot.Features.Meetings;
using Linping.CppccBot.Persistence.Entities;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Features.Staff;

/// <summary>A leave request still undecided when its meeting was cancelled: nothing waits for a decision any more.</summary>
public sealed class CancelledMeetingLeaveTests : StaffApiHost
{
    [Fact]
    public async Task PendingLeaveOfACancelledMeeting_ReadsMeetingCancelled_NotPending_InCountsExportsAndTheRoster()
    {
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            var meetings = scope.ServiceProvider.GetRequiredService<MeetingService>();
            Assert.Equal(LeaveOutcome.Requested, (await meetings.RequestLeaveAsync("MT-2027-03", "M001", LeaveReason.Illness, null, Ct)).Outcome);
        }

        Assert.Equal(HttpStatusCode.OK, (await PostAsync("/api/admin/meetings/MT-2027-03/cancel")).Response.StatusCode);

        var listed = (await GetAsync("/api/admin/meetings")).EnumerateArray().Single(m => m.GetProperty("id").GetString() == "MT-2027-03");
        Assert.Equal(0, listed.GetProperty("counts").GetProperty("请假待批").GetInt32());
        var detail = await GetAsync("/api/admin/meetings/MT-2027-03");
        Assert.Equal(0, detail.GetProperty("meeting").GetProperty("counts").GetProperty("请假待批").GetInt32());
        var leave = Assert.Single(detail.GetProperty("participations").EnumerateArray());
        Assert.Equal("M001", leave.GetProperty("memberId").GetString());
        Assert.Equal("会议已取消", leave.GetProperty("statusLabel").GetString());

        // A tool reading status finds no request to decide either (approving it is refused with 409).
        Assert.Equal("MeetingCancelled", leave.GetProperty("status").GetString());
        Assert.DoesNotContain("LeavePending", detail.ToString(), StringComparison.Ordinal);

        var signups = Encoding.UTF8.GetString(await Staff.GetByteArrayAsync("/api/admin/meetings/MT-2027-03/signups.csv", Ct));
        Assert.DoesNotContain("请假待批", signups, StringComparison.Ordinal);
        Assert.Contains("王建国,经济界,会议已取消", signups, StringComparison.Ordinal);
        var attendance = Encoding.UTF8.GetString(await Staff.GetByteArrayAsync("/api/admin/meetings/MT-2027-03/attendance.csv", Ct));
        Assert.DoesNotContain("请假待批", attendance, StringComparison.Ordinal);
        Assert.DoesNotContain("未签到", attendance, StringComparison.Ordinal);
        Assert.Contains("王建国,经济界,会议已取消", attendance, StringComparison.Ordinal);

        var roster = await Host.Member("lims").AskAsync("报名情况 MT-2027-03");
        Assert.Contains("（会议已取消）", roster, StringComparison.Ordinal);
        Assert.DoesNotContain("请假待批", roster, StringComparison.Ordinal);
        Assert.DoesNotContain("请假待批", string.Join("\n", await Host.Member("wangjianguo").SendAsync("我的会议")), StringComparison.Ordinal);
        Assert.DoesNotContain("王建国", await Host.Member("lims").AskAsync("请假审批"), StringComparison.Ordinal);

        // Nor is anyone recorded absent from a meeting that did not take place.
        Host.Time.SetUtcNow(DateTimeOffset.Parse("2027-03-26T09:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain("缺席", Encoding.UTF8.GetString(await Staff.GetByteArrayAsync("/api/admin/meetings/MT-2027-03/attendance.csv", Ct)), StringComparison.Ordinal);
    }
}
