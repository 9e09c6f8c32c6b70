using OrleansQueue.Hosting;

namespace OrleansQueue.Tests.Domain;

public sealed class QueueOptionsTests
{
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
