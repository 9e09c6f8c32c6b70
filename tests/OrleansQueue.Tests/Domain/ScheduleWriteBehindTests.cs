using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OrleansQueue.Hosting;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Tests.Domain;

public sealed class ScheduleWriteBehindTests
{
    private static readonly QueueOptions Options = new() { StateFlushInterval = TimeSpan.FromSeconds(1), SnapshotEntriesPerSecond = 10 };

    private sealed class FakeState : IPersistentState<ScheduleState>
    {
        public ScheduleState State { get; set; } = new();
        public string? Etag => null;
        public bool RecordExists => Writes > 0;
        public int Writes { get; private set; }
        public TaskCompletionSource? Gate { get; set; }
        public int FailNext { get; set; }

        public async Task WriteStateAsync()
        {
            if (Gate is { } gate)
            {
                await gate.Task;
            }

            if (FailNext-- > 0)
            {
                throw new InvalidOperationException("simulated storage failure");
            }

            Writes++;
        }

        public Task ClearStateAsync() => Task.CompletedTask;
        public Task ReadStateAsync() => Task.CompletedTask;
        public Task WriteStateAsync(CancellationToken cancellationToken) => WriteStateAsync();
        public Task ClearStateAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task ReadStateAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static (ScheduleWriteBehind Store, FakeState State, FakeTimeProvider Time) Create(Func<ScheduleState>? capture = null)
    {
        var state = new FakeState();
        var time = new FakeTimeProvider();
        return (new ScheduleWriteBehind(state, capture ?? (() => new ScheduleState()), Options, time, NullLogger.Instance, 0), state, time);
    }

    [Fact]
    public async Task FlushIfDue_WritesOnlyWhenSomethingChanged_AndAtMostOncePerInterval()
    {
        var (store, state, time) = Create();

        await store.FlushIfDueAsync(entries: 0);
        store.RecordChange();
        await store.FlushIfDueAsync(entries: 0);
        store.RecordChange();
        time.Advance(TimeSpan.FromMilliseconds(500));
        await store.FlushIfDueAsync(entries: 0);
        Assert.Equal(1, state.Writes);

        time.Advance(TimeSpan.FromMilliseconds(500));
        await store.FlushIfDueAsync(entries: 0);
        Assert.Equal(2, state.Writes);
        Assert.False(store.HasChanges);
    }

    [Fact]
    public async Task FlushIfDue_WritesADeepShardLessOften_SoItsCostPerSecondStaysFlat()
    {
        var (store, state, time) = Create();
        store.RecordChange();
        await store.FlushIfDueAsync(entries: 50);
        store.RecordChange();

        time.Advance(TimeSpan.FromSeconds(4));
        await store.FlushIfDueAsync(entries: 50);
        Assert.Equal(1, state.Writes);
        time.Advance(TimeSpan.FromSeconds(1));
        await store.FlushIfDueAsync(entries: 50);

        Assert.Equal(2, state.Writes);
    }

    [Fact]
    public async Task AFlushWhileAWriteIsUnderWay_DoesNotOverlapIt_AndTheChangeStaysForTheNext()
    {
        var captured = 0;
        var (store, state, time) = Create(() => new ScheduleState { Pending = [.. Enumerable.Repeat(new QueueEntry(Guid.Empty, 0, default, default), ++captured)] });
        state.Gate = new TaskCompletionSource();
        store.RecordChange();
        var first = store.FlushIfDueAsync(0);
        store.RecordChange();
        time.Advance(TimeSpan.FromSeconds(2));

        var second = store.FlushIfDueAsync(0);
        state.Gate.SetResult();
        await Task.WhenAll(first, second);

        Assert.Equal((1, 1), (state.Writes, captured));
        Assert.True(store.HasChanges);
        await store.FlushAsync();
        Assert.Equal((2, 2), (state.Writes, state.State.Pending.Count));
    }

    [Fact]
    public async Task AFailedWrite_KeepsTheChange_ForTheNextFlush()
    {
        var (store, state, _) = Create();
        state.FailNext = 1;
        store.RecordChange();

        await store.FlushAsync();

        Assert.True(store.HasChanges);
        await store.FlushAsync();
        Assert.Equal(1, state.Writes);
        Assert.False(store.HasChanges);
    }
}
