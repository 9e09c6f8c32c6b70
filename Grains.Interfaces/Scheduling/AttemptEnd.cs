using OrleansQueue.Jobs;

namespace OrleansQueue.Scheduling;

/// <summary>A job grain's notice that an attempt ended, with what the shard needs for its counts and latencies.</summary>
/// <param name="Attempt">The attempt that ended.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Requeue">The entry to queue again (a retry or a hand-back), or null.</param>
/// <param name="SubmittedAt">When the job was submitted, for end-to-end latency.</param>
/// <param name="EndedAt">When the attempt ended.</param>
[GenerateSerializer, Immutable, Alias("oq.AttemptEnd")]
public sealed record AttemptEnd(
    [property: Id(0)] AttemptRef Attempt,
    [property: Id(1)] AttemptOutcome Outcome,
    [property: Id(2)] QueueEntry? Requeue,
    [property: Id(3)] DateTimeOffset SubmittedAt,
    [property: Id(4)] DateTimeOffset EndedAt);
