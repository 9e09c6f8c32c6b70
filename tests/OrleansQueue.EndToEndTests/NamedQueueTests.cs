using OrleansQueue.Contracts;
using OrleansQueue.EndToEndTests.Harness;
using Xunit.Abstractions;

namespace OrleansQueue.EndToEndTests;

/// <summary>Named queues as a console user sees them, against a real silo and worker: per-queue figures in
/// <c>metrics</c> and <c>watch</c>, <c>list --queue</c>, and a malformed name refused.</summary>
public sealed class NamedQueueTests(ITestOutputHelper output)
{
    /// <summary>Long enough that the leased job is still running when the test looks, even on a machine so busy that
    /// the test takes minutes (a 60 s job finished mid-test in CI at a load of 40), and within the 300 s deadline.</summary>
    private const string LongJob = "{\"durationMs\": 240000}";

    [Fact]
    public Task PerQueueFigures_AndLists_ShowEachQueuesJobs_WhileAWorkerServesOneQueue() => QueueCluster.RunAsync(output, async cluster =>
    {
        // Arrange: two jobs in emails, one in reports, one in default; a worker with one slot serving emails alone.
        var firstEmail = await cluster.SubmitAsync("SEND_EMAIL", LongJob, "--queue", "emails", "--priority", "1");
        var secondEmail = await cluster.SubmitAsync("SEND_EMAIL", LongJob, "--queue", "emails", "--priority", "2");
        var report = await cluster.SubmitAsync("BUILD_REPORT", LongJob, "--queue", "reports");
        var plain = await cluster.SubmitAsync("PLAIN", LongJob);

        // Act
        await cluster.StartWorkerAsync("emails-worker", concurrency: 1, "--queue", "emails");
        var session = await cluster.SessionAsync();
        var emails = await Wait.UntilAsync(
            async () => CliJson.Queue(await session.JsonAsync("metrics --queue emails --json")),
            q => q.Processing == 1,
            TimeSpan.FromSeconds(30),
            "an emails job leased by the worker",
            TimeSpan.FromMilliseconds(200));

        // Assert: one queue's figures, and every queue's in the whole metrics...
        Assert.Equal(new QueueDocument("emails", 1, 1, 0, 1), emails);
        var metrics = await cluster.GetMetricsAsync();
        Assert.Equal(
            [new QueueDocument("default", 1, 1, 0, 0), new QueueDocument("emails", 1, 1, 0, 1), new QueueDocument("reports", 1, 1, 0, 0)],
            metrics.Queues);
        var text = await cluster.RunCliOkAsync("metrics");
        Assert.Matches(@"(?m)^  emails\s+1\s+1\s+0\s+1$", text);
        Assert.Equal(new QueueDocument("nobody-uses-this", 0, 0, 0, 0),
            CliJson.Queue(await cluster.RunCliOkAsync("metrics", "--queue", "nobody-uses-this", "--json")));

        // ...each queue's jobs listed apart...
        Assert.Equal([firstEmail], await ListAsync(cluster, "processing", "emails"));
        Assert.Equal([secondEmail], await ListAsync(cluster, "pending", "emails"));
        Assert.Equal([report], await ListAsync(cluster, "pending", "reports"));
        Assert.Equal([plain], await ListAsync(cluster, "pending", "default"));
        Assert.Empty(await ListAsync(cluster, "pending", "nobody-uses-this"));
        Assert.Equal("emails", (await cluster.GetJobAsync(firstEmail)).Queue);

        // ...and one queue watched: a line per interval with its figures.
        await using var watch = ProcessRunner.Start("watch", Executables.ClientConsole,
            ["--gateway", cluster.Gateway, .. QueueCluster.PatientConnect, "watch", "--queue", "reports", "--interval", "0.5"]);
        var line = await watch.WaitForLineAsync("queue reports", QueueCluster.StartTimeout);
        Assert.EndsWith("  queue reports  pending 1 (ready 1 delayed 0)  processing 0", line.Text, StringComparison.Ordinal);
    });

    [Theory]
    [InlineData("list", "--status", "pending", "--queue", "has space")]
    [InlineData("metrics", "--queue", "-starts-with-hyphen")]
    [InlineData("watch", "--queue", "star*")]
    public async Task AMalformedQueueName_ExitsTwo_WithOneErrorLine_BeforeConnecting(params string[] args)
    {
        // No silo listens there: the name is refused before any connection is tried.
        var run = await Cli.RunAsync($"127.0.0.1:{FreePort.Next()}", Cli.DefaultTimeout, args);

        Assert.True(run.ExitCode == 2, run.ToString());
        var error = Assert.Single(run.StderrLines);
        Assert.StartsWith("error: Queue name '", error, StringComparison.Ordinal);
        Assert.Contains("is not valid", error, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }

    private static async Task<IReadOnlyList<string>> ListAsync(QueueCluster cluster, string status, string queue) =>
        CliJson.Jobs(await (await cluster.SessionAsync()).JsonAsync($"list --status {status} --queue {queue} --json")).Select(j => j.Id).ToList();
}
