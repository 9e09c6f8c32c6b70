using System.Diagnostics;
using OrleansQueue.EndToEndTests.Harness;
using Xunit.Abstractions;

namespace OrleansQueue.EndToEndTests;

/// <summary>What happens to running jobs when their worker dies or stops.</summary>
[Collection(TimedTests.Name)]
public sealed class WorkerFailureTests(ITestOutputHelper output)
{
    [Fact]
    public Task KilledWorker_JobIsRequeuedWithinTwelveSeconds_AndCompletesElsewhereOnce() => QueueCluster.RunAsync(output, async cluster =>
    {
        // Arrange: default timings, heartbeat every 2 s and a worker declared lost after 10 s of silence. The job need
        // only outlast the moment it is seen running, when its worker is killed; the survivor then runs it in full.
        var workers = await Task.WhenAll(cluster.StartWorkerAsync("worker-a"), cluster.StartWorkerAsync("worker-b"));
        await using var client = await cluster.OpenInteractiveClientAsync();
        var id = await client.SubmitAsync("LONG", """{"durationMs":10000}""", "--deadline=120");
        var running = await client.WaitForJobAsync(id, j => j.Status == Outcomes.Processing, TimeSpan.FromSeconds(30), "is processing");
        var holder = running.AttemptHistory[0].Worker;
        var victim = workers.Single(w => w.Name == holder);
        var survivor = workers.Single(w => w.Name != holder).Name;

        // Act
        victim.Kill();
        var sinceKill = Stopwatch.StartNew();
        var moved = await client.WaitForJobAsync(id, j => j.AttemptHistory.Count >= 2, TimeSpan.FromSeconds(20), "starts a second attempt");
        var movedAfter = sinceKill.Elapsed;
        output.WriteLine($"{holder} killed; the job started again on {moved.AttemptHistory[^1].Worker} {movedAfter.TotalSeconds:0.0} s later");
        var done = await client.WaitForJobAsync(id, j => j.Status is Outcomes.Completed or Outcomes.Failed, TimeSpan.FromSeconds(45), "finishes");

        // Assert: 2 s of heartbeat period + 10 s of timeout, plus the time to notice and to start elsewhere.
        Assert.True(movedAfter < TimeSpan.FromSeconds(14), $"the job moved {movedAfter.TotalSeconds:0.0} s after the kill: {moved}");
        Assert.Equal(Outcomes.WorkerLost, moved.AttemptHistory[0].Outcome);
        Assert.Equal(survivor, moved.AttemptHistory[1].Worker);
        Assert.Equal(Outcomes.Completed, done.Status);
        Assert.Equal([Outcomes.WorkerLost, Outcomes.Completed], done.Outcomes);
        Assert.Equal(survivor, done.AttemptHistory[1].Worker);
    });

    [Fact]
    public Task GracefulStop_HandsBackRunningJobs_WhichFinishElsewhere_WithoutUsingARetry() => QueueCluster.RunAsync(output, async cluster =>
    {
        // Arrange: worker A holds two long jobs; B is up before A is told to stop.
        var a = await cluster.StartWorkerAsync("worker-a", concurrency: 2, "--grace", "1");
        await using var client = await cluster.OpenInteractiveClientAsync();
        string[] ids =
        [
            await client.SubmitAsync("LONG", """{"durationMs":15000}""", "--deadline=120"),
            await client.SubmitAsync("LONG", """{"durationMs":15000}""", "--deadline=120"),
        ];
        var before = await client.WaitForJobsAsync(ids, j => j.Status == Outcomes.Processing, TimeSpan.FromSeconds(30), "processing");
        Assert.All(before, j => Assert.Equal("worker-a", j.Worker));
        await cluster.StartWorkerAsync("worker-b", concurrency: 2);

        // Act
        a.Interrupt();
        var exitCode = await a.WaitForExitAsync(TimeSpan.FromSeconds(10));
        var after = await client.WaitForJobsAsync(ids, j => j.Status is Outcomes.Completed or Outcomes.Failed, TimeSpan.FromSeconds(45), "finished");

        // Assert
        Assert.Equal(0, exitCode);
        foreach (var job in after)
        {
            Assert.Equal(Outcomes.Completed, job.Status);
            Assert.Equal([Outcomes.HandedBack, Outcomes.Completed], job.Outcomes);
            Assert.Equal(["worker-a", "worker-b"], job.AttemptHistory.Select(x => x.Worker));
            Assert.Equal(before.Single(b => b.Id == job.Id).RetriesLeft, job.RetriesLeft);
            Assert.Equal(job.Retries, job.RetriesLeft);
        }
    });
}
