using Linping.CppccBot.Conversations;
using Linping.CppccBot.Tests.Infrastructure;

namespace Linping.CppccBot.Tests.Conversations;

public abstract class ConversationLockContract
{
    protected abstract IConversationLock Lock { get; }

    /// <summary>The store the lock is deployed with.</summary>
    protected abstract IConversationStore Store { get; }

    /// <summary>The de-duplicator the lock is deployed with (it claims a turn's delivery when the sender takes no lock).</summary>
    protected abstract IDeliveryDeduplicator Deduplicator { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Takes the lock with nothing to claim: the lease, or null when another turn held it throughout.</summary>
    protected async Task<ConversationLease?> LeaseAsync(string key, TimeSpan wait)
    {
        var attempt = await Lock.AcquireAsync(key, wait, null, Ct);
        Assert.False(attempt.IsDuplicate);
        return attempt.Lease;
    }

    [Fact]
    public async Task AClaimedDelivery_TakesTheLock_AndIsADuplicateEverAfter_WithoutTakingTheLock()
    {
        var key = $"wecom:u:{Guid.NewGuid():N}";
        var claim = new DeliveryClaim(key, "7300000000000000001", TimeSpan.FromMinutes(5));

        var first = await Lock.AcquireAsync(key, TimeSpan.FromSeconds(1), claim, Ct);
        Assert.False(first.IsDuplicate);
        Assert.NotNull(first.Lease);
        var again = await Lock.AcquireAsync(key, TimeSpan.FromMilliseconds(50), claim, Ct);
        Assert.Equal(LockAttempt.Duplicate, again);

        await first.Lease.DisposeAsync();
        Assert.Equal(LockAttempt.Duplicate, await Lock.AcquireAsync(key, TimeSpan.FromSeconds(1), claim, Ct));
        await using var next = await Lock.AcquireAsync(key, TimeSpan.FromSeconds(1), claim with { DeliveryId = "7300000000000000002" }, Ct) is { Lease: { } lease } ? lease : null;
        Assert.NotNull(next); // the duplicates took no lock, and another delivery is claimed and gets it
    }

    [Fact]
    public async Task AClaimMadeWhileAnotherTurnHoldsTheLock_Stays_WhenTheLockIsNotHadInTime()
    {
        var key = $"wecom:u:{Guid.NewGuid():N}";
        var claim = new DeliveryClaim(key, "7300000000000000003", TimeSpan.FromMinutes(5));
        var held = await LeaseAsync(key, TimeSpan.FromSeconds(1));

        Assert.Equal(LockAttempt.Busy, await Lock.AcquireAsync(key, TimeSpan.FromMilliseconds(100), claim, Ct));
        await held!.DisposeAsync();

        Assert.Equal(LockAttempt.Duplicate, await Lock.AcquireAsync(key, TimeSpan.FromSeconds(1), claim, Ct));
    }

    [Fact]
    public async Task OfSimultaneousCopiesOfADelivery_ExactlyOneTakesTheLock_TheOthersAreDuplicates()
    {
        var key = $"wecom:u:{Guid.NewGuid():N}";
        var claim = new DeliveryClaim(key, "7300000000000000004", TimeSpan.FromMinutes(5));

        var attempts = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => Lock.AcquireAsync(key, TimeSpan.FromSeconds(5), claim, Ct), Ct)));

        Assert.Single(attempts, a => a.Lease is not null);
        Assert.Equal(15, attempts.Count(a => a.IsDuplicate));
    }

    [Fact]
    public async Task ADeliveryClaimedWithTheLock_IsClaimedForTheDeduplicatorToo_AndTheOtherWayRound()
    {
        var key = $"wecom:u:{Guid.NewGuid():N}";
        var withLock = new DeliveryClaim(key, "7300000000000000005", TimeSpan.FromMinutes(5));
        var alone = new DeliveryClaim(key, "7300000000000000006", TimeSpan.FromMinutes(5));

        await using var lease = (await Lock.AcquireAsync(key, TimeSpan.FromSeconds(1), withLock, Ct)).Lease;
        Assert.NotNull(lease);
        Assert.False(await Deduplicator.TryClaimAsync(withLock, Ct));

        Assert.True(await Deduplicator.TryClaimAsync(alone, Ct));
        Assert.Equal(LockAttempt.Duplicate, await Lock.AcquireAsync(key, TimeSpan.FromSeconds(1), alone, Ct));
    }

    [Fact]
    public async Task SaveAndRelease_SavesTheState_AndFreesTheLockForTheNextTurn()
    {
        var key = $"wecom:u:{Guid.NewGuid():N}";
        var lease = await LeaseAsync(key, TimeSpan.FromSeconds(1));
        var read = lease!.State ?? await Store.LoadAsync(key, Ct);
        read.State.Memory["last"] = "第一轮";

        Assert.True(await lease.TrySaveAndReleaseAsync(Store, key, read.State, read.Version, TimeSpan.FromMinutes(5), Ct));

        await using var next = await LeaseAsync(key, TimeSpan.FromMilliseconds(50));
        Assert.NotNull(next);
        var stored = next.State ?? await Store.LoadAsync(key, Ct);
        Assert.Equal(read.Version + 1, stored.Version);
        Assert.Equal("第一轮", stored.State.Memory["last"]);
        await lease.DisposeAsync(); // a second release of the first lease must not free the lock the next turn holds
        Assert.Null(await LeaseAsync(key, TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public async Task SaveAndRelease_OnAStaleVersion_KeepsTheNewerState_AndStillFreesTheLock()
    {
        var key = $"wecom:u:{Guid.NewGuid():N}";
        var lease = await LeaseAsync(key, TimeSpan.FromSeconds(1));
        var read = lease!.State ?? await Store.LoadAsync(key, Ct);
        var newer = new ConversationState();
        newer.Memory["last"] = "别处保存";
        Assert.True(await Store.TrySaveAsync(key, newer, read.Version, TimeSpan.FromMinutes(5), Ct));

        read.State.Memory["last"] = "过期的一轮";
        Assert.False(await lease.TrySaveAndReleaseAsync(Store, key, read.State, read.Version, TimeSpan.FromMinutes(5), Ct));

        await using var next = await LeaseAsync(key, TimeSpan.FromMilliseconds(50));
        Assert.NotNull(next);
        var stored = next.State ?? await Store.LoadAsync(key, Ct);
        Assert.Equal("别处保存", stored.State.Memory["last"]);
    }

    [Fact]
    public async Task SecondTurn_WaitsForTheFirst_AndGetsTheLockWhenItIsReleased()
    {
        var key = $"wecom:u:{Guid.NewGuid():N}";
        var first = await LeaseAsync(key, TimeSpan.FromSeconds(1));
        Assert.NotNull(first);

        var second = LeaseAsync(key, TimeSpan.FromSeconds(5));
        await Task.Delay(150, Ct);
        Assert.False(second.IsCompleted);

        await first.DisposeAsync();
        await using var secondHandle = await second;
        Assert.NotNull(secondHandle);
    }

    [Fact]
    public async Task Acquire_GivesUp_AfterTheWait()
    {
        var key = $"wecom:u:{Guid.NewGuid():N}";
        await using var held = await LeaseAsync(key, TimeSpan.FromSeconds(1));

        var late = await LeaseAsync(key, TimeSpan.FromMilliseconds(200));

        Assert.NotNull(held);
        Assert.Null(late);
    }

    [Fact]
    public async Task ManyContenders_HoldTheLockOneAtATime()
    {
        var key = $"wecom:u:{Guid.NewGuid():N}";
        var inside = 0;
        var maxInside = 0;

        await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            await using var handle = await LeaseAsync(key, TimeSpan.FromSeconds(20));
            Assert.NotNull(handle);
            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref maxInside, now);
            await Task.Delay(20, Ct);
            Interlocked.Decrement(ref inside);
        }));

        Assert.Equal(1, maxInside);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}

public sealed class InMemoryConversationLockTests : ConversationLockContract
{
    public InMemoryConversationLockTests()
    {
        var deduplicator = new InMemoryDeliveryDeduplicator(TimeProvider.System);
        Deduplicator = deduplicator;
        Lock = new InMemoryConversationLock(deduplicator);
    }

    protected override IConversationLock Lock { get; }

    protected override IConversationStore Store { get; } = new InMemoryConversationStore(TimeProvider.System);

    protected override IDeliveryDeduplicator Deduplicator { get; }
}

[Collection(RedisTests.Name)]
public sealed class RedisConversationLockTests : ConversationLockContract
{
    public RedisConversationLockTests(RedisServerFixture redis)
    {
        redis.RequireServer();
        var keys = new RedisKeys($"test-{Guid.NewGuid():N}:");
        Lock = new RedisConversationLock(redis.Connection, keys);
        Store = new RedisConversationStore(redis.Connection, keys);
        Deduplicator = new RedisDeliveryDeduplicator(redis.Connection, keys);
        _redis = redis;
        _keys = keys;
    }

    private readonly RedisServerFixture _redis;
    private readonly RedisKeys _keys;

    protected override IConversationLock Lock { get; }

    protected override IConversationStore Store { get; }

    protected override IDeliveryDeduplicator Deduplicator { get; }

    [Fact]
    public void TheKeysOfOneStep_ShareAClusterSlot()
    {
        var key = $"wecom:u:{Guid.NewGuid():N}";
        var slot = _redis.Connection.HashSlot(_keys.Lock(key));

        Assert.Equal(slot, _redis.Connection.HashSlot(_keys.Conversation(key)));
        Assert.Equal(slot, _redis.Connection.HashSlot(_keys.Delivery(new DeliveryClaim(key, "7300000000000000007", TimeSpan.FromMinutes(5)))));
    }

    [Fact]
    public async Task TheStateReadWithTheLock_IsWhatThePreviousHolderSaved()
    {
        var ct = TestContext.Current.CancellationToken;
        var key = $"wecom:u:{Guid.NewGuid():N}";
        var first = await LeaseAsync(key, TimeSpan.FromSeconds(1));
        Assert.Equal(0, first!.State!.Version);
        var second = LeaseAsync(key, TimeSpan.FromSeconds(5));

        var state = first.State.State;
        state.Memory["last"] = "第一轮";
        Assert.True(await Store.TrySaveAsync(key, state, first.State.Version, TimeSpan.FromMinutes(5), ct));
        await first.DisposeAsync();
        await using var next = await second;

        Assert.Equal(1, next!.State!.Version);
        Assert.Equal("第一轮", next.State.State.Memory["last"]);
    }
}
