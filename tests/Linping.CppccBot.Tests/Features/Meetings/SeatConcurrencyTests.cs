using Linping.CppccBot.Features.Meetings;
using Linping.CppccBot.Persistence;
using Linping.CppccBot.Persistence.Entities;
using Linping.CppccBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Linping.CppccBot.Tests.Features.Meetings;

/// <summary>Two members taking the last seat at the same moment: one gets it, the other is told the meeting is full.</summary>
/// <remarks>
/// On SQLite (<see cref="SeatConcurrencySqliteTests"/>) and PostgreSQL (<see cref="SeatConcurrencyPostgresTests"/>).</remarks>
public abstract class SeatConcurrencyTests : IAsyncLifetime
{
    private readonly SaveBarrier _barrier = new();
    private BotHostFactory _host = null!;

    /// <summary>The PostgreSQL server to run on; null for SQLite.</summary>
    protected abstract Task<PostgresServer?> ServerAsync();

    public async ValueTask InitializeAsync()
    {
        _host = BotHostFactory.On(await ServerAsync()).WithDbOptions(o => o.AddInterceptors(_barrier));
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task TheLastSeat_GoesToOneMemberOnly_WhenBothReadItFreeBeforeEitherSaves()
    {
        await _host.UpdateMeetingAsync("MT-2027-04", m => m.Capacity = 1);
        _barrier.Arm(2);

        var results = await Task.WhenAll(SignUpAsync("M001"), SignUpAsync("M002"));

        Assert.True(_barrier.Met, "Both sign-ups should have read the free seat before either saved.");
        Assert.Equal([SignUpOutcome.SignedUp, SignUpOutcome.Full], results.Select(r => r.Outcome).Order());
        var seated = await _host.DbAsync(db => db.Participations.CountAsync(p => p.MeetingId == "MT-2027-04" && p.Status == ParticipationStatus.SignedUp));
        Assert.Equal(1, seated);
    }

    private async Task<SignUpResult> SignUpAsync(string memberId)
    {
        await Task.Yield();
        await using var scope = _host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MeetingService>().SignUpAsync("MT-2027-04", memberId, joinWaitlist: false, TestContext.Current.CancellationToken);
    }

    /// <summary>Holds the first saves until all of them arrived, so every one of them read the data before any wrote.</summary>
    internal sealed class SaveBarrier : SaveChangesInterceptor
    {
        private readonly TaskCompletionSource _allArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _expected;
        private int _arrived;

        public bool Met => _allArrived.Task.IsCompletedSuccessfully;

        public void Arm(int count) => _expected = count;

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (Volatile.Read(ref _expected) > 0 && !_allArrived.Task.IsCompleted)
            {
                if (Interlocked.Increment(ref _arrived) >= _expected)
                {
                    _allArrived.TrySetResult();
                }

                await _allArrived.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            }

            return result;
        }
    }
}

public sealed class SeatConcurrencySqliteTests : SeatConcurrencyTests
{
    protected override Task<PostgresServer?> ServerAsync() => Task.FromResult<PostgresServer?>(null);
}

public sealed class SeatConcurrencyPostgresTests(PostgresServerFixture postgres) : SeatConcurrencyTests
{
    protected override async Task<PostgresServer?> ServerAsync() => await postgres.GetAsync();
}
