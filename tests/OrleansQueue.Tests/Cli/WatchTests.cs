using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime;
using OrleansQueue.Cli.Live;
using OrleansQueue.Cli.Output;
using OrleansQueue.Tests.Cli.Fakes;
using Spectre.Console;

namespace OrleansQueue.Tests.Cli;

/// <summary><c>watch</c>: a line per interval when stdout is redirected, a dashboard on a terminal, until Ctrl-C.</summary>
public sealed class WatchTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Watch_PrintsOneTimestampedLinePerInterval_UntilInterrupted_AndExitsZero()
    {
        var connector = new FakeQueueConnector();

        var result = await WatchTwoReadsAsync(connector, TimeSpan.FromSeconds(2), "watch", "--interval", "2");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(2, result.StdoutLines.Count);
        Assert.StartsWith("2026-03-01T12:00:00.000Z  pending 8 (0=1 2=3 5=2 delayed=2)  processing 4  completed 100", result.StdoutLines[0], StringComparison.Ordinal);
        Assert.StartsWith("2026-03-01T12:00:02.000Z  pending 8 ", result.StdoutLines[1], StringComparison.Ordinal);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public async Task Watch_ShowsAFailedRead_AndGoesOn()
    {
        var connector = new FakeQueueConnector();
        connector.Queue.MetricsReplies.Enqueue(() => throw new SiloUnavailableException("the silo went away"));

        var result = await WatchTwoReadsAsync(connector, TimeSpan.FromSeconds(1), "watch");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            "2026-03-01T12:00:00.000Z  error: lost the connection to the silo at 127.0.0.1:30000: the silo went away",
            Assert.Single(result.StderrLines));
        Assert.StartsWith("2026-03-01T12:00:01.000Z  pending 8", Assert.Single(result.StdoutLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchAQueue_PrintsThatQueuesFigures_EachInterval()
    {
        var connector = new FakeQueueConnector();
        connector.Queue.MetricsReplies.Enqueue(() => Samples.Metrics() with { Queues = [] });

        var result = await WatchTwoReadsAsync(connector, TimeSpan.FromSeconds(1), "watch", "--queue", "emails");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            [
                "2026-03-01T12:00:00.000Z  queue emails  pending 0 (ready 0 delayed 0)  processing 0",
                "2026-03-01T12:00:01.000Z  queue emails  pending 2 (ready 2 delayed 0)  processing 1",
            ],
            result.StdoutLines);
    }

    [Fact]
    public void Dashboard_OfOneQueue_ShowsThatQueueAlone()
    {
        var text = Render(QueueDashboard.Build(Samples.T0, "gw", TimeSpan.FromSeconds(1), Samples.Metrics(), null, "emails"));

        Assert.Contains("OrleansQueue at gw · queue emails", text, StringComparison.Ordinal);
        Assert.Matches(@"emails\s+2\s+2\s+0\s+1", text);
        Assert.DoesNotContain("default", text, StringComparison.Ordinal);
        Assert.DoesNotContain("worker-a", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WatchLine_SumsUpCountsThroughputLatencyAndTheLiveWorkers()
    {
        var line = WatchText.Line(Samples.T0, Samples.Metrics() with { EndToEndTimes = Samples.Histogram((TimeSpan.FromMilliseconds(500), 10)) });

        Assert.Equal(
            "2026-03-01T12:00:00.000Z  pending 8 (0=1 2=3 5=2 delayed=2)  processing 4  completed 100  failed 3  cancelled 1  " +
            "retried 7  requeued 14  throughput 2.5/s (10 s) 1.25/s (1 min) 0.4/s (5 min)  " +
            "end to end p50 518 ms p95 518 ms p99 518 ms  workers 1/2 alive, busy 3/4, utilization 60%",
            line);
    }

    [Fact]
    public async Task Watch_OnATerminal_DrawsTheDashboard()
    {
        var connector = new FakeQueueConnector();
        using var ctrlC = new CancellationTokenSource();

        var run = CliRun.StartAsync(connector, ["watch"], time: new FakeTimeProvider(Samples.T0), terminal: CliRun.Terminal, cancellationToken: ctrlC.Token);
        await connector.Queue.Reads.WaitAsync(Patience);
        await ctrlC.CancelAsync();
        var result = await run.WaitAsync(Patience);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("pending by priority", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("worker-a", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("\u001b[", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("2026-03-01T12:00:00.000Z  pending", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Dashboard_ShowsDepthCountsThroughputLatencyAndWorkers()
    {
        var text = Render(QueueDashboard.Build(Samples.T0, "127.0.0.1:30000", TimeSpan.FromSeconds(1), Samples.Metrics(), null));

        Assert.Contains("OrleansQueue at 127.0.0.1:30000  2026-03-01T12:00:00.000Z · every 1 s · Ctrl-C to stop", text, StringComparison.Ordinal);
        Assert.Matches(@"pending by priority \(8\)", text);
        Assert.Matches(@"\n\s+2\s+█+ 3", text); // three jobs at priority 2, the longest bar
        Assert.Matches(@"delayed\s+█+ 2", text);
        Assert.Matches(@"completed\s+100", text);
        Assert.Matches(@"2\.5/s\s+1\.25/s\s+0\.4/s", text);
        Assert.Matches(@"queue wait\s+20\.3 ms\s+220 ms\s+2\.16 s\s+100", text);
        Assert.Matches(@"end to end\s+-\s+-\s+-\s+0", text);
        Assert.Matches(@"worker-a\s+alive\s+3/4\s+60%\s+60\s+2", text);
        Assert.Matches(@"worker-b\s+lost\s+1/2\s+25%\s+40\s+1", text);
        Assert.Matches(@"queues \(2 holding jobs\)", text);
        Assert.Matches(@"default\s+6\s+4\s+2\s+3", text);
        Assert.Matches(@"emails\s+2\s+2\s+0\s+1", text);
    }

    [Fact]
    public void Dashboard_KeepsTheLastMetrics_AndShowsTheError_WhenARead_Failed()
    {
        var text = Render(QueueDashboard.Build(Samples.T0, "gw", TimeSpan.FromSeconds(1), Samples.Metrics(), "lost the connection"));

        Assert.Contains("lost the connection (showing the last metrics read)", text, StringComparison.Ordinal);
        Assert.Contains("worker-a", text, StringComparison.Ordinal);
    }

    /// <summary>Runs <paramref name="args"/> on a fake clock through two metrics reads, <paramref name="interval"/> apart,
    /// then stops it as Ctrl-C does.</summary>
    private static async Task<CliRun> WatchTwoReadsAsync(FakeQueueConnector connector, TimeSpan interval, params string[] args)
    {
        var time = new FakeTimeProvider(Samples.T0);
        using var ctrlC = new CancellationTokenSource();
        var run = CliRun.StartAsync(connector, args, time: time, cancellationToken: ctrlC.Token);
        await connector.Queue.Reads.WaitAsync(Patience);
        time.Advance(interval);
        await connector.Queue.Reads.WaitAsync(Patience);
        await ctrlC.CancelAsync();
        return await run.WaitAsync(Patience);
    }

    private static string Render(Spectre.Console.Rendering.IRenderable renderable)
    {
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 120;
        console.Write(renderable);
        return writer.ToString();
    }
}
