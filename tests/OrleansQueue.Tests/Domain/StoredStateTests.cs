using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using OrleansQueue.Jobs;
using OrleansQueue.Storage;

namespace OrleansQueue.Tests.Domain;

/// <summary>What the job grain's stored state promises in place of <c>[PersistentState]</c>: it reads what was written,
/// two copies cannot both write (the ETag travels with the state), and a storage failure reaches the caller as Orleans'
/// bridge would pass it on.</summary>
public sealed class StoredStateTests : IDisposable
{
    private static readonly GrainId Job = GrainId.Create("job", Guid.NewGuid().ToString("N"));

    private readonly ServiceProvider _services = new ServiceCollection().AddSerializer().BuildServiceProvider();
    private readonly LocalGrainStorage _storage;

    public StoredStateTests() => _storage = new LocalGrainStorage(_services.GetRequiredService<Serializer>());

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task NothingStored_ReadsAsANewState_AndAWriteIsReadBackByTheNextActivation()
    {
        var first = new StoredState<JobState>(_storage, "job", Job);
        await first.ReadAsync();
        Assert.False(first.State.Exists);

        first.State = new JobState { Exists = true, Type = "EMAIL" };
        await first.WriteAsync();
        first.State.Type = "CHANGED, NOT WRITTEN";

        var next = new StoredState<JobState>(_storage, "job", Job);
        await next.ReadAsync();
        Assert.Equal("EMAIL", next.State.Type);
    }

    [Fact]
    public async Task AStateReadBack_CarriesItsVersion_SoTheNextActivationWritesAndClearsIt()
    {
        var first = new StoredState<JobState>(_storage, "job", Job);
        await first.ReadAsync();
        first.State = new JobState { Exists = true, Type = "A" };
        await first.WriteAsync();

        // A lease activates the job again: it reads what was stored, and writes over it twice, then clears it.
        var next = new StoredState<JobState>(_storage, "job", Job);
        await next.ReadAsync();
        next.State.Type = "B";
        await next.WriteAsync();
        next.State.Type = "C";
        await next.WriteAsync();
        await next.ClearAsync();

        var after = new StoredState<JobState>(_storage, "job", Job);
        await after.ReadAsync();
        Assert.False(after.State.Exists);
    }

    [Fact]
    public async Task AStaleCopy_CannotWrite_OrClear()
    {
        var one = new StoredState<JobState>(_storage, "job", Job);
        await one.ReadAsync();
        var other = new StoredState<JobState>(_storage, "job", Job);
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
        var after = new StoredState<JobState>(_storage, "job", Job);
        await after.ReadAsync();
        Assert.False(after.State.Exists);
    }

    [Fact]
    public async Task AStorageFailure_ReachesTheCaller_AsAnOrleansExceptionNamingTheStateAndGrain()
    {
        var state = new StoredState<JobState>(new FailingStorage(), "job", Job);

        var read = await Assert.ThrowsAsync<OrleansException>(state.ReadAsync);
        var write = await Assert.ThrowsAsync<OrleansException>(state.WriteAsync);
        var clear = await Assert.ThrowsAsync<OrleansException>(state.ClearAsync);

        Assert.Contains("could not read the state 'job'", read.Message, StringComparison.Ordinal);
        Assert.Contains(Job.ToString(), write.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(FailingStorage), clear.Message, StringComparison.Ordinal);
        Assert.IsType<TimeoutException>(write.InnerException);
    }

    /// <summary>A storage that does not answer: it throws at once, before it returns a task.</summary>
    private sealed class FailingStorage : IGrainStorage
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => throw new TimeoutException("no answer");

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => throw new TimeoutException("no answer");

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => throw new TimeoutException("no answer");
    }
}
