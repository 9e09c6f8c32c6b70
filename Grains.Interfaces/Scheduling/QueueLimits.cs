namespace OrleansQueue.Scheduling;

/// <summary>The silo's limits a client or worker must respect, asked for instead of copied
/// (<see cref="IScheduleGrain.GetLimits"/>).</summary>
/// <param name="Shards">How many schedule shards the cluster runs.</param>
/// <param name="MaxLeaseBatch">The most jobs one lease call may take.</param>
/// <param name="MaxLeaseWait">The longest long poll one lease call may ask for.</param>
/// <param name="MaxPayloadBytes">The largest payload a job may carry.</param>
/// <param name="WorkerTimeout">How long a worker may go without a heartbeat before the schedule declares it lost and
/// takes its jobs back: a worker beats at most every half of it.</param>
[GenerateSerializer, Immutable, Alias("oq.QueueLimits")]
public sealed record QueueLimits(
    [property: Id(0)] int Shards,
    [property: Id(1)] int MaxLeaseBatch,
    [property: Id(2)] TimeSpan MaxLeaseWait,
    [property: Id(3)] int MaxPayloadBytes,
    [property: Id(4)] TimeSpan WorkerTimeout)
{
    /// <summary>The words a payload over the limit is refused with, by the silo and by a client checking first.</summary>
    public static string PayloadTooLarge(int bytes, int limit) => $"The payload is {bytes} bytes; the limit is {limit} bytes.";

    /// <summary>Why a payload of <paramref name="bytes"/> is refused, or null when it fits.</summary>
    public string? CheckPayload(int bytes) => bytes > MaxPayloadBytes ? PayloadTooLarge(bytes, MaxPayloadBytes) : null;
}
