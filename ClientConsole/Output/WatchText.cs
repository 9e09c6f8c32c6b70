using OrleansQueue.Scheduling;

namespace OrleansQueue.Cli.Output;

/// <summary><c>watch</c> when stdout is not a terminal: one timestamped summary line per interval, e.g.
/// <c>2026-03-01T12:10:00.000Z  pending 8 (0=1 2=3 5=2 delayed=2)  processing 4  completed 100  failed 3  cancelled 1
/// retried 7  requeued 14  throughput 1.5/s (10 s) 1.2/s (1 min) 0.9/s (5 min)  end to end p50 120 ms p95 340 ms
/// p99 1.2 s  workers 1/2 alive, busy 3/4, utilization 55%</c>.</summary>
internal static class WatchText
{
    public static string Line(DateTimeOffset at, QueueMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var depth = Enumerable.Range(0, metrics.PendingByPriority.Length)
            .Where(p => metrics.PendingByPriority[p] > 0)
            .Select(p => $"{p}={metrics.PendingByPriority[p]}")
            .Append(metrics.Delayed > 0 ? $"delayed={metrics.Delayed}" : null)
            .OfType<string>()
            .ToList();
        var requeued = metrics.RequeuedDeadline + metrics.RequeuedWorkerLost + metrics.RequeuedHandedBack + metrics.RequeuedManual;
        var endToEnd = LatencyStage.EndToEnd(metrics);
        var alive = metrics.Workers.Where(w => w.Alive).ToList();

        return $"{Timestamps.Format(at)}  " +
            $"pending {metrics.Pending}{(depth.Count == 0 ? "" : $" ({string.Join(' ', depth)})")}  " +
            $"processing {metrics.Processing}  completed {metrics.Completed}  failed {metrics.Failed}  " +
            $"cancelled {metrics.Cancelled}  retried {metrics.Retried}  requeued {requeued}  " +
            $"throughput {MetricsText.Throughput(metrics).Replace("  ", " ", StringComparison.Ordinal)}  " +
            $"end to end p50 {Timestamps.Latency(endToEnd.P50)} p95 {Timestamps.Latency(endToEnd.P95)} p99 {Timestamps.Latency(endToEnd.P99)}  " +
            $"workers {alive.Count}/{metrics.Workers.Length} alive, busy {alive.Sum(w => w.Busy)}/{alive.Sum(w => w.Slots)}, " +
            $"utilization {Timestamps.Percent(Utilization(alive))}";
    }

    /// <summary><c>watch --queue NAME</c>'s line, e.g. <c>2026-03-01T12:10:00.000Z  queue emails  pending 3 (ready 2
    /// delayed 1)  processing 1</c>.</summary>
    public static string QueueLine(DateTimeOffset at, QueueFigures queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return $"{Timestamps.Format(at)}  queue {queue.Name}  pending {queue.Pending} (ready {queue.Ready} delayed {queue.Delayed})  " +
            $"processing {queue.Processing}";
    }

    /// <summary>The workers' utilization weighted by their slots: the share of all their slot-time that was busy.</summary>
    public static double Utilization(IReadOnlyCollection<WorkerInfo> workers)
    {
        ArgumentNullException.ThrowIfNull(workers);
        var slots = workers.Sum(w => (double)w.Slots);
        return slots <= 0 ? 0 : workers.Sum(w => w.Utilization * w.Slots) / slots;
    }
}
