namespace OrleansQueue.Jobs;

/// <summary>
/// The jobs that finished on this silo, by finish time, until <see cref="FinishedJobSweep"/> has their grains forget them
/// once <see cref="Hosting.QueueOptions.FinishedJobRetention"/> has passed (or sooner, the oldest, past
/// <see cref="Hosting.QueueOptions.FinishedJobLimit"/>). A job grain adds itself when a change it wrote
/// left the job COMPLETED, FAILED or CANCELLED (and again when a report or command sent twice finds it so). Kept in memory
/// only, 24 to 48 bytes a job (the heap's array grows by doubling) against the job's own state of several hundred: what a
/// silo's end loses here, Redis mode's stored-job sweep finds by the jobs' finish times, and local storage loses with
/// the silo anyway.
/// </summary>
public sealed class FinishedJobs
{
    private readonly Lock _lock = new();
    private readonly PriorityQueue<Guid, long> _jobs = new();

    /// <summary>A job that finished at <paramref name="finishedAt"/> (its state's <c>FinishedAt</c>), in any order: one
    /// added again (a forget that failed) is due again at once.</summary>
    public void Add(Guid jobId, DateTimeOffset finishedAt)
    {
        lock (_lock)
        {
            _jobs.Enqueue(jobId, finishedAt.UtcTicks);
        }
    }

    /// <summary>How many jobs it holds (a job remembered twice counts twice).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _jobs.Count;
            }
        }
    }

    /// <summary>Takes up to <paramref name="max"/> of the jobs that finished at or before <paramref name="cutoff"/>, oldest
    /// first.</summary>
    public List<(Guid JobId, DateTimeOffset FinishedAt)> TakeFinishedBy(DateTimeOffset cutoff, int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var taken = new List<(Guid, DateTimeOffset)>();
        lock (_lock)
        {
            while (taken.Count < max && _jobs.TryPeek(out var jobId, out var finishedAt) && finishedAt <= cutoff.UtcTicks)
            {
                _jobs.Dequeue();
                taken.Add((jobId, new DateTimeOffset(finishedAt, TimeSpan.Zero)));
            }
        }

        return taken;
    }

    /// <summary>Whether a job in <paramref name="status"/> that finished at <paramref name="finishedAt"/> is past a
    /// retention that ended at <paramref name="cutoff"/>: finished (COMPLETED, FAILED, CANCELLED) at or before it.</summary>
    public static bool IsPastRetention(JobStatus status, DateTimeOffset? finishedAt, DateTimeOffset cutoff) =>
        status.IsTerminal() && finishedAt <= cutoff;
}
