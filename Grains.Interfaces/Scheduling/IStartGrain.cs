using System.Collections.Immutable;
using OrleansQueue.Jobs;

namespace OrleansQueue.Scheduling;

/// <summary>
/// Starts the attempts of a lease: a stateless worker that calls each job grain's <c>StartAttempt</c> at once and
/// answers with one reply, so the shard spends one turn on a lease of any size instead of one per job. It is the only
/// way an attempt starts.
/// </summary>
[Alias("oq.IStartGrain")]
public interface IStartGrain : IGrainWithIntegerKey
{
    /// <summary>Starts each attempt (job and the fencing token the shard issued) for <paramref name="worker"/> at
    /// <paramref name="startedAt"/>, the lease's time. One result per attempt, in order.</summary>
    [Alias("StartAttempts")]
    Task<ImmutableArray<StartResult>> StartAttempts(string worker, ImmutableArray<AttemptRef> attempts, DateTimeOffset startedAt);
}

/// <summary>How starting one attempt went: one of four cases.</summary>
[GenerateSerializer, Immutable, Alias("oq.StartResult")]
public abstract record StartResult
{
    private StartResult()
    {
    }

    /// <summary>The job grain recorded the attempt; hand the job to the worker.</summary>
    [GenerateSerializer, Immutable, Alias("oq.StartResult.Started")]
    public sealed record Started([property: Id(0)] LeasedJob Job) : StartResult;

    /// <summary>The job is no longer pending: cancelled while it waited (drop the lease), or running
    /// <paramref name="Attempt"/>, which no lease of this shard covers (take that attempt back).</summary>
    /// <param name="Status">The job's status.</param>
    /// <param name="Attempt">The job's current attempt (0 for none).</param>
    [GenerateSerializer, Immutable, Alias("oq.StartResult.NotPending")]
    public sealed record NotPending([property: Id(0)] JobStatus Status, [property: Id(1)] int Attempt = 0) : StartResult;

    /// <summary>The shard's entry named an attempt the job grain cannot start (an entry older than the job's last
    /// attempt): nothing started; queue this current entry instead.</summary>
    [GenerateSerializer, Immutable, Alias("oq.StartResult.Renumbered")]
    public sealed record Renumbered([property: Id(0)] QueueEntry Entry) : StartResult;

    /// <summary>The job grain could not be reached: the attempt may or may not have started, so the shard takes the
    /// lease back (the job grain, which knows, ends it or returns the entry).</summary>
    [GenerateSerializer, Immutable, Alias("oq.StartResult.Unreached")]
    public sealed record Unreached([property: Id(0)] string Error) : StartResult;
}
