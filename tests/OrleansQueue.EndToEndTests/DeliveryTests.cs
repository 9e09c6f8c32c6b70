using System.Diagnostics;
using OrleansQueue.EndToEndTests.Harness;
using Xunit.Abstractions;

namespace OrleansQueue.EndToEndTests;

/// <summary>Every job submitted runs to completion once, whatever happens to the workers.</summary>
[Collection(ClusterLoadTests.Name)]
public sealed class DeliveryTests(ITestOutputHelper output)
{
    /// <summary>Workers that say they are alive every second, so a killed one is noticed soon.</summary>
    private static readonly string[] FastHeartbeat = ["--heartbeat", "1"];

    [Fact]
    public Task TwentyJobs_OfMixedPriorities_AllCompleteExactlyOnce_OnTwoWorkers() => QueueCluster.RunAsync(output, async cluster =>
    {
        // Arrange
        await Task.WhenAll(cluster.StartWorkerAsync("worker-a", concurrency: 2), cluster.StartWorkerAsync("worker-b", concurrency: 2));
        await using var client = await cluster.OpenInteractiveClientAsync();

        // Act
        var priorities = new Dictionary<string, int>();
        for (var i = 0; i < 20; i++)
        {
            var priority = (i * 7) % 11;
            priorities[await client.SubmitAsync("MIXED", """{"durationMs":100}""", $"--priority={priority}")] = priority;
        }

        var ids = priorities.Keys.ToList();

        var jobs = await client.WaitForJobsAsync(ids, j => j.Status == Outcomes.Completed, TimeSpan.FromSeconds(60), "completed");
        var metrics = await cluster.GetMetricsAsync();

        // Assert
        Assert.Equal(20, ids.Count);
        Assert.All(jobs, job =>
        {
            Assert.Equal(priorities[job.Id], job.Priority);
            Assert.Equal(1, job.Attempts);
            var attempt = Assert.Single(job.AttemptHistory);
            Assert.Equal(Outcomes.Completed, attempt.Outcome);
        });
        var workers = jobs.Select(j => j.AttemptHistory[0].Worker).ToHashSet();
        Assert.Contains("worker-a", workers);
        Assert.Contains("worker-b", workers);
        Assert.True(metrics.Completed >= 20, $"metrics: {metrics}");
        Assert.Equal(2, metrics.Workers);
    });

    [Fact]
    public Task Churn_ThreeHundredJobs_WhileWorkersAreKilledAndStarted_NoneLostNoneTwice() => QueueCluster.RunAsync(output, async cluster =>
    {
        // Arrange: lost workers are noticed after 4 s of silence; workers say they are alive every second.
        const int jobCount = 300;
        var random = new Random(20_240_611);
        var workers = new List<ProcessRunner>();
        var killed = 0;
        for (var i = 1; i <= 3; i++)
        {
            workers.Add(cluster.StartWorker($"churn-{i}", 2, FastHeartbeat));
        }

        await Task.WhenAll(workers.Select(w => w.WaitForLineAsync("ready:", QueueCluster.StartTimeout)));
        await using var client = await cluster.OpenInteractiveClientAsync();
        var submissions = Enumerable.Range(0, jobCount)
            .Select(_ => (Priority: random.Next(0, 11), DurationMs: random.Next(10, 201)))
            .ToList();

        // Act: submit at a steady pace for ~15 s while, every ~3 s, a worker that is up is killed and a new one starts.
        var ids = new List<string>();
        var churnClock = Stopwatch.StartNew();
        var submitting = Task.Run(async () =>
        {
            const int batches = 15;
            for (var batch = 0; batch < batches; batch++)
            {
                foreach (var (priority, durationMs) in submissions.Skip(batch * jobCount / batches).Take(jobCount / batches))
                {
                    ids.Add(await client.SubmitAsync("CHURN", $$"""{"durationMs":{{durationMs}}}""",
                        $"--priority={priority}", "--deadline=30", "--retries=10"));
                }

                var next = TimeSpan.FromSeconds(batch + 1) - churnClock.Elapsed;
                if (next > TimeSpan.Zero)
                {
                    await Task.Delay(next);
                }
            }
        });

        var nextName = 4;
        while (churnClock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(2_000, 4_000)));
            // Only workers that are up and connected are victims, and one always survives.
            var up = workers.Where(w => !w.HasExited && w.Lines.Any(l => l.Text.Contains("ready:", StringComparison.Ordinal))).ToList();
            if (up.Count >= 2)
            {
                var victim = up[random.Next(up.Count)];
                victim.Kill();
                killed++;
                output.WriteLine($"{churnClock.Elapsed.TotalSeconds:0.0} s: killed {victim.Name}");
            }

            if (workers.Count(w => !w.HasExited) < 4)
            {
                var name = $"churn-{nextName++}";
                workers.Add(cluster.StartWorker(name, 2, FastHeartbeat));
                output.WriteLine($"{churnClock.Elapsed.TotalSeconds:0.0} s: started {name}");
            }
        }

        await submitting;
        var jobs = await client.WaitForJobsAsync(ids, j => j.Status is Outcomes.Completed or Outcomes.Failed or Outcomes.Cancelled,
            TimeSpan.FromSeconds(60), "finished");
        var metrics = await cluster.GetMetricsAsync();
        output.WriteLine($"killed {killed} workers, started {workers.Count}; {metrics}");

        // Assert
        Assert.True(killed >= 4, $"the churn loop killed only {killed} workers");
        Assert.True(metrics.Requeued.WorkerLost > 0, $"no kill caught a job in flight, so nothing was tested: {metrics}");
        Assert.Equal(jobCount, ids.Distinct().Count());
        Assert.All(jobs, job =>
        {
            Assert.Equal(Outcomes.Completed, job.Status);
            Assert.Equal(job.AttemptHistory.Count, job.Attempts);
            var completed = Assert.Single(job.AttemptHistory, a => a.Outcome == Outcomes.Completed);
            // Nothing is leased again once completed: the completed attempt is the last to have started.
            Assert.Same(completed, job.AttemptHistory[^1]);
            Assert.All(job.AttemptHistory, a => Assert.True(a.StartedAt <= completed.EndedAt, $"{a} started after {completed}"));
            Assert.All(job.AttemptHistory.SkipLast(1), a => Assert.NotEqual(Outcomes.Running, a.Outcome));
        });
        // The schedule counted each job's completion once; a second completion would show here.
        Assert.Equal(jobCount, metrics.Completed);
        Assert.Equal(0, metrics.Failed);
    }, "--Queue:WorkerTimeout=00:00:04");

    [Fact]
    public Task SiloPausedPastTheWorkerTimeout_BlamesNoWorker_AndItsJobsCompleteOnce() => QueueCluster.RunAsync(output, async cluster =>
    {
        // Arrange: workers are declared lost after 4 s of silence and say they are alive every second; four jobs of 2 s,
        // none with a retry, run on one worker.
        await cluster.StartWorkerAsync("worker-a", 4, FastHeartbeat);
        await using var client = await cluster.OpenInteractiveClientAsync();
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await client.SubmitAsync("PAUSED", """{"durationMs":2000}""", "--retries=0", "--deadline=60"));
        }

        await client.WaitForJobsAsync(ids, j => j.Status == Outcomes.Processing, TimeSpan.FromSeconds(30), "processing");

        // Act: the silo stops for 7 s (a stopped process, a VM that froze), longer than the worker timeout. The jobs
        // finish meanwhile; their reports wait for the silo.
        Assert.True(Signals.Send(cluster.Silo.Id, Signals.SigStop), "the silo could not be stopped");
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(7));
        }
        finally
        {
            Signals.Send(cluster.Silo.Id, Signals.SigCont);
        }

        var jobs = await client.WaitForJobsAsync(ids, j => j.Status is Outcomes.Completed or Outcomes.Failed or Outcomes.Cancelled,
            TimeSpan.FromSeconds(60), "finished");
        var metrics = await cluster.GetMetricsAsync();

        // Assert: the silo's own pause is not the workers' silence: no worker is lost, no attempt is taken back for it,
        // and each job completes once.
        Assert.All(jobs, job =>
        {
            Assert.Equal(Outcomes.Completed, job.Status);
            Assert.Single(job.AttemptHistory, a => a.Outcome == Outcomes.Completed);
            Assert.DoesNotContain(job.AttemptHistory, a => a.Outcome is Outcomes.WorkerLost or Outcomes.DeadlineExceeded);
        });
        Assert.Equal(0, metrics.Requeued.WorkerLost);
        Assert.Equal(0, metrics.Failed);
        Assert.Contains("longer without running than it may", cluster.Silo.StandardOutputText + cluster.Silo.StandardErrorText, StringComparison.Ordinal);
    }, "--Queue:WorkerTimeout=00:00:04");
}
