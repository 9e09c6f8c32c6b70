using System.Collections.Immutable;
using Orleans.Concurrency;
using OrleansQueue.Jobs;

namespace OrleansQueue.Scheduling;

/// <summary>Starts a leased batch's attempts (see <see cref="IStartGrain"/>). It holds no state, so any number of
/// activations may run side by side, on the silo of the shard that calls it.</summary>
[StatelessWorker]
public sealed class StartGrain : Grain, IStartGrain
{
    public async Task<ImmutableArray<StartResult>> StartAttempts(string worker, ImmutableArray<Guid> jobIds) =>
        [.. await Task.WhenAll(jobIds.Select(id => StartOne(worker, id)))];

    private async Task<StartResult> StartOne(string worker, Guid jobId)
    {
        try
        {
            return new StartResult(await GrainFactory.GetGrain<IJobGrain>(jobId).StartAttempt(worker));
        }
        catch (Exception ex)
        {
            return new StartResult(null, Failed: true, Error: $"{ex.GetType().Name}: {ex.Message}");
        }
    }
}
