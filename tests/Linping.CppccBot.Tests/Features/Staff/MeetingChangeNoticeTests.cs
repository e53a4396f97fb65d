using System.Net;
using Linping.CppccBot.LocalChat.FakeWeCom;
using Linping.CppccBot.Tests.Features.Reminders;

namespace Linping.CppccBot.Tests.Features.Staff;

/// <summary>What members read when staff change a meeting.</summary>
public sealed class MeetingChangeNoticeTests : StaffApiHost
{
    private const string Title = "关于加快数字经济发展的专题协商会";
    private const string NewTitle = "关于数字经济高质量发展的专题协商会";

    [Fact]
    public async Task AChangeNotice_SaysWhatItChanged_OldAndNew_AndItsRetryAfterALaterChange_StillDoes()
    {
        var (_, draft) = await PostAsync("/api/admin/meetings", new
        {
            title = Title,
            type = "ThematicConsultation",
            location = "区政协三楼会议室",
            startsAt = "2026-12-02T14:30:00+08:00",
            endsAt = "2026-12-02T17:00:00+08:00",
            participation = "OpenSignup",
            capacity = 30,
            invitees = new[] { "M001" },
            groups = new[] { "G-ALL" },
        });
        var id = draft.GetProperty("id").GetString()!;
        await PostAsync($"/api/admin/meetings/{id}/publish");
        WeCom.ClearMessages();

        // The member's app is busy when the first change goes out: their notice waits for a retry.
        WeCom.InjectFault(FakeWeComFault.RateLimited, endpoint: FakeWeComEndpoint.MessageSend);
        var (renamed, renamedBody) = await PatchAsync($"/api/admin/meetings/{id}", new { title = NewTitle, type = "QingNiLaiXieShang" });

        Assert.True(renamed.StatusCode == HttpStatusCode.OK, renamedBody.ToString());
        Assert.Equal(1, renamedBody.GetProperty("notice").GetProperty("failed").GetInt32());
        var group = Assert.Single(WeCom.Webhooks()).Content;
        Assert.StartsWith($"【会议变更通知】{NewTitle}\n", group, StringComparison.Ordinal);
        Assert.Contains($"会议名称由“{Title}”改为“{NewTitle}”。", group, StringComparison.Ordinal);
        Assert.Contains("会议类型由“专题协商会”改为“请你来协商”。", group, StringComparison.Ordinal);
        Assert.Contains("类型：请你来协商｜自愿报名", group, StringComparison.Ordinal);
        Assert.Empty(WeCom.Sends());

        // Staff then move it to another room; the member hears of that at once.
        var (moved, movedBody) = await PatchAsync($"/api/admin/meetings/{id}", new { location = "区政协五楼会议室" });
        Assert.True(moved.StatusCode == HttpStatusCode.OK, movedBody.ToString());
        var second = Assert.Single(WeCom.Sends()).Content;
        Assert.Contains("地点由“区政协三楼会议室”改为“区政协五楼会议室”。", second, StringComparison.Ordinal);
        Assert.DoesNotContain("会议名称由", second, StringComparison.Ordinal);

        // The retry of the first notice still says what the first change did, and that the arrangement changed since.
        Host.Time.Advance(TimeSpan.FromMinutes(5));
        await RunMinuteJobAsync();

        Assert.Equal(2, WeCom.Sends().Count);
        var retried = WeCom.Sends()[1];
        Assert.Equal(["wangjianguo"], retried.Recipients);
        Assert.Contains($"会议名称由“{Title}”改为“{NewTitle}”。", retried.Content, StringComparison.Ordinal);
        Assert.Contains("此后会议安排又有调整，以下为最新安排：", retried.Content, StringComparison.Ordinal);
        Assert.Contains("地点：区政协五楼会议室", retried.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("地点由", retried.Content, StringComparison.Ordinal);
    }

}
