using System.Collections.Immutable;
using Orleans.Concurrency;

namespace OrleansQueue.Jobs;

/// <summary>
/// Batch submit: one call stores many jobs and queues them with one <c>Enqueue</c> per schedule shard. It is a
/// stateless worker, so a silo runs as many as it has cores, next to the gateway that received the call.
/// Submitting the same ids again is safe: a job that exists is not stored twice, and the schedule never holds a job
/// twice, so a client may resend a batch whose answer it lost.
/// </summary>
[Alias("oq.ISubmitGrain")]
public interface ISubmitGrain : IGrainWithIntegerKey
{
    /// <summary>The most jobs one call may carry.</summary>
    const int MaxBatch = 5000;

    /// <summary>Stores and queues each job. Jobs of one shard are queued in the order given. The answer has one
    /// outcome per job, in the same order; a job whose outcome is not <see cref="SubmitOutcomeKind.Queued"/> was
    /// not stored. A single submit is a batch of one, and its outcome carries the stored job
    /// (<see cref="SubmitOutcome.Job"/>); larger batches answer without, so a reply stays small.</summary>
    [Alias("SubmitBatch")]
    Task<ImmutableArray<SubmitOutcome>> SubmitBatch(ImmutableArray<JobToSubmit> jobs);
}

/// <summary>One job of a batch: the id is chosen by the client (<see cref="JobId.New"/>) so that a resent batch
/// names the same jobs.</summary>
[GenerateSerializer, Immutable, Alias("oq.JobToSubmit")]
public sealed record JobToSubmit([property: Id(0)] Guid JobId, [property: Id(1)] JobSubmission Submission);

[GenerateSerializer, Alias("oq.SubmitOutcomeKind")]
public enum SubmitOutcomeKind
{
    /// <summary>Stored and queued (or it already existed under this id).</summary>
    Queued = 0,
    /// <summary>A value is out of range; <see cref="SubmitOutcome.Error"/> says which. Resending cannot help.</summary>
    Invalid = 1,
    /// <summary>Storing or queueing failed and the job was not kept; resending the same id may succeed.</summary>
    Failed = 2,
    /// <summary>Set by the client, never by the silo: the call carrying the job got no answer, even when sent again, so
    /// the job may or may not be stored and queued. Its status tells; resending the same id is safe.</summary>
    Unknown = 3,
}

[GenerateSerializer, Immutable, Alias("oq.SubmitOutcome")]
public sealed record SubmitOutcome(
    [property: Id(0)] Guid JobId,
    [property: Id(1)] SubmitOutcomeKind Kind,
    [property: Id(2)] string? Error = null,
    [property: Id(3)] JobView? Job = null)
{
    public bool IsQueued => Kind == SubmitOutcomeKind.Queued;
}
