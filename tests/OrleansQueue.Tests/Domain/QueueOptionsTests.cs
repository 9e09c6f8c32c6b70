using OrleansQueue.Hosting;

namespace OrleansQueue.Tests.Domain;

public sealed class QueueOptionsTests
{
    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(50_000, 1.0)]
    [InlineData(100_000, 1.0)]
    [InlineData(250_000, 2.5)]
    [InlineData(1_000_000, 10.0)]
    public void FlushIntervalFor_GrowsWithTheSnapshot_SoItsCostPerSecondStaysFlat(int entries, double seconds)
    {
        var options = new QueueOptions { StateFlushInterval = TimeSpan.FromSeconds(1), SnapshotEntriesPerSecond = 100_000 };

        Assert.Equal(TimeSpan.FromSeconds(seconds), options.FlushIntervalFor(entries));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(65, 0)]
    [InlineData(1, -1)]
    [InlineData(1, 21)]
    public void CheckLease_RefusesABatchOrAWaitOutsideTheLimits(int max, int waitSeconds)
    {
        var options = new QueueOptions { MaxLeaseBatch = 64, MaxLeaseWait = TimeSpan.FromSeconds(20) };

        Assert.Throws<ArgumentOutOfRangeException>(() => options.CheckLease(max, TimeSpan.FromSeconds(waitSeconds)));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(64, 20)]
    public void CheckLease_AcceptsTheLimitsThemselves(int max, int waitSeconds)
    {
        var options = new QueueOptions { MaxLeaseBatch = 64, MaxLeaseWait = TimeSpan.FromSeconds(20) };

        options.CheckLease(max, TimeSpan.FromSeconds(waitSeconds));
    }
}
