using OrleansQueue.Scheduling;

namespace OrleansQueue.Silo.Dashboard.Api;

/// <summary>Latencies over the last <c>windowSeconds</c>: <c>wait</c> (queued to attempt start), <c>run</c> (attempt
/// start to end) and <c>endToEnd</c> (submit to completion).</summary>
public sealed record LatencyResponse(double WindowSeconds, LatencyPercentiles Wait, LatencyPercentiles Run, LatencyPercentiles EndToEnd)
{
    public static LatencyResponse From(QueueMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return new(
            ApiValues.Seconds(metrics.LatencyWindow),
            LatencyPercentiles.From(metrics.WaitTimes),
            LatencyPercentiles.From(metrics.RunTimes),
            LatencyPercentiles.From(metrics.EndToEndTimes));
    }
}
