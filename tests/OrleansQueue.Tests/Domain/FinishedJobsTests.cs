using OrleansQueue.Jobs;

namespace OrleansQueue.Tests.Domain;

public sealed class FinishedJobsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TakeFinishedBy_TakesTheOldestUpToTheCutoff_InOrder_AtMostMax()
    {
        var finished = new FinishedJobs();
        var ids = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToArray();
        for (var i = 0; i < ids.Length; i++)
        {
            finished.Add(ids[i], T0.AddSeconds(i));
        }

        Assert.Equal([(ids[0], T0), (ids[1], T0.AddSeconds(1))], finished.TakeFinishedBy(T0.AddSeconds(3), max: 2));
        Assert.Equal([(ids[2], T0.AddSeconds(2)), (ids[3], T0.AddSeconds(3))], finished.TakeFinishedBy(T0.AddSeconds(3), max: 10));
        Assert.Empty(finished.TakeFinishedBy(T0.AddSeconds(3.5), max: 10));
        Assert.Equal([(ids[4], T0.AddSeconds(4))], finished.TakeFinishedBy(DateTimeOffset.MaxValue, max: 10));
    }

    [Fact]
    public void JobsAddedOutOfOrder_AreTakenByFinishTime()
    {
        var finished = new FinishedJobs();
        var (retried, later) = (Guid.NewGuid(), Guid.NewGuid());
        finished.Add(later, T0.AddMinutes(1));
        finished.Add(retried, T0.ToOffset(TimeSpan.FromHours(2)));

        Assert.Equal([(retried, T0)], finished.TakeFinishedBy(T0, max: 10));
        Assert.Equal([(later, T0.AddMinutes(1))], finished.TakeFinishedBy(T0.AddHours(2), max: 10));
    }

    [Fact]
    public void Count_IsWhatItHolds_AJobAddedTwiceCountingTwice()
    {
        var finished = new FinishedJobs();
        var job = Guid.NewGuid();
        finished.Add(job, T0);
        finished.Add(job, T0);
        finished.Add(Guid.NewGuid(), T0.AddSeconds(1));
        Assert.Equal(3, finished.Count);

        finished.TakeFinishedBy(T0, max: 10);
        Assert.Equal(1, finished.Count);
    }

    [Theory]
    [InlineData(JobStatus.Completed, -1, true)]
    [InlineData(JobStatus.Failed, 0, true)]
    [InlineData(JobStatus.Cancelled, -1, true)]
    [InlineData(JobStatus.Completed, 1, false)]
    [InlineData(JobStatus.Pending, -1, false)]
    [InlineData(JobStatus.Processing, -1, false)]
    [InlineData(JobStatus.Buried, -1, false)]
    public void IsPastRetention_OnlyForAFinishedJob_ThatFinishedByTheCutoff(JobStatus status, int finishedSecondsFromCutoff, bool expected)
    {
        Assert.Equal(expected, FinishedJobs.IsPastRetention(status, T0.AddSeconds(finishedSecondsFromCutoff), T0));
    }

    [Fact]
    public void IsPastRetention_IsFalse_WithoutAFinishTime()
    {
        Assert.False(FinishedJobs.IsPastRetention(JobStatus.Completed, null, T0));
    }
}
