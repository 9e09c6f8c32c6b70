using Microsoft.Extensions.Time.Testing;
using OrleansQueue.Worker.Running;

namespace OrleansQueue.Tests.Worker;

public sealed class TurnoverTests
{
    [Fact]
    public void Recent_CountsTheFinishesOfTheLastOneToTwoWindows_AndOnlyThoseThatCount()
    {
        var clock = new FakeTimeProvider();
        var turnover = new Turnover(clock);
        turnover.Finished(counted: true);
        turnover.Finished(counted: true);
        turnover.Finished(counted: false);
        Assert.Equal(2, turnover.Recent);

        clock.Advance(Turnover.Window);
        turnover.Finished(counted: true);
        Assert.Equal(3, turnover.Recent); // The window before still counts.

        clock.Advance(Turnover.Window);
        Assert.Equal(1, turnover.Recent);

        clock.Advance(Turnover.Window * 2);
        Assert.Equal(0, turnover.Recent);
    }

    [Fact]
    public async Task NextAsync_CompletesAtTheNextFinish_CountedOrNot()
    {
        var turnover = new Turnover(new FakeTimeProvider());
        var first = turnover.NextAsync(CancellationToken.None);
        Assert.False(first.IsCompleted);
        turnover.Finished(counted: false);
        await first.WaitAsync(TimeSpan.FromSeconds(10));

        var second = turnover.NextAsync(CancellationToken.None);
        Assert.False(second.IsCompleted);
        turnover.Finished(counted: true);
        await second.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task NextAsync_EndsWhenCancelled()
    {
        using var cancel = new CancellationTokenSource();
        var next = new Turnover(new FakeTimeProvider()).NextAsync(cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
    }
}
