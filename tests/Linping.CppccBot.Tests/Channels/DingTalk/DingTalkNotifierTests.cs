using Linping.CppccBot.Features.Notifications;
using Linping.CppccBot.LocalChat.FakeDingTalk;
using Linping.CppccBot.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Channels.DingTalk;

/// <summary>Notifications reach a person on DingTalk when WeCom cannot: no WeCom id, or WeCom failing.</summary>
public sealed class DingTalkNotifierTests : IAsyncLifetime
{
    private DingTalkHost _dingTalk = null!;

    public async ValueTask InitializeAsync() => _dingTalk = await DingTalkHost.StartAsync("Http");

    public async ValueTask DisposeAsync() => await _dingTalk.DisposeAsync();

    [Fact]
    public async Task AMemberWithOnlyADingTalkId_IsNotifiedOnDingTalk()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = _dingTalk.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var member = await db.Members.SingleAsync(m => m.DingTalkUserId == "dt-xuhaitao", ct);
        member.WeComUserId = null;
        await db.SaveChangesAsync(ct);

        var outcome = await scope.ServiceProvider.GetRequiredService<INotifier>().NotifyMemberAsync(member.Id, "您已从候补转为正式报名。", ct);

        Assert.Equal(NotificationOutcome.Sent, outcome);
        var sent = Assert.Single(_dingTalk.Fake.Messages);
        Assert.Equal(FakeDingTalkEndpoint.BatchSend, sent.Endpoint);
        Assert.Equal(["dt-xuhaitao"], sent.StaffIds);
        Assert.Equal("您已从候补转为正式报名。", sent.Text);
    }

    [Fact]
    public async Task WhenWeComCannotBeReached_TheNotificationGoesOnDingTalk_Once()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = _dingTalk.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BotDbContext>();
        var member = await db.Members.SingleAsync(m => m.DingTalkUserId == "dt-wangjianguo", ct);

        // The test host's WeCom API root is a closed port.
        var outcome = await scope.ServiceProvider.GetRequiredService<INotifier>().NotifyMemberAsync(member.Id, "您的请假已批准。", ct);

        Assert.Equal(NotificationOutcome.Sent, outcome);
        Assert.Equal(["dt-wangjianguo"], Assert.Single(_dingTalk.Fake.Messages).StaffIds);
    }
}
