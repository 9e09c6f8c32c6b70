using OrleansQueue.EndToEndTests.Harness;
using Xunit.Abstractions;

namespace OrleansQueue.EndToEndTests;

/// <summary>The console client with no command reads commands from stdin, one per line, over one connection.</summary>
public sealed class InteractiveModeTests(ITestOutputHelper output)
{
    private const string JobIdPattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";

    [Fact]
    public Task Session_SubmitsAJob_ShowsMetricsAndItsStatus_AndExitsZeroOnShutdown() => QueueCluster.RunAsync(output, async cluster =>
    {
        // Arrange
        await cluster.StartWorkerAsync("worker-a");
        var session = cluster.StartInteractiveSession();

        // Act: the JSON is single-quoted because the session splits lines as a shell does.
        await session.StandardInput.WriteLineAsync("""SUBMIT T --data='{"durationMs":50}' --priority=2""");
        await session.StandardInput.FlushAsync();
        var id = (await session.WaitForLineAsync(JobIdPattern, TimeSpan.FromSeconds(30))).Text;
        await cluster.WaitForJobAsync(id, j => j.Status == Outcomes.Completed, TimeSpan.FromSeconds(30), "completes");
        var afterSubmit = session.LineCount;
        await session.StandardInput.WriteLineAsync("METRICS_GET");
        await session.StandardInput.WriteLineAsync($"JOB_STATUS {id}");
        await session.StandardInput.WriteLineAsync("SHUTDOWN");
        await session.StandardInput.FlushAsync();
        var exitCode = await session.WaitForExitAsync(TimeSpan.FromSeconds(15));
        var answers = string.Join('\n', session.Lines.Skip(afterSubmit).Select(l => l.Text));

        // Assert
        Assert.Equal(0, exitCode);
        Assert.Equal("", session.StandardErrorText);
        Assert.Matches(@"(?m)^completed:\s+1$", answers);
        Assert.Matches(@"(?m)^submitted:\s+1$", answers);
        Assert.Matches(@"(?m)^workers:\s+1 alive", answers);
        Assert.Matches($@"(?m)^id:\s+{id}$", answers);
        Assert.Matches(@"(?m)^status:\s+COMPLETED$", answers);
        Assert.Matches(@"(?m)^priority:\s+2$", answers);
        Assert.Matches(@"(?m)^payload:\s+17 bytes$", answers);
    });

    [Fact]
    public Task Session_ReportsABadLineOnStderr_KeepsGoing_AndExitsWithTheLastFailureCode() => QueueCluster.RunAsync(output, async cluster =>
    {
        // Arrange
        var session = cluster.StartInteractiveSession();

        // Act: end of input ends the session like SHUTDOWN.
        await session.StandardInput.WriteLineAsync("JOB_STATUS not-a-job-id");
        await session.StandardInput.WriteLineAsync("METRICS_GET --json");
        session.StandardInput.Close();
        var exitCode = await session.WaitForExitAsync(TimeSpan.FromSeconds(30));

        // Assert
        Assert.Equal(2, exitCode);
        var error = Assert.Single(session.Read(isError: true, 0));
        Assert.StartsWith("error:", error.Text, StringComparison.Ordinal);
        Assert.Contains("\"submitted\": 0", session.StandardOutputText, StringComparison.Ordinal);
    });
}
