using System.Text;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Tests.Cluster.SharedCluster;

/// <summary>What the beanstalkd gateway needs of the grains, through the grains: release and bury as reports, kick,
/// cancel of a pending or buried job only, touch (lease extension), reserve-job (a lease by id), pause and the per-queue
/// counts. Each test uses a queue and workers of its own.</summary>
[Collection(SharedQueueCluster.Name)]
public sealed class BeanstalkCoreTests(SharedQueueCluster.Fixture fixture)
{
    private readonly QueueTestCluster q = fixture.Queue;

    private async Task<LeasedJob> LeaseFromAsync(string worker, string queue) =>
        Assert.Single(await q.LeaseAsync(worker, 1, TimeSpan.FromSeconds(5), [queue]));

    private async Task<QueueCounts> CountsAsync(string queue) => Assert.Single(await q.Schedule.GetQueueCounts(queue));

    [Fact]
    public async Task Release_IsAReport_ThatRequeuesWithTheNewPriority_AfterItsDelay()
    {
        var queue = QueueTestCluster.Unique("release");
        var worker = QueueTestCluster.Unique("w");
        var job = await q.SubmitToAsync(queue, priority: 3_000_000_000);
        var leased = await LeaseFromAsync(worker, queue);
        Assert.Equal(3_000_000_000, leased.Priority);

        var reply = await q.ReportAsync(new AttemptReport(job.Id, leased.Attempt, AttemptReportKind.Release, Priority: 42, Delay: TimeSpan.FromHours(1)));

        Assert.Equal(ReportResult.Accepted, reply.Result);
        var status = await q.StatusAsync(job.Id);
        Assert.Equal((JobStatus.Delayed, 42L, AttemptOutcome.Released), (status.Status, status.Priority, status.Attempts[^1].Outcome));
        Assert.Empty(await q.LeaseAsync(worker, 1, null, [queue]));
        Assert.Equal((0L, 1L), ((await CountsAsync(queue)).Ready, (await CountsAsync(queue)).Delayed));
    }

    [Fact]
    public async Task Bury_KeepsTheJobOutOfEveryLease_UntilItsKick()
    {
        var queue = QueueTestCluster.Unique("bury");
        var worker = QueueTestCluster.Unique("w");
        var job = await q.SubmitToAsync(queue);
        var leased = await LeaseFromAsync(worker, queue);

        var reply = await q.ReportAsync(new AttemptReport(job.Id, leased.Attempt, AttemptReportKind.Bury, Error: "needs a human", Priority: 9));

        Assert.Equal(ReportResult.Accepted, reply.Result);
        var buried = await q.StatusAsync(job.Id);
        Assert.Equal((JobStatus.Buried, "needs a human", 9L), (buried.Status, buried.Error, buried.Priority));
        Assert.Equal(job.Id, Assert.Single(await q.Schedule.ListBuried(queue, 10)));
        Assert.Equal(1, (await CountsAsync(queue)).Buried);
        Assert.Equal(job.Id, await q.Schedule.PeekQueue(queue, PeekPlace.Buried));
        Assert.Empty(await q.LeaseAsync(worker, 1, null, [queue]));

        Assert.Equal(1, await q.Queue.KickAsync(queue, 10));
        Assert.Equal(ReportResult.WrongState, (await q.Job(job.Id).Kick()).Result);
        Assert.Empty(await q.Schedule.ListBuried(queue, 10));
        Assert.Equal(job.Id, (await LeaseFromAsync(worker, queue)).JobId);
    }

    [Fact]
    public async Task CancelPending_CancelsAPendingOrBuriedJob_ButNeverALeasedOne()
    {
        var queue = QueueTestCluster.Unique("cancel");
        var worker = QueueTestCluster.Unique("w");
        var leasedJob = await q.SubmitToAsync(queue);
        var leased = await LeaseFromAsync(worker, queue);
        var pending = await q.SubmitToAsync(queue);

        Assert.Equal(ReportResult.WrongState, (await q.Job(leasedJob.Id).CancelPending()).Result);
        Assert.Equal(JobStatus.Processing, (await q.StatusAsync(leasedJob.Id)).Status);
        Assert.Equal(ReportResult.Accepted, (await q.Job(pending.Id).CancelPending()).Result);

        await q.ReportAsync(new AttemptReport(leasedJob.Id, leased.Attempt, AttemptReportKind.Bury));
        Assert.Equal(ReportResult.Accepted, (await q.Job(leasedJob.Id).CancelPending()).Result);
        Assert.Empty(await q.Schedule.ListBuried(queue, 10));
        Assert.Empty((await q.Schedule.GetQueueCounts(queue)).Where(c => c.Ready + c.Buried + c.Reserved > 0));
    }

    [Fact]
    public async Task ExtendLease_WorksForTheLeasingWorkerOnly()
    {
        var queue = QueueTestCluster.Unique("touch");
        var worker = QueueTestCluster.Unique("w");
        await q.SubmitToAsync(queue);
        var leased = await LeaseFromAsync(worker, queue);
        var attempt = new AttemptRef(leased.JobId, leased.Attempt);

        Assert.True(await q.Schedule.ExtendLease(QueueTestCluster.W(worker), attempt, TimeSpan.FromMinutes(2)));
        Assert.False(await q.Schedule.ExtendLease(QueueTestCluster.W(QueueTestCluster.Unique("other")), attempt, TimeSpan.FromMinutes(2)));
        Assert.False(await q.Schedule.ExtendLease(QueueTestCluster.W(worker), attempt with { Attempt = 2 }, TimeSpan.FromMinutes(2)));
        Assert.Equal(1, (await CountsAsync(queue)).Reserved);
    }

    [Fact]
    public async Task LeaseJob_LeasesThatPendingJob_OnceOnly_EvenWhenDelayed()
    {
        var queue = QueueTestCluster.Unique("by-id");
        var worker = QueueTestCluster.Unique("w");
        await q.SubmitToAsync(queue, priority: 0);
        var delayed = await q.Queue.SubmitAsync(new JobSubmission("TEST", [1, 2], 9, Queue: queue, Delay: TimeSpan.FromHours(1)));

        var leased = await q.Schedule.LeaseJob(QueueTestCluster.W(worker), delayed.Id);

        Assert.Equal((delayed.Id, 1), (leased?.JobId, leased?.Attempt));
        Assert.Equal([1, 2], await q.Job(delayed.Id).GetPayload());
        Assert.Equal(JobStatus.Processing, (await q.StatusAsync(delayed.Id)).Status);
        Assert.Null(await q.Schedule.LeaseJob(QueueTestCluster.W(worker), delayed.Id));
        Assert.Null(await q.Schedule.LeaseJob(QueueTestCluster.W(worker), Guid.CreateVersion7()));
    }

    [Fact]
    public async Task PauseQueue_StopsItsLeases_AndLiftingItLetsAParkedLeaseTakeTheJob()
    {
        var queue = QueueTestCluster.Unique("pause");
        var worker = QueueTestCluster.Unique("w");
        var job = await q.SubmitToAsync(queue);
        await q.Schedule.PauseQueue(queue, TimeSpan.FromHours(1));
        Assert.Empty(await q.LeaseAsync(worker, 1, null, [queue]));
        Assert.Equal(TimeSpan.FromHours(1), (await CountsAsync(queue)).Pause?.Delay);

        var parked = q.LeaseAsync(worker, 1, TimeSpan.FromSeconds(10), [queue]);
        await q.Schedule.PauseQueue(queue, TimeSpan.Zero);

        Assert.Equal(job.Id, Assert.Single(await parked).JobId);
        await Assert.ThrowsAsync<ArgumentException>(() => q.Schedule.PauseQueue("-bad", TimeSpan.FromSeconds(1)));
    }
}
