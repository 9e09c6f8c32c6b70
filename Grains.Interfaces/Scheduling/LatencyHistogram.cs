using System.Collections.Immutable;

namespace OrleansQueue.Scheduling;

/// <summary>
/// A fixed-size, mergeable latency histogram: bucket <c>i</c> holds values up to <c>50 µs × 1.1^i</c>, so any
/// percentile read from it is within 10% of the true value, from 50 µs to beyond a day, in 240 counters whatever
/// the number of samples. Shards send theirs and readers add them up.
/// </summary>
[GenerateSerializer, Immutable, Alias("oq.LatencyHistogram")]
public sealed record LatencyHistogram([property: Id(0)] ImmutableArray<long> Buckets)
{
    public const int BucketCount = 240;
    private const double FirstBoundMicros = 50;
    private const double Growth = 1.1;
    private static readonly double LogGrowth = Math.Log(Growth);

    public static LatencyHistogram Empty { get; } = new(ImmutableArray.Create(new long[BucketCount]));

    public long Count => Buckets.IsDefaultOrEmpty ? 0 : Buckets.Sum();

    public static int BucketOf(TimeSpan value)
    {
        var micros = Math.Max(value.Ticks / 10.0, 0);
        if (micros <= FirstBoundMicros)
        {
            return 0;
        }

        var index = (int)Math.Ceiling(Math.Log(micros / FirstBoundMicros) / LogGrowth);
        return Math.Min(index, BucketCount - 1);
    }

    public static TimeSpan UpperBound(int bucket) =>
        TimeSpan.FromTicks((long)(FirstBoundMicros * Math.Pow(Growth, bucket) * 10));

    public static LatencyHistogram Merge(IEnumerable<LatencyHistogram> histograms)
    {
        var sum = new long[BucketCount];
        foreach (var h in histograms)
        {
            if (h.Buckets.IsDefaultOrEmpty)
            {
                continue;
            }

            for (var i = 0; i < BucketCount; i++)
            {
                sum[i] += h.Buckets[i];
            }
        }

        return new LatencyHistogram(ImmutableArray.Create(sum));
    }

    /// <summary>The value at quantile <paramref name="q"/> (0..1), or null without samples.</summary>
    public TimeSpan? Percentile(double q)
    {
        var total = Count;
        if (total == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(q * total));
        long seen = 0;
        for (var i = 0; i < Buckets.Length; i++)
        {
            seen += Buckets[i];
            if (seen >= rank)
            {
                return UpperBound(i);
            }
        }

        return UpperBound(Buckets.Length - 1);
    }
}
