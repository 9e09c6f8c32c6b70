using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansQueue.Hosting;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Tests.Cluster;

/// <summary>Finished jobs are forgotten once <see cref="QueueOptions.FinishedJobRetention"/> has passed, by the silo's
/// <see cref="FinishedJobSweep"/>; a job that is not finished, or was requeued since, is kept. The sweep's pass is run
/// with a clock moved past the retention (the silo's own pass runs every second with the real clock).</summary>
public sealed class RetentionTests
{
    private static readonly TimeSpan Retention = new QueueOptions().FinishedJobRetention;

    [Fact]
    public async Task FinishedJobs_AreForgotten_OnceTheirRetentionHasPassed_AndOthersAreKept()
    {
        await using var q = await QueueTestCluster.StartAsync();
        var completed = await q.SubmitAsync();
        var failed = await q.SubmitAsync(retries: 0);
        var cancelled = await q.SubmitAsync();
        var running = await q.SubmitAsync();
        var pending = await q.SubmitAsync();
        var leased = (await q.LeaseAsync("w1", max: 4)).ToDictionary(j => j.JobId, j => j.Attempt);
        Assert.Equal(ReportResult.Accepted, (await q.CompleteAsync(completed.Id, leased[completed.Id])).Result);
        Assert.Equal(ReportResult.Accepted, (await q.FailAsync(failed.Id, leased[failed.Id], "boom")).Result);
        Assert.Equal(ReportResult.Accepted, (await q.Queue.CancelAsync(cancelled.Id)).Result);
        var sweep = SweepOf(q);

        Assert.Equal(0, await sweep.ForgetDueAsync(DateTimeOffset.UtcNow + Retention - TimeSpan.FromMinutes(1)));
        Assert.Equal(JobStatus.Completed, (await q.StatusAsync(completed.Id)).Status);

        Assert.Equal(3, await sweep.ForgetDueAsync(DateTimeOffset.UtcNow + Retention + TimeSpan.FromSeconds(1)));

        Assert.Null(await q.Queue.GetStatusAsync(completed.Id));
        Assert.Null(await q.Queue.GetStatusAsync(failed.Id));
        Assert.Null(await q.Queue.GetStatusAsync(cancelled.Id));
        Assert.Equal(JobStatus.Processing, (await q.StatusAsync(running.Id)).Status);
        Assert.Equal(JobStatus.Pending, (await q.StatusAsync(pending.Id)).Status);
        Assert.Equal(ReportResult.NotFound, (await q.CompleteAsync(completed.Id, leased[completed.Id])).Result);
        Assert.Equal(ReportResult.Accepted, (await q.CompleteAsync(running.Id, leased[running.Id])).Result);
        Assert.Equal(0, await sweep.ForgetDueAsync(DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task OverTheLimit_TheOldestAreForgottenFirst_ButNoneThatFinishedUnderTheMinimumRetentionAgo()
    {
        await using var q = await QueueTestCluster.StartAsync(new Dictionary<string, string?> { ["Queue:FinishedJobLimit"] = "2" });
        var jobs = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var job = await q.SubmitAsync();
            var leased = await q.LeaseOneAsync("w1");
            Assert.Equal(ReportResult.Accepted, (await q.CompleteAsync(job.Id, leased.Attempt)).Result);
            jobs.Add(job.Id);
        }

        var sweep = SweepOf(q);
        var minimum = QueueOptions.MinimumFinishedJobRetention;
        var silo = Assert.IsType<InProcessSiloHandle>(q.Cluster.Primary).ServiceProvider.GetRequiredService<IMeterFactory>();
        var forgotten = new ConcurrentQueue<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // This cluster's silo only: other tests' silos count in the same process.
            if (instrument.Name == "orleansqueue.jobs.forgotten" && ReferenceEquals(instrument.Meter.Scope, silo))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, count, tags, _) => forgotten.Enqueue($"{count} {tags.ToArray().Single(t => t.Key == "reason").Value}"));
        listener.Start();

        // Three finished against a limit of two, but all under the minimum retention ago: none goes yet.
        Assert.Equal(0, await sweep.ForgetDueAsync(DateTimeOffset.UtcNow));
        Assert.Equal(0, await sweep.ForgetDueAsync(DateTimeOffset.UtcNow + minimum - TimeSpan.FromMinutes(1)));
        Assert.Equal(JobStatus.Completed, (await q.StatusAsync(jobs[0])).Status);

        // Past it, the oldest goes, long before its retention, and the silo is back at its limit.
        Assert.Equal(1, await sweep.ForgetDueAsync(DateTimeOffset.UtcNow + minimum + TimeSpan.FromSeconds(1)));
        Assert.Null(await q.Queue.GetStatusAsync(jobs[0]));
        Assert.Equal(JobStatus.Completed, (await q.StatusAsync(jobs[1])).Status);
        Assert.Equal(JobStatus.Completed, (await q.StatusAsync(jobs[2])).Status);
        Assert.Equal(0, await sweep.ForgetDueAsync(DateTimeOffset.UtcNow + minimum + TimeSpan.FromSeconds(1)));
        Assert.Equal(["1 limit"], forgotten);
    }

    [Fact]
    public async Task AJobRequeuedAfterItFinished_IsKept_ThenForgottenByItsNewFinish()
    {
        await using var q = await QueueTestCluster.StartAsync();
        var job = await q.SubmitAsync(retries: 0);
        var first = await q.LeaseOneAsync("w1");
        await q.FailAsync(job.Id, first.Attempt, "boom");
        var failedAt = (await q.StatusAsync(job.Id)).FinishedAt!.Value;
        Assert.Equal(ReportResult.Accepted, (await q.Queue.RequeueAsync(job.Id)).Result);
        var sweep = SweepOf(q);

        Assert.Equal(0, await sweep.ForgetDueAsync(DateTimeOffset.UtcNow + Retention + TimeSpan.FromSeconds(1)));
        Assert.Equal(JobStatus.Pending, (await q.StatusAsync(job.Id)).Status);
        Assert.False(await q.Job(job.Id).Forget(failedAt));

        var second = await q.LeaseOneAsync("w1");
        await q.CompleteAsync(job.Id, second.Attempt);
        Assert.Equal(1, await sweep.ForgetDueAsync(DateTimeOffset.UtcNow + Retention + TimeSpan.FromSeconds(1)));
        Assert.Null(await q.Queue.GetStatusAsync(job.Id));
    }

    [Fact]
    public async Task AReportSentAgain_ToAFinishedJob_RemembersIt_SoAFinishNobodyRememberedIsForgottenToo()
    {
        await using var q = await QueueTestCluster.StartAsync();
        var job = await q.SubmitAsync();
        var leased = await q.LeaseOneAsync("w1");
        await q.CompleteAsync(job.Id, leased.Attempt);
        // As if the finishing write had landed while its caller saw it fail: the silo does not remember the job.
        var silo = Assert.IsType<InProcessSiloHandle>(q.Cluster.Primary).ServiceProvider;
        Assert.Single(silo.GetRequiredService<FinishedJobs>().TakeFinishedBy(DateTimeOffset.MaxValue, max: 10));
        Assert.Equal(0, await SweepOf(q).ForgetDueAsync(DateTimeOffset.UtcNow + Retention + TimeSpan.FromSeconds(1)));

        Assert.Equal(ReportResult.Duplicate, (await q.CompleteAsync(job.Id, leased.Attempt)).Result);

        Assert.Equal(1, await SweepOf(q).ForgetDueAsync(DateTimeOffset.UtcNow + Retention + TimeSpan.FromSeconds(1)));
        Assert.Null(await q.Queue.GetStatusAsync(job.Id));
    }

    [Fact]
    public async Task Forget_OfAJobThatFinishedAtAnotherTime_OrIsNotFinished_ChangesNothing()
    {
        await using var q = await QueueTestCluster.StartAsync();
        var job = await q.SubmitAsync();

        Assert.False(await q.Job(job.Id).Forget(DateTimeOffset.UtcNow));
        Assert.Equal(JobStatus.Pending, (await q.StatusAsync(job.Id)).Status);

        Assert.Equal(ReportResult.Accepted, (await q.Queue.CancelAsync(job.Id)).Result);
        var finishedAt = (await q.StatusAsync(job.Id)).FinishedAt!.Value;
        Assert.False(await q.Job(job.Id).Forget(finishedAt - TimeSpan.FromTicks(1)));
        Assert.Equal(JobStatus.Cancelled, (await q.StatusAsync(job.Id)).Status);
        Assert.True(await q.Job(job.Id).Forget(finishedAt));
        Assert.Null(await q.Queue.GetStatusAsync(job.Id));
        Assert.False(await q.Job(job.Id).Forget(finishedAt));
    }

    private static FinishedJobSweep SweepOf(QueueTestCluster q) =>
        Assert.IsType<InProcessSiloHandle>(q.Cluster.Primary).ServiceProvider.GetRequiredService<FinishedJobSweep>();
}
