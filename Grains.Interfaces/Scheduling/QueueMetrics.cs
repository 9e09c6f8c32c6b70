using System.Collections.Immutable;

namespace OrleansQueue.Scheduling;

/// <summary>Counts from one schedule shard, or the sum of all shards (<see cref="Combine"/>).
/// Pending, delayed and processing are current; submitted, completed, failed, cancelled, retried and the requeue
/// counts are running totals since the shard was created (a cancelled job that is requeued stays counted once as
/// cancelled).</summary>
[GenerateSerializer, Immutable, Alias("oq.QueueMetrics")]
public sealed record QueueMetrics
{
    public const int PriorityLevels = 11;

    /// <summary>Leasable jobs by priority 0..10.</summary>
    [Id(0)] public required ImmutableArray<long> PendingByPriority { get; init; }
    /// <summary>Retries waiting out their backoff (also pending).</summary>
    [Id(1)] public long Delayed { get; init; }
    [Id(2)] public long Processing { get; init; }
    [Id(3)] public long Completed { get; init; }
    [Id(4)] public long Failed { get; init; }
    [Id(5)] public long Cancelled { get; init; }
    /// <summary>Failed attempts that were retried.</summary>
    [Id(6)] public long Retried { get; init; }
    [Id(7)] public long RequeuedDeadline { get; init; }
    [Id(8)] public long RequeuedWorkerLost { get; init; }
    [Id(9)] public long RequeuedHandedBack { get; init; }
    [Id(10)] public DateTimeOffset? OldestPendingSince { get; init; }
    [Id(11)] public required ImmutableArray<WorkerInfo> Workers { get; init; }
    [Id(12)] public long Submitted { get; init; }
    [Id(13)] public required DateTimeOffset At { get; init; }
    [Id(14)] public long RequeuedManual { get; init; }
    /// <summary>Queue wait of attempts started in the window (enqueue to start).</summary>
    [Id(15)] public LatencyHistogram WaitTimes { get; init; } = LatencyHistogram.Empty;
    /// <summary>Run time of attempts that ended (completed or failed) in the window.</summary>
    [Id(16)] public LatencyHistogram RunTimes { get; init; } = LatencyHistogram.Empty;
    /// <summary>Submit to completion of jobs completed in the window.</summary>
    [Id(17)] public LatencyHistogram EndToEndTimes { get; init; } = LatencyHistogram.Empty;
    /// <summary>Jobs completed per second over the last 10 s, 1 min and 5 min.</summary>
    [Id(18)] public double CompletedPerSecond10s { get; init; }
    [Id(19)] public double CompletedPerSecond1m { get; init; }
    [Id(20)] public double CompletedPerSecond5m { get; init; }
    /// <summary>The span of the latency window.</summary>
    [Id(21)] public TimeSpan LatencyWindow { get; init; }

    /// <summary>Per named queue holding jobs, by name: how many are leasable, how many wait (a delay or a retry's
    /// backoff) and how many are leased. A queue with no pending or processing job is not listed.</summary>
    [Id(22)] public ImmutableArray<QueueFigures> Queues { get; init; } = [];

    public long Pending => PendingByPriority.Sum() + Delayed;

    public int LiveWorkers => Workers.Count(w => w.Alive);

    public static QueueMetrics Empty(DateTimeOffset at) => new()
    {
        PendingByPriority = ImmutableArray.Create(new long[PriorityLevels]),
        Workers = [],
        At = at,
    };

    /// <summary>Adds shards' counts. A worker leasing from several shards is listed once, with its
    /// busy slots and counts summed; two worker processes that share a name are two workers.</summary>
    public static QueueMetrics Combine(IReadOnlyCollection<QueueMetrics> shards)
    {
        if (shards.Count == 1)
        {
            return shards.First();
        }

        var byPriority = new long[PriorityLevels];
        foreach (var shard in shards)
        {
            for (var p = 0; p < PriorityLevels; p++)
            {
                byPriority[p] += shard.PendingByPriority[p];
            }
        }

        var workers = shards.SelectMany(s => s.Workers)
            .GroupBy(w => (w.Name, w.Instance))
            .Select(g => g.Aggregate((a, b) => a with
            {
                Busy = a.Busy + b.Busy,
                Completed = a.Completed + b.Completed,
                Failed = a.Failed + b.Failed,
                Alive = a.Alive || b.Alive,
                LastSeen = a.LastSeen > b.LastSeen ? a.LastSeen : b.LastSeen,
                Slots = Math.Max(a.Slots, b.Slots),
                BusySlotSeconds = a.BusySlotSeconds + b.BusySlotSeconds,
            }))
            .OrderBy(w => w.Name, StringComparer.Ordinal)
            .ThenBy(w => w.Instance, StringComparer.Ordinal)
            .ToImmutableArray();

        return new QueueMetrics
        {
            PendingByPriority = ImmutableArray.Create(byPriority),
            Delayed = shards.Sum(s => s.Delayed),
            Queues = [.. shards.SelectMany(s => s.Queues.IsDefault ? [] : s.Queues.AsEnumerable())
                .GroupBy(q => q.Name, StringComparer.Ordinal)
                .Select(g => new QueueFigures(g.Key, g.Sum(q => q.Ready), g.Sum(q => q.Delayed), g.Sum(q => q.Processing)))
                .OrderBy(q => q.Name, StringComparer.Ordinal)],
            Processing = shards.Sum(s => s.Processing),
            Completed = shards.Sum(s => s.Completed),
            Failed = shards.Sum(s => s.Failed),
            Cancelled = shards.Sum(s => s.Cancelled),
            Retried = shards.Sum(s => s.Retried),
            RequeuedDeadline = shards.Sum(s => s.RequeuedDeadline),
            RequeuedWorkerLost = shards.Sum(s => s.RequeuedWorkerLost),
            RequeuedHandedBack = shards.Sum(s => s.RequeuedHandedBack),
            RequeuedManual = shards.Sum(s => s.RequeuedManual),
            Submitted = shards.Sum(s => s.Submitted),
            OldestPendingSince = shards.Select(s => s.OldestPendingSince).Where(t => t is not null).Min(),
            Workers = workers,
            At = shards.Max(s => s.At),
            WaitTimes = LatencyHistogram.Merge(shards.Select(s => s.WaitTimes)),
            RunTimes = LatencyHistogram.Merge(shards.Select(s => s.RunTimes)),
            EndToEndTimes = LatencyHistogram.Merge(shards.Select(s => s.EndToEndTimes)),
            CompletedPerSecond10s = shards.Sum(s => s.CompletedPerSecond10s),
            CompletedPerSecond1m = shards.Sum(s => s.CompletedPerSecond1m),
            CompletedPerSecond5m = shards.Sum(s => s.CompletedPerSecond5m),
            LatencyWindow = shards.Max(s => s.LatencyWindow),
        };
    }
}

/// <summary>A worker as the schedule sees it.</summary>
[GenerateSerializer, Immutable, Alias("oq.WorkerInfo")]
public sealed record WorkerInfo
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public required int Slots { get; init; }
    [Id(2)] public required int Busy { get; init; }
    [Id(3)] public required bool Alive { get; init; }
    [Id(4)] public required DateTimeOffset LastSeen { get; init; }
    [Id(5)] public long Completed { get; init; }
    [Id(6)] public long Failed { get; init; }
    /// <summary>Slot-seconds this worker spent busy over <see cref="UtilizationWindow"/>.</summary>
    [Id(7)] public double BusySlotSeconds { get; init; }
    [Id(8)] public TimeSpan UtilizationWindow { get; init; }
    /// <summary>The worker process's instance id: with <see cref="Name"/>, the worker's identity (see <see cref="WorkerId"/>).</summary>
    [Id(9)] public string Instance { get; init; } = "";

    /// <summary>The share (0..1) of its slot-time that was busy over the window.</summary>
    public double Utilization =>
        Slots <= 0 || UtilizationWindow <= TimeSpan.Zero ? 0 : Math.Clamp(BusySlotSeconds / (Slots * UtilizationWindow.TotalSeconds), 0, 1);
}

/// <summary>One named queue's jobs: pending, leasable (<paramref name="Ready"/>) or waiting (<paramref name="Delayed"/>),
/// and leased to a worker (<paramref name="Processing"/>).</summary>
[GenerateSerializer, Immutable, Alias("oq.QueueFigures")]
public sealed record QueueFigures(
    [property: Id(0)] string Name,
    [property: Id(1)] long Ready,
    [property: Id(2)] long Delayed,
    [property: Id(3)] long Processing = 0)
{
    /// <summary>Ready and delayed.</summary>
    public long Pending => Ready + Delayed;

    /// <summary>The figures of a queue holding no job.</summary>
    public static QueueFigures None(string name) => new(name, 0, 0);

    /// <summary>One shard's figures, by name: its pending jobs per queue and the queue of each lease.</summary>
    public static ImmutableArray<QueueFigures> Of(IEnumerable<(string Queue, long Ready, long Delayed)> pending, IEnumerable<string> leased)
    {
        var processing = leased.CountBy(q => q, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        var figures = pending.Select(p => new QueueFigures(p.Queue, p.Ready, p.Delayed, processing.Remove(p.Queue, out var n) ? n : 0)).ToList();
        figures.AddRange(processing.Select(p => new QueueFigures(p.Key, 0, 0, p.Value)));
        return [.. figures.OrderBy(q => q.Name, StringComparer.Ordinal)];
    }

    /// <summary>The figures of <paramref name="name"/> in <paramref name="metrics"/>; none when it holds no job.</summary>
    public static QueueFigures In(QueueMetrics metrics, string name)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return metrics.Queues.FirstOrDefault(q => q.Name == name) ?? None(name);
    }
}
