namespace OrleansQueue.Scheduling;

/// <summary>A pending job as the schedule's priority index holds it: just enough to order it and to
/// bound its lease. The job grain stays the owner of everything else.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Priority">0 (first) to 4,294,967,295 (beanstalkd's 32-bit unsigned range; the console uses 0 to 10).</param>
/// <param name="EnqueuedAt">When it (re)entered the queue; FIFO order and aging are measured from here.</param>
/// <param name="Deadline">How long one attempt may run; bounds the lease.</param>
/// <param name="NotBefore">A retry's backoff: not leasable before this time.</param>
/// <param name="Attempt">The number of the attempt a lease of this entry starts: the lease's fencing token. The job
/// grain writes it (its attempts so far plus one) and the shard issues it with the lease, so the lease carries its
/// token from the first moment; the job grain records it when it starts the attempt.</param>
/// <param name="Queue">The named queue the job lives in (<see cref="QueueNames"/>); a lease takes only from the queues
/// its worker names.</param>
[GenerateSerializer, Immutable, Alias("oq.QueueEntry")]
public sealed record QueueEntry(
    [property: Id(0)] Guid JobId,
    [property: Id(1)] long Priority,
    [property: Id(2)] DateTimeOffset EnqueuedAt,
    [property: Id(3)] TimeSpan Deadline,
    [property: Id(4)] DateTimeOffset? NotBefore = null,
    [property: Id(5)] int Attempt = 1,
    [property: Id(6)] string Queue = QueueNames.Default);

/// <summary>Why a job went back to the queue without finishing.</summary>
[GenerateSerializer, Alias("oq.RequeueCause")]
public enum RequeueCause
{
    /// <summary>The handler failed and a retry was left.</summary>
    Retry = 0,
    /// <summary>The attempt ran past its deadline.</summary>
    Deadline = 1,
    /// <summary>The worker holding it stopped sending heartbeats.</summary>
    WorkerLost = 2,
    /// <summary>The worker gave it back unfinished (graceful stop); no retry is used.</summary>
    HandedBack = 3,
    /// <summary>An operator sent a failed or cancelled job back (<c>requeue ID</c>).</summary>
    Manual = 4,
}
