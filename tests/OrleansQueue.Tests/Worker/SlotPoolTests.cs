using OrleansQueue.Worker.Running;

namespace OrleansQueue.Tests.Worker;

public sealed class SlotPoolTests
{
    [Fact]
    public async Task ReserveAsync_TakesEveryFreeSlot_UpToTheMaximum()
    {
        using var slots = new SlotPool(4);

        Assert.Equal(3, await slots.ReserveAsync(3, CancellationToken.None));
        Assert.Equal(1, await slots.ReserveAsync(3, CancellationToken.None));
        Assert.Equal(0, slots.Free);
    }

    [Fact]
    public async Task ReserveAsync_WaitsForARelease_WhenNoSlotIsFree()
    {
        using var slots = new SlotPool(1);
        await slots.ReserveAsync(1, CancellationToken.None);

        var waiting = slots.ReserveAsync(5, CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, slots.Waiting);
        slots.Release(1);

        Assert.Equal(1, await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(0, slots.Waiting);
    }

    [Fact]
    public async Task ReserveAsync_StopsWaiting_WhenCancelled()
    {
        using var slots = new SlotPool(1);
        await slots.ReserveAsync(1, CancellationToken.None);
        using var cancellation = new CancellationTokenSource();

        var waiting = slots.ReserveAsync(1, cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(0, slots.Waiting);
    }
}
