using Linping.CppccBot.Features.Meetings;
using Linping.CppccBot.Persistence.Entities;

namespace Linping.CppccBot.Tests.Features.Meetings;

/// <summary>Which meetings a member's words name, among meetings of the demo data's kind.</summary>
public sealed class MeetingMatcherTests
{
    private static readonly Meeting TwentySixth = New("MT-26", "区政协一届常委会第二十六次会议", MeetingType.StandingCommittee);
    private static readonly Meeting TwentySeventh = New("MT-27", "区政协一届常委会第二十七次会议", MeetingType.StandingCommittee);
    private static readonly Meeting Reading = New("MT-READ", "委员读书会", MeetingType.StudioActivity);
    private static readonly Meeting Canal = New("MT-CANAL", "大运河临平段文化遗产保护视察", MeetingType.Inspection);
    private static readonly Meeting[] All = [Reading, TwentySixth, TwentySeventh, Canal];

    [Fact]
    public void AMeetingNamedLateInALongMessage_IsTheOneFound()
    {
        var words = string.Concat(Enumerable.Repeat("我是陈晓燕委员，最近身体一直不太好，医生说要多休息，", 3)) + "所以第二十六次常委会我想请个假";

        Assert.Equal(["MT-26"], MeetingMatcher.MatchPart(words, All, out var length).Select(m => m.Id));
        Assert.True(length >= 5, $"named by {length} characters");
    }

    [Theory]
    [InlineData("二十七次常委会还是想")]
    [InlineData("27次常委会议")]
    public void ASessionNumber_TellsNumberedMeetingsApart(string words) =>
        Assert.Equal(["MT-27"], MeetingMatcher.Match(words, All).Select(m => m.Id));

    [Fact]
    public void OfTheCandidates_OnlyThoseAboutAsGoodAsTheBest_AreOffered() =>
        Assert.Equal(["MT-CANAL"], MeetingMatcher.Match("大运河文化的事情", All).Select(m => m.Id));

    [Fact]
    public void CandidatesAsGoodAsEachOther_AreAllOffered() =>
        Assert.Equal(["MT-26", "MT-27"], MeetingMatcher.Match("常委会议", All).Select(m => m.Id).Order(StringComparer.Ordinal));

    private static Meeting New(string id, string title, MeetingType type) => new()
    {
        Id = id,
        Title = title,
        Type = type,
        StartsAt = DateTimeOffset.UnixEpoch,
        EndsAt = DateTimeOffset.UnixEpoch.AddHours(2),
    };
}
