namespace OrleansQueue.Scheduling;

/// <summary>The jobs whose place in a shard (queued, leased, neither) changed since the shard's journal last took
/// them: <see cref="PendingIndex"/> and <see cref="LeaseTable"/> mark every job they add or drop.</summary>
public sealed class ShardChanges
{
    private HashSet<Guid> _jobs = [];

    public int Count => _jobs.Count;

    public void Mark(Guid jobId) => _jobs.Add(jobId);

    /// <summary>The marked jobs; marking starts afresh.</summary>
    public HashSet<Guid> Take()
    {
        var taken = _jobs;
        _jobs = [];
        return taken;
    }
}
