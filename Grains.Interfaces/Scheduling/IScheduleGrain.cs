using Orleans.Concurrency;
using System.Collections.Immutable;
using OrleansQueue.Jobs;

namespace OrleansQueue.Scheduling;

/// <summary>
/// One shard of the priority index, keyed by shard number. It holds pending jobs in priority order,
/// the leases in flight with their deadlines, and the workers it has seen.
/// </summary>
[Alias("oq.IScheduleGrain")]
public interface IScheduleGrain : IGrainWithIntegerKey
{
    /// <summary>Adds jobs to the index: new submissions, or with <paramref name="cause"/> jobs sent back.
    /// A job already queued or leased here is not added twice.</summary>
    [Alias("Enqueue")]
    Task Enqueue(ImmutableArray<QueueEntry> entries, RequeueCause? cause = null);

    /// <summary>
    /// Long poll: leases up to <paramref name="max"/> jobs of <paramref name="queues"/> (null: the default queue) for
    /// <paramref name="worker"/>, returning at once when any are ready, else as soon as one arrives, else empty after
    /// <paramref name="wait"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A queue name is not valid, or more than <see cref="MaxLeaseQueues"/> are named.</exception>
    [Alias("Lease")]
    Task<ImmutableArray<LeasedJob>> Lease(WorkerId worker, int max, TimeSpan wait, string[]? queues = null, CancellationToken cancellationToken = default);

    /// <summary>Ends <paramref name="worker"/>'s long polls (<see cref="Lease"/>) parked on exactly <paramref name="queues"/>
    /// (null: the default queue): each returns at once, empty unless a job reached it in the same instant, which it
    /// returns as usual. A caller that no longer wants a poll's jobs ends it this way rather than by cancelling the call,
    /// whose answer, and so any job it took, would be dropped.</summary>
    [Alias("EndWaits")]
    Task EndWaits(WorkerId worker, string[]? queues = null);

    /// <summary>Leases the job <paramref name="jobId"/> for <paramref name="worker"/> if it is pending here, ready or
    /// not yet due (beanstalkd's <c>reserve-job</c>); null when it is not (unknown, leased, or finished).</summary>
    [Alias("LeaseJob")]
    Task<LeasedJob?> LeaseJob(WorkerId worker, Guid jobId);

    /// <summary>The most queues one lease may name.</summary>
    const int MaxLeaseQueues = 100;

    /// <summary>Attempts that ended (from a batch of worker reports, or a cancel): each releases its lease, and
    /// <see cref="AttemptEnd.Requeue"/> puts the job back.</summary>
    [Alias("AttemptsEnded")]
    Task AttemptsEnded(ImmutableArray<AttemptEnd> notices);

    /// <summary>Called by a job grain when a pending job was cancelled: it must never be leased. It counts as
    /// cancelled when <paramref name="firstCancel"/> (a job counts once).</summary>
    [Alias("Remove")]
    Task Remove(Guid jobId, bool firstCancel);

    [Alias("Heartbeat")]
    Task<HeartbeatReply> Heartbeat(WorkerHeartbeat heartbeat);

    /// <summary>The worker's handler is still at <paramref name="attempt"/> (beanstalkd's <c>touch</c>, a handler's
    /// <c>Touch</c>): its lease now runs out <paramref name="time"/> from now (at most the longest deadline), not at its
    /// deadline. False when the worker holds no lease of that attempt (taken back, or never its own).</summary>
    [Alias("ExtendLease")]
    Task<bool> ExtendLease(WorkerId worker, AttemptRef attempt, TimeSpan time);

    /// <summary>A worker stops for good (after handing back its jobs); it is no longer counted.</summary>
    [Alias("WorkerStopped")]
    Task WorkerStopped(WorkerId worker);

    [ReadOnly, Alias("GetMetrics")]
    Task<QueueMetrics> GetMetrics();

    /// <summary>Ids of jobs this shard knows in <paramref name="status"/>: pending in lease order (every pending job, due
    /// or not, the due ones first), delayed (pending and not yet due) due first, processing,
    /// or the most recent finished ones (newest first); with <paramref name="queue"/>, only that named queue's. The ids
    /// are candidates: a finished job may have been requeued since (or finished where the shard did not know its
    /// queue), so callers confirm each with the job grain.</summary>
    /// <exception cref="ArgumentException"><paramref name="queue"/> is not a valid queue name.</exception>
    [ReadOnly, Alias("ListJobs")]
    Task<ImmutableArray<Guid>> ListJobs(JobStatus status, int limit, string? queue = null);

    /// <summary>Ids of the buried jobs of <paramref name="queue"/> this shard holds, first buried first (candidates for a
    /// kick, which each job grain decides).</summary>
    [ReadOnly, Alias("ListBuried")]
    Task<ImmutableArray<Guid>> ListBuried(string queue, int limit);

    /// <summary>Per queue holding jobs on this shard (or <paramref name="queue"/> alone, even when empty): its jobs by
    /// where they are (beanstalkd's <c>stats-tube</c>, <c>stats</c>, <c>list-tubes</c>).</summary>
    [ReadOnly, Alias("GetQueueCounts")]
    Task<ImmutableArray<QueueCounts>> GetQueueCounts(string? queue);

    /// <summary>No lease takes from <paramref name="queue"/> on this shard for <paramref name="delay"/> (beanstalkd's
    /// <c>pause-tube</c>, the console's <c>pause</c>); zero lifts the pause. Held in memory: a shard that moves to another
    /// silo forgets it.</summary>
    [Alias("PauseQueue")]
    Task PauseQueue(string queue, TimeSpan delay);

    /// <summary>The id of the job of <paramref name="queue"/> this shard would lease next, has due first, or buried
    /// first (beanstalkd's <c>peek-ready</c>, <c>peek-delayed</c>, <c>peek-buried</c>); null when it holds none.</summary>
    [ReadOnly, Alias("PeekQueue")]
    Task<Guid?> PeekQueue(string queue, PeekPlace place);

    /// <summary>The cluster's limits (shard count, lease batch and wait, payload size); any shard answers. Workers and
    /// clients ask for them instead of copying the silo's defaults.</summary>
    [ReadOnly, Alias("GetLimits")]
    Task<QueueLimits> GetLimits();
}
