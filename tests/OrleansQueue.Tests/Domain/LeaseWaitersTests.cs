using Microsoft.Extensions.Time.Testing;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Tests.Domain;

public sealed class LeaseWaitersTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Wake_WakesTheOldestWaitersFirst_OnePerJob()
    {
        var waiters = new LeaseWaiters(new FakeTimeProvider());
        var first = waiters.WaitAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        var second = waiters.WaitAsync(TimeSpan.FromMinutes(1), CancellationToken.None);

        waiters.Wake(1);

        Assert.True(await first.WaitAsync(Patience));
        Assert.False(second.IsCompleted);
        Assert.Equal(1, waiters.Count);
        waiters.WakeAll();
        Assert.True(await second.WaitAsync(Patience));
        Assert.Equal(0, waiters.Count);
    }

    [Fact]
    public async Task Wake_WhileWaitersNameDifferentQueues_WakesThemAll()
    {
        // A wake does not say which queue its job is in: the oldest waiter may not watch it.
        var waiters = new LeaseWaiters(new FakeTimeProvider());
        var other = waiters.WaitAsync(TimeSpan.FromMinutes(1), CancellationToken.None, ["other"]);
        var mine = waiters.WaitAsync(TimeSpan.FromMinutes(1), CancellationToken.None, ["mine"]);

        waiters.Wake(1);

        Assert.True(await other.WaitAsync(Patience));
        Assert.True(await mine.WaitAsync(Patience));
    }

    [Fact]
    public async Task WaitAsync_ReturnsFalse_WhenTheTimeoutPasses_AndForgetsTheWaiter()
    {
        var time = new FakeTimeProvider();
        var waiters = new LeaseWaiters(time);
        var waiting = waiters.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(10));

        Assert.False(await waiting.WaitAsync(Patience));
        Assert.Equal(0, waiters.Count);
    }

    [Fact]
    public async Task WaitAsync_ReturnsFalse_WhenCancelled()
    {
        var waiters = new LeaseWaiters(new FakeTimeProvider());
        using var cancel = new CancellationTokenSource();
        var waiting = waiters.WaitAsync(TimeSpan.FromMinutes(1), cancel.Token);

        await cancel.CancelAsync();

        Assert.False(await waiting.WaitAsync(Patience));
        Assert.Equal(0, waiters.Count);
    }

    [Fact]
    public async Task AWakeThatMeetsAWaiterWhoseTimeoutAlreadyFired_GoesToTheNextWaiter()
    {
        // Like a grain: continuations queue up and run one at a time, so a wake can pick a waiter whose timeout fired
        // but whose code has not run yet.
        var time = new FakeTimeProvider();
        var waiters = new LeaseWaiters(time);
        var turns = new QueuedContext();
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(turns);
        Task<bool> timedOut, next;
        try
        {
            timedOut = waiters.WaitAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
            next = waiters.WaitAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        time.Advance(TimeSpan.FromSeconds(1));
        waiters.Wake(1);
        turns.RunAll();

        // The timed-out waiter returned, and the wake went on to the next one: no waiter is left parked. (The next
        // waiter's own turn would run on a later pump of this context.)
        Assert.False(await timedOut.WaitAsync(Patience));
        Assert.Equal(0, waiters.Count);
    }

    /// <summary>Queues posted continuations until <see cref="RunAll"/>, as a grain's scheduler runs turns one by one.</summary>
    private sealed class QueuedContext : SynchronizationContext
    {
        private readonly Queue<(SendOrPostCallback Callback, object? State)> _posted = new();

        public override void Post(SendOrPostCallback d, object? state) => _posted.Enqueue((d, state));

        public void RunAll()
        {
            var previous = Current;
            SetSynchronizationContext(this);
            try
            {
                while (_posted.TryDequeue(out var turn))
                {
                    turn.Callback(turn.State);
                }
            }
            finally
            {
                SetSynchronizationContext(previous);
            }
        }
    }
}
