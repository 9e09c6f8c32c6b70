using OrleansQueue.Scheduling;

namespace OrleansQueue.Silo.Dashboard.Api;

/// <summary>One latency histogram read as percentiles in milliseconds (within 10% of the true value; null
/// without samples) and the number of samples in the window.</summary>
public sealed record LatencyPercentiles(long Count, double? P50Ms, double? P95Ms, double? P99Ms)
{
    public static LatencyPercentiles From(LatencyHistogram histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        return new(
            histogram.Count,
            ApiValues.Milliseconds(histogram.Percentile(0.50)),
            ApiValues.Milliseconds(histogram.Percentile(0.95)),
            ApiValues.Milliseconds(histogram.Percentile(0.99)));
    }
}
