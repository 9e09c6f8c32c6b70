using System.Globalization;
using System.Text.Json;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Cli.Output;

/// <summary>
/// <c>metrics --json</c>. Keys: <c>at</c>, <c>pending</c> (total, including <c>delayed</c>),
/// <c>pendingByPriority</c> (<c>"0"</c>..<c>"10"</c>: jobs ready to lease), <c>delayed</c> (retries waiting out their
/// backoff), <c>processing</c>, <c>completed</c>, <c>failed</c>, <c>cancelled</c>, <c>retried</c>, <c>requeued</c>
/// (<c>deadline</c>, <c>workerLost</c>, <c>handedBack</c>, <c>manual</c>), <c>submitted</c>,
/// <c>oldestPendingSince</c>, <c>oldestPendingAgeSeconds</c> (null when nothing is pending), <c>throughput</c> (jobs
/// completed per second: <c>perSecond10s</c>, <c>perSecond1m</c>, <c>perSecond5m</c>), <c>latency</c>
/// (<c>windowSeconds</c>, and for <c>wait</c>, <c>run</c> and <c>endToEnd</c>: <c>p50Ms</c>, <c>p95Ms</c>, <c>p99Ms</c>,
/// null without samples, and <c>count</c>), <c>workers</c> (how many are alive) and <c>workerList</c> (<c>name</c>,
/// <c>alive</c>, <c>slots</c>, <c>busy</c>, <c>utilization</c> (0..1: the share of its slot-time busy over the last
/// minute), <c>completed</c>, <c>failed</c>, <c>lastSeen</c>).
/// </summary>
internal static class MetricsJson
{
    public static string Format(QueueMetrics metrics) => JsonOutput.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteTimestamp("at", metrics.At);
        writer.WriteNumber("pending", metrics.Pending);
        writer.WriteStartObject("pendingByPriority");
        for (var priority = 0; priority < metrics.PendingByPriority.Length; priority++)
        {
            writer.WriteNumber(priority.ToString(CultureInfo.InvariantCulture), metrics.PendingByPriority[priority]);
        }

        writer.WriteEndObject();
        writer.WriteNumber("delayed", metrics.Delayed);
        writer.WriteNumber("processing", metrics.Processing);
        writer.WriteNumber("completed", metrics.Completed);
        writer.WriteNumber("failed", metrics.Failed);
        writer.WriteNumber("cancelled", metrics.Cancelled);
        writer.WriteNumber("retried", metrics.Retried);
        writer.WriteStartObject("requeued");
        writer.WriteNumber("deadline", metrics.RequeuedDeadline);
        writer.WriteNumber("workerLost", metrics.RequeuedWorkerLost);
        writer.WriteNumber("handedBack", metrics.RequeuedHandedBack);
        writer.WriteNumber("manual", metrics.RequeuedManual);
        writer.WriteEndObject();
        writer.WriteNumber("submitted", metrics.Submitted);
        writer.WriteTimestamp("oldestPendingSince", metrics.OldestPendingSince);
        if (MetricsText.OldestPendingAge(metrics) is { } age)
        {
            writer.WriteNumber("oldestPendingAgeSeconds", Timestamps.SecondsValue(age));
        }
        else
        {
            writer.WriteNull("oldestPendingAgeSeconds");
        }

        writer.WriteStartObject("throughput");
        writer.WriteNumber("perSecond10s", Math.Round(metrics.CompletedPerSecond10s, 3));
        writer.WriteNumber("perSecond1m", Math.Round(metrics.CompletedPerSecond1m, 3));
        writer.WriteNumber("perSecond5m", Math.Round(metrics.CompletedPerSecond5m, 3));
        writer.WriteEndObject();
        writer.WriteStartObject("latency");
        writer.WriteNumber("windowSeconds", Timestamps.SecondsValue(metrics.LatencyWindow));
        foreach (var stage in LatencyStage.Of(metrics))
        {
            writer.WriteStartObject(stage.Key);
            WriteMilliseconds(writer, "p50Ms", stage.P50);
            WriteMilliseconds(writer, "p95Ms", stage.P95);
            WriteMilliseconds(writer, "p99Ms", stage.P99);
            writer.WriteNumber("count", stage.Count);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteNumber("workers", metrics.LiveWorkers);
        writer.WriteStartArray("workerList");
        foreach (var worker in metrics.Workers)
        {
            writer.WriteStartObject();
            writer.WriteString("name", worker.Name);
            writer.WriteBoolean("alive", worker.Alive);
            writer.WriteNumber("slots", worker.Slots);
            writer.WriteNumber("busy", worker.Busy);
            writer.WriteNumber("utilization", Math.Round(worker.Utilization, 3));
            writer.WriteNumber("completed", worker.Completed);
            writer.WriteNumber("failed", worker.Failed);
            writer.WriteTimestamp("lastSeen", worker.LastSeen);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    private static void WriteMilliseconds(Utf8JsonWriter writer, string name, TimeSpan? value)
    {
        if (value is { } duration)
        {
            writer.WriteNumber(name, Timestamps.MillisecondsValue(duration));
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
