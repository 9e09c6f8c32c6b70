using System.Text;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Tests.Cluster.SharedCluster;

/// <summary>Named queues on the shared cluster: a job lives in the queue it was submitted to, and a lease takes only
/// from the queues it names. Each test uses queues of its own, so the tests sharing the cluster do not meet.</summary>
[Collection(SharedQueueCluster.Name)]
public sealed class NamedQueueTests(SharedQueueCluster.Fixture fixture)
{
    private readonly QueueTestCluster q = fixture.Queue;

    [Fact]
    public async Task Lease_TakesOnlyFromTheQueuesItNames()
    {
        var emails = QueueTestCluster.Unique("emails");
        var reports = QueueTestCluster.Unique("reports");
        var email = await q.SubmitToAsync(emails);
        Assert.Equal(emails, email.Queue);

        Assert.Empty(await q.LeaseAsync("w-named-1", max: 10, queues: [reports]));
        var leased = Assert.Single(await q.LeaseAsync("w-named-1", max: 10, queues: [reports, emails]));

        Assert.Equal((email.Id, emails), (leased.JobId, leased.Queue));
        Assert.Equal(emails, (await q.StatusAsync(email.Id)).Queue);
    }

    [Fact]
    public async Task Lease_AcrossQueues_IsStrictPriorityThenFifo()
    {
        var a = QueueTestCluster.Unique("a");
        var b = QueueTestCluster.Unique("b");
        var low = await q.SubmitToAsync(a, priority: 7);
        var urgent = await q.SubmitToAsync(b, priority: 1);
        var lowToo = await q.SubmitToAsync(b, priority: 7);

        var order = (await q.LeaseAsync("w-named-2", max: 10, queues: [a, b])).Select(j => j.JobId);

        Assert.Equal([urgent.Id, low.Id, lowToo.Id], order);
    }

    [Fact]
    public async Task ParkedLease_OnAnotherQueue_DoesNotSwallowTheWakeOfAJobInMine()
    {
        var mine = QueueTestCluster.Unique("mine");
        var other = QueueTestCluster.Unique("other");
        // Parked first: a wake given to the oldest waiter alone would go to it, and it would find nothing.
        var parkedOther = q.LeaseAsync("w-named-other", max: 1, wait: TimeSpan.FromSeconds(8), queues: [other]);
        var parkedMine = q.LeaseAsync("w-named-mine", max: 1, wait: TimeSpan.FromSeconds(8), queues: [mine]);
        await Task.Delay(300);

        var job = await q.SubmitToAsync(mine);

        var leased = await parkedMine.WaitAsync(TimeSpan.FromSeconds(4));
        Assert.Equal(job.Id, Assert.Single(leased).JobId);
        Assert.Empty(await parkedOther.WaitAsync(TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task Metrics_CountPendingJobsPerQueue()
    {
        var queue = QueueTestCluster.Unique("counted");
        await q.SubmitToAsync(queue);
        await q.SubmitToAsync(queue);
        await q.Queue.SubmitAsync(new JobSubmission("TEST", [], Queue: queue, Delay: TimeSpan.FromMinutes(5)));

        var figures = Assert.Single((await q.Queue.GetMetricsAsync()).Queues, f => f.Name == queue);

        Assert.Equal((2L, 1L), (figures.Ready, figures.Delayed));
    }

    [Fact]
    public async Task Metrics_CountLeasedJobsPerQueue()
    {
        var queue = QueueTestCluster.Unique("busy");
        await q.SubmitToAsync(queue);
        await q.SubmitToAsync(queue);

        await q.LeaseAsync("w-named-busy", max: 1, queues: [queue]);

        var figures = Assert.Single((await q.Queue.GetMetricsAsync()).Queues, f => f.Name == queue);
        Assert.Equal((1L, 0L, 1L), (figures.Ready, figures.Delayed, figures.Processing));
    }

    [Fact]
    public async Task List_WithAQueue_GivesThatQueuesJobs_InEachStatus_AndAnUnknownQueueNone()
    {
        var mine = QueueTestCluster.Unique("listed");
        var other = QueueTestCluster.Unique("other");
        var done = await q.SubmitToAsync(mine);
        var running = await q.SubmitToAsync(mine);
        var waiting = await q.SubmitToAsync(mine);
        var elsewhere = await q.SubmitToAsync(other);
        var leased = await q.LeaseAsync("w-named-list", max: 2, queues: [mine]);
        Assert.Equal([done.Id, running.Id], leased.Select(l => l.JobId));
        await q.CompleteAsync(done.Id, leased[0].Attempt);

        var completed = await QueueTestCluster.WaitForAsync(
            () => q.Queue.ListAsync(JobStatus.Completed, 1000, mine), c => c.Count > 0, TimeSpan.FromSeconds(10), "the completed job in its queue's list");

        Assert.Equal([done.Id], completed.Select(j => j.Id));
        Assert.Equal([running.Id], (await q.Queue.ListAsync(JobStatus.Processing, 1000, mine)).Select(j => j.Id));
        Assert.Equal([waiting.Id], (await q.Queue.ListAsync(JobStatus.Pending, 1000, mine)).Select(j => j.Id));
        Assert.Equal([elsewhere.Id], (await q.Queue.ListAsync(JobStatus.Pending, 1000, other)).Select(j => j.Id));
        Assert.Empty(await q.Queue.ListAsync(JobStatus.Pending, 1000, QueueTestCluster.Unique("unknown")));
        Assert.Contains(await q.Queue.ListAsync(JobStatus.Pending, 100_000), j => j.Id == elsewhere.Id);
    }

    [Fact]
    public async Task ListPending_IsInTheOrderTheJobsWillBeLeased_PriorityThenFifo()
    {
        // It was in submission order: --limit picked the right jobs, shown in the wrong order.
        var queue = QueueTestCluster.Unique("pending-order");
        var submitted = new List<JobView>();
        foreach (var priority in new long[] { 5, 0, 10, 0, 5, 3 })
        {
            submitted.Add(await q.SubmitToAsync(queue, priority));
        }

        var listed = await q.Queue.ListAsync(JobStatus.Pending, 5, queue);

        Guid[] expected = [submitted[1].Id, submitted[3].Id, submitted[5].Id, submitted[0].Id, submitted[4].Id];
        Assert.Equal(expected, listed.Select(j => j.Id));
        var leased = await q.LeaseAsync("w-pending-order", max: 5, queues: [queue]);
        Assert.Equal(expected, leased.Select(l => l.JobId));
    }

    [Fact]
    public async Task List_NamingAMalformedQueue_IsRefused()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => q.Queue.ListAsync(JobStatus.Pending, 10, "bad name"));
        Assert.Contains("Queue name 'bad name' is not valid", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => q.Schedule.ListJobs(JobStatus.Pending, 10, "-bad"));
    }

    [Fact]
    public async Task DelayedSubmit_IsNotLeasedBeforeItIsDue_ThenIs()
    {
        var queue = QueueTestCluster.Unique("delayed");
        var job = await q.Queue.SubmitAsync(new JobSubmission("TEST", [], Queue: queue, Delay: TimeSpan.FromSeconds(1)));
        Assert.Equal(JobStatus.Delayed, job.Status);
        Assert.True(job.NotBefore > job.SubmittedAt);

        Assert.Empty(await q.LeaseAsync("w-delayed", max: 1, queues: [queue]));
        var leased = await q.LeaseAsync("w-delayed", max: 1, wait: TimeSpan.FromSeconds(10), queues: [queue]);

        Assert.Equal(job.Id, Assert.Single(leased).JobId);
        Assert.True(DateTimeOffset.UtcNow >= job.NotBefore);
    }

    [Fact]
    public async Task ADelayedJob_IsListedDelayed_NotPending_UntilAKickMakesItPending()
    {
        var queue = QueueTestCluster.Unique("kick-delayed");
        var delayed = await q.Queue.SubmitAsync(new JobSubmission("TEST", [], Queue: queue, Delay: TimeSpan.FromHours(1)));
        var ready = await q.SubmitToAsync(queue);

        Assert.Equal([delayed.Id], (await q.Queue.ListAsync(JobStatus.Delayed, 100, queue)).Select(j => j.Id));
        Assert.Equal([ready.Id], (await q.Queue.ListAsync(JobStatus.Pending, 100, queue)).Select(j => j.Id));
        Assert.Equal(JobStatus.Delayed, (await q.Queue.GetStatusAsync(delayed.Id))!.Status);

        // No job is buried in the queue, so a kick makes its delayed jobs ready.
        Assert.Equal(1, await q.Queue.KickAsync(queue, 10));

        Assert.Equal(JobStatus.Pending, (await q.Queue.GetStatusAsync(delayed.Id))!.Status);
        Assert.Empty(await q.Queue.ListAsync(JobStatus.Delayed, 100, queue));
        var leased = await q.LeaseAsync("w-kick-delayed", max: 2, queues: [queue]);
        Assert.Equal(new[] { ready.Id, delayed.Id }.Order(), leased.Select(l => l.JobId).Order());
    }

    [Fact]
    public async Task NegativeDelay_IsRefused()
    {
        var error = await Assert.ThrowsAsync<InvalidJobException>(() =>
            q.Queue.SubmitAsync(new JobSubmission("TEST", [], Delay: TimeSpan.FromSeconds(-1))));
        Assert.Contains("Delay", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-starts-with-hyphen")]
    [InlineData("has space")]
    [InlineData("")]
    public async Task Submit_ToAMalformedQueueName_IsRefused_NothingStored(string queue)
    {
        var error = await Assert.ThrowsAsync<InvalidJobException>(() => q.SubmitToAsync(queue));
        Assert.Contains("Queue name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lease_NamingAMalformedQueue_IsRefused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => q.LeaseAsync("w-named-3", queues: ["bad name"]));
    }

    [Fact]
    public async Task AnAttemptNoLeaseCovers_FoundWhenTheJobIsLeased_IsTakenBack_AndTheJobRunsAgain_NoRetryUsed()
    {
        // Arrange: attempt 1 started as a shard activation that lost the shard would start it (paused past its silo's
        // death, then fenced by the activation that took the shard over from its journal, which holds the job as
        // pending): the job grain runs it, and no lease of the shard covers it.
        var queue = QueueTestCluster.Unique("orphaned");
        var job = await q.SubmitToAsync(queue);
        Assert.IsType<StartResult.Started>(await q.Job(job.Id).StartAttempt("paused-shard", 1, DateTimeOffset.UtcNow));

        // Act: the shard leases its pending entry; the job grain says the job runs attempt 1.
        var first = await q.LeaseAsync("w-orphan", max: 10, queues: [queue]);
        var second = await q.LeaseAsync("w-orphan", max: 10, queues: [queue]);

        // Assert: that attempt was taken back at once (before, the entry was dropped and the job stayed PROCESSING until
        // the stored-job sweep, minutes later), and the job is leased again, under attempt 2.
        Assert.Empty(first);
        var again = Assert.Single(second);
        Assert.Equal((job.Id, 2), (again.JobId, again.Attempt));
        var status = await q.StatusAsync(job.Id);
        Assert.Equal(AttemptOutcome.HandedBack, status.Attempts[0].Outcome);
        Assert.Equal(job.RetriesLeft, status.RetriesLeft);
    }
}
