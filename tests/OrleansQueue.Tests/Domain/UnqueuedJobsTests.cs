using System.Text;
using OrleansQueue.Hosting;
using OrleansQueue.Jobs;
using OrleansQueue.Recovery;

namespace OrleansQueue.Tests.Domain;

/// <summary>The stored-job sweep's rule: which stored jobs its shard has lost, and what brings each back.</summary>
public sealed class UnqueuedJobsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MinimumAge = TimeSpan.FromSeconds(5);
    private static readonly HashSet<Guid> Nobody = [];

    private static JobState Pending() =>
        JobLifecycle.Create(Guid.CreateVersion7(), new JobSubmission("T", Encoding.UTF8.GetBytes("{}"), 5, 2, TimeSpan.FromSeconds(30), null), new QueueOptions(), 0, T0);

    private static JobState Running()
    {
        var job = Pending();
        Assert.True(JobLifecycle.Start(job, "worker-a", job.CurrentAttempt + 1, T0).Changed);
        return job;
    }

    [Fact]
    public void APendingJobNoShardKnows_IsQueuedAgain_OnceOldEnough()
    {
        var job = Pending();

        Assert.Equal(Repair.None, UnqueuedJobs.For(job, Nobody, T0 + MinimumAge / 2, MinimumAge));
        Assert.Equal(Repair.Queue, UnqueuedJobs.For(job, Nobody, T0 + MinimumAge, MinimumAge));
    }

    [Fact]
    public void ARunningJobWhoseLeaseNoShardHolds_IsTakenBack_OnceOldEnough()
    {
        var job = Running();

        Assert.Equal(Repair.None, UnqueuedJobs.For(job, Nobody, T0 + MinimumAge / 2, MinimumAge));
        Assert.Equal(Repair.TakeBack, UnqueuedJobs.For(job, Nobody, T0 + MinimumAge, MinimumAge));
    }

    [Fact]
    public void AJobItsShardKnows_IsLeftAlone()
    {
        var pending = Pending();
        var running = Running();

        Assert.Equal(Repair.None, UnqueuedJobs.For(pending, new HashSet<Guid> { pending.Id }, T0 + TimeSpan.FromHours(1), MinimumAge));
        Assert.Equal(Repair.None, UnqueuedJobs.For(running, new HashSet<Guid> { running.Id }, T0 + TimeSpan.FromHours(1), MinimumAge));
    }

    [Fact]
    public void FinishedOrMissingJobs_AreLeftAlone()
    {
        var completed = Running();
        Assert.True(JobLifecycle.Complete(completed, 1, null, new QueueOptions(), T0).Changed);

        Assert.Equal(Repair.None, UnqueuedJobs.For(completed, Nobody, T0 + TimeSpan.FromHours(1), MinimumAge));
        Assert.Equal(Repair.None, UnqueuedJobs.For(new JobState(), Nobody, T0 + TimeSpan.FromHours(1), MinimumAge));
    }
}
