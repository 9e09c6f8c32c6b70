using OrleansQueue.Jobs;

namespace OrleansQueue.Scheduling;

/// <summary>A bounded memory of the jobs that finished most recently, per final status, with their named queues.</summary>
public sealed class RecentJobs(int capacityPerStatus)
{
    private readonly Dictionary<JobStatus, LinkedList<RecentJob>> _byStatus = [];
    private List<RecentJob> _unsaved = [];

    /// <param name="queue">The job's named queue, null when not known.</param>
    public void Add(Guid jobId, JobStatus status, string? queue = null)
    {
        if (capacityPerStatus <= 0)
        {
            return;
        }

        var job = new RecentJob(jobId, status, queue);
        _unsaved.Add(job);
        if (!_byStatus.TryGetValue(status, out var list))
        {
            _byStatus[status] = list = new LinkedList<RecentJob>();
        }

        list.AddFirst(job);
        if (list.Count > capacityPerStatus)
        {
            list.RemoveLast();
        }
    }

    /// <summary>Newest first; with <paramref name="queue"/>, the jobs of that queue and those whose queue is not known
    /// (candidates: the caller confirms them).</summary>
    public IEnumerable<Guid> Newest(JobStatus status, string? queue = null) =>
        _byStatus.TryGetValue(status, out var list)
            ? list.Where(j => queue is null || j.Queue is null || j.Queue == queue).Select(j => j.JobId)
            : [];

    /// <summary>The jobs added since the last call, oldest first, for the shard's journal.</summary>
    public List<RecentJob> TakeUnsaved()
    {
        var taken = _unsaved;
        _unsaved = [];
        return taken;
    }

    /// <summary>Oldest first, so that replaying it through <see cref="Add"/> restores the same order.</summary>
    public IEnumerable<RecentJob> Snapshot() =>
        _byStatus.SelectMany(kv => kv.Value.Reverse());
}
