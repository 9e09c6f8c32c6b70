namespace OrleansQueue.Worker.Running;

/// <summary>
/// Counts the attempts this worker finished, for the summary line it logs every
/// <see cref="WorkerService.SummaryInterval"/>: at thousands of jobs a second, a line per job would cost more than
/// the jobs (per-job lines are at Debug level).
/// </summary>
internal sealed class WorkerActivity
{
    private long _completed;
    private long _failed;

    public void Completed() => Interlocked.Increment(ref _completed);

    public void Failed() => Interlocked.Increment(ref _failed);

    /// <summary>What was counted since the last call, which starts the next count.</summary>
    public (long Completed, long Failed) Take() => (Interlocked.Exchange(ref _completed, 0), Interlocked.Exchange(ref _failed, 0));
}
