using OrleansQueue.EndToEndTests.Harness;
using Xunit.Abstractions;

namespace OrleansQueue.EndToEndTests;

/// <summary>A backlog is served most important first, and in submission order within a priority.</summary>
public sealed class PriorityOrderTests(ITestOutputHelper output)
{
    private static readonly int[] Priorities = [7, 2, 9, 0, 5, 2, 10, 0, 5, 3];

    [Fact]
    public Task Backlog_IsLeasedByPriority_ThenInSubmissionOrder() => QueueCluster.RunAsync(output, async cluster =>
    {
        // Arrange: the whole backlog is queued before the only worker, with one slot, starts.
        await using var client = await cluster.OpenInteractiveClientAsync();
        var submitted = new List<(string Id, int Priority)>();
        foreach (var priority in Priorities)
        {
            submitted.Add((await client.SubmitAsync("ORDERED", """{"durationMs":20}""", $"--priority={priority}"), priority));
        }

        // Act
        // No prefetch: the order is read from the attempts' start times, which the silo records at lease time, and the
        // jobs of one lease share one (a held job runs in lease order: WorkerServiceClusterTests.Prefetch_HeldJobsTakeTheSlotInLeaseOrder).
        await cluster.StartWorkerAsync("worker-a", 1, "--prefetch", "0");
        var jobs = await client.WaitForJobsAsync(submitted.Select(s => s.Id).ToList(), j => j.Status == Outcomes.Completed,
            TimeSpan.FromSeconds(30), "completed");

        // Assert
        var expected = submitted.Select((s, index) => (s.Id, s.Priority, index))
            .OrderBy(s => s.Priority).ThenBy(s => s.index).Select(s => s.Id);
        var served = jobs.OrderBy(j => j.AttemptHistory[0].StartedAt).Select(j => j.Id);
        Assert.Equal(expected, served);
    });
}
