using System.Globalization;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Cli.Output;

/// <summary><c>metrics</c> as text: the counters, then a table of the workers.</summary>
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
        Line(writer, "workers", $"{metrics.LiveWorkers} alive of {metrics.Workers.Length} known");
        if (metrics.Workers.Length == 0)
        {
            return;
        }

        var table = new TextTable(2, 3, 4);
        table.Add("NAME", "STATE", "BUSY/SLOTS", "COMPLETED", "FAILED", "LAST SEEN");
        foreach (var worker in metrics.Workers)
        {
            table.Add(
                worker.Name,
                worker.Alive ? "alive" : "lost",
                $"{worker.Busy}/{worker.Slots}",
                Count(worker.Completed),
                Count(worker.Failed),
                $"{Timestamps.Seconds(Age(metrics, worker.LastSeen))} s ago");
        }

        table.WriteTo(writer, "  ");
    }

    /// <summary>Measured against the silo's own clock (<see cref="QueueMetrics.At"/>), so a skewed client
    /// clock does not distort it.</summary>
    public static TimeSpan? OldestPendingAge(QueueMetrics metrics) =>
        metrics.OldestPendingSince is { } since ? Age(metrics, since) : null;

    private static TimeSpan Age(QueueMetrics metrics, DateTimeOffset since) =>
        metrics.At > since ? metrics.At - since : TimeSpan.Zero;

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Line(TextWriter writer, string label, string value) =>
        writer.WriteLine($"{(label + ":").PadRight(LabelWidth)}  {value}");
}
