using Linping.CppccBot.Tests.Infrastructure;

namespace Linping.CppccBot.Tests.Conversations;

/// <summary>Two hosts sharing one real Redis: de-duplication and conversations hold across them.</summary>
[Collection(RedisTests.Name)]
public sealed class SharedRedisHostsTests : IDisposable
{
    private readonly BotHostFactory _first;
    private readonly BotHostFactory _second;

    public SharedRedisHostsTests(RedisServerFixture redis)
    {
        redis.RequireServer();
        var prefix = $"shared-{Guid.NewGuid():N}:";
        _first = new BotHostFactory { RedisConfiguration = redis.Configuration, RedisKeyPrefix = prefix }.WithServices(TestSurveyDialog.Register);
        _second = new BotHostFactory { RedisConfiguration = redis.Configuration, RedisKeyPrefix = prefix }.WithServices(TestSurveyDialog.Register);
    }

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
    }

    [Fact]
    public async Task CopiesOfOneMessage_ReachingTwoHostsAtOnce_AreAnsweredOnce()
    {
        var toFirst = new WeComCallbackSender(_first.CreateClient(), _first.Time);
        var toSecond = new WeComCallbackSender(_second.CreateClient(), _second.Time);
        var msgId = WeComCallbackSender.NextMsgId();

        var answers = await Task.WhenAll(
            Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? toFirst : toSecond).SendTextAsync("wangjianguo", "帮助", msgId)));

        Assert.Single(answers, a => a.Reply is not null);
    }

    [Fact]
    public async Task Conversation_ContinuesOnWhicheverHostGetsTheNextMessage()
    {
        var toFirst = new WeComCallbackSender(_first.CreateClient(), _first.Time);
        var toSecond = new WeComCallbackSender(_second.CreateClient(), _second.Time);

        var step1 = await toFirst.SendTextAsync("wangjianguo", "我要提交社情民意");
        var step2 = await toSecond.SendTextAsync("wangjianguo", "关于小区停车难的建议");
        var step3 = await toFirst.SendTextAsync("wangjianguo", "老旧小区车位不足");

        Assert.Contains("标题", step1.ReplyText, StringComparison.Ordinal);
        Assert.Contains("内容", step2.ReplyText, StringComparison.Ordinal);
        Assert.Contains("已记录：关于小区停车难的建议 / 老旧小区车位不足", step3.ReplyText, StringComparison.Ordinal);
    }
}
