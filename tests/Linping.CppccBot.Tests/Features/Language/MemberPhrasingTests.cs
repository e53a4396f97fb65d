using System.Globalization;
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
}
