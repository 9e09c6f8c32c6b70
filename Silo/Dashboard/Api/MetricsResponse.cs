using System.Globalization;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Silo.Dashboard.Api;

/// <summary>
/// <c>GET /api/metrics</c>: the whole queue, every shard added up. The keys of <c>metrics --json</c>
/// (<c>pending</c> includes <c>delayed</c>; <c>pendingByPriority</c> <c>"0"</c>..<c>"10"</c> counts the jobs ready to
/// lease; <c>workers</c> is how many are alive and <c>workerList</c> lists them all), plus <c>throughput</c> and
/// <c>latency</c>. Counts of finished jobs are running totals since the shards were created.
/// </summary>
public sealed record MetricsResponse
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
    public required RequeuedResponse Requeued { get; init; }
    public required long Submitted { get; init; }
    public DateTimeOffset? OldestPendingSince { get; init; }
    /// <summary>Measured on the silo's clock; null when nothing is pending.</summary>
    public double? OldestPendingAgeSeconds { get; init; }
    public required ThroughputResponse Throughput { get; init; }
    public required LatencyResponse Latency { get; init; }
    public required int Workers { get; init; }
    public required IReadOnlyList<WorkerResponse> WorkerList { get; init; }

    public static MetricsResponse From(QueueMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var byPriority = new Dictionary<string, long>(QueueMetrics.PriorityLevels);
        for (var priority = 0; priority < metrics.PendingByPriority.Length; priority++)
        {
            byPriority[priority.ToString(CultureInfo.InvariantCulture)] = metrics.PendingByPriority[priority];
        }

        return new()
        {
            At = ApiValues.Time(metrics.At),
            Pending = metrics.Pending,
            PendingByPriority = byPriority,
            Delayed = metrics.Delayed,
            Processing = metrics.Processing,
            Completed = metrics.Completed,
            Failed = metrics.Failed,
            Cancelled = metrics.Cancelled,
            Retried = metrics.Retried,
            Requeued = RequeuedResponse.From(metrics),
            Submitted = metrics.Submitted,
            OldestPendingSince = ApiValues.Time(metrics.OldestPendingSince),
            OldestPendingAgeSeconds = metrics.OldestPendingSince is { } since
                ? ApiValues.Seconds(metrics.At - since > TimeSpan.Zero ? metrics.At - since : TimeSpan.Zero)
                : null,
            Throughput = ThroughputResponse.From(metrics),
            Latency = LatencyResponse.From(metrics),
            Workers = metrics.LiveWorkers,
            WorkerList = metrics.Workers.Select(WorkerResponse.From).ToList(),
        };
    }
}
