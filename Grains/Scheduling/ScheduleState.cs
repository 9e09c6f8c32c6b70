namespace OrleansQueue.Scheduling;

/// <summary>A snapshot of a schedule shard: its index, its leases and its counters (the head of its journal,
/// <see cref="ShardJournalHead"/>).</summary>
[GenerateSerializer, Alias("oq.ScheduleState")]
public sealed class ScheduleState
{
    [Id(0)] public List<QueueEntry> Pending { get; set; } = [];
    [Id(1)] public List<LeaseRecord> Leases { get; set; } = [];
    [Id(2)] public ScheduleCounters Counters { get; set; } = new();
    [Id(3)] public List<RecentJob> Recent { get; set; } = [];
    [Id(4)] public List<QueueEntry> Buried { get; set; } = [];
}

/// <summary>A job that finished recently, for <c>list --status</c>, with its named queue when the shard knew it (null:
/// finished before queues were named, or ended while the shard held neither its entry nor its lease).</summary>
[GenerateSerializer, Alias("oq.RecentJob")]
public sealed record RecentJob([property: Id(0)] Guid JobId, [property: Id(1)] Jobs.JobStatus Status, [property: Id(2)] string? Queue = null);

/// <summary>Lifetime counts of a shard.</summary>
[GenerateSerializer, Alias("oq.ScheduleCounters")]
public sealed class ScheduleCounters
{
    [Id(0)] public long Submitted { get; set; }
    [Id(1)] public long Completed { get; set; }
    [Id(2)] public long Failed { get; set; }
    [Id(3)] public long Cancelled { get; set; }
    [Id(4)] public long Retried { get; set; }
    [Id(5)] public long RequeuedDeadline { get; set; }
    [Id(6)] public long RequeuedWorkerLost { get; set; }
    [Id(7)] public long RequeuedHandedBack { get; set; }
    [Id(8)] public long RequeuedManual { get; set; }

    public ScheduleCounters Clone() => (ScheduleCounters)MemberwiseClone();

    public bool SameAs(ScheduleCounters? other) =>
        other is not null && Submitted == other.Submitted && Completed == other.Completed && Failed == other.Failed
        && Cancelled == other.Cancelled && Retried == other.Retried && RequeuedDeadline == other.RequeuedDeadline
        && RequeuedWorkerLost == other.RequeuedWorkerLost && RequeuedHandedBack == other.RequeuedHandedBack
        && RequeuedManual == other.RequeuedManual;
}
