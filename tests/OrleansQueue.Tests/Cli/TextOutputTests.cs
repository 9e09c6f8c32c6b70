using OrleansQueue.Cli.Output;
using OrleansQueue.Tests.Cli.Fakes;

namespace OrleansQueue.Tests.Cli;

/// <summary>The human-readable outputs of <c>status</c>, <c>list</c> and <c>metrics</c>.</summary>
public sealed class TextOutputTests
{
    [Fact]
    public void JobText_ShowsEachField_AndOneLinePerAttempt()
    {
        var lines = Write(w => JobText.Write(w, Samples.CompletedJob()));

        Assert.Contains("id:           01968f3e-1c2a-7b3d-9e4f-a1b2c3d4e5f6", lines);
        Assert.Contains("type:         TRANSCODE_VIDEO", lines);
        Assert.Contains("queue:        default", lines);
        Assert.Contains("status:       COMPLETED", lines);
        Assert.Contains("priority:     2", lines);
        Assert.Contains("retries:      2 left of 3", lines);
        Assert.Contains("deadline:     300 s per attempt", lines);
        Assert.Contains("submitted:    2026-03-01T12:00:00.000Z", lines);
        Assert.Contains("finished:     2026-03-01T12:00:05.000Z", lines);
        Assert.Contains("worker:       worker-b", lines);
        Assert.Contains("attempts:     2", lines);
        Assert.Contains("  #1  worker-a  2026-03-01T12:00:01.000Z  -> 2026-03-01T12:00:02.000Z  FAILED     codec not found", lines);
        Assert.Contains("  #2  worker-b  2026-03-01T12:00:03.000Z  -> 2026-03-01T12:00:05.000Z  COMPLETED", lines);
        Assert.Contains("result:       {\"frames\":1200} ✓", lines);
        Assert.Contains("error:        -", lines);
        Assert.Contains("progress:     -", lines);
    }

    [Fact]
    public void JobText_ShowsADelayedJobDelayed_AndWhenItIsDue()
    {
        var due = new DateTimeOffset(2026, 3, 1, 13, 0, 0, TimeSpan.Zero);
        var lines = Write(w => JobText.Write(w, Samples.PendingJob() with { Status = OrleansQueue.Jobs.JobStatus.Delayed, NotBefore = due }));

        Assert.Contains("status:       DELAYED", lines);
        Assert.Contains(lines, l => l.Contains("2026-03-01T13:00:00.000Z", StringComparison.Ordinal));
    }

    [Fact]
    public void JobText_ShowsTheLatestProgress_WithItsMessageAttemptAndTime()
    {
        var lines = Write(w => JobText.Write(w, Samples.Processing(Samples.PendingJob(), 40, "working (40%)")));

        Assert.Contains("progress:     40%  working (40%)  (attempt 1, 2026-03-01T12:00:02.000Z)", lines);
    }

    [Fact]
    public void JobListText_IsOneLinePerJob()
    {
        var lines = Write(w => JobListText.Write(w, [Samples.CompletedJob(), Samples.FailedJob() with { Error = "line one\nline two" }]));

        Assert.Equal(2, lines.Count);
        Assert.Equal("01968f3e-1c2a-7b3d-9e4f-a1b2c3d4e5f6  COMPLETED  TRANSCODE_VIDEO  priority 2  attempts 2", lines[0]);
        Assert.Equal("01968f3e-1c2a-7b3d-9e4f-000000000003  FAILED     TRANSCODE_VIDEO  priority 2  attempts 1  line one line two", lines[1]);
    }

    [Fact]
    public void MetricsText_ShowsTheCounters_AndAWorkerTable()
    {
        var lines = Write(w => MetricsText.Write(w, Samples.Metrics()));

        Assert.Contains("pending:          8", lines);
        Assert.Contains("  by priority:    0=1  2=3  5=2", lines);
        Assert.Contains("  delayed:        2 (retries waiting out their backoff)", lines);
        Assert.Contains("requeued:         2 deadline, 1 worker lost, 5 handed back, 6 manual", lines);
        Assert.Contains("oldest pending:   12.5 s ago", lines);
        Assert.Contains("workers:          1 alive of 2 known", lines);
    }

    [Fact]
    public void MetricsText_ShowsATableOfTheNamedQueues()
    {
        var lines = Write(w => MetricsText.Write(w, Samples.Metrics()));

        var at = lines.IndexOf("queues:           2 holding jobs");
        Assert.True(at >= 0, string.Join('\n', lines));
        Assert.Equal(
            ["  QUEUE    PENDING  READY  DELAYED  PROCESSING", "  default        6      4        2           3", "  emails         2      2        0           1"],
            lines.Skip(at + 1).Take(3));
    }

    [Fact]
    public void MetricsText_OfOneQueue_ShowsItsFigures()
    {
        var lines = Write(w => MetricsText.WriteQueue(w, new OrleansQueue.Scheduling.QueueFigures("emails", 2, 1, 3)));

        Assert.Equal(
            ["queue:            emails", "pending:          3", "  ready:          2", "  delayed:        1 (a delay or a retry's backoff)", "processing:       3"],
            lines);
    }

    [Fact]
    public void MetricsText_ShowsThroughput_AndLatencyPercentilesPerStage()
    {
        var lines = Write(w => MetricsText.Write(w, Samples.Metrics()));

        Assert.Contains("throughput:       2.5/s (10 s)  1.25/s (1 min)  0.4/s (5 min)", lines);
        Assert.Contains("latency:          over the last 300 s", lines);
        Assert.Contains("  STAGE           P50     P95     P99  SAMPLES", lines);
        Assert.Contains("  queue wait  20.3 ms  220 ms  2.16 s      100", lines);
        Assert.Contains("  run time     1.01 s  1.01 s  1.01 s      100", lines);
        Assert.Contains("  end to end        -       -       -        0", lines);
    }

    [Fact]
    public void MetricsText_WorkerTable_ShowsUtilization()
    {
        var lines = Write(w => MetricsText.Write(w, Samples.Metrics()));

        Assert.Contains("  NAME      STATE  BUSY/SLOTS  UTILIZATION  COMPLETED  FAILED  LAST SEEN", lines);
        Assert.Contains("  worker-a  alive         3/4          60%         60       2  1 s ago", lines);
        Assert.Contains("  worker-b  lost          1/2          25%         40       1  60 s ago", lines);
    }

    [Theory]
    [InlineData(0.5, "500 µs")]
    [InlineData(1.5, "1.5 ms")]
    [InlineData(20.26, "20.3 ms")]
    [InlineData(219.5, "220 ms")]
    [InlineData(1008.8, "1.01 s")]
    [InlineData(45_000, "45 s")]
    [InlineData(150_000, "2.5 min")]
    [InlineData(5_400_000, "1.5 h")]
    public void Latency_IsWrittenInTheUnitThatSuitsIt(double milliseconds, string expected)
    {
        Assert.Equal(expected, Timestamps.Latency(TimeSpan.FromMilliseconds(milliseconds)));
    }

    private static List<string> Write(Action<TextWriter> write)
    {
        using var writer = new StringWriter();
        write(writer);
        return writer.ToString().Split(Environment.NewLine).Where(l => l.Length > 0).ToList();
    }
}
