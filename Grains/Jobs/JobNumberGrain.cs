using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using OrleansQueue.Diagnostics;
using OrleansQueue.Hosting;
using OrleansQueue.Storage;

namespace OrleansQueue.Jobs;

/// <summary>The job number counter (see <see cref="IJobNumberGrain"/>): the next number to hand out, stored before
/// each range is returned.</summary>
public sealed class JobNumberGrain([FromKeyedServices(QueueStorage.Name)] IGrainStorage storage, QueueInstruments instruments)
    : Grain, IJobNumberGrain
{
    private StoredState<JobNumberState> _state = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _state = new StoredState<JobNumberState>(storage, "job-numbers", this.GetGrainId(), instruments);
        return _state.ReadAsync();
    }

    public async Task<ulong> Reserve(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, IJobNumberGrain.MaxRange);
        var first = Math.Max(_state.State.Next, 1UL);
        _state.State.Next = first + (ulong)count;
        // Written before the range is handed out: a failed write hands out nothing, and the next call tries again
        // from the stored value, so no number is ever given twice.
        try
        {
            await _state.WriteAsync();
        }
        catch
        {
            // A write that timed out may have landed after all, so this activation's ETag may be stale: the next call
            // reads what storage holds in a new activation.
            _state.State.Next = first;
            DeactivateOnIdle();
            throw;
        }

        return first;
    }
}

[GenerateSerializer, Alias("oq.JobNumberState")]
public sealed class JobNumberState
{
    /// <summary>The first number not handed out yet; 0 before the first range (numbers start at 1).</summary>
    [Id(0)] public ulong Next { get; set; }
}
