using OrleansQueue.EndToEndTests.Harness;
using Xunit.Abstractions;

namespace OrleansQueue.EndToEndTests;

/// <summary>What an operator's <c>cancel</c> and <c>requeue</c> do to a job that is running or has failed.</summary>
public sealed class JobControlTests(ITestOutputHelper output)
{
    [Fact]
    public Task Cancel_OfARunningJob_StopsItOnItsWorker_FreesTheSlot_AndTheJobStaysCancelled() => QueueCluster.RunAsync(output, async cluster =>
    {
        // Arrange: one slot, taken by a long job.
        var worker = await cluster.StartWorkerAsync("worker-a", concurrency: 1);
        await using var client = await cluster.OpenInteractiveClientAsync();
        var id = await client.SubmitAsync("LONG", """{"durationMs":20000}""", "--deadline=120");
        await client.WaitForJobAsync(id, j => j.Status == Outcomes.Processing, TimeSpan.FromSeconds(30), "is processing");

        // Act
        var cancel = await cluster.RunCliAsync("cancel", id);
        await worker.WaitForLineAsync($"Job {id} attempt 1.*no longer ours", TimeSpan.FromSeconds(10));
        var next = await client.SubmitAsync("SHORT", """{"durationMs":50}""");
        await client.WaitForJobAsync(next, j => j.Status == Outcomes.Completed, TimeSpan.FromSeconds(10), "completes in the freed slot");
        var cancelled = await client.GetJobAsync(id);

        // Assert
        Assert.True(cancel.ExitCode == 0, cancel.ToString());
        Assert.Equal(Outcomes.Cancelled, cancelled.Status);
        Assert.Equal([Outcomes.Cancelled], cancelled.Outcomes);
    });

    [Fact]
    public Task Requeue_OfAFailedJob_RunsItAgain_WithItsRetriesRestored() => QueueCluster.RunAsync(output, async cluster =>
    {
        // Arrange: a job that fails every attempt, with one retry and no backoff.
        await cluster.StartWorkerAsync("worker-a");
        await using var client = await cluster.OpenInteractiveClientAsync();
        var id = await client.SubmitAsync("BROKEN", """{"durationMs":20,"fail":true}""", "--retries=1", "--backoff=0");
        var failed = await client.WaitForJobAsync(id, j => j.Status == Outcomes.Failed, TimeSpan.FromSeconds(20), "fails");

        // Act
        var requeue = await cluster.RunCliAsync("requeue", id);
        var again = await client.WaitForJobAsync(id, j => j.Status == Outcomes.Failed && j.Attempts == 4, TimeSpan.FromSeconds(20),
            "fails again after two more attempts");
        var metrics = await client.GetMetricsAsync();

        // Assert
        Assert.Equal([Outcomes.Failed, Outcomes.Failed], failed.Outcomes);
        Assert.True(requeue.ExitCode == 0, requeue.ToString());
        Assert.Equal(Enumerable.Repeat(Outcomes.Failed, 4), again.Outcomes);
        Assert.Equal(0, again.RetriesLeft);
        Assert.Equal(1, metrics.Requeued.Manual);
    });
}
