using System.Diagnostics;
using System.Text.RegularExpressions;
using OrleansQueue.Contracts;
using OrleansQueue.EndToEndTests.Harness;

namespace OrleansQueue.EndToEndTests;

/// <summary>The console client's errors: a precise exit code, one <c>error:</c> line, no stack trace, nothing stored.</summary>
[Collection(TimedTests.Name)]
public sealed partial class ClientErrorTests(SiloFixture silo) : IClassFixture<SiloFixture>
{
    /// <summary>A version-7 job id no one submitted.</summary>
    private const string UnknownId = "01890a5d-ac96-7a4b-bcce-b302099a8057";

    private QueueCluster Cluster => silo.Cluster;

    /// <summary>Reads the silo around the command under test, which itself always runs as its own process.</summary>
    private InteractiveClient Client => silo.Client;

    [Theory]
    [InlineData(3, "status", UnknownId)]
    [InlineData(3, "cancel", UnknownId)]
    [InlineData(3, "requeue", UnknownId)]
    [InlineData(2, "status", "not-a-job-id")]
    [InlineData(2, "status", UnknownId, "--no-such-flag")]
    [InlineData(2, "frobnicate")]
    [InlineData(2, "submit", "REPORT", "--payload", "/nonexistent/oq-e2e/payload.json")]
    [InlineData(2, "submit", "REPORT", "--data", "{}", "--priority", "11")]
    [InlineData(2, "submit", "REPORT", "--data", "{}", "--priority", "high")]
    [InlineData(2, "submit", "REPORT", "--data", "{}", "--retries", "-1")]
    [InlineData(2, "submit", "REPORT", "--data", "{}", "--deadline", "0")]
    [InlineData(2, "submit", "REPORT", "--data", "{}", "--no-such-flag", "1")]
    [InlineData(2, "submit", "REPORT", "--payload", "/etc/hostname", "--data", "{}")]
    // Values only the silo's limits refuse (the client checks just what is never valid).
    [InlineData(2, "submit", "REPORT", "--data", "{}", "--retries", "101")]
    [InlineData(2, "submit", "REPORT", "--data", "{}", "--deadline", "90000")]
    [InlineData(2, "submit", "TWO WORDS", "--data", "{}")]
    public Task BadCommand_ExitsWithItsCode_WithOneErrorLine_AndStoresNothing(int expectedExitCode, params string[] args) => Cluster.VerifyAsync(async () =>
    {
        // Arrange
        var before = await Client.GetMetricsAsync();

        // Act
        var result = await Cluster.RunCliAsync(args);
        var after = await Client.GetMetricsAsync();

        // Assert
        AssertRefused(result, expectedExitCode);
        Assert.Equal(Stored(before), Stored(after));
    });

    [Theory]
    [InlineData("cancel")]
    [InlineData("requeue")]
    public Task Command_OnACompletedJob_IsRefusedWithExitOne_AndTheJobStaysCompleted(string command) => Cluster.VerifyAsync(async () =>
    {
        // Arrange
        var id = await Client.SubmitAsync("REPORT", """{"durationMs":10}""");
        await Client.WaitForJobAsync(id, j => j.Status == Outcomes.Completed, TimeSpan.FromSeconds(30), "completes");

        // Act
        var result = await Cluster.RunCliAsync(command, id);
        var after = await Client.GetJobAsync(id);

        // Assert
        AssertRefused(result, expectedExitCode: 1);
        Assert.Equal(Outcomes.Completed, after.Status);
        Assert.Single(after.AttemptHistory);
    });

    [Fact]
    public Task SubmitFile_WithAPayloadOverTheSilosLimit_OnOneLine_ExitsTwo_AndSendsNothing() => Cluster.VerifyAsync(async () =>
    {
        // Arrange: the third of five lines carries one byte more than the silo's default limit (1 MiB).
        var path = Path.Combine(Path.GetTempPath(), $"oq-e2e-{Guid.NewGuid():N}.jsonl");
        var lines = Enumerable.Range(1, 5).Select(i => i == 3
            ? $"{{\"type\":\"BIG\",\"data\":\"{new string('x', 1024 * 1024 + 1)}\"}}"
            : "{\"type\":\"SMALL\",\"data\":\"{}\"}");
        await File.WriteAllLinesAsync(path, lines);
        try
        {
            var before = await Client.GetMetricsAsync();

            // Act
            var result = await Cluster.RunCliAsync("submit", "--file", path);
            var after = await Client.GetMetricsAsync();

            // Assert
            AssertRefused(result, expectedExitCode: 2);
            Assert.Contains($"{path}:3:", result.Stderr, StringComparison.Ordinal);
            Assert.Equal(Stored(before), Stored(after));
        }
        finally
        {
            File.Delete(path);
        }
    });

    [Fact]
    public async Task Status_WithNoSiloListening_ExitsFour_WithinTenSeconds()
    {
        // Arrange: a port that was free a moment ago; nothing listens on it.
        var gateway = $"127.0.0.1:{FreePort.Next()}";
        var clock = Stopwatch.StartNew();

        // Act
        var result = await Cli.RunAsync(gateway, TimeSpan.FromSeconds(30), "status", UnknownId);

        // Assert
        AssertRefused(result, expectedExitCode: 4);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the client gave up after {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private static void AssertRefused(CliResult result, int expectedExitCode)
    {
        Assert.True(expectedExitCode == result.ExitCode, $"expected exit code {expectedExitCode}: {result}");
        Assert.True(result.StderrLines.Count(l => l.StartsWith("error:", StringComparison.Ordinal)) == 1, $"expected one 'error:' line: {result}");
        Assert.False(StackFrame().IsMatch(result.Stderr + result.Stdout), $"a stack trace was printed: {result}");
    }

    /// <summary>Every job the silo counts, whatever its state: unchanged when nothing was stored.</summary>
    private static long Stored(MetricsDocument m) => m.Submitted + m.Pending + m.Processing + m.Completed + m.Failed + m.Cancelled;

    [GeneratedRegex(@"^\s+at \S", RegexOptions.Multiline)]
    private static partial Regex StackFrame();
}
