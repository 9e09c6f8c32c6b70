using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using OrleansQueue.Diagnostics;
using OrleansQueue.Jobs;
using OrleansQueue.Storage;

namespace OrleansQueue.Tests.Domain;

/// <summary>What the job grain's stored state promises in place of <c>[PersistentState]</c>: it reads what was written,
/// two copies cannot both write (the ETag travels with the state), and a storage failure reaches the caller as Orleans'
/// bridge would pass it on; and each operation is timed, as the bridge timed it.</summary>
public sealed class StoredStateTests : IDisposable
{
    private static readonly GrainId Job = GrainId.Create("job", Guid.NewGuid().ToString("N"));

    private readonly ServiceProvider _services = new ServiceCollection().AddSerializer().AddMetrics().BuildServiceProvider();
    private readonly LocalGrainStorage _storage;
    private readonly QueueInstruments _instruments;
    private readonly MeterListener _listener = new();
    private readonly List<(string Operation, string State, string Outcome, double Seconds)> _timed = [];

    public StoredStateTests()
    {
        _storage = new LocalGrainStorage(_services.GetRequiredService<Serializer>());
        _instruments = new QueueInstruments(_services.GetRequiredService<IMeterFactory>());
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == "orleansqueue.storage.duration" && ReferenceEquals(instrument.Meter.Scope, _services.GetRequiredService<IMeterFactory>()))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
        {
            var all = tags.ToArray();
            string Tag(string key) => (string)all.Single(t => t.Key == key).Value!;
            lock (_timed)
            {
                _timed.Add((Tag("operation"), Tag("state"), Tag("outcome"), seconds));
            }
        });
        _listener.Start();
    }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }

    private StoredState<JobState> New(IGrainStorage storage) => new(storage, "job", Job, _instruments);

    [Fact]
    public async Task NothingStored_ReadsAsANewState_AndAWriteIsReadBackByTheNextActivation()
    {
        var first = New(_storage);
        await first.ReadAsync();
        Assert.False(first.State.Exists);

        first.State = new JobState { Exists = true, Type = "EMAIL" };
        await first.WriteAsync();
        first.State.Type = "CHANGED, NOT WRITTEN";

        var next = New(_storage);
        await next.ReadAsync();
        Assert.Equal("EMAIL", next.State.Type);
    }

    [Fact]
    public async Task AStateReadBack_CarriesItsVersion_SoTheNextActivationWritesAndClearsIt()
    {
        var first = New(_storage);
        await first.ReadAsync();
        first.State = new JobState { Exists = true, Type = "A" };
        await first.WriteAsync();

        // A lease activates the job again: it reads what was stored, and writes over it twice, then clears it.
        var next = New(_storage);
        await next.ReadAsync();
        next.State.Type = "B";
        await next.WriteAsync();
        next.State.Type = "C";
        await next.WriteAsync();
        await next.ClearAsync();

        var after = New(_storage);
        await after.ReadAsync();
        Assert.False(after.State.Exists);
    }

    [Fact]
    public async Task AStaleCopy_CannotWrite_OrClear()
    {
        var one = New(_storage);
        await one.ReadAsync();
        var other = New(_storage);
        await other.ReadAsync();
        one.State = new JobState { Exists = true, Type = "A" };
        await one.WriteAsync();

        other.State = new JobState { Exists = true, Type = "B" };
        await Assert.ThrowsAsync<InconsistentStateException>(other.WriteAsync);
        await Assert.ThrowsAsync<InconsistentStateException>(other.ClearAsync);

        // The copy that wrote last goes on writing, and clears.
        one.State.Type = "A2";
        await one.WriteAsync();
        await one.ClearAsync();
        var after = New(_storage);
        await after.ReadAsync();
        Assert.False(after.State.Exists);
    }

    [Fact]
    public async Task AStorageFailure_ReachesTheCaller_AsAnOrleansExceptionNamingTheStateAndGrain()
    {
        var state = New(new FailingStorage());

        var read = await Assert.ThrowsAsync<OrleansException>(state.ReadAsync);
        var write = await Assert.ThrowsAsync<OrleansException>(state.WriteAsync);
        var clear = await Assert.ThrowsAsync<OrleansException>(state.ClearAsync);

        Assert.Contains("could not read the state 'job'", read.Message, StringComparison.Ordinal);
        Assert.Contains(Job.ToString(), write.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(FailingStorage), clear.Message, StringComparison.Ordinal);
        Assert.IsType<TimeoutException>(write.InnerException);
    }

    [Fact]
    public async Task EachOperation_IsTimed_ByOperationStateAndOutcome()
    {
        var state = New(_storage);
        await state.ReadAsync();
        state.State = new JobState { Exists = true, Type = "A" };
        await state.WriteAsync();
        await state.ClearAsync();
        await Assert.ThrowsAsync<OrleansException>(New(new FailingStorage()).WriteAsync);
        // A write from a stale copy is refused by the storage: an error too.
        var stale = New(_storage);
        stale.State = new JobState { Exists = true };
        await state.WriteAsync();
        await Assert.ThrowsAsync<InconsistentStateException>(stale.WriteAsync);

        Assert.Equal(
            [("read", "job", "ok"), ("write", "job", "ok"), ("clear", "job", "ok"), ("write", "job", "error"), ("write", "job", "ok"), ("write", "job", "error")],
            _timed.Select(t => (t.Operation, t.State, t.Outcome)));
        Assert.All(_timed, t => Assert.InRange(t.Seconds, 0, 60));
    }

    /// <summary>A storage that does not answer: it throws at once, before it returns a task.</summary>
    private sealed class FailingStorage : IGrainStorage
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => throw new TimeoutException("no answer");

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => throw new TimeoutException("no answer");

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => throw new TimeoutException("no answer");
    }
}
