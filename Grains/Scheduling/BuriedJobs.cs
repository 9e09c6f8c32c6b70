namespace OrleansQueue.Scheduling;

/// <summary>
/// The buried jobs of one shard (beanstalkd's <c>bury</c>, a handler's <c>Bury</c>): set aside per named queue, in the
/// order they were buried, never leased until kicked (<c>kick</c>, <c>kick-job</c>, <c>requeue</c>), which the job
/// grain decides and the shard learns as an enqueue. Each entry is the one the job is queued with when kicked.
/// </summary>
/// <param name="changes">Marked with every job buried or unburied, for the shard's journal.</param>
public sealed class BuriedJobs(ShardChanges? changes = null)
{
    private readonly Dictionary<string, LinkedList<QueueEntry>> _byQueue = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, LinkedListNode<QueueEntry>> _byJob = [];

    public int Count => _byJob.Count;

    public QueueEntry? Get(Guid jobId) => _byJob.GetValueOrDefault(jobId)?.Value;

    /// <summary>Buries the job at the end of its queue's list, unless it is buried already.</summary>
    public bool Add(QueueEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (_byJob.ContainsKey(entry.JobId))
        {
            return false;
        }

        if (!_byQueue.TryGetValue(entry.Queue, out var list))
        {
            _byQueue[entry.Queue] = list = new LinkedList<QueueEntry>();
        }

        _byJob[entry.JobId] = list.AddLast(entry);
        changes?.Mark(entry.JobId);
        return true;
    }

    public bool Remove(Guid jobId)
    {
        if (!_byJob.Remove(jobId, out var node))
        {
            return false;
        }

        var list = node.List!;
        list.Remove(node);
        if (list.Count == 0)
        {
            _byQueue.Remove(node.Value.Queue);
        }

        changes?.Mark(jobId);
        return true;
    }

    /// <summary>The buried jobs of <paramref name="queue"/>, first buried first.</summary>
    public IEnumerable<QueueEntry> Of(string queue) =>
        _byQueue.TryGetValue(queue, out var list) ? list : [];

    /// <summary>Every buried job, per queue in the order buried, for persisting and listing.</summary>
    public IEnumerable<QueueEntry> All => _byQueue.Values.SelectMany(list => list);
}
