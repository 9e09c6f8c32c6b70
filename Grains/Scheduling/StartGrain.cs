using System.Collections.Immutable;
using Orleans.Concurrency;
using OrleansQueue.Jobs;

namespace OrleansQueue.Scheduling;

/// <summary>Starts a lease's attempts (see <see cref="IStartGrain"/>). It holds no state, so any number of
/// activations may run side by side, on the silo of the shard that calls it, each reentrant (no state to guard) so that
/// one waiting on storage takes the next lease's starts.</summary>
[StatelessWorker]
[Reentrant]
public sealed class StartGrain : Grain, IStartGrain
{
    public async Task<ImmutableArray<StartResult>> StartAttempts(string worker, ImmutableArray<AttemptRef> attempts, DateTimeOffset startedAt) =>
        [.. await Task.WhenAll(attempts.Select(a => StartOne(worker, a, startedAt)))];

    private async Task<StartResult> StartOne(string worker, AttemptRef attempt, DateTimeOffset startedAt)
    {
        try
        {
            return await GrainFactory.Grain<IJobGrain>(attempt.JobId).StartAttempt(worker, attempt.Attempt, startedAt);
        }
        catch (Exception ex)
        {
            return new StartResult.Unreached($"{ex.GetType().Name}: {ex.Message}");
        }
    }
}
