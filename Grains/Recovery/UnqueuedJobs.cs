using OrleansQueue.Jobs;

namespace OrleansQueue.Recovery;

/// <summary>What a stored job that its shard does not know needs to run again.</summary>
public enum Repair
{
    None,

    /// <summary>Pending, but in no shard's index: queue its entry again.</summary>
    Queue,

    /// <summary>Processing, but no shard holds its lease: nobody would ever take it back. End the attempt (as handed
    /// back: no retry is used, the schedule lost it) and queue the job again.</summary>
    TakeBack,
}

/// <summary>
/// The rule of the stored-job sweep, on plain state. It is only sound when the shard's list was read <em>after</em> the
/// job's state: a shard records a lease before the job grain starts the attempt, and an index entry is never removed
/// before the job moves on, so a job found pending or running in storage and in neither list afterwards is lost to the
/// schedule. A job that changed meanwhile is answered by its own grain (fencing) or dropped at lease time, so a repair
/// that was not needed costs a no-op, never a second run of a finished job.
/// </summary>
public static class UnqueuedJobs
{
    public static Repair For(JobState job, IReadOnlySet<Guid> knownToShard, DateTimeOffset now, TimeSpan minimumAge)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(knownToShard);
        if (!job.Exists || knownToShard.Contains(job.Id))
        {
            return Repair.None;
        }

        // Young changes may still be on their way to the shard (a submit stores the job before it queues it).
        return job.Status switch
        {
            JobStatus.Pending when now - job.EnqueuedAt >= minimumAge => Repair.Queue,
            JobStatus.Processing when job.LastAttempt is { Outcome: AttemptOutcome.Running } running
                && now - running.StartedAt >= minimumAge => Repair.TakeBack,
            _ => Repair.None,
        };
    }
}
