using Linping.CppccBot.Conversations;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Linping.CppccBot.Tests.Conversations;

public abstract class DeliveryDeduplicatorContract
{
    protected abstract IDeliveryDeduplicator Deduplicator { get; }

    protected abstract Task AdvanceAsync(TimeSpan span);

    private static string Conversation { get; } = $"wecom:{Guid.NewGuid():N}:u";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Claim_SucceedsOnce_ForTheSameDelivery()
    {
        var key = $"msg:{Guid.NewGuid():N}";

        Assert.True(await Deduplicator.TryClaimAsync(new DeliveryClaim(Conversation, key, TimeSpan.FromMinutes(5)), Ct));
        Assert.False(await Deduplicator.TryClaimAsync(new DeliveryClaim(Conversation, key, TimeSpan.FromMinutes(5)), Ct));
        Assert.False(await Deduplicator.TryClaimAsync(new DeliveryClaim(Conversation, key, TimeSpan.FromMinutes(5)), Ct));
    }

    [Fact]
    public async Task Claim_LetsExactlyOneOfSimultaneousCopiesThrough()
    {
        var key = $"msg:{Guid.NewGuid():N}";

        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => Deduplicator.TryClaimAsync(new DeliveryClaim(Conversation, key, TimeSpan.FromMinutes(5)), Ct), Ct)));

        Assert.Single(results, r => r);
    }

    [Fact]
    public async Task Claim_KeepsDifferentDeliveriesApart()
    {
        Assert.True(await Deduplicator.TryClaimAsync(new DeliveryClaim(Conversation, $"msg:{Guid.NewGuid():N}", TimeSpan.FromMinutes(5)), Ct));
        Assert.True(await Deduplicator.TryClaimAsync(new DeliveryClaim(Conversation, $"msg:{Guid.NewGuid():N}", TimeSpan.FromMinutes(5)), Ct));
    }

    [Fact]
    public async Task Claim_OfTheSameDeliveryId_InAnotherConversation_IsAnotherDelivery()
    {
        var id = $"msg:{Guid.NewGuid():N}";

        Assert.True(await Deduplicator.TryClaimAsync(new DeliveryClaim("wecom:zhangsan:zhangsan", id, TimeSpan.FromMinutes(5)), Ct));
        Assert.True(await Deduplicator.TryClaimAsync(new DeliveryClaim("dingtalk:zhangsan:zhangsan", id, TimeSpan.FromMinutes(5)), Ct));
        Assert.False(await Deduplicator.TryClaimAsync(new DeliveryClaim("wecom:zhangsan:zhangsan", id, TimeSpan.FromMinutes(5)), Ct));
    }

    [Fact]
    public async Task Claim_SucceedsAgain_AfterTheWindow()
    {
        var key = $"msg:{Guid.NewGuid():N}";
        Assert.True(await Deduplicator.TryClaimAsync(new DeliveryClaim(Conversation, key, TimeSpan.FromSeconds(1)), Ct));

        await AdvanceAsync(TimeSpan.FromSeconds(2));

        Assert.True(await Deduplicator.TryClaimAsync(new DeliveryClaim(Conversation, key, TimeSpan.FromSeconds(1)), Ct));
    }
}

public sealed class InMemoryDeliveryDeduplicatorTests : DeliveryDeduplicatorContract
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-27T09:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture));

    public InMemoryDeliveryDeduplicatorTests() => Deduplicator = new InMemoryDeliveryDeduplicator(_time);

    protected override IDeliveryDeduplicator Deduplicator { get; }

    protected override Task AdvanceAsync(TimeSpan span)
    {
        _time.Advance(span);
        return Task.CompletedTask;
    }
}

[Collection(RedisTests.Name)]
public sealed class RedisDeliveryDeduplicatorTests : DeliveryDeduplicatorContract
{
    public RedisDeliveryDeduplicatorTests(RedisServerFixture redis)
    {
        redis.RequireServer();
        Deduplicator = new RedisDeliveryDeduplicator(redis.Connection, new RedisKeys($"test-{Guid.NewGuid():N}:"));
    }

    protected override IDeliveryDeduplicator Deduplicator { get; }

    protected override Task AdvanceAsync(TimeSpan span) => Task.Delay(span, TestContext.Current.CancellationToken);
}
