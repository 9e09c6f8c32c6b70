using OrleansQueue.Jobs;

namespace OrleansQueue.Scheduling;

/// <summary>A bounded memory of the jobs that finished most recently, per final status.</summary>
public sealed class RecentJobs(int capacityPerStatus)
{
    private readonly Dictionary<JobStatus, LinkedList<Guid>> _byStatus = [];
    private List<RecentJob> _unsaved = [];

    public void Add(Guid jobId, JobStatus status)
    {
        if (capacityPerStatus <= 0)
        {
            return;
        }

        _unsaved.Add(new RecentJob(jobId, status));
        if (!_byStatus.TryGetValue(status, out var list))
        {
            _byStatus[status] = list = new LinkedList<Guid>();
        }

        list.AddFirst(jobId);
        if (list.Count > capacityPerStatus)
        {
            list.RemoveLast();
        }
    }

    public IEnumerable<Guid> Newest(JobStatus status) =>
        _byStatus.TryGetValue(status, out var list) ? list : [];

    /// <summary>The jobs added since the last call, oldest first, for the shard's journal.</summary>
    public List<RecentJob> TakeUnsaved()
    {
        var taken = _unsaved;
        _unsaved = [];
        return taken;
    }

    /// <summary>Oldest first, so that replaying it through <see cref="Add"/> restores the same order.</summary>
    public IEnumerable<RecentJob> Snapshot() =>
        _byStatus.SelectMany(kv => kv.Value.Reverse().Select(id => new RecentJob(id, kv.Key)));
}
