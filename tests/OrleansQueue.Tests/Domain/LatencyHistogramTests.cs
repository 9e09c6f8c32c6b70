using OrleansQueue.Diagnostics;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Tests.Domain;

public sealed class LatencyHistogramTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Percentiles_AreWithinTenPercentOfTheTrueValue()
    {
        var window = new SlidingHistogram(TimeSpan.FromMinutes(5));
        for (var ms = 1; ms <= 1000; ms++)
        {
            window.Record(TimeSpan.FromMilliseconds(ms), T0);
        }

        var h = window.Snapshot(T0);

        Assert.Equal(1000, h.Count);
        AssertNear(500, h.Percentile(0.50));
        AssertNear(950, h.Percentile(0.95));
        AssertNear(990, h.Percentile(0.99));
    }

    [Fact]
    public void Merge_AddsShardsUp()
    {
        var a = new SlidingHistogram(TimeSpan.FromMinutes(5));
        var b = new SlidingHistogram(TimeSpan.FromMinutes(5));
        for (var i = 0; i < 90; i++)
        {
            a.Record(TimeSpan.FromMilliseconds(10), T0);
        }

        for (var i = 0; i < 10; i++)
        {
            b.Record(TimeSpan.FromSeconds(2), T0);
        }

        var merged = LatencyHistogram.Merge([a.Snapshot(T0), b.Snapshot(T0)]);

        Assert.Equal(100, merged.Count);
        AssertNear(10, merged.Percentile(0.5));
        AssertNear(2000, merged.Percentile(0.95));
    }

    [Fact]
    public void SamplesOlderThanTheWindow_AreForgotten()
    {
        var window = new SlidingHistogram(TimeSpan.FromMinutes(5));
        window.Record(TimeSpan.FromMilliseconds(5), T0);
        window.Record(TimeSpan.FromMilliseconds(5), T0.AddMinutes(4));

        Assert.Equal(2, window.Snapshot(T0.AddMinutes(4)).Count);
        Assert.Equal(1, window.Snapshot(T0.AddMinutes(6)).Count);
        Assert.Null(window.Snapshot(T0.AddMinutes(20)).Percentile(0.5));
    }

    [Fact]
    public void RateWindow_ReportsTheRateOverEachTrailingSpan()
    {
        var rate = new RateWindow(300);
        for (var s = 0; s < 120; s++)
        {
            rate.Add(T0.AddSeconds(s), s < 60 ? 1 : 3);
        }

        var now = T0.AddSeconds(119);
        Assert.Equal(3, rate.PerSecond(TimeSpan.FromSeconds(10), now), 3);
        Assert.Equal(3, rate.PerSecond(TimeSpan.FromMinutes(1), now), 3);
        Assert.Equal(240.0 / 300, rate.PerSecond(TimeSpan.FromMinutes(5), now), 3);
        Assert.Equal(0, rate.PerSecond(TimeSpan.FromSeconds(10), now.AddMinutes(10)));
    }

    private static void AssertNear(double expectedMs, TimeSpan? actual)
    {
        Assert.NotNull(actual);
        Assert.InRange(actual.Value.TotalMilliseconds, expectedMs * 0.9, expectedMs * 1.11);
    }
}
