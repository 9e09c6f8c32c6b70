using System.Text;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;
using OrleansQueue.Tests.Cluster;
using OrleansQueue.Tests.Worker.Fakes;

namespace OrleansQueue.Tests.Worker;

/// <summary>The worker's lease loops, heartbeats and graceful stop against the real grains in an in-process cluster.</summary>
public sealed class WorkerServiceClusterTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static WorkerTestServices CreateWorker(QueueTestCluster queue, string grace = "00:00:01") =>
        WorkerTestServices.Create(queue.Client, settings: new Dictionary<string, string?>
        {
            ["Worker:Concurrency"] = "2",
            ["Worker:LeaseWait"] = "00:00:02",
            ["Worker:HeartbeatInterval"] = "00:00:00.200",
            ["Worker:Grace"] = grace,
        });

    private static string Text(byte[]? bytes) => bytes is null ? "(none)" : Encoding.UTF8.GetString(bytes);

    private static Task<JobView> WaitUntilFinishedAsync(QueueTestCluster queue, Guid id) =>
        QueueTestCluster.WaitForAsync(() => queue.StatusAsync(id), v => v.Status.IsTerminal(), Patience, $"job {id} to finish");

    [Fact]
    public async Task Worker_RunsLeasedJobs_AndReportsEachOutcome()
    {
        await using var queue = await QueueTestCluster.StartAsync();
        await using var worker = CreateWorker(queue);
        var echo = await queue.SubmitAsync("hi", type: "ECHO");
        var refused = await queue.SubmitAsync("no", retries: 0, type: "REFUSE");
        var simulated = await queue.SubmitAsync("""{"durationMs":100}""", type: "SIMULATED");

        await worker.Worker.StartAsync(CancellationToken.None);
        await worker.Logs.WaitForAsync("Worker test-worker ready: 2 slots, gateway 127.0.0.1:30000, cluster 'orleans-queue', 1 schedule shard(s)", Patience);
        var finished = await Task.WhenAll(new[] { echo, refused, simulated }.Select(j => WaitUntilFinishedAsync(queue, j.Id)));
        await worker.Worker.StopAsync(CancellationToken.None);

        Assert.Equal((JobStatus.Completed, "echo hi"), (finished[0].Status, Text(finished[0].Result)));
        Assert.Equal((JobStatus.Failed, "refused no"), (finished[1].Status, finished[1].Error));
        Assert.Equal((JobStatus.Completed, "SIMULATED done in 100 ms"), (finished[2].Status, Text(finished[2].Result)));
        Assert.All(finished, j => Assert.Equal("test-worker", j.Worker));
        await worker.Logs.WaitForAsync("Worker test-worker stopped: 0 finished during grace, 0 handed back", Patience);
    }

    /// <summary>A 1 s deadline, a handler that works 2.5 s touching every 300 ms: without the touches the attempt would
    /// be stopped and taken back at 1 s.</summary>
    [Fact]
    public async Task AHandlersTouch_KeepsItsAttemptPastTheDeadline()
    {
        await using var queue = await QueueTestCluster.StartAsync();
        await using var worker = CreateWorker(queue);
        var job = await queue.SubmitAsync("2500", retries: 0, deadline: TimeSpan.FromSeconds(1), type: "TOUCH");

        await worker.Worker.StartAsync(CancellationToken.None);
        var finished = await WaitUntilFinishedAsync(queue, job.Id);
        await worker.Worker.StopAsync(CancellationToken.None);

        Assert.Equal(JobStatus.Completed, finished.Status);
        Assert.StartsWith("touched ", Text(finished.Result), StringComparison.Ordinal);
        Assert.True(int.Parse(Text(finished.Result)["touched ".Length..], System.Globalization.CultureInfo.InvariantCulture) >= 6, Text(finished.Result));
        Assert.Single(finished.Attempts);
    }

    [Fact]
    public async Task GracefulStop_LetsWhatFinishesInTheGraceReport_AndHandsBackTheRest_KeepingTheirRetries()
    {
        await using var queue = await QueueTestCluster.StartAsync();
        await using var worker = CreateWorker(queue, grace: "00:00:02");
        var longJob = await queue.SubmitAsync("""{"durationMs":60000}""", type: "SIMULATED");
        var shortJob = await queue.SubmitAsync("""{"durationMs":800}""", type: "SIMULATED");
        await worker.Worker.StartAsync(CancellationToken.None);
        await worker.Logs.WaitForAsync($"Job {longJob.Id} attempt 1 started", Patience);
        await worker.Logs.WaitForAsync($"Job {shortJob.Id} attempt 1 started", Patience);

        await worker.Worker.StopAsync(CancellationToken.None);

        var handedBack = await queue.StatusAsync(longJob.Id);
        var completed = await queue.StatusAsync(shortJob.Id);
        Assert.Equal(JobStatus.Completed, completed.Status);
        Assert.Equal(JobStatus.Pending, handedBack.Status);
        Assert.Equal(AttemptOutcome.HandedBack, Assert.Single(handedBack.Attempts).Outcome);
        Assert.Equal(handedBack.Retries, handedBack.RetriesLeft);
        Assert.Single(worker.Logs.Matching("Worker test-worker stopped: 1 finished during grace, 1 handed back"));
        Assert.All(
            worker.Logs.Entries.Where(e => e.Text.Contains(longJob.Id.ToString(), StringComparison.Ordinal)),
            e => Assert.Equal((longJob.Id, 1, "test-worker"), (e.Scope["JobId"], e.Scope["Attempt"], e.Scope["Worker"])));
        var metrics = await queue.Queue.GetMetricsAsync();
        Assert.DoesNotContain(metrics.Workers, w => w.Name == "test-worker");
    }

    [Fact]
    public async Task CancellingARunningJob_StopsItsHandler_WithoutAReport()
    {
        await using var queue = await QueueTestCluster.StartAsync();
        await using var worker = CreateWorker(queue);
        var job = await queue.SubmitAsync(type: "UNTIL_CANCELLED");
        await worker.Worker.StartAsync(CancellationToken.None);
        await worker.Logs.WaitForAsync($"Job {job.Id} attempt 1 started", Patience);

        await queue.Queue.CancelAsync(job.Id);
        await worker.Logs.WaitForAsync($"Job {job.Id} attempt 1 stopped: the schedule says it is no longer ours", Patience);
        await worker.Worker.StopAsync(CancellationToken.None);

        var cancelled = await queue.StatusAsync(job.Id);
        Assert.Equal(JobStatus.Cancelled, cancelled.Status);
        Assert.Equal(AttemptOutcome.Cancelled, Assert.Single(cancelled.Attempts).Outcome);
        Assert.Empty(worker.Logs.Matching("refused"));
        Assert.Single(worker.Logs.Matching("Worker test-worker stopped: 0 finished during grace, 0 handed back"));
    }

    [Fact]
    public async Task Worker_LeasesFromEveryShard_WithFewerSlotsThanShards()
    {
        await using var queue = await QueueTestCluster.StartAsync(new Dictionary<string, string?> { ["Queue:Shards"] = "3" });
        await using var worker = CreateWorker(queue);
        // Three jobs on each shard: ids are picked for their shard, since nine random ones can miss a shard.
        var jobs = new List<JobView>();
        for (var shard = 0; shard < 3; shard++)
        {
            for (var i = 0; i < 3; i++)
            {
                Guid id;
                do
                {
                    id = JobId.New();
                }
                while (ScheduleShards.Of(id, 3) != shard);

                jobs.Add((await queue.SubmitAsAsync(id, new JobSubmission("ECHO", Encoding.UTF8.GetBytes($"{shard}.{i}")))).Job!);
            }
        }

        await worker.Worker.StartAsync(CancellationToken.None);
        var finished = await Task.WhenAll(jobs.Select(j => WaitUntilFinishedAsync(queue, j.Id)));
        await worker.Worker.StopAsync(CancellationToken.None);

        Assert.All(finished, j => Assert.Equal(JobStatus.Completed, j.Status));
        Assert.Single(worker.Logs.Matching("3 schedule shard(s)"));
    }
}
