using OrleansQueue.Jobs;

namespace OrleansQueue.Tests.Cluster.SharedCluster;

/// <summary>Cancel and requeue as users send them (through <see cref="Client.JobQueueClient"/>), on the shared cluster.</summary>
[Collection(SharedQueueCluster.Name)]
public sealed class JobCommandTests(SharedQueueCluster.Fixture fixture)
{
    private readonly QueueTestCluster q = fixture.Queue;

    [Fact]
    public async Task Cancelled_CountsAJobOnce_HoweverOftenItIsCancelledAndRequeued()
    {
        // Issue 11 #8: each cancel was counted, so cancel/requeue rounds inflated "cancelled" past the jobs submitted.
        var before = await q.Queue.GetMetricsAsync();
        var job = await q.SubmitAsync();

        for (var round = 0; round < 3; round++)
        {
            Assert.Equal(ReportResult.Accepted, (await q.Queue.CancelAsync(job.Id)).Result);
            Assert.Equal(ReportResult.Accepted, (await q.Queue.RequeueAsync(job.Id)).Result);
        }

        Assert.Equal(ReportResult.Accepted, (await q.Queue.CancelAsync(job.Id)).Result);
        var after = await q.Queue.GetMetricsAsync();
        Assert.Equal((1L, 1L, 3L), (after.Submitted - before.Submitted, after.Cancelled - before.Cancelled, after.RequeuedManual - before.RequeuedManual));
    }

    [Fact]
    public async Task AskingForTheStateAJobIsAlreadyIn_IsADuplicate_ForCancelAndRequeueAlike()
    {
        // Issue 11 #14: requeueing a PENDING job succeeded as DUPLICATE while cancelling a CANCELLED job was refused.
        var pending = await q.SubmitAsync();
        var cancelled = await q.SubmitAsync();
        await q.Queue.CancelAsync(cancelled.Id);
        var before = await q.Queue.GetMetricsAsync();

        var requeue = await q.Queue.RequeueAsync(pending.Id);
        var cancel = await q.Queue.CancelAsync(cancelled.Id);

        Assert.Equal((ReportResult.Duplicate, JobStatus.Pending), (requeue.Result, requeue.Status));
        Assert.Equal((ReportResult.Duplicate, JobStatus.Cancelled), (cancel.Result, cancel.Status));
        Assert.True(requeue.IsAccepted && cancel.IsAccepted);
        Assert.Contains("already CANCELLED", cancel.Message, StringComparison.Ordinal);
        var after = await q.Queue.GetMetricsAsync();
        Assert.Equal((0L, 0L), (after.Cancelled - before.Cancelled, after.RequeuedManual - before.RequeuedManual));
    }

    [Fact]
    public async Task CommandsAboutAnUnknownJob_AreAnsweredNotFound()
    {
        var id = JobId.New();

        Assert.Null(await q.Queue.GetStatusAsync(id));
        Assert.Equal(ReportResult.NotFound, (await q.CompleteAsync(id, 1)).Result);
        Assert.Equal(ReportResult.NotFound, (await q.Queue.CancelAsync(id)).Result);
        Assert.Equal(ReportResult.NotFound, (await q.Queue.RequeueAsync(id)).Result);
        Assert.Null(await q.Queue.GetStatusAsync(id));
    }
}
