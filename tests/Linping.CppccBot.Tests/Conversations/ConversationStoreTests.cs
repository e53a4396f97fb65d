using Linping.CppccBot.Conversations;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Linping.CppccBot.Tests.Conversations;

/// <summary>The contract every conversation store keeps; run against the in-process store and against real Redis.</summary>
public abstract class ConversationStoreContract
{
    protected abstract IConversationStore Store { get; }

    protected abstract Task AdvanceAsync(TimeSpan span);

    protected static string NewKey() => $"test:{Guid.NewGuid():N}";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Load_GivesAnEmptyStateAtVersionZero_WhenNothingWasSaved()
    {
        var stored = await Store.LoadAsync(NewKey(), Ct);

        Assert.Equal(0, stored.Version);
        Assert.Null(stored.State.DialogName);
        Assert.Empty(stored.State.Memory);
    }

    [Fact]
    public async Task Save_ThenLoad_RoundTripsTheState()
    {
        var key = NewKey();
        var state = new ConversationState { DialogName = "opinion", DialogStep = 2, DialogUpdatedAt = DateTimeOffset.UnixEpoch };
        state.DialogValues["title"] = "关于小区停车难的建议";
        state.Memory["meetings.last"] = "MT-1,MT-2";

        Assert.True(await Store.TrySaveAsync(key, state, 0, TimeSpan.FromHours(1), Ct));
        var loaded = await Store.LoadAsync(key, Ct);

        Assert.Equal(1, loaded.Version);
        Assert.Equal("opinion", loaded.State.DialogName);
        Assert.Equal(2, loaded.State.DialogStep);
        Assert.Equal("关于小区停车难的建议", loaded.State.DialogValues["title"]);
        Assert.Equal("MT-1,MT-2", loaded.State.Memory["meetings.last"]);
        Assert.Equal(DateTimeOffset.UnixEpoch, loaded.State.DialogUpdatedAt);
    }

    [Fact]
    public async Task Save_FailsAndKeepsTheNewerState_WhenTheVersionIsStale()
    {
        var key = NewKey();
        Assert.True(await Store.TrySaveAsync(key, new ConversationState { DialogName = "first" }, 0, TimeSpan.FromHours(1), Ct));
        var read = await Store.LoadAsync(key, Ct);
        Assert.True(await Store.TrySaveAsync(key, new ConversationState { DialogName = "second" }, read.Version, TimeSpan.FromHours(1), Ct));

        var staleSave = await Store.TrySaveAsync(key, new ConversationState { DialogName = "stale" }, read.Version, TimeSpan.FromHours(1), Ct);

        Assert.False(staleSave);
        Assert.Equal("second", (await Store.LoadAsync(key, Ct)).State.DialogName);
    }

    [Fact]
    public async Task Save_LetsExactlyOneOfManyConcurrentWritersWin()
    {
        var key = NewKey();
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Store.TrySaveAsync(key, new ConversationState { DialogName = $"writer{i}" }, 0, TimeSpan.FromHours(1), Ct)));

        Assert.Single(results, r => r);
        Assert.Equal(1, (await Store.LoadAsync(key, Ct)).Version);
    }

    [Fact]
    public async Task State_Expires_AfterItsTimeToLive()
    {
        var key = NewKey();
        Assert.True(await Store.TrySaveAsync(key, new ConversationState { DialogName = "opinion" }, 0, TimeSpan.FromSeconds(1), Ct));

        await AdvanceAsync(TimeSpan.FromSeconds(2));

        var loaded = await Store.LoadAsync(key, Ct);
        Assert.Equal(0, loaded.Version);
        Assert.Null(loaded.State.DialogName);
    }

    [Fact]
    public async Task Delete_ForgetsTheConversation()
    {
        var key = NewKey();
        Assert.True(await Store.TrySaveAsync(key, new ConversationState { DialogName = "opinion" }, 0, TimeSpan.FromHours(1), Ct));

        await Store.DeleteAsync(key, Ct);

        Assert.Equal(0, (await Store.LoadAsync(key, Ct)).Version);
    }
}

public sealed class InMemoryConversationStoreTests : ConversationStoreContract
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-27T09:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture));

    public InMemoryConversationStoreTests() => Store = new InMemoryConversationStore(_time);

    protected override IConversationStore Store { get; }

    protected override Task AdvanceAsync(TimeSpan span)
    {
        _time.Advance(span);
        return Task.CompletedTask;
    }
}

[Collection(RedisTests.Name)]
public sealed class RedisConversationStoreTests : ConversationStoreContract
{
    public RedisConversationStoreTests(RedisServerFixture redis)
    {
        redis.RequireServer();
        Store = new RedisConversationStore(redis.Connection, new RedisKeys($"test-{Guid.NewGuid():N}:"));
    }

    protected override IConversationStore Store { get; }

    // Redis keeps its own clock: let real time pass for the expiry test.
    protected override Task AdvanceAsync(TimeSpan span) => Task.Delay(span, TestContext.Current.CancellationToken);
}
