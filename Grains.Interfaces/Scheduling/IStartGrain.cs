using System.Collections.Immutable;

namespace OrleansQueue.Scheduling;

/// <summary>
/// Starts the attempts of a leased batch: a shard hands the whole batch to this stateless worker, which calls each
/// job grain's <c>StartAttempt</c> at once and answers with one reply, so the shard spends one turn on a batch
/// instead of one per job.
/// </summary>
[Alias("oq.IStartGrain")]
public interface IStartGrain : IGrainWithIntegerKey
{
    /// <summary>One result per job, in order.</summary>
    [Alias("StartAttempts")]
    Task<ImmutableArray<StartResult>> StartAttempts(string worker, ImmutableArray<Guid> jobIds);
}

/// <summary>How starting one job's attempt went.</summary>
/// <param name="Job">The started attempt, or null.</param>
/// <param name="Failed">The job grain could not be reached: it may or may not have started the attempt. When false
/// and <see cref="Job"/> is null, the job is no longer pending (it was cancelled meanwhile).</param>
/// <param name="Error">Why it failed.</param>
[GenerateSerializer, Immutable, Alias("oq.StartResult")]
public sealed record StartResult(
    [property: Id(0)] LeasedJob? Job,
    [property: Id(1)] bool Failed = false,
    [property: Id(2)] string? Error = null);
