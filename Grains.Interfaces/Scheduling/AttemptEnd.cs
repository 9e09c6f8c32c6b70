using OrleansQueue.Jobs;

namespace OrleansQueue.Scheduling;

/// <summary>A job grain's notice that an attempt ended, with what the shard needs for its counts and latencies.</summary>
/// <param name="Attempt">The attempt that ended.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Requeue">The entry to queue again (a retry, a take-back with retries left, a hand-back), or null.</param>
/// <param name="SubmittedAt">When the job was submitted, for end-to-end latency.</param>
/// <param name="EndedAt">When the attempt ended.</param>
/// <param name="FirstCancel">For <see cref="AttemptOutcome.Cancelled"/>: this is the first time the job was cancelled,
/// so the shard counts it (a job counts once as cancelled however often it is requeued and cancelled again).</param>
/// <param name="Bury">For <see cref="AttemptOutcome.Buried"/>: the entry the shard keeps among its buried jobs until the
/// job is kicked.</param>
[GenerateSerializer, Immutable, Alias("oq.AttemptEnd")]
public sealed record AttemptEnd(
    [property: Id(0)] AttemptRef Attempt,
    [property: Id(1)] AttemptOutcome Outcome,
    [property: Id(2)] QueueEntry? Requeue,
    [property: Id(3)] DateTimeOffset SubmittedAt,
    [property: Id(4)] DateTimeOffset EndedAt,
    [property: Id(5)] bool FirstCancel = false,
    [property: Id(6)] QueueEntry? Bury = null)
{
    /// <summary>Why the job went back to the queue, when it did.</summary>
    public RequeueCause? RequeueCause => Requeue is null ? null : Outcome switch
    {
        AttemptOutcome.Failed => Scheduling.RequeueCause.Retry,
        AttemptOutcome.DeadlineExceeded => Scheduling.RequeueCause.Deadline,
        AttemptOutcome.WorkerLost => Scheduling.RequeueCause.WorkerLost,
        _ => Scheduling.RequeueCause.HandedBack,
    };
}
