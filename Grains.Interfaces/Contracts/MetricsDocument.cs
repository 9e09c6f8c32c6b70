using System.Globalization;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Contracts;

/// <summary>
/// The whole queue, every shard added up: <c>metrics --json</c> and <c>GET /api/metrics</c>. <c>pending</c> includes
/// <c>delayed</c> (retries waiting out their backoff); <c>pendingByPriority</c> (<c>"0"</c>..<c>"10"</c>) counts the jobs
/// ready to lease; <c>oldestPendingAgeSeconds</c> is measured on the silo's clock, null when nothing is pending;
/// <c>workers</c> is how many are alive and <c>workerList</c> lists them all; <c>queues</c> gives each named queue holding
/// jobs (<see cref="QueueDocument"/>), by name. Counts of finished jobs are running totals since the shards were created.
/// </summary>
public sealed record MetricsDocument
{
    public required DateTimeOffset At { get; init; }
    public required long Pending { get; init; }
    public required IReadOnlyDictionary<string, long> PendingByPriority { get; init; }
    public required long Delayed { get; init; }
    public required long Processing { get; init; }
    public required long Completed { get; init; }
    public required long Failed { get; init; }
    public required long Cancelled { get; init; }
    public required long Retried { get; init; }
    public required RequeuedDocument Requeued { get; init; }
    public required long Submitted { get; init; }
    public DateTimeOffset? OldestPendingSince { get; init; }
    public double? OldestPendingAgeSeconds { get; init; }
    public required ThroughputDocument Throughput { get; init; }
    public required LatencyDocument Latency { get; init; }
    public required int Workers { get; init; }
    public required IReadOnlyList<WorkerDocument> WorkerList { get; init; }
    public required IReadOnlyList<QueueDocument> Queues { get; init; }

    public static MetricsDocument From(QueueMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var byPriority = new Dictionary<string, long>(metrics.PendingByPriority.Length);
        for (var priority = 0; priority < metrics.PendingByPriority.Length; priority++)
        {
            byPriority[priority.ToString(CultureInfo.InvariantCulture)] = metrics.PendingByPriority[priority];
        }

        return new()
        {
            At = metrics.At,
            Pending = metrics.Pending,
            PendingByPriority = byPriority,
            Delayed = metrics.Delayed,
            Processing = metrics.Processing,
            Completed = metrics.Completed,
            Failed = metrics.Failed,
            Cancelled = metrics.Cancelled,
            Retried = metrics.Retried,
            Requeued = new(metrics.RequeuedDeadline, metrics.RequeuedWorkerLost, metrics.RequeuedHandedBack, metrics.RequeuedManual),
            Submitted = metrics.Submitted,
            OldestPendingSince = metrics.OldestPendingSince,
            OldestPendingAgeSeconds = OldestPendingAge(metrics) is { } age ? ContractValues.Seconds(age) : null,
            Throughput = new(
                ContractValues.Ratio(metrics.CompletedPerSecond10s),
                ContractValues.Ratio(metrics.CompletedPerSecond1m),
                ContractValues.Ratio(metrics.CompletedPerSecond5m)),
            Latency = LatencyDocument.From(metrics),
            Workers = metrics.LiveWorkers,
            WorkerList = metrics.Workers.Select(WorkerDocument.From).ToList(),
            Queues = metrics.Queues.Select(QueueDocument.From).ToList(),
        };
    }

    /// <summary>How long the oldest pending job has waited, measured against the silo's own clock
    /// (<see cref="QueueMetrics.At"/>), so a skewed client clock does not distort it; null when nothing is pending.</summary>
    public static TimeSpan? OldestPendingAge(QueueMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return metrics.OldestPendingSince is { } since ? Age(metrics.At, since) : null;
    }

    /// <summary>The time from <paramref name="since"/> to <paramref name="at"/>, never negative.</summary>
    public static TimeSpan Age(DateTimeOffset at, DateTimeOffset since) => at > since ? at - since : TimeSpan.Zero;
}

/// <summary>One named queue's jobs now: <c>pending</c> is <c>ready</c> (leasable) plus <c>delayed</c> (a delay or a retry's
/// backoff); <c>processing</c> are leased to a worker. In <see cref="MetricsDocument.Queues"/>, and alone as
/// <c>metrics --queue NAME --json</c> (all zero for a queue holding no job).</summary>
public sealed record QueueDocument(string Name, long Pending, long Ready, long Delayed, long Processing)
{
    public static QueueDocument From(QueueFigures figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        return new(figures.Name, figures.Pending, figures.Ready, figures.Delayed, figures.Processing);
    }
}

/// <summary>Jobs sent back to pending, by cause (running totals).</summary>
public sealed record RequeuedDocument(long Deadline, long WorkerLost, long HandedBack, long Manual);

/// <summary>Jobs completed per second, averaged over the last 10 s, 1 min and 5 min.</summary>
public sealed record ThroughputDocument(double PerSecond10s, double PerSecond1m, double PerSecond5m);

/// <summary>Latencies over the last <c>windowSeconds</c>: <c>wait</c> (queued to attempt start), <c>run</c> (attempt
/// start to end) and <c>endToEnd</c> (submit to completion).</summary>
public sealed record LatencyDocument(double WindowSeconds, LatencyStageDocument Wait, LatencyStageDocument Run, LatencyStageDocument EndToEnd)
{
    public static LatencyDocument From(QueueMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return new(
            ContractValues.Seconds(metrics.LatencyWindow),
            LatencyStageDocument.From(metrics.WaitTimes),
            LatencyStageDocument.From(metrics.RunTimes),
            LatencyStageDocument.From(metrics.EndToEndTimes));
    }
}

/// <summary>One latency histogram read as percentiles in milliseconds (within 10% of the true value; null without
/// samples) and the number of samples in the window.</summary>
public sealed record LatencyStageDocument(double? P50Ms, double? P95Ms, double? P99Ms, long Count)
{
    public static LatencyStageDocument From(LatencyHistogram histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        return new(
            ContractValues.Milliseconds(histogram.Percentile(0.50)),
            ContractValues.Milliseconds(histogram.Percentile(0.95)),
            ContractValues.Milliseconds(histogram.Percentile(0.99)),
            histogram.Count);
    }
}

/// <summary>A worker as the schedule sees it; <c>utilization</c> (0..1) is the busy share of its slot-time over
/// <c>utilizationWindowSeconds</c>.</summary>
public sealed record WorkerDocument(
    string Name,
    bool Alive,
    int Slots,
    int Busy,
    double Utilization,
    double UtilizationWindowSeconds,
    long Completed,
    long Failed,
    DateTimeOffset LastSeen)
{
    public static WorkerDocument From(WorkerInfo worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        return new(worker.Name, worker.Alive, worker.Slots, worker.Busy, ContractValues.Ratio(worker.Utilization),
            ContractValues.Seconds(worker.UtilizationWindow), worker.Completed, worker.Failed, worker.LastSeen);
    }
}
