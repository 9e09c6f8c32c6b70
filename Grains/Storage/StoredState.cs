using Orleans.Storage;
using OrleansQueue.Diagnostics;
using OrleansQueue.Hosting;

namespace OrleansQueue.Storage;

/// <summary>
/// A grain's stored state, read and written straight through the queue's grain storage (<see cref="QueueStorage"/>):
/// what Orleans' <c>[PersistentState]</c> gives, without its bridge. That bridge (Orleans 10.4) queues every read,
/// write and clear behind a forced yield, so that a reentrant grain's overlapping calls stay in order, and sets up a
/// lifecycle stage and a reflection-made factory per activation. The grains that use this one are not reentrant and
/// await each operation, so they never have two under way; on a job's path (an activation's read, then a write at
/// each change) the bridge cost a trip through the activation's scheduler and about 1.5 KB per operation.
/// <para>Read it once, when the grain activates. A failure is what the bridge makes of it: an
/// <see cref="OrleansException"/> naming the state and the grain (one from the storage that is already an
/// <see cref="OrleansException"/>, such as <see cref="InconsistentStateException"/>, as it is), and the state in memory
/// is the caller's to discard.</para>
/// <para>Each operation is timed (<see cref="TimedGrainStorage"/>), in place of the bridge's <c>orleans-storage-*</c>
/// instruments.</para>
/// </summary>
public sealed class StoredState<T>(IGrainStorage storage, string name, GrainId grainId, QueueInstruments instruments)
    where T : new()
{
    private readonly GrainState<T> _state = new(new T());
    private readonly TimedGrainStorage _timed = new(storage, instruments);

    public T State
    {
        get => _state.State!;
        set => _state.State = value;
    }

    public Task ReadAsync() => RunAsync(Operation.Read);

    public Task WriteAsync() => RunAsync(Operation.Write);

    /// <summary>Removes the stored state (the state in memory is left as it is).</summary>
    public Task ClearAsync() => RunAsync(Operation.Clear);

    /// <summary>One operation on the storage. It is started inside the <c>try</c>, so a storage that throws before it
    /// returns a task fails the same way as one whose task fails.</summary>
    private async Task RunAsync(Operation operation)
    {
        try
        {
            await (operation switch
            {
                Operation.Read => _timed.ReadStateAsync(name, grainId, _state),
                Operation.Write => _timed.WriteStateAsync(name, grainId, _state),
                _ => _timed.ClearStateAsync(name, grainId, _state),
            });
        }
        catch (Exception ex) when (ex is not OrleansException)
        {
            throw new OrleansException(
                $"The storage '{QueueStorage.Name}' ({storage.GetType().Name}) could not {operation.ToString().ToLowerInvariant()} the state '{name}' of grain {grainId}: {ex.Message}",
                ex);
        }
    }

    private enum Operation
    {
        Read,
        Write,
        Clear,
    }
}
