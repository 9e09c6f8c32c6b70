using System.Collections.Immutable;

namespace OrleansQueue.Scheduling;

/// <summary>A worker's periodic "still here", with the attempts it is running.</summary>
[GenerateSerializer, Immutable, Alias("oq.WorkerHeartbeat")]
public sealed record WorkerHeartbeat(
    [property: Id(0)] WorkerId Worker,
    [property: Id(1)] int Slots,
    [property: Id(2)] ImmutableArray<AttemptRef> Running);

/// <summary>The schedule's answer: attempts the worker must stop because they are no longer its own
/// (cancelled, taken back after a deadline, or given to another worker after this one was declared lost).</summary>
[GenerateSerializer, Immutable, Alias("oq.HeartbeatReply")]
public sealed record HeartbeatReply(
    [property: Id(0)] ImmutableArray<AttemptRef> Stop);
