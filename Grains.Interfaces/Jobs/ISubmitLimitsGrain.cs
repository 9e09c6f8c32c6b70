using Orleans.Concurrency;

namespace OrleansQueue.Jobs;

/// <summary>The silo's limits on what a submit may carry, so a client can check a whole jobs file before it sends any
/// of it. A stateless worker: answered by the silo that received the call, from its configuration.</summary>
[Alias("oq.ISubmitLimitsGrain")]
public interface ISubmitLimitsGrain : IGrainWithIntegerKey
{
    [ReadOnly]
    [Alias("GetSubmitLimits")]
    Task<SubmitLimits> GetSubmitLimits();
}

/// <summary>The limits of <c>Queue:MaxPayloadBytes</c>.</summary>
[GenerateSerializer, Immutable, Alias("oq.SubmitLimits")]
public sealed record SubmitLimits([property: Id(0)] int MaxPayloadBytes)
{
    /// <summary>The silo's words for a payload over the limit, or null when it fits.</summary>
    public string? CheckPayload(int bytes) =>
        bytes > MaxPayloadBytes ? $"The payload is {bytes} bytes; the limit is {MaxPayloadBytes} bytes." : null;
}
