using Orleans.Storage;
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
/// </summary>
public sealed class StoredState<T>(IGrainStorage storage, string name, GrainId grainId)
    where T : new()
{
    private readonly GrainState<T> _state = new(new T());

    public T State
    {
        get => _state.State!;
        set => _state.State = value;
    }

    public async Task ReadAsync()
    {
        try
        {
            await storage.ReadStateAsync(name, grainId, _state);
        }
        catch (Exception ex) when (ex is not OrleansException)
        {
            throw Failed("read", ex);
        }
    }

    public async Task WriteAsync()
    {
        try
        {
            await storage.WriteStateAsync(name, grainId, _state);
        }
        catch (Exception ex) when (ex is not OrleansException)
        {
            throw Failed("write", ex);
        }
    }

    /// <summary>Removes the stored state (the state in memory is left as it is).</summary>
    public async Task ClearAsync()
    {
        try
        {
            await storage.ClearStateAsync(name, grainId, _state);
        }
        catch (Exception ex) when (ex is not OrleansException)
        {
            throw Failed("clear", ex);
        }
    }

    private OrleansException Failed(string operation, Exception ex) =>
        new($"The storage '{QueueStorage.Name}' ({storage.GetType().Name}) could not {operation} the state '{name}' of grain {grainId}: {ex.Message}", ex);
}
