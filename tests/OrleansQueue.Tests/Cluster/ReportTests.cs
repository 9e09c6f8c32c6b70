using System.Text;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Tests.Cluster;

public sealed class ReportTests
{
    [Fact]
    public async Task Complete_ThroughALease_StoresTheResult_AndCountsIt()
    {
        await using var q = await QueueTestCluster.StartAsync();
        var job = await q.SubmitAsync();
        var leased = await q.LeaseOneAsync("w1");

        var reply = await q.CompleteAsync(job.Id, leased.Attempt, Encoding.UTF8.GetBytes("done"));

        Assert.Equal(ReportResult.Accepted, reply.Result);
        var status = await q.StatusAsync(job.Id);
        Assert.Equal(JobStatus.Completed, status.Status);
        Assert.Equal("done", Encoding.UTF8.GetString(status.Result!));
        var attempt = Assert.Single(status.Attempts);
        Assert.Equal(("w1", AttemptOutcome.Completed), (attempt.Worker, attempt.Outcome));
        var metrics = await q.Queue.GetMetricsAsync();
        Assert.Equal((1, 0, 0L), (metrics.Completed, metrics.Processing, metrics.Pending));
    }

    [Fact]
    public async Task Fail_ThroughALease_RetriesUntilRetriesAreUsedUp_ThenFailsWithTheLastError()
    {
        await using var q = await QueueTestCluster.StartAsync();
        var job = await q.SubmitAsync(retries: 2, priority: 3);

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var leased = await q.LeaseOneAsync("w1");
            Assert.Equal((job.Id, attempt, 3), (leased.JobId, leased.Attempt, leased.Priority));
            Assert.Equal(ReportResult.Accepted, (await q.FailAsync(job.Id, leased.Attempt, $"error {attempt}")).Result);
        }

        var status = await q.StatusAsync(job.Id);
        Assert.Equal(JobStatus.Failed, status.Status);
        Assert.Equal("error 3", status.Error);
        Assert.Equal(0, status.RetriesLeft);
        Assert.Equal(3, status.Attempts.Count);
        Assert.All(status.Attempts, a => Assert.Equal(AttemptOutcome.Failed, a.Outcome));
        Assert.Empty(await q.LeaseAsync("w1"));
        var metrics = await q.Queue.GetMetricsAsync();
        Assert.Equal((2L, 1L), (metrics.Retried, metrics.Failed));
    }

    [Fact]
    public async Task Fail_WithABackoff_KeepsTheRetryOutOfReachUntilItPasses()
    {
        await using var q = await QueueTestCluster.StartAsync();
        var job = await q.Queue.SubmitAsync(new JobSubmission("TEST", [], Retries: 1, RetryBackoff: TimeSpan.FromSeconds(1)));
        var leased = await q.LeaseOneAsync("w1");
        await q.FailAsync(job.Id, leased.Attempt, "boom");

        // Waiting out its backoff, it is delayed (as the metrics count it).
        var pending = await q.StatusAsync(job.Id);
        Assert.Equal(JobStatus.Delayed, pending.Status);
        Assert.NotNull(pending.NotBefore);
        Assert.Empty(await q.LeaseAsync("w1"));
        Assert.Equal(1, (await q.Queue.GetMetricsAsync()).Delayed);

        var retry = await q.LeaseOneAsync("w1", TimeSpan.FromSeconds(5));

        Assert.Equal(2, retry.Attempt);
        Assert.True(DateTimeOffset.UtcNow >= pending.NotBefore!.Value.AddMilliseconds(-20));
    }

    [Fact]
    public async Task AReportWithAStaleFencingToken_IsRefused_AndChangesNothing()
    {
        await using var q = await QueueTestCluster.StartAsync();
        var job = await q.SubmitAsync(retries: 1);
        var first = await q.LeaseOneAsync("w1");
        await q.FailAsync(job.Id, first.Attempt, "boom");
        var second = await q.LeaseOneAsync("w2");

        var stale = await q.CompleteAsync(job.Id, first.Attempt, null);

        Assert.Equal(ReportResult.StaleAttempt, stale.Result);
        var status = await q.StatusAsync(job.Id);
        Assert.Equal((JobStatus.Processing, 2), (status.Status, status.Attempts.Count));
        Assert.Equal(ReportResult.Accepted, (await q.CompleteAsync(job.Id, second.Attempt, null)).Result);
    }

    [Fact]
    public async Task HandBack_ReturnsTheJobToTheQueueAtOnce_WithoutUsingARetry()
    {
        await using var q = await QueueTestCluster.StartAsync();
        var job = await q.SubmitAsync(retries: 1);
        var leased = await q.LeaseOneAsync("w1");

        var reply = await q.HandBackAsync(job.Id, leased.Attempt);

        Assert.Equal(ReportResult.Accepted, reply.Result);
        var again = await q.LeaseOneAsync("w2");
        Assert.Equal(2, again.Attempt);
        Assert.Equal(1, again.RetriesLeft);
        var status = await q.StatusAsync(job.Id);
        Assert.Equal(AttemptOutcome.HandedBack, status.Attempts[0].Outcome);
        Assert.Equal(1, (await q.Queue.GetMetricsAsync()).RequeuedHandedBack);
    }

    [Fact]
    public async Task WorkerStopped_HandsBackTheLeasesItStillHeld()
    {
        await using var q = await QueueTestCluster.StartAsync();
        var job = await q.SubmitAsync(retries: 0);
        await q.LeaseOneAsync("w1");

        await q.Schedule.WorkerStopped(QueueTestCluster.W("w1"));

        var status = await q.StatusAsync(job.Id);
        Assert.Equal((JobStatus.Pending, 0), (status.Status, status.RetriesLeft));
        Assert.DoesNotContain((await q.Queue.GetMetricsAsync()).Workers, w => w.Name == "w1");
    }

    [Fact]
    public async Task Submit_OfAPayloadOverTheLimit_IsRejected()
    {
        await using var q = await QueueTestCluster.StartAsync(new Dictionary<string, string?> { ["Queue:MaxPayloadBytes"] = "100" });

        var error = await Assert.ThrowsAsync<InvalidJobException>(() => q.Queue.SubmitAsync(new JobSubmission("TEST", new byte[101])));

        Assert.Contains("limit is 100 bytes", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await q.Queue.GetMetricsAsync()).Submitted);
    }

}
