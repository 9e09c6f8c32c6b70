using System.Collections.Immutable;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Tests.Cluster;

public sealed class FailureTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static Task<JobView> WaitForStatusAsync(QueueTestCluster q, Guid id, Func<JobView, bool> until, string what) =>
        QueueTestCluster.WaitForAsync(() => q.StatusAsync(id), until, Patience, what);

    [Fact]
    public async Task AnAttemptPastItsDeadline_IsTakenBackWithinTwoSeconds_AndItsLateCompletionIsRefused()
    {
        await using var q = await QueueTestCluster.StartAsync();
        var job = await q.SubmitAsync(retries: 1, deadline: TimeSpan.FromSeconds(1));
        var first = await q.LeaseOneAsync("w1");

        var requeued = await WaitForStatusAsync(q, job.Id, j => j.Status == JobStatus.Pending, "the expired attempt to be taken back");

        var expired = requeued.Attempts[0];
        Assert.Equal(AttemptOutcome.DeadlineExceeded, expired.Outcome);
        Assert.InRange(expired.EndedAt!.Value - expired.StartedAt, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
        Assert.Equal(0, requeued.RetriesLeft);
        var late = await q.CompleteAsync(job.Id, first.Attempt, null);
        Assert.Equal(ReportResult.StaleAttempt, late.Result);

        var second = await q.LeaseOneAsync("w2");
        Assert.Equal(2, second.Attempt);
        var failed = await WaitForStatusAsync(q, job.Id, j => j.Status == JobStatus.Failed, "the last attempt to expire");
        Assert.Equal(JobLifecycle.DeadlineExceededError, failed.Error);
        Assert.All(failed.Attempts, a => Assert.Equal(AttemptOutcome.DeadlineExceeded, a.Outcome));
        var metrics = await q.Queue.GetMetricsAsync();
        Assert.Equal((1L, 1L, 0L), (metrics.RequeuedDeadline, metrics.Failed, metrics.Processing));
    }

    [Fact]
    public async Task Expiry_IsStillNoticedOnTime_AfterTheScheduleGrainWasDeactivated()
    {
        await using var q = await QueueTestCluster.StartAsync();
        var job = await q.SubmitAsync(retries: 1, deadline: TimeSpan.FromSeconds(2));
        await q.LeaseOneAsync("w1");

        await QueueTestCluster.DeactivateAsync(q.Schedule);

        // Only the job grain is polled: nothing but the shard's reminder can bring the schedule back.
        var requeued = await WaitForStatusAsync(q, job.Id, j => j.Status == JobStatus.Pending, "the expiry after deactivation");
        var expired = requeued.Attempts[0];
        Assert.Equal(AttemptOutcome.DeadlineExceeded, expired.Outcome);
        Assert.InRange(expired.EndedAt!.Value - expired.StartedAt, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4));
        Assert.Equal(job.Id, (await q.LeaseOneAsync("w2")).JobId);
    }

    [Fact]
    public async Task Expiry_IsStillNoticed_AfterTheJobGrainWasDeactivated()
    {
        await using var q = await QueueTestCluster.StartAsync();
        var job = await q.SubmitAsync(retries: 0, deadline: TimeSpan.FromSeconds(1));
        await q.LeaseOneAsync("w1");

        await QueueTestCluster.DeactivateAsync(q.Job(job.Id));

        var failed = await WaitForStatusAsync(q, job.Id, j => j.Status == JobStatus.Failed, "the expiry after the job grain's deactivation");
        Assert.Equal(JobLifecycle.DeadlineExceededError, failed.Error);
    }

    [Fact]
    public async Task PendingJobsAndTheirOrder_SurviveTheScheduleGrainsDeactivation()
    {
        await using var q = await QueueTestCluster.StartAsync();
        var low = await q.SubmitAsync(priority: 9);
        var high = await q.SubmitAsync(priority: 1);

        await QueueTestCluster.DeactivateAsync(q.Schedule);

        var leased = await q.LeaseAsync("w1", 10);
        Assert.Equal([high.Id, low.Id], leased.Select(l => l.JobId));
    }

    [Fact]
    public async Task ASilentWorker_IsDeclaredLost_AndItsJobsAreRequeuedLongBeforeTheirDeadline()
    {
        await using var q = await QueueTestCluster.StartAsync();
        var job = await q.SubmitAsync(retries: 2, deadline: TimeSpan.FromMinutes(5));
        await q.LeaseOneAsync("w1");

        var requeued = await WaitForStatusAsync(q, job.Id, j => j.Status == JobStatus.Pending, "the lost worker's job to be requeued");

        Assert.Equal(AttemptOutcome.WorkerLost, requeued.Attempts[0].Outcome);
        Assert.Equal(1, requeued.RetriesLeft);
        var metrics = await q.Queue.GetMetricsAsync();
        Assert.Equal(1, metrics.RequeuedWorkerLost);
        Assert.False(Assert.Single(metrics.Workers, w => w.Name == "w1").Alive);
    }

    [Fact]
    public async Task AWorkerThatKeepsSendingHeartbeats_KeepsItsJobs()
    {
        await using var q = await QueueTestCluster.StartAsync();
        var job = await q.SubmitAsync(deadline: TimeSpan.FromMinutes(5));
        var leased = await q.LeaseOneAsync("w1");
        var running = ImmutableArray.Create(new AttemptRef(leased.JobId, leased.Attempt));

        for (var i = 0; i < 8; i++)
        {
            var reply = await q.Schedule.Heartbeat(new WorkerHeartbeat(QueueTestCluster.W("w1"), 1, running));
            Assert.Empty(reply.Stop);
            await Task.Delay(500);
        }

        Assert.Equal(JobStatus.Processing, (await q.StatusAsync(job.Id)).Status);
        Assert.True(Assert.Single((await q.Queue.GetMetricsAsync()).Workers).Alive);
    }

    [Fact]
    public async Task AWorkerThatComesBackAfterBeingDeclaredLost_IsToldToStopItsOldAttempt_IsRefusedForIt_AndKeepsWorking()
    {
        await using var q = await QueueTestCluster.StartAsync();
        var job = await q.SubmitAsync(retries: 2);
        var old = await q.LeaseOneAsync("w1");
        await WaitForStatusAsync(q, job.Id, j => j.Status == JobStatus.Pending, "w1 to be declared lost");
        var other = await q.LeaseOneAsync("w2");

        var reply = await q.Schedule.Heartbeat(new WorkerHeartbeat(QueueTestCluster.W("w1"), 1, [new AttemptRef(old.JobId, old.Attempt)]));
        var late = await q.CompleteAsync(job.Id, old.Attempt, null);

        Assert.Equal([new AttemptRef(old.JobId, old.Attempt)], reply.Stop.ToArray());
        Assert.Equal(ReportResult.StaleAttempt, late.Result);
        Assert.Equal(ReportResult.Accepted, (await q.CompleteAsync(job.Id, other.Attempt, null)).Result);
        var next = await q.SubmitAsync();
        Assert.Equal(next.Id, (await q.LeaseOneAsync("w1")).JobId);
        Assert.True(Assert.Single((await q.Queue.GetMetricsAsync()).Workers, w => w.Name == "w1").Alive);
    }

    [Fact]
    public async Task ALeaseTheWorkerNeverReceived_IsHandedBack_WithoutUsingARetry()
    {
        await using var q = await QueueTestCluster.StartAsync();
        var job = await q.SubmitAsync(retries: 0, deadline: TimeSpan.FromMinutes(5));
        await q.LeaseOneAsync("w1");

        // w1 keeps beating but never lists the job: the lease reply was lost on its way.
        await QueueTestCluster.WaitForAsync(
            async () => { await q.Schedule.Heartbeat(new WorkerHeartbeat(QueueTestCluster.W("w1"), 1, [])); return await q.StatusAsync(job.Id); },
            j => j.Status == JobStatus.Pending, Patience, "the orphaned lease to be handed back");

        var status = await q.StatusAsync(job.Id);
        Assert.Equal((AttemptOutcome.HandedBack, 0), (status.Attempts[0].Outcome, status.RetriesLeft));
    }

    [Fact]
    public async Task CancellingAPendingJob_MeansItIsNeverLeased()
    {
        await using var q = await QueueTestCluster.StartAsync();
        var cancelled = await q.SubmitAsync(priority: 0);
        var other = await q.SubmitAsync(priority: 5);

        var reply = await q.Queue.CancelAsync(cancelled.Id);

        Assert.Equal(ReportResult.Accepted, reply.Result);
        Assert.Equal([other.Id], (await q.LeaseAsync("w1", 10)).Select(l => l.JobId));
        Assert.Equal(JobStatus.Cancelled, (await q.StatusAsync(cancelled.Id)).Status);
        var metrics = await q.Queue.GetMetricsAsync();
        Assert.Equal((1L, 0L), (metrics.Cancelled, metrics.Pending));
    }

    [Fact]
    public async Task CancellingAProcessingJob_TellsItsWorkerToStopAtTheNextHeartbeat_AndRefusesItsLateReport()
    {
        await using var q = await QueueTestCluster.StartAsync();
        var job = await q.SubmitAsync();
        var leased = await q.LeaseOneAsync("w1");

        await q.Queue.CancelAsync(job.Id);
        var reply = await q.Schedule.Heartbeat(new WorkerHeartbeat(QueueTestCluster.W("w1"), 1, [new AttemptRef(leased.JobId, leased.Attempt)]));

        Assert.Equal([new AttemptRef(leased.JobId, leased.Attempt)], reply.Stop.ToArray());
        Assert.Equal(ReportResult.StaleAttempt, (await q.CompleteAsync(job.Id, leased.Attempt, null)).Result);
        var status = await q.StatusAsync(job.Id);
        Assert.Equal((JobStatus.Cancelled, AttemptOutcome.Cancelled), (status.Status, status.Attempts[0].Outcome));
        Assert.Equal(0, (await q.Queue.GetMetricsAsync()).Processing);
    }

    [Fact]
    public async Task CancellingAFinishedJob_IsRefused_AndChangesNothing()
    {
        await using var q = await QueueTestCluster.StartAsync();
        var job = await q.SubmitAsync();
        var leased = await q.LeaseOneAsync("w1");
        await q.CompleteAsync(job.Id, leased.Attempt, null);

        var reply = await q.Queue.CancelAsync(job.Id);

        Assert.Equal(ReportResult.WrongState, reply.Result);
        Assert.Contains("COMPLETED", reply.Message, StringComparison.Ordinal);
        Assert.Equal(JobStatus.Completed, (await q.StatusAsync(job.Id)).Status);
    }

    [Fact]
    public async Task RequeueOfAFailedJob_SendsItBackWithFreshRetries_AndListShowsIt()
    {
        await using var q = await QueueTestCluster.StartAsync();
        var job = await q.SubmitAsync(retries: 1);
        for (var i = 0; i < 2; i++)
        {
            var leased = await q.LeaseOneAsync("w1");
            await q.FailAsync(job.Id, leased.Attempt, "boom");
        }

        Assert.Equal([job.Id], (await q.Queue.ListAsync(JobStatus.Failed, 10)).Select(j => j.Id));

        var reply = await q.Queue.RequeueAsync(job.Id);

        Assert.Equal(ReportResult.Accepted, reply.Result);
        Assert.Empty(await q.Queue.ListAsync(JobStatus.Failed, 10));
        Assert.Equal([job.Id], (await q.Queue.ListAsync(JobStatus.Pending, 10)).Select(j => j.Id));
        var again = await q.LeaseOneAsync("w1");
        Assert.Equal((3, 1), (again.Attempt, again.RetriesLeft));
        Assert.Equal(1, (await q.Queue.GetMetricsAsync()).RequeuedManual);
        Assert.Equal(ReportResult.WrongState, (await q.Queue.RequeueAsync(job.Id)).Result);
    }

    [Fact]
    public async Task Metrics_MatchAKnownWorkload()
    {
        await using var q = await QueueTestCluster.StartAsync();
        var toComplete = new List<JobView>();
        for (var i = 0; i < 5; i++)
        {
            toComplete.Add(await q.SubmitAsync(priority: 0));
        }

        foreach (var leased in await q.LeaseAsync("w1", 5))
        {
            await q.CompleteAsync(leased.JobId, leased.Attempt, null);
        }

        var toFail = await q.SubmitAsync(priority: 0, retries: 0);
        var failing = await q.LeaseOneAsync("w2");
        await q.FailAsync(toFail.Id, failing.Attempt, "boom");
        var processing = await q.SubmitAsync(priority: 0);
        await q.LeaseOneAsync("w2");
        var cancelled = await q.SubmitAsync(priority: 4);
        await q.Queue.CancelAsync(cancelled.Id);
        await q.SubmitAsync(priority: 2);
        await q.SubmitAsync(priority: 2);
        await q.SubmitAsync(priority: 7);

        var m = await q.Queue.GetMetricsAsync();

        Assert.Equal(11, m.Submitted);
        Assert.Equal(3, m.Pending);
        Assert.Equal([0L, 0, 2, 0, 0, 0, 0, 1, 0, 0, 0], m.PendingByPriority.ToArray());
        Assert.Equal((1L, 5L, 1L, 1L), (m.Processing, m.Completed, m.Failed, m.Cancelled));
        Assert.NotNull(m.OldestPendingSince);
        var w1 = Assert.Single(m.Workers, w => w.Name == "w1");
        var w2 = Assert.Single(m.Workers, w => w.Name == "w2");
        Assert.Equal((5L, 0L, 0), (w1.Completed, w1.Failed, w1.Busy));
        Assert.Equal((0L, 1L, 1), (w2.Completed, w2.Failed, w2.Busy));
        Assert.Equal(2, m.LiveWorkers);
        Assert.Equal((7L, 6L, 5L), (m.WaitTimes.Count, m.RunTimes.Count, m.EndToEndTimes.Count));
        Assert.Equal(5.0 / 60, m.CompletedPerSecond1m, 3);
        Assert.Equal(5.0 / 300, m.CompletedPerSecond5m, 3);
        Assert.True(m.WaitTimes.Percentile(0.99) < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task WorkerUtilization_IsTheShareOfItsSlotTimeSpentBusy()
    {
        await using var q = await QueueTestCluster.StartAsync();
        await q.Schedule.Heartbeat(new WorkerHeartbeat(QueueTestCluster.W("w1"), 2, []));
        await q.SubmitAsync(deadline: TimeSpan.FromMinutes(5));
        var held = System.Diagnostics.Stopwatch.StartNew();
        var leased = await q.LeaseOneAsync("w1");
        var running = ImmutableArray.Create(new AttemptRef(leased.JobId, leased.Attempt));

        // One of two slots busy for at least two seconds: as long as the lease is held, up to the metrics' answer (on a
        // busy machine that answer can come a while after the loop ends, and the slot is busy all that time).
        var started = DateTime.UtcNow;
        while (DateTime.UtcNow - started < TimeSpan.FromSeconds(2))
        {
            await q.Schedule.Heartbeat(new WorkerHeartbeat(QueueTestCluster.W("w1"), 2, running));
            await Task.Delay(200);
        }

        var w1 = Assert.Single((await q.Queue.GetMetricsAsync()).Workers);
        var most = held.Elapsed.TotalSeconds + 0.5;
        Assert.InRange(w1.BusySlotSeconds, 1.5, most);
        Assert.InRange(w1.Utilization, 1.5 / 120, most / 120);
    }

    [Fact]
    public async Task Progress_FromTheRunningAttempt_IsShownInStatus_AndAStaleAttemptsIsRefused()
    {
        await using var q = await QueueTestCluster.StartAsync();
        var job = await q.SubmitAsync(retries: 1);
        var first = await q.LeaseOneAsync("w1");
        await q.HandBackAsync(job.Id, first.Attempt);
        var second = await q.LeaseOneAsync("w1");

        var accepted = await q.Job(job.Id).ReportProgress(second.Attempt, 40, "encoding 720p");
        var stale = await q.Job(job.Id).ReportProgress(first.Attempt, 90, "old");

        Assert.Equal((ReportResult.Accepted, ReportResult.StaleAttempt), (accepted.Result, stale.Result));
        var progress = (await q.StatusAsync(job.Id)).Progress;
        Assert.Equal((2, 40, "encoding 720p"), (progress!.Attempt, progress.Percent, progress.Message));
    }
}
