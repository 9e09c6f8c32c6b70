using Orleans.Concurrency;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Jobs;

/// <summary>
/// One job, keyed by its id. It owns the job's state and is the single arbiter of its transitions:
/// every report names the attempt (fencing token) it is about, and only the current attempt's first
/// report is accepted. Every operation has one path: submit through <see cref="ISubmitGrain"/> (a single submit is a
/// batch of one), start through <see cref="IStartGrain"/>, a worker's report through <see cref="IReportGrain"/>.
/// </summary>
[Alias("oq.IJobGrain")]
public interface IJobGrain : IGrainWithGuidKey
{
    /// <summary>Validates and stores the job without queueing it: the caller (<see cref="ISubmitGrain"/>) queues the
    /// returned entry. For a job that already exists it returns the entry while the job is pending (the schedule
    /// ignores a job it already holds), and none once the job has moved on. <paramref name="token"/> names this call,
    /// for <see cref="Discard"/>. <paramref name="submittedAt"/> is the job's submit and enqueue time: the submit batch
    /// gives its jobs times in the batch's order, so that the order of a queue (FIFO within a priority, a hand-back's
    /// place, a shard restored from its journal) is the batch's order.</summary>
    /// <exception cref="InvalidJobException">A value is out of range; nothing was stored.</exception>
    [Alias("Store")]
    Task<StoredJob> Store(JobSubmission submission, Guid token, DateTimeOffset submittedAt);

    /// <summary>Undoes the <see cref="Store"/> call named <paramref name="token"/> whose entry could not be queued: the
    /// job is forgotten, unless a later <see cref="Store"/> returned it since (a resent batch, which may have queued it)
    /// or an attempt has started (the enqueue did land after all).</summary>
    [Alias("Discard")]
    Task Discard(Guid token);

    /// <summary>Forgets the job (its stored state is cleared, its id unknown from now on) if it is still the finished job
    /// that finished at <paramref name="finishedAt"/>: COMPLETED, FAILED or CANCELLED, and not requeued since. Called once
    /// the job's retention has passed (<c>Queue:FinishedJobRetention</c>). Returns whether it forgot it.</summary>
    [Alias("Forget")]
    Task<bool> Forget(DateTimeOffset finishedAt);

    /// <summary>The job, or null when no job has this id.</summary>
    [ReadOnly, Alias("GetStatus")]
    Task<JobView?> GetStatus();

    /// <summary>The job's payload, or null when no job has this id (beanstalkd's <c>peek</c>).</summary>
    [ReadOnly, Alias("GetPayload")]
    Task<byte[]?> GetPayload();

    /// <summary>Called through <see cref="IStartGrain"/> for the shard that leased the job: records attempt
    /// <paramref name="attempt"/> (the fencing token the shard issued) for <paramref name="worker"/>.</summary>
    [Alias("StartAttempt")]
    Task<StartResult> StartAttempt(string worker, int attempt, DateTimeOffset startedAt);

    /// <summary>Applies a worker's report (complete, fail or hand back) and returns the shard's notice instead of
    /// sending it, so that a batch of reports gives each shard one notice call (<see cref="IReportGrain"/>). A notice
    /// that is never delivered is made good by the shard when the lease runs out.</summary>
    [Alias("EndAttempt")]
    Task<EndReply> EndAttempt(AttemptReport report);

    /// <summary>The handler's progress (0–100 and a short message); refused for any attempt but the running one.</summary>
    [Alias("ReportProgress")]
    Task<ReportReply> ReportProgress(int attempt, int percent, string? message);

    /// <summary>Called by the schedule when the attempt's lease ran out (deadline, lost worker, a lease the worker
    /// never received, or a start whose answer was lost). Says what the shard must do. <paramref name="leasedAt"/> names
    /// the lease (an attempt records its lease's time as its start); null for a caller that holds no lease.</summary>
    [Alias("TakeBack")]
    Task<TakeBackReply> TakeBack(int attempt, DateTimeOffset? leasedAt, RequeueCause cause);

    /// <summary>Cancels a pending or processing job. A job already cancelled answers
    /// <see cref="ReportResult.Duplicate"/>.</summary>
    [Alias("Cancel")]
    Task<ReportReply> Cancel();

    /// <summary>Cancels the job only while it is pending (beanstalkd's <c>delete</c> of a job nobody reserved); any other
    /// status answers <see cref="ReportResult.WrongState"/> and changes nothing, so a job leased meanwhile stays its
    /// worker's.</summary>
    [Alias("CancelPending")]
    Task<ReportReply> CancelPending();

    /// <summary>A buried job is pending again, with its retries restored (beanstalkd's <c>kick</c>, the console's
    /// <c>kick</c>); any other status answers <see cref="ReportResult.WrongState"/> and changes nothing.</summary>
    [Alias("Kick")]
    Task<ReportReply> Kick();

    /// <summary>Sends a failed, cancelled or buried job back to pending with its retries restored. A job already pending
    /// answers <see cref="ReportResult.Duplicate"/>.</summary>
    [Alias("Requeue")]
    Task<ReportReply> Requeue();
}

/// <summary>What <see cref="IJobGrain.Store"/> made of a submission.</summary>
/// <param name="Entry">The entry to queue, or null when the job exists and has moved on.</param>
/// <param name="Job">The job as stored.</param>
[GenerateSerializer, Immutable, Alias("oq.StoredJob")]
public sealed record StoredJob([property: Id(0)] QueueEntry? Entry, [property: Id(1)] JobView Job);
