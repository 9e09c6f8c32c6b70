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
/// <param name="NoLease">Sent by the stored-job sweep for an attempt its shard held no lease for: counted although no
/// lease matches. Any other notice is counted only by the settlement of its lease (see <c>ShardLedger</c>), so a notice
/// that arrives after its lease was settled otherwise counts nothing twice.</param>
[GenerateSerializer, Immutable, Alias("oq.AttemptEnd")]
public sealed record AttemptEnd(
    [property: Id(0)] AttemptRef Attempt,
    [property: Id(1)] AttemptOutcome Outcome,
    [property: Id(2)] QueueEntry? Requeue,
    [property: Id(3)] DateTimeOffset SubmittedAt,
    [property: Id(4)] DateTimeOffset EndedAt,
    [property: Id(5)] bool FirstCancel = false,
    [property: Id(6)] QueueEntry? Bury = null,
    [property: Id(7)] bool NoLease = false)
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
