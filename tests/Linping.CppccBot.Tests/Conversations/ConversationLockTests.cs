using Linping.CppccBot.Conversations;
using Linping.CppccBot.Tests.Infrastructure;

namespace Linping.CppccBot.Tests.Conversations;

public abstract class ConversationLockContract
{
    protected abstract IConversationLock Lock { get; }

    /// <summary>The store the lock is deployed with.</summary>
    protected abstract IConversationStore Store { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SaveAndRelease_SavesTheState_AndFreesTheLockForTheNextTurn()
    {
        var key = $"wecom:u:{Guid.NewGuid():N}";
        var lease = await Lock.AcquireAsync(key, TimeSpan.FromSeconds(1), Ct);
        var read = lease!.State ?? await Store.LoadAsync(key, Ct);
        read.State.Memory["last"] = "第一轮";

        Assert.True(await lease.TrySaveAndReleaseAsync(Store, key, read.State, read.Version, TimeSpan.FromMinutes(5), Ct));

        await using var next = await Lock.AcquireAsync(key, TimeSpan.FromMilliseconds(50), Ct);
        Assert.NotNull(next);
        var stored = next.State ?? await Store.LoadAsync(key, Ct);
        Assert.Equal(read.Version + 1, stored.Version);
        Assert.Equal("第一轮", stored.State.Memory["last"]);
        await lease.DisposeAsync(); // a second release of the first lease must not free the lock the next turn holds
        Assert.Null(await Lock.AcquireAsync(key, TimeSpan.FromMilliseconds(50), Ct));
    }

    [Fact]
    public async Task SaveAndRelease_OnAStaleVersion_KeepsTheNewerState_AndStillFreesTheLock()
    {
        var key = $"wecom:u:{Guid.NewGuid():N}";
        var lease = await Lock.AcquireAsync(key, TimeSpan.FromSeconds(1), Ct);
        var read = lease!.State ?? await Store.LoadAsync(key, Ct);
        var newer = new ConversationState();
        newer.Memory["last"] = "别处保存";
        Assert.True(await Store.TrySaveAsync(key, newer, read.Version, TimeSpan.FromMinutes(5), Ct));

        read.State.Memory["last"] = "过期的一轮";
        Assert.False(await lease.TrySaveAndReleaseAsync(Store, key, read.State, read.Version, TimeSpan.FromMinutes(5), Ct));

        await using var next = await Lock.AcquireAsync(key, TimeSpan.FromMilliseconds(50), Ct);
        Assert.NotNull(next);
        var stored = next.State ?? await Store.LoadAsync(key, Ct);
        Assert.Equal("别处保存", stored.State.Memory["last"]);
    }

    [Fact]
    public async Task SecondTurn_WaitsForTheFirst_AndGetsTheLockWhenItIsReleased()
    {
        var key = $"wecom:u:{Guid.NewGuid():N}";
        var first = await Lock.AcquireAsync(key, TimeSpan.FromSeconds(1), Ct);
        Assert.NotNull(first);

        var second = Lock.AcquireAsync(key, TimeSpan.FromSeconds(5), Ct);
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
        await using var held = await Lock.AcquireAsync(key, TimeSpan.FromSeconds(1), Ct);

        var late = await Lock.AcquireAsync(key, TimeSpan.FromMilliseconds(200), Ct);

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
            await using var handle = await Lock.AcquireAsync(key, TimeSpan.FromSeconds(20), Ct);
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
    protected override IConversationLock Lock { get; } = new InMemoryConversationLock();

    protected override IConversationStore Store { get; } = new InMemoryConversationStore(TimeProvider.System);
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
    }

    protected override IConversationLock Lock { get; }

    protected override IConversationStore Store { get; }

    [Fact]
    public async Task TheStateReadWithTheLock_IsWhatThePreviousHolderSaved()
    {
        var ct = TestContext.Current.CancellationToken;
        var key = $"wecom:u:{Guid.NewGuid():N}";
        var first = await Lock.AcquireAsync(key, TimeSpan.FromSeconds(1), ct);
        Assert.Equal(0, first!.State!.Version);
        var second = Lock.AcquireAsync(key, TimeSpan.FromSeconds(5), ct);

        var state = first.State.State;
        state.Memory["last"] = "第一轮";
        Assert.True(await Store.TrySaveAsync(key, state, first.State.Version, TimeSpan.FromMinutes(5), ct));
        await first.DisposeAsync();
        await using var next = await second;

        Assert.Equal(1, next!.State!.Version);
        Assert.Equal("第一轮", next.State.State.Memory["last"]);
    }
}
