namespace OrleansQueue.Scheduling;

/// <summary>The job grain's answer when the schedule takes a lease back.</summary>
/// <param name="Requeue">The entry to queue again, or null.</param>
/// <param name="TookBack">True when this call ended the running attempt (it counts as a requeue or a failure);
/// false when the job had already moved on and the schedule only reconciles.</param>
/// <param name="Status">The job's status after the call.</param>
[GenerateSerializer, Immutable, Alias("oq.TakeBackReply")]
public sealed record TakeBackReply(
    [property: Id(0)] QueueEntry? Requeue,
    [property: Id(1)] bool TookBack,
    [property: Id(2)] Jobs.JobStatus Status);
