using System.Diagnostics;
using System.Text.RegularExpressions;
using OrleansQueue.EndToEndTests.Harness;
using Xunit.Abstractions;

namespace OrleansQueue.EndToEndTests;

/// <summary>What the client and the worker say when the silo they talk to goes away: one clear line, soon, and for the
/// worker a calm back-off rather than a flood.</summary>
[Collection(TimedTests.Name)]
public sealed partial class SiloGoneTests(ITestOutputHelper output)
{
    private const int ConnectTimeoutSeconds = 3;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public Task SubmitWait_WhenTheSiloStops_ExitsFour_WithOneLine_WithinTheConnectTimeout(bool graceful) => QueueCluster.RunAsync(output, async cluster =>
    {
        // Arrange: no worker, so the followed job stays pending.
        await using var client = ProcessRunner.Start("client", Executables.ClientConsole,
            ["--gateway", cluster.Gateway, "--connect-timeout", $"{ConnectTimeoutSeconds}", "submit", "WAITED", "--data", "{}", "--wait"]);
        await client.WaitForLineAsync(JobIdLine(), QueueCluster.StartTimeout);

        // Act
        var clock = Stopwatch.StartNew();
        Stop(cluster.Silo, graceful);
        var exitCode = await client.WaitForExitAsync(TimeSpan.FromSeconds(40));
        clock.Stop();

        // Assert
        output.WriteLine(client.Describe());
        Assert.Equal(4, exitCode);
        var errors = client.StandardErrorText.Split('\n').Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 1, $"expected one 'error:' line:\n{client.StandardErrorText}");
        Assert.Contains("silo", errors[0], StringComparison.Ordinal);
        Assert.DoesNotContain("grain", errors[0], StringComparison.OrdinalIgnoreCase);
        Assert.False(StackFrame().IsMatch(client.StandardErrorText), client.StandardErrorText);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(ConnectTimeoutSeconds + 3), $"the client took {clock.Elapsed.TotalSeconds:0.0} s to give up");
    });

    [Fact]
    public Task Watch_WhenTheSiloStops_SaysSoAtOnce() => QueueCluster.RunAsync(output, async cluster =>
    {
        // Arrange: stdout is not a terminal, so the watch prints one line per interval.
        await using var watch = ProcessRunner.Start("watch", Executables.ClientConsole,
            ["--gateway", cluster.Gateway, "--connect-timeout", $"{ConnectTimeoutSeconds}", "watch", "--interval", "1"]);
        await watch.WaitForLineAsync("pending", QueueCluster.StartTimeout);
        var from = watch.LineCount;

        // Act
        cluster.Silo.Kill();
        var line = await watch.WaitForLineAsync("error: .*silo", TimeSpan.FromSeconds(ConnectTimeoutSeconds + 3), from);

        // Assert
        output.WriteLine(watch.Describe());
        Assert.True(line.IsError, line.ToString());
        Assert.DoesNotContain("grain", line.Text, StringComparison.OrdinalIgnoreCase);
    });

    [Fact]
    public Task Worker_WhoseSiloIsGone_LogsOneLinePerBackOffStep_WithoutStackTraces() => QueueCluster.RunAsync(output, async cluster =>
    {
        // Arrange
        var worker = await cluster.StartWorkerAsync("lonely", concurrency: 2);
        var from = worker.LineCount;

        // Act: the worker's notices back off until they are at least 8 s apart (its calls notice the loss within
        // Orleans' 30 s response timeout).
        cluster.Silo.Kill();
        await cluster.Silo.WaitForExitAsync(TimeSpan.FromSeconds(10));
        await worker.WaitForLineAsync(@"next notice in ([89]|\d{2,})(\.\d+)? s", TimeSpan.FromSeconds(75), from);

        // Assert
        var lines = worker.Lines.Skip(from).ToList();
        var text = string.Join('\n', lines.Select(l => l.Text));
        Assert.False(StackFrame().IsMatch(text), $"a stack trace was logged:\n{text}");
        var warnings = lines.Count(l => l.Text.Contains("warn:", StringComparison.Ordinal));
        Assert.True(warnings <= 8, $"{warnings} warnings until the notices were 8 s apart:\n{text}");
    });

    private static void Stop(ProcessRunner silo, bool graceful)
    {
        if (graceful)
        {
            silo.Interrupt();
        }
        else
        {
            silo.Kill();
        }
    }

    [GeneratedRegex(@"^[0-9a-f]{8}-[0-9a-f]{4}-", RegexOptions.CultureInvariant)]
    private static partial Regex JobIdLine();

    [GeneratedRegex(@"^\s+at \S", RegexOptions.Multiline)]
    private static partial Regex StackFrame();
}
