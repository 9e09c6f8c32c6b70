using OrleansQueue.Scheduling;

namespace OrleansQueue.Silo.Dashboard.Api;

/// <summary>Jobs completed per second, averaged over the last 10 s, 1 min and 5 min.</summary>
public sealed record ThroughputResponse(double PerSecond10s, double PerSecond1m, double PerSecond5m)
{
    public static ThroughputResponse From(QueueMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return new(
            Math.Round(metrics.CompletedPerSecond10s, 3),
            Math.Round(metrics.CompletedPerSecond1m, 3),
            Math.Round(metrics.CompletedPerSecond5m, 3));
    }
}
