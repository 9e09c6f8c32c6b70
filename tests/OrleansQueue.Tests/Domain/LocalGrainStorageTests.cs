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
    /// <summary>A grain keyed by a <see cref="Guid"/> (a job), and one keyed otherwise (a journal entry): the storage
    /// finds the two kinds by different keys.</summary>
    public static TheoryData<string> Keys => [Guid.NewGuid().ToString("N"), "0-17"];

    private readonly ServiceProvider _services = new ServiceCollection().AddSerializer().BuildServiceProvider();
    private readonly LocalGrainStorage _storage;

    public LocalGrainStorageTests() => _storage = new LocalGrainStorage(_services.GetRequiredService<Serializer>());

    public void Dispose() => _services.Dispose();

    private static GrainState<JobState> State(string type) => new(new JobState { Exists = true, Type = type });

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task AWrittenState_IsReadBack_WithItsETag(string key)
    {
        var grain = GrainId.Create("job", key);
        var written = State("A");
        await _storage.WriteStateAsync("job", grain, written);

        var read = new GrainState<JobState>(new JobState());
        await _storage.ReadStateAsync("job", grain, read);

        Assert.True(read.RecordExists);
        Assert.Equal("A", read.State!.Type);
        Assert.Equal(written.ETag, read.ETag);
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task AWriteFromAStaleCopy_IsRefused_AndLeavesTheStoredStateAsItWas(string key)
    {
        var grain = GrainId.Create("job", key);
        var current = State("A");
        await _storage.WriteStateAsync("job", grain, current);
        var stale = new GrainState<JobState>(new JobState { Exists = true, Type = "C" }) { ETag = current.ETag };
        current.State!.Type = "B";
        await _storage.WriteStateAsync("job", grain, current);

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("job", grain, stale));

        var read = new GrainState<JobState>(new JobState());
        await _storage.ReadStateAsync("job", grain, read);
        Assert.Equal("B", read.State!.Type);
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task AFirstWrite_OfAStateThatIsAlreadyStored_IsRefused(string key)
    {
        var grain = GrainId.Create("job", key);
        await _storage.WriteStateAsync("job", grain, State("A"));

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("job", grain, State("B")));
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task AClearFromAStaleCopy_IsRefused_AndACurrentOneRemovesTheState(string key)
    {
        var grain = GrainId.Create("job", key);
        var current = State("A");
        await _storage.WriteStateAsync("job", grain, current);
        var stale = new GrainState<JobState>(new JobState()) { ETag = current.ETag };
        await _storage.WriteStateAsync("job", grain, current);

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.ClearStateAsync("job", grain, stale));
        await _storage.ClearStateAsync("job", grain, current);

        var read = new GrainState<JobState>(new JobState());
        await _storage.ReadStateAsync("job", grain, read);
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
}
