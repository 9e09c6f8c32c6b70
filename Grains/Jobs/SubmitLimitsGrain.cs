using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using OrleansQueue.Hosting;

namespace OrleansQueue.Jobs;

/// <summary>Answers <see cref="ISubmitLimitsGrain"/> from this silo's <see cref="QueueOptions"/>.</summary>
[StatelessWorker]
public sealed class SubmitLimitsGrain(IOptions<QueueOptions> options) : Grain, ISubmitLimitsGrain
{
    public Task<SubmitLimits> GetSubmitLimits() => Task.FromResult(new SubmitLimits(options.Value.MaxPayloadBytes));
}
