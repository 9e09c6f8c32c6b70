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
}
