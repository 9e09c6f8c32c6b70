using OrleansQueue.Cli.Bench;

namespace OrleansQueue.Tests.Cli.Bench;

/// <summary>The figures the benchmarks print: nearest-rank percentiles (as the peers compute them) and median[min..max].</summary>
public sealed class BenchStatsTests
{
    private static readonly double[] OneToHundred = Enumerable.Range(1, 100).Select(i => (double)i).Reverse().ToArray();

    [Theory]
    [InlineData(0.50, 50)]
    [InlineData(0.99, 99)]
    [InlineData(1.00, 100)]
    [InlineData(0.001, 1)]
    public void Percentile_IsTheNearestRank_WhateverTheInputOrder(double fraction, double expected) =>
        Assert.Equal(expected, BenchStats.Percentile(OneToHundred, fraction));

    [Fact]
    public void Percentile_OfOneSample_IsThatSample() =>
        Assert.Equal(7.5, BenchStats.Percentile([7.5], 0.99));

    [Fact]
    public void Percentile_RefusesNoSamples() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => BenchStats.Percentile([], 0.5));

    [Fact]
    public void Summarize_OddCount_TakesTheMiddleSample()
    {
        var summary = BenchStats.Summarize([30.0, 10.0, 20.0]);

        Assert.Equal(new SampleSummary(20, 10, 30, 3), summary);
        Assert.Equal("20[10..30]", summary.ToString());
    }

    [Fact]
    public void Summarize_EvenCount_AveragesTheTwoMiddleSamples()
    {
        var summary = BenchStats.Summarize([4.0, 1.0, 2.0, 3.0]);

        Assert.Equal(2.5, summary.Median);
        Assert.Equal(1, summary.Min);
        Assert.Equal(4, summary.Max);
        Assert.Equal("2.5[1..4]", summary.ToString());
    }
}
