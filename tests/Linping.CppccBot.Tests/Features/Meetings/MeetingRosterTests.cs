using Linping.CppccBot.Conversations;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Infrastructure;

namespace Linping.CppccBot.Tests.Features.Meetings;

/// <summary>
/// "报名情况 …" for staff with the MeetingOrganiser or Admin role: counts and names per state for the meeting named by
/// words, id or list number, on both channels; members and other staff are politely refused and see no names.
/// </summary>
public sealed class MeetingRosterTests
{
    public static TheoryData<string> Channels() => [.. ChannelChat.Channels];

    private static Task<int> ArrangeAsync(BotHostFactory host) =>
        host.DbAsync(db =>
        {
            var now = host.Time.GetUtcNow();
            Participation P(string meeting, string member, ParticipationStatus status, int? position = null) =>
                new() { MeetingId = meeting, MemberId = member, Status = status, WaitlistPosition = position, CreatedAt = now, UpdatedAt = now };
            db.Participations.AddRange(
                P("MT-2027-04", "M001", ParticipationStatus.SignedUp),
                P("MT-2027-04", "M002", ParticipationStatus.SignedUp),
                P("MT-2027-04", "M005", ParticipationStatus.Waitlisted, 1),
                P("MT-2027-04", "M006", ParticipationStatus.Cancelled),
                P("MT-2027-03", "M007", ParticipationStatus.LeavePending),
                P("MT-2027-03", "M008", ParticipationStatus.LeaveApproved),
                P("MT-2027-03", "M001", ParticipationStatus.CheckedIn));
            return db.SaveChangesAsync();
        });

    [Theory]
    [MemberData(nameof(Channels))]
    public async Task Staff_SeeCountsAndNamesPerState_ForAMeetingNamedByWords(string channel)
    {
        await using var chat = await ChannelChat.StartAsync(channel);
        await ArrangeAsync(chat.Host);

        var answer = await chat.SayAsync("lims", "报名情况 大运河");

        Assert.Contains("【大运河临平段文化遗产保护视察】（2027年5月12日（周三）08:30）报名情况", answer, StringComparison.Ordinal);
        Assert.Contains("已报名：2人（王建国、陈晓燕）", answer, StringComparison.Ordinal);
        Assert.Contains("候补：1人（周伟）", answer, StringComparison.Ordinal);
        Assert.Contains("请假待批：0人", answer, StringComparison.Ordinal);
        Assert.Contains("已准假：0人", answer, StringComparison.Ordinal);
        Assert.Contains("已签到：0人", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("已取消", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMandatoryMeeting_ShowsLeaveStates_AndHowManyAreExpected_ById()
    {
        await using var chat = await ChannelChat.StartAsync(ChannelNames.WeCom);
        await ArrangeAsync(chat.Host);

        var answer = await chat.SayAsync("lims", "报名情况 MT-2027-03");

        Assert.Contains("出席情况：\n指定出席，应出席7人（已扣除准假）", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("已报名", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("候补", answer, StringComparison.Ordinal);
        Assert.Contains("请假待批：1人（徐海涛）", answer, StringComparison.Ordinal);
        Assert.Contains("已准假：1人（沈佳怡）", answer, StringComparison.Ordinal);
        Assert.Contains("已签到：1人（王建国）", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AmbiguousWords_AskWhich_AndTheNumberAnswers()
    {
        await using var chat = await ChannelChat.StartAsync(ChannelNames.WeCom);
        await ArrangeAsync(chat.Host);

        var question = await chat.SayAsync("lims", "协商会报名情况");
        var answer = await chat.SayAsync("lims", "2");

        Assert.Contains("请问是哪一个", question, StringComparison.Ordinal);
        Assert.Contains("以新质生产力助推生物医药产业高质量发展专题协商会", question, StringComparison.Ordinal);
        Assert.Contains("报名情况：", answer, StringComparison.Ordinal);
        Assert.Contains("已报名：0人", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AListNumber_RefersToTheListTheStaffMemberSaw()
    {
        await using var chat = await ChannelChat.StartAsync(ChannelNames.WeCom);
        await ArrangeAsync(chat.Host);

        await chat.SayAsync("lims", "最近有什么会议");
        var answer = await chat.SayAsync("lims", "报名情况 4");

        Assert.Contains("【大运河临平段文化遗产保护视察】", answer, StringComparison.Ordinal);
        Assert.Contains("已报名：2人", answer, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Channels))]
    public async Task Members_ArePolitelyRefused_AndSeeNoNames(string channel)
    {
        await using var chat = await ChannelChat.StartAsync(channel);
        await ArrangeAsync(chat.Host);

        var answer = await chat.SayAsync("wangjianguo", "大运河视察报名情况");

        Assert.Contains("报名情况仅供会议组织人员查看", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("陈晓燕", answer, StringComparison.Ordinal);
    }
}
