using OrleansQueue.Scheduling;

namespace OrleansQueue.Jobs;

/// <summary>The stored state of one job grain.</summary>
[GenerateSerializer, Alias("oq.JobState")]
public sealed class JobState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(18)] public Guid Id { get; set; }
    [Id(1)] public string Type { get; set; } = "";
    [Id(2)] public byte[] Payload { get; set; } = [];
    [Id(3)] public long Priority { get; set; }
    [Id(4)] public int Retries { get; set; }
    [Id(5)] public int RetriesLeft { get; set; }
    [Id(6)] public TimeSpan Deadline { get; set; }
    [Id(7)] public TimeSpan RetryBackoff { get; set; }
    [Id(8)] public DateTimeOffset SubmittedAt { get; set; }
    [Id(9)] public DateTimeOffset? StartedAt { get; set; }
    [Id(10)] public DateTimeOffset? FinishedAt { get; set; }
    [Id(11)] public DateTimeOffset? NotBefore { get; set; }
    [Id(12)] public JobStatus Status { get; set; }
    [Id(13)] public List<AttemptRecord> Attempts { get; set; } = [];
    [Id(14)] public byte[]? Result { get; set; }
    [Id(15)] public string? Error { get; set; }
    [Id(16)] public int Shard { get; set; }
    /// <summary>When the job last entered the queue (submit, retry, take-back or requeue).</summary>
    [Id(17)] public DateTimeOffset EnqueuedAt { get; set; }
    [Id(19)] public JobProgress? Progress { get; set; }
    /// <summary>The last <c>Store</c> call that returned this job's entry: only that call may discard it.</summary>
    [Id(20)] public Guid StoreToken { get; set; }
    /// <summary>Set by the job's first cancel, so that its shard counts the job as cancelled once however often it is
    /// requeued and cancelled again.</summary>
    [Id(21)] public bool EverCancelled { get; set; }
    /// <summary>The named queue the job lives in, for its whole life.</summary>
    [Id(22)] public string Queue { get; set; } = QueueNames.Default;
    /// <summary>The delay of the last submit or release (shown by beanstalkd's <c>stats-job</c>); kept when it runs out.</summary>
    [Id(23)] public TimeSpan Delay { get; set; }
    /// <summary>Kicks of the job while it was delayed (a buried job's kicks are counted by its attempts).</summary>
    [Id(24)] public int DelayedKicks { get; set; }

    public int CurrentAttempt => Attempts.Count;

    public AttemptRecord? LastAttempt => Attempts.Count == 0 ? null : Attempts[^1];

    /// <summary>The job as its shard queues it; a lease of it starts the next attempt.</summary>
    public QueueEntry ToEntry() => new(Id, Priority, EnqueuedAt, Deadline, NotBefore, CurrentAttempt + 1, Queue);

    /// <summary>The job as seen at <paramref name="now"/>: <see cref="JobStatus.Delayed"/> while pending and not yet due.</summary>
    public JobView ToView(DateTimeOffset now) => new()
    {
        Id = Id,
        Type = Type,
        Status = Status.AsShownAt(NotBefore, now),
        Priority = Priority,
        RetriesLeft = RetriesLeft,
        Retries = Retries,
        Deadline = Deadline,
        SubmittedAt = SubmittedAt,
        StartedAt = StartedAt,
        FinishedAt = FinishedAt,
        Attempts = Attempts.ToArray(),
        Result = Result,
        Error = Error,
        PayloadBytes = Payload.Length,
        NotBefore = NotBefore,
        RetryBackoff = RetryBackoff,
        Progress = Progress,
        Queue = Queue,
        Delay = Delay,
        DelayedKicks = DelayedKicks,
    };
}
