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
}
