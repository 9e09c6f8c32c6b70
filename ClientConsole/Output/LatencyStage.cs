using OrleansQueue.Scheduling;

namespace OrleansQueue.Cli.Output;

/// <summary>One stage of a job's life whose latency the queue measures over its latency window, with the percentiles
/// the text views show. Percentiles are null when the window holds no sample.</summary>
/// <param name="Label">How text names it, e.g. <c>queue wait</c>.</param>
/// <param name="Histogram">The samples.</param>
internal sealed record LatencyStage(string Label, LatencyHistogram Histogram)
{
    public TimeSpan? P50 => Histogram.Percentile(0.50);

    public TimeSpan? P95 => Histogram.Percentile(0.95);

    public TimeSpan? P99 => Histogram.Percentile(0.99);

    public long Count => Histogram.Count;

    /// <summary>Queue wait (enqueue to start), run time (start to end of an attempt), end to end (submit to completion).</summary>
    public static IReadOnlyList<LatencyStage> Of(QueueMetrics metrics) =>
    [
        new("queue wait", metrics.WaitTimes),
        new("run time", metrics.RunTimes),
        EndToEnd(metrics),
    ];

    public static LatencyStage EndToEnd(QueueMetrics metrics) => new("end to end", metrics.EndToEndTimes);
}
