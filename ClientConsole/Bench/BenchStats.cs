namespace OrleansQueue.Cli.Bench;

/// <summary>Summary statistics of a benchmark's samples. Percentiles are nearest-rank, as in the peer harness
/// (<c>common.js</c> <c>pct</c>), so our p50/p99/max and the peers' are computed the same way.</summary>
internal static class BenchStats
{
    /// <summary>The nearest-rank percentile: the smallest sample with at least <paramref name="fraction"/> of the
    /// samples at or below it. <c>1</c> is the maximum.</summary>
    /// <param name="fraction">0 (exclusive) to 1.</param>
    public static double Percentile(IReadOnlyCollection<double> samples, double fraction)
    {
        ArgumentOutOfRangeException.ThrowIfZero(samples.Count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1);
        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(fraction * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    /// <summary>Median (the mean of the two middle samples when the count is even), minimum and maximum.</summary>
    public static SampleSummary Summarize(IReadOnlyCollection<double> samples)
    {
        ArgumentOutOfRangeException.ThrowIfZero(samples.Count);
        var sorted = samples.Order().ToArray();
        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new SampleSummary(median, sorted[0], sorted[^1], sorted.Length);
    }
}

/// <summary>What <see cref="BenchStats.Summarize"/> returns; <see cref="ToString"/> is the peers' <c>median[min..max]</c>.</summary>
internal readonly record struct SampleSummary(double Median, double Min, double Max, int Count)
{
    public override string ToString() => FormattableString.Invariant($"{Median:0.###}[{Min:0.###}..{Max:0.###}]");
}
