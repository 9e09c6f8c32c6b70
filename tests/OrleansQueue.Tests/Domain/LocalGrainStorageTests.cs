using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using OrleansQueue.Jobs;
using OrleansQueue.Storage;

namespace OrleansQueue.Tests.Domain;

/// <summary>The default storage's promises: what was written is read back, and a write or clear from a stale copy is
/// refused as any storage refuses it (the job grain and the shard journal rely on that).</summary>
public sealed class LocalGrainStorageTests : IDisposable
{
    private static readonly GrainId Grain = GrainId.Create("job", Guid.NewGuid().ToString("N"));

    private readonly ServiceProvider _services = new ServiceCollection().AddSerializer().BuildServiceProvider();
    private readonly LocalGrainStorage _storage;

    public LocalGrainStorageTests() => _storage = new LocalGrainStorage(_services.GetRequiredService<Serializer>());

    public void Dispose() => _services.Dispose();

    private static GrainState<JobState> State(string type) => new(new JobState { Exists = true, Type = type });

    [Fact]
    public async Task AWrittenState_IsReadBack_WithItsETag()
    {
        var written = State("A");
        await _storage.WriteStateAsync("job", Grain, written);

        var read = new GrainState<JobState>(new JobState());
        await _storage.ReadStateAsync("job", Grain, read);

        Assert.True(read.RecordExists);
        Assert.Equal("A", read.State!.Type);
        Assert.Equal(written.ETag, read.ETag);
    }

    [Fact]
    public async Task AWriteFromAStaleCopy_IsRefused_AndLeavesTheStoredStateAsItWas()
    {
        var current = State("A");
        await _storage.WriteStateAsync("job", Grain, current);
        var stale = new GrainState<JobState>(new JobState { Exists = true, Type = "C" }) { ETag = current.ETag };
        current.State!.Type = "B";
        await _storage.WriteStateAsync("job", Grain, current);

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("job", Grain, stale));

        var read = new GrainState<JobState>(new JobState());
        await _storage.ReadStateAsync("job", Grain, read);
        Assert.Equal("B", read.State!.Type);
    }

    [Fact]
    public async Task AFirstWrite_OfAStateThatIsAlreadyStored_IsRefused()
    {
        await _storage.WriteStateAsync("job", Grain, State("A"));

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("job", Grain, State("B")));
    }

    [Fact]
    public async Task AClearFromAStaleCopy_IsRefused_AndACurrentOneRemovesTheState()
    {
        var current = State("A");
        await _storage.WriteStateAsync("job", Grain, current);
        var stale = new GrainState<JobState>(new JobState()) { ETag = current.ETag };
        await _storage.WriteStateAsync("job", Grain, current);

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.ClearStateAsync("job", Grain, stale));
        await _storage.ClearStateAsync("job", Grain, current);

        var read = new GrainState<JobState>(new JobState());
        await _storage.ReadStateAsync("job", Grain, read);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
    }

    [Fact]
    public async Task GrainsOfOtherKeys_TypesOrStateNames_HaveStatesOfTheirOwn()
    {
        var digits = Guid.NewGuid().ToString("N");
        GrainId[] grains =
        [
            GrainId.Create("job", digits),
            // The same digits in upper case are another grain to Orleans, so another state here.
            GrainId.Create("job", digits.ToUpperInvariant()),
            GrainId.Create("other", digits),
            GrainId.Create("job", "0-1"),
            GrainId.Create("job", digits + "0"),
        ];
        foreach (var (grain, i) in grains.Select((g, i) => (g, i)))
        {
            await _storage.WriteStateAsync("job", grain, State($"{i}"));
        }

        await _storage.WriteStateAsync("other-state", grains[0], State("other-state"));

        foreach (var (grain, i) in grains.Select((g, i) => (g, i)))
        {
            var read = new GrainState<JobState>(new JobState());
            await _storage.ReadStateAsync("job", grain, read);
            Assert.Equal($"{i}", read.State!.Type);
        }

        var other = new GrainState<JobState>(new JobState());
        await _storage.ReadStateAsync("other-state", grains[0], other);
        Assert.Equal("other-state", other.State!.Type);
    }

    [Fact]
    public async Task AGrainKeyedByAGuid_IsTheGrainOfItsDigits()
    {
        var id = Guid.NewGuid();
        var byGuid = GrainId.Create(GrainType.Create("job"), GrainIdKeyExtensions.CreateGuidKey(id));
        await _storage.WriteStateAsync("job", byGuid, State("A"));

        var read = new GrainState<JobState>(new JobState());
        await _storage.ReadStateAsync("job", GrainId.Create("job", id.ToString("N")), read);

        Assert.True(read.RecordExists);
        Assert.Equal("A", read.State!.Type);
    }
}
