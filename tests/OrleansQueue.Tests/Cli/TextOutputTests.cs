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
        Assert.Contains("  NAME      STATE  BUSY/SLOTS  COMPLETED  FAILED  LAST SEEN", lines);
        Assert.Contains("  worker-a  alive         3/4         60       2  1 s ago", lines);
        Assert.Contains("  worker-b  lost          1/2         40       1  60 s ago", lines);
    }

    private static List<string> Write(Action<TextWriter> write)
    {
        using var writer = new StringWriter();
        write(writer);
        return writer.ToString().Split(Environment.NewLine).Where(l => l.Length > 0).ToList();
    }
}
