namespace OrleansQueue.Jobs;

/// <summary>A job as <c>status</c> shows it.</summary>
[GenerateSerializer, Immutable, Alias("oq.JobView")]
public sealed record JobView
{
    [Id(0)] public required Guid Id { get; init; }
    [Id(1)] public required string Type { get; init; }
    /// <summary>As of the view: <see cref="JobStatus.Delayed"/> for a pending job not yet due.</summary>
    [Id(2)] public required JobStatus Status { get; init; }
    [Id(3)] public required long Priority { get; init; }
    /// <summary>Retries still allowed after a failed attempt.</summary>
    [Id(4)] public required int RetriesLeft { get; init; }
    /// <summary>Retries the job was submitted with.</summary>
    [Id(5)] public required int Retries { get; init; }
    [Id(6)] public required TimeSpan Deadline { get; init; }
    [Id(7)] public required DateTimeOffset SubmittedAt { get; init; }
    /// <summary>When the first attempt started.</summary>
    [Id(8)] public DateTimeOffset? StartedAt { get; init; }
    [Id(9)] public DateTimeOffset? FinishedAt { get; init; }
    [Id(10)] public required IReadOnlyList<AttemptRecord> Attempts { get; init; }
    [Id(11)] public byte[]? Result { get; init; }
    [Id(12)] public string? Error { get; init; }
    [Id(13)] public required int PayloadBytes { get; init; }
    /// <summary>While a retry waits out its backoff: when it becomes leasable again.</summary>
    [Id(14)] public DateTimeOffset? NotBefore { get; init; }
    [Id(15)] public required TimeSpan RetryBackoff { get; init; }
    /// <summary>The latest progress the handler reported for the current (or last) attempt.</summary>
    [Id(16)] public JobProgress? Progress { get; init; }
    /// <summary>The named queue the job lives in.</summary>
    [Id(17)] public string Queue { get; init; } = OrleansQueue.Scheduling.QueueNames.Default;
    /// <summary>The delay the job was last submitted or released with (beanstalkd's <c>delay</c> of <c>stats-job</c>).</summary>
    [Id(18)] public TimeSpan Delay { get; init; }
    /// <summary>How often the job was kicked while delayed (beanstalkd's <c>kick</c> of a delayed job).</summary>
    [Id(19)] public int DelayedKicks { get; init; }

    /// <summary>The worker of the latest attempt, if any.</summary>
    public string? Worker => Attempts.Count == 0 ? null : Attempts[^1].Worker;
}

/// <summary>A handler's latest progress report: a percent (0–100) and a short message.</summary>
[GenerateSerializer, Immutable, Alias("oq.JobProgress")]
public sealed record JobProgress(
    [property: Id(0)] int Attempt,
    [property: Id(1)] int Percent,
    [property: Id(2)] string? Message,
    [property: Id(3)] DateTimeOffset At);

/// <summary>One attempt at running a job. <see cref="Number"/> is also the attempt's fencing token.</summary>
[GenerateSerializer, Immutable, Alias("oq.AttemptRecord")]
public sealed record AttemptRecord(
    [property: Id(0)] int Number,
    [property: Id(1)] string Worker,
    [property: Id(2)] DateTimeOffset StartedAt,
    [property: Id(3)] DateTimeOffset? EndedAt,
    [property: Id(4)] AttemptOutcome Outcome,
    [property: Id(5)] string? Error);
