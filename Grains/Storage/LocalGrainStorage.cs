using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;
using Orleans.Serialization;
using Orleans.Storage;

namespace OrleansQueue.Storage;

/// <summary>
/// Grain state held in this silo's own memory: each state is kept as Orleans-serialized bytes in a dictionary,
/// so a read or a write is a dictionary operation, with no grain call as Orleans' memory storage makes (its
/// <c>MemoryStorageGrain</c>s). ETags are version numbers and are checked as any storage checks them: a write
/// from a stale copy throws <see cref="InconsistentStateException"/>.
/// <para>
/// Memory per stored job is what a deep queue costs, so the states are shelved by state name and grain type, each shelf
/// a plain dictionary under a lock (its entries are structs in one array: no object per state), and a grain keyed by a
/// <see cref="Guid"/> (every job) is found by the <see cref="Guid"/> itself rather than by its grain id, whose key is
/// an array of its 32 hex digits. The work under the lock is one lookup; (de)serializing is done outside it.
/// </para>
/// <para>
/// Only for a cluster of one silo: a grain activated on another silo would not see the state. Like any in-memory
/// storage it is gone when the silo stops.
/// </para>
/// </summary>
public sealed class LocalGrainStorage(Serializer serializer) : IGrainStorage
{
    private readonly ConcurrentDictionary<(string State, GrainType Type), Shelf> _shelves = new();

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        if (ShelfOf(stateName, grainId).TryGet(grainId.Key) is { } stored)
        {
            grainState.State = serializer.Deserialize<T>(stored.Data);
            grainState.ETag = Tag(stored.Version);
            grainState.RecordExists = true;
        }
        else
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var data = serializer.SerializeToArray(grainState.State);
        var version = ShelfOf(stateName, grainId).Write(stateName, grainId, data, grainState.ETag);
        grainState.ETag = Tag(version);
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        ShelfOf(stateName, grainId).Clear(stateName, grainId, grainState.ETag);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private Shelf ShelfOf(string stateName, GrainId grainId) =>
        _shelves.GetOrAdd((stateName, grainId.Type), static _ => new Shelf());

    private static string Tag(long version) => version.ToString(CultureInfo.InvariantCulture);

    private static void Check(string? etag, Stored? current, string stateName, GrainId grainId)
    {
        var expected = current is { } stored ? Tag(stored.Version) : null;
        if (etag != expected)
        {
            throw new InconsistentStateException(
                $"The {stateName} state of {grainId} was written by someone else: version {expected ?? "none"} is stored, the write was based on {etag ?? "none"}.",
                expected ?? "", etag ?? "");
        }
    }

    /// <summary>The <see cref="Guid"/> of a key written as <see cref="Guid"/> keys are (<c>ToString("N")</c>: 32
    /// lower-case hex digits), so that the two name the same grain both ways; null for any other key.</summary>
    private static Guid? AsGuid(IdSpan key)
    {
        var digits = key.AsSpan();
        if (digits.Length != 32)
        {
            return null;
        }

        foreach (var digit in digits)
        {
            if (!char.IsAsciiDigit((char)digit) && digit is < (byte)'a' or > (byte)'f')
            {
                return null;
            }
        }

        return Utf8Parser.TryParse(digits, out Guid guid, out var consumed, 'N') && consumed == digits.Length ? guid : null;
    }

    /// <summary>The states of one state name and grain type.</summary>
    private sealed class Shelf
    {
        private readonly Lock _lock = new();
        private readonly Dictionary<Guid, Stored> _byGuid = [];
        private readonly Dictionary<IdSpan, Stored> _byKey = [];

        public Stored? TryGet(IdSpan key)
        {
            var guid = AsGuid(key);
            lock (_lock)
            {
                return guid is { } id
                    ? _byGuid.TryGetValue(id, out var stored) ? stored : null
                    : _byKey.TryGetValue(key, out stored) ? stored : null;
            }
        }

        /// <summary>Stores <paramref name="data"/> if <paramref name="etag"/> names the stored version (null: none is
        /// stored), and returns the new version.</summary>
        public long Write(string stateName, GrainId grainId, byte[] data, string? etag)
        {
            var guid = AsGuid(grainId.Key);
            lock (_lock)
            {
                return guid is { } id
                    ? Write(_byGuid, id, data, etag, stateName, grainId)
                    : Write(_byKey, grainId.Key, data, etag, stateName, grainId);
            }
        }

        public void Clear(string stateName, GrainId grainId, string? etag)
        {
            var guid = AsGuid(grainId.Key);
            lock (_lock)
            {
                if (guid is { } id)
                {
                    Clear(_byGuid, id, etag, stateName, grainId);
                }
                else
                {
                    Clear(_byKey, grainId.Key, etag, stateName, grainId);
                }
            }
        }

        private static long Write<TKey>(Dictionary<TKey, Stored> states, TKey key, byte[] data, string? etag, string stateName, GrainId grainId)
            where TKey : notnull
        {
            Stored? current = states.TryGetValue(key, out var stored) ? stored : null;
            Check(etag, current, stateName, grainId);
            var next = new Stored(data, (current?.Version ?? 0) + 1);
            states[key] = next;
            return next.Version;
        }

        private static void Clear<TKey>(Dictionary<TKey, Stored> states, TKey key, string? etag, string stateName, GrainId grainId)
            where TKey : notnull
        {
            if (states.TryGetValue(key, out var current))
            {
                Check(etag, current, stateName, grainId);
                states.Remove(key);
            }
        }
    }

    /// <summary>A stored state, kept inline in its dictionary entry.</summary>
    private readonly record struct Stored(byte[] Data, long Version);
}
