using System.Globalization;
using OrleansQueue.Contracts;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Cli.Output;

/// <summary><c>metrics</c> as text: the counters, throughput, latency percentiles, then a table of the named queues and
/// one of the workers; <c>metrics --queue NAME</c>: that queue's figures (<see cref="WriteQueue"/>).</summary>
internal static class MetricsText
{
    private const int LabelWidth = 16;

    public static void Write(TextWriter writer, QueueMetrics metrics)
    {
        var ready = Enumerable.Range(0, metrics.PendingByPriority.Length)
            .Where(p => metrics.PendingByPriority[p] > 0)
            .Select(p => $"{p}={metrics.PendingByPriority[p]}")
            .ToList();

        Line(writer, "pending", Count(metrics.Pending));
        Line(writer, "  by priority", ready.Count == 0 ? "none ready" : string.Join("  ", ready));
        Line(writer, "  delayed", $"{metrics.Delayed} (retries waiting out their backoff)");
        Line(writer, "processing", Count(metrics.Processing));
        Line(writer, "completed", Count(metrics.Completed));
        Line(writer, "failed", Count(metrics.Failed));
        Line(writer, "cancelled", Count(metrics.Cancelled));
        Line(writer, "retried", Count(metrics.Retried));
        Line(writer, "requeued",
            $"{metrics.RequeuedDeadline} deadline, {metrics.RequeuedWorkerLost} worker lost, " +
            $"{metrics.RequeuedHandedBack} handed back, {metrics.RequeuedManual} manual");
        Line(writer, "submitted", Count(metrics.Submitted));
        Line(writer, "oldest pending", OldestPendingAge(metrics) is { } age ? $"{Timestamps.Seconds(age)} s ago" : "-");
        Line(writer, "throughput", Throughput(metrics));
        Line(writer, "latency", metrics.LatencyWindow > TimeSpan.Zero ? $"over the last {Timestamps.Seconds(metrics.LatencyWindow)} s" : "");
        var latency = new TextTable(1, 2, 3, 4);
        latency.Add("STAGE", "P50", "P95", "P99", "SAMPLES");
        foreach (var stage in LatencyStage.Of(metrics))
        {
            latency.Add(stage.Label, Timestamps.Latency(stage.P50), Timestamps.Latency(stage.P95), Timestamps.Latency(stage.P99), Count(stage.Count));
        }

        latency.WriteTo(writer, "  ");
        Line(writer, "queues", $"{metrics.Queues.Length} holding jobs");
        if (metrics.Queues.Length > 0)
        {
            var queues = new TextTable(1, 2, 3, 4);
            queues.Add("QUEUE", "PENDING", "READY", "DELAYED", "PROCESSING");
            foreach (var queue in metrics.Queues)
            {
                queues.Add(queue.Name, Count(queue.Pending), Count(queue.Ready), Count(queue.Delayed), Count(queue.Processing));
            }

            queues.WriteTo(writer, "  ");
        }

        Line(writer, "workers", $"{metrics.LiveWorkers} alive of {metrics.Workers.Length} known");
        if (metrics.Workers.Length == 0)
        {
            return;
        }

        var table = new TextTable(2, 3, 4, 5);
        table.Add("NAME", "STATE", "BUSY/SLOTS", "UTILIZATION", "COMPLETED", "FAILED", "LAST SEEN");
        foreach (var worker in metrics.Workers)
        {
            table.Add(
                worker.Name,
                State(worker),
                $"{worker.Busy}/{worker.Slots}",
                Timestamps.Percent(worker.Utilization),
                Count(worker.Completed),
                Count(worker.Failed),
                $"{Timestamps.Seconds(MetricsDocument.Age(metrics.At, worker.LastSeen))} s ago");
        }

        table.WriteTo(writer, "  ");
    }

    /// <summary>One named queue's jobs: pending (ready and delayed) and processing.</summary>
    public static void WriteQueue(TextWriter writer, QueueFigures queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        Line(writer, "queue", queue.Name);
        Line(writer, "pending", Count(queue.Pending));
        Line(writer, "  ready", Count(queue.Ready));
        Line(writer, "  delayed", $"{queue.Delayed} (a delay or a retry's backoff)");
        Line(writer, "processing", Count(queue.Processing));
    }

    /// <summary>Jobs completed per second over the last 10 s, 1 min and 5 min, e.g.
    /// <c>2.5/s (10 s)  1.9/s (1 min)  1.2/s (5 min)</c>.</summary>
    public static string Throughput(QueueMetrics metrics) =>
        $"{Timestamps.Rate(metrics.CompletedPerSecond10s)} (10 s)  " +
        $"{Timestamps.Rate(metrics.CompletedPerSecond1m)} (1 min)  " +
        $"{Timestamps.Rate(metrics.CompletedPerSecond5m)} (5 min)";

    public static string State(WorkerInfo worker) => worker.Alive ? "alive" : "lost";

    public static TimeSpan? OldestPendingAge(QueueMetrics metrics) => MetricsDocument.OldestPendingAge(metrics);

    public static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Line(TextWriter writer, string label, string value) =>
        writer.WriteLine($"{(label + ":").PadRight(LabelWidth)}  {value}".TrimEnd());
}
