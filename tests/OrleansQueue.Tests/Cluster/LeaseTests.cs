using System.Diagnostics;
using OrleansQueue.Jobs;

namespace OrleansQueue.Tests.Cluster;

public sealed class LeaseTests
{
    [Fact]
    public async Task Lease_HandsOutJobsInPriorityOrder_FifoWithinAPriority()
    {
        await using var q = await QueueTestCluster.StartAsync();
        var priorities = new[] { 5, 0, 10, 5, 0, 3, 10, 3 };
        var submitted = new List<JobView>();
        foreach (var p in priorities)
        {
            submitted.Add(await q.SubmitAsync(priority: p));
        }

        var leased = await q.LeaseAsync("w1", max: 100);

        var expected = submitted.OrderBy(j => j.Priority).ThenBy(j => j.SubmittedAt).Select(j => j.Id);
        Assert.Equal(expected, leased.Select(l => l.JobId));
        Assert.All(leased, l => Assert.Equal(1, l.Attempt));
    }

    [Fact]
    public async Task LongPollLease_ParkedOnAnEmptyQueue_WakesAsSoonAsAJobIsSubmitted()
    {
        await using var q = await QueueTestCluster.StartAsync();
        var clock = Stopwatch.StartNew();
        var lease = q.LeaseAsync("w1", max: 1, wait: TimeSpan.FromSeconds(15));
        await Task.Delay(200);
        Assert.False(lease.IsCompleted, "the lease must wait while the queue is empty");

        var submittedAt = clock.Elapsed;
        var job = await q.SubmitAsync();
        var leased = await lease.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(job.Id, Assert.Single(leased).JobId);
        Assert.True(clock.Elapsed - submittedAt < TimeSpan.FromSeconds(1), $"woke after {(clock.Elapsed - submittedAt).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task LongPollLease_DoesNotBlockSubmits_AndSeveralWaitersEachGetAJob()
    {
        await using var q = await QueueTestCluster.StartAsync();
        var leases = Enumerable.Range(0, 3).Select(i => q.LeaseAsync($"w{i}", 1, TimeSpan.FromSeconds(15))).ToList();
        await Task.Delay(100);

        var jobs = new List<JobView>();
        for (var i = 0; i < 3; i++)
        {
            jobs.Add(await q.SubmitAsync().WaitAsync(TimeSpan.FromSeconds(5)));
        }

        var leased = (await Task.WhenAll(leases).WaitAsync(TimeSpan.FromSeconds(5))).SelectMany(x => x).Select(l => l.JobId);
        Assert.Equal(jobs.Select(j => j.Id).Order(), leased.Order());
    }

    [Fact]
    public async Task EndWaits_EndsThatWorkersLongPollOnThoseQueues_AtOnce_AndNoOther()
    {
        await using var q = await QueueTestCluster.StartAsync();
        var mine = q.LeaseAsync("w1", 1, TimeSpan.FromSeconds(20), ["a"]);
        var otherQueues = q.LeaseAsync("w1", 1, TimeSpan.FromSeconds(20), ["b"]);
        var otherWorker = q.LeaseAsync("w2", 1, TimeSpan.FromSeconds(20), ["a"]);
        await Task.Delay(200);

        await q.Schedule.EndWaits(QueueTestCluster.W("w1"), ["a"]);

        Assert.Empty(await mine.WaitAsync(TimeSpan.FromSeconds(5)));
        await Task.Delay(200);
        Assert.False(otherQueues.IsCompleted, "a poll of other queues was ended");
        Assert.False(otherWorker.IsCompleted, "another worker's poll was ended");
        await q.Schedule.EndWaits(QueueTestCluster.W("w1"), ["b"]);
        await q.Schedule.EndWaits(QueueTestCluster.W("w2"), ["a"]);
        Assert.Empty(await otherQueues.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Empty(await otherWorker.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task LongPollLease_ReturnsEmptyWhenTheWaitPasses()
    {
        await using var q = await QueueTestCluster.StartAsync();
        var clock = Stopwatch.StartNew();

        var leased = await q.LeaseAsync("w1", 1, TimeSpan.FromMilliseconds(300));

        Assert.Empty(leased);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
    }
}
