using System.Diagnostics;
using Orleans.Storage;
using OrleansQueue.Diagnostics;

namespace OrleansQueue.Storage;

/// <summary>
/// The queue's grain storage with each read, write and clear timed in <see cref="QueueInstruments.StorageOperation"/>
/// (<c>orleansqueue.storage.duration</c>, by operation, state name and outcome). The job states
/// (<see cref="StoredState{T}"/>) and the shards' journal (<see cref="Scheduling.ShardJournal"/>) go to the storage
/// without Orleans' storage bridge, whose <c>orleans-storage-*</c> instruments therefore never see them. What the storage
/// throws passes through as it is.
/// </summary>
public sealed class TimedGrainStorage(IGrainStorage inner, QueueInstruments instruments) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        TimeAsync("read", stateName, () => inner.ReadStateAsync(stateName, grainId, grainState));

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        TimeAsync("write", stateName, () => inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        TimeAsync("clear", stateName, () => inner.ClearStateAsync(stateName, grainId, grainState));

    /// <summary>Runs the operation, started inside the <c>try</c> so that a storage that throws before it returns a task
    /// counts as failed too.</summary>
    private async Task TimeAsync(string operation, string stateName, Func<Task> run)
    {
        var started = Stopwatch.GetTimestamp();
        var failed = true;
        try
        {
            await run();
            failed = false;
        }
        finally
        {
            instruments.StorageOperation(operation, stateName, failed, Stopwatch.GetElapsedTime(started));
        }
    }
}
