using OrleansQueue.EndToEndTests.Harness;
using Xunit.Abstractions;

namespace OrleansQueue.EndToEndTests;

/// <summary>An attempt that runs past its deadline is taken back; a late answer from it changes nothing.</summary>
public sealed class DeadlineTests(ITestOutputHelper output)
{
    [Fact]
    public Task HungHandler_PastItsDeadline_IsRequeued_AndFailsWithDeadlineExceeded_OnItsLastRetry() => QueueCluster.RunAsync(output, async cluster =>
    {
        // Arrange
        await cluster.StartWorkerAsync("worker-a");
        await using var client = await cluster.OpenInteractiveClientAsync();

        // Act
        var id = await client.SubmitAsync("HUNG", """{"durationMs":60000}""", "--deadline=3", "--retries=1");
        var job = await client.WaitForJobAsync(id, j => j.Status is Outcomes.Completed or Outcomes.Failed, TimeSpan.FromSeconds(20), "finishes");
        var failedJobs = await cluster.ListAsync("failed");

        // Assert
        Assert.Equal(Outcomes.Failed, job.Status);
        Assert.Contains(failedJobs, j => j.Id == id && j.Status == Outcomes.Failed);
        Assert.Equal("deadline exceeded", job.Error);
        Assert.Equal([Outcomes.DeadlineExceeded, Outcomes.DeadlineExceeded], job.Outcomes);
        Assert.Equal(2, job.Attempts);
        Assert.Equal(0, job.RetriesLeft);
    });

    [Fact]
    public Task HungHandler_ThatAnswersAfterItsDeadline_IsRefused_AndTheJobStaysFailed() => QueueCluster.RunAsync(output, async cluster =>
    {
        // Arrange: the handler ignores its cancellation and reports success 4 s after the deadline.
        var worker = await cluster.StartWorkerAsync("worker-a");
        await using var client = await cluster.OpenInteractiveClientAsync();
        var id = await client.SubmitAsync("HUNG", """{"durationMs":6000,"ignoreCancellation":true}""", "--deadline=2", "--retries=0");
        var failed = await client.WaitForJobAsync(id, j => j.Status is Outcomes.Completed or Outcomes.Failed, TimeSpan.FromSeconds(15), "finishes");
        Assert.Equal(Outcomes.Failed, failed.Status);

        // Act
        await worker.WaitForLineAsync($"Job {id} attempt 1: report refused", TimeSpan.FromSeconds(20));
        var after = await client.GetJobAsync(id);

        // Assert
        Assert.Equal("deadline exceeded", failed.Error);
        Assert.Equal(Outcomes.Failed, after.Status);
        Assert.Equal("deadline exceeded", after.Error);
        var attempt = Assert.Single(after.AttemptHistory);
        Assert.Equal(Outcomes.DeadlineExceeded, attempt.Outcome);
        Assert.Null(after.Result);
    });
}
