using System.Collections.Concurrent;

namespace Linping.CppccBot.Conversations;

/// <summary>
/// Runs turns outside the HTTP request that brought the message: a channel waits for the answer only as long as its
/// platform allows and lets the turn finish in the background otherwise. Each turn gets its own DI scope, and the
/// host waits for turns and late replies in flight when it stops.
/// </summary>
public sealed class TurnRunner(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime) : IHostedService
{
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();

    /// <summary>Starts the turn of <paramref name="message"/>; the task completes with its replies.</summary>
    public Task<TurnResult> Start(InboundMessage message)
    {
        var task = Task.Run(async () =>
        {
            await using var scope = scopes.CreateAsyncScope();
            var handler = scope.ServiceProvider.GetRequiredService<TurnHandler>();
            return await handler.HandleAsync(message, lifetime.ApplicationStopping);
        });
        Track(task);
        return task;
    }

    /// <summary>Keeps <paramref name="work"/> (e.g. an active send of a late answer) alive until it is done or the host stops.</summary>
    public void Track(Task work)
    {
        _inFlight.TryAdd(work, 0);
        work.ContinueWith(t => _inFlight.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var pending = _inFlight.Keys.ToArray();
        if (pending.Length > 0)
        {
            await Task.WhenAny(Task.WhenAll(pending), Task.Delay(Timeout.Infinite, cancellationToken));
        }
    }
}
