using Orleans.Concurrency;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Jobs;

/// <summary>
/// One job, keyed by its id. It owns the job's state and is the single arbiter of its transitions:
/// every report names the attempt (fencing token) it is about, and only the current attempt's first
/// report is accepted.
/// </summary>
[Alias("oq.IJobGrain")]
public interface IJobGrain : IGrainWithGuidKey
{
    /// <summary>Validates and stores the job, then puts it in the schedule. Calling it again for a job that
    /// exists returns the job unchanged, so a client may retry a submit whose answer it lost.</summary>
    /// <exception cref="InvalidJobException">A value is out of range; nothing was stored.</exception>
    [Alias("Submit")]
    Task<JobView> Submit(JobSubmission submission);

    /// <summary>Validates and stores the job without queueing it: the caller (a batch submit) queues the returned
    /// entry. For a job that already exists it returns the entry while the job is pending (the schedule ignores a job
    /// it already holds), and null once the job has moved on. <paramref name="token"/> names this call, for
    /// <see cref="Discard"/>.</summary>
    /// <exception cref="InvalidJobException">A value is out of range; nothing was stored.</exception>
    [Alias("Store")]
    Task<QueueEntry?> Store(JobSubmission submission, Guid token);

    /// <summary>Undoes the <see cref="Store"/> call named <paramref name="token"/> whose entry could not be queued: the
    /// job is forgotten, unless a later <see cref="Store"/> returned it since (a resent batch, which may have queued it)
    /// or an attempt has started (the enqueue did land after all).</summary>
    [Alias("Discard")]
    Task Discard(Guid token);

    /// <summary>The job, or null when no job has this id.</summary>
    [ReadOnly, Alias("GetStatus")]
    Task<JobView?> GetStatus();

    /// <summary>Called by the schedule that leased the job: starts a new attempt for <paramref name="worker"/>.
    /// Returns null when the job is no longer pending (it was cancelled meanwhile).</summary>
    [Alias("StartAttempt")]
    Task<LeasedJob?> StartAttempt(string worker);

    [Alias("Complete")]
    Task<ReportReply> Complete(int attempt, byte[]? result);

    /// <summary>Applies a worker's report (complete, fail or hand back) like <see cref="Complete"/>,
    /// <see cref="Fail"/> and <see cref="HandBack"/>, but returns the shard's notice instead of sending it, so that
    /// a batch of reports gives each shard one notice call (<see cref="IReportGrain"/>). A notice that is never
    /// delivered is made good by the shard when the lease runs out.</summary>
    [Alias("EndAttempt")]
    Task<EndReply> EndAttempt(AttemptReport report);

    [Alias("Fail")]
    Task<ReportReply> Fail(int attempt, string reason);

    /// <summary>The handler's progress (0–100 and a short message); refused for any attempt but the running one.</summary>
    [Alias("ReportProgress")]
    Task<ReportReply> ReportProgress(int attempt, int percent, string? message);

    /// <summary>The worker gives the attempt back unfinished; the job is queued again at once and keeps its retries.</summary>
    [Alias("HandBack")]
    Task<ReportReply> HandBack(int attempt);

    /// <summary>Called by the schedule when the attempt's lease ran out (deadline, lost worker, or a lease the
    /// worker never received). Says whether to queue the job again.</summary>
    [Alias("TakeBack")]
    Task<TakeBackReply> TakeBack(int attempt, RequeueCause cause);

    [Alias("Cancel")]
    Task<ReportReply> Cancel();

    /// <summary>Sends a failed or cancelled job back to pending with its retries restored.</summary>
    [Alias("Requeue")]
    Task<ReportReply> Requeue();
}
