namespace OrleansQueue.Scheduling;

/// <summary>A job handed to a worker. <see cref="Attempt"/> is the fencing token: every report about this
/// run must carry it, and the job grain refuses any token that is not its current attempt.</summary>
[GenerateSerializer, Immutable, Alias("oq.LeasedJob")]
public sealed record LeasedJob(
    [property: Id(0)] Guid JobId,
    [property: Id(1)] string Type,
    [property: Id(2)] byte[] Payload,
    [property: Id(3)] long Priority,
    [property: Id(4)] int Attempt,
    [property: Id(5)] TimeSpan Deadline,
    [property: Id(6)] DateTimeOffset StartedAt,
    [property: Id(7)] int RetriesLeft,
    [property: Id(8)] string Queue = QueueNames.Default);

/// <summary>One attempt of one job, as a worker and the schedule refer to it.</summary>
[GenerateSerializer, Immutable, Alias("oq.AttemptRef")]
public readonly record struct AttemptRef(
    [property: Id(0)] Guid JobId,
    [property: Id(1)] int Attempt);
