using OrleansQueue.Cli.Output;
using OrleansQueue.Jobs;
using OrleansQueue.Tests.Cli.Fakes;

namespace OrleansQueue.Tests.Cli;

/// <summary>Text from jobs, workers and the user's own input never reaches the terminal as control sequences: each
/// control or bidirectional-override character is shown escaped (<c>\u001B</c>), and an echo of input is cut short.</summary>
public sealed class TerminalSafetyTests
{
    private const string Retitle = "\u001B]0;pwned\u0007";
    private const string ClearScreen = "\u001B[2J";

    [Fact]
    public void Status_ShowsAJobsControlCharacters_Escaped()
    {
        var job = Samples.FailedJob() with
        {
            Type = "TYPE\u202E",
            Error = "boom " + Retitle,
            Result = System.Text.Encoding.UTF8.GetBytes(ClearScreen + "done\u009B"),
            Attempts = [new AttemptRecord(1, "worker" + ClearScreen, Samples.T0, Samples.T0, AttemptOutcome.Failed, "x" + Retitle)],
        };

        var text = Write(w => JobText.Write(w, job));

        AssertNoControlCharacters(text);
        Assert.Contains("type:         TYPE\\u202E", text, StringComparison.Ordinal);
        Assert.Contains("error:        boom \\u001B]0;pwned\\u0007", text, StringComparison.Ordinal);
        Assert.Contains("result:       \\u001B[2Jdone\\u009B", text, StringComparison.Ordinal);
        Assert.Contains("worker\\u001B[2J", text, StringComparison.Ordinal);
    }

    [Fact]
    public void List_ShowsControlCharacters_Escaped()
    {
        var text = Write(w => JobListText.Write(w, [Samples.FailedJob() with { Type = "T" + ClearScreen, Error = Retitle }]));

        AssertNoControlCharacters(text);
        Assert.Contains("T\\u001B[2J", text, StringComparison.Ordinal);
        Assert.Contains("\\u001B]0;pwned\\u0007", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WatchedProgress_ShowsControlCharacters_Escaped()
    {
        var line = FollowText.Line(Samples.T0, OrleansQueue.Cli.Live.FollowState.Of(Samples.Processing(Samples.PendingJob(), 40, "half" + Retitle)));

        AssertNoControlCharacters(line);
        Assert.EndsWith("40%  half\\u001B]0;pwned\\u0007", line, StringComparison.Ordinal);
    }

    [Fact]
    public void MetricsWorkerNames_AreShownEscaped()
    {
        var metrics = Samples.Metrics();
        metrics = metrics with { Workers = [metrics.Workers[0] with { Name = "w" + ClearScreen }] };

        var text = Write(w => MetricsText.Write(w, metrics));

        AssertNoControlCharacters(text);
        Assert.Contains("w\\u001B[2J", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnErrorLine_EchoingTheUsersInput_ShowsItsControlCharactersEscaped_AndCutsItShort()
    {
        var connector = new FakeQueueConnector();

        var escape = await CliRun.StartAsync(connector, ["status", ClearScreen + "not-an-id"]);
        var huge = await CliRun.StartAsync(connector, ["status", new string('7', 100_000)]);

        Assert.Equal(2, escape.ExitCode);
        AssertNoControlCharacters(escape.Stderr);
        Assert.Contains("'\\u001B[2Jnot-an-id' is not a job id", escape.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, huge.ExitCode);
        Assert.True(huge.Stderr.Length < 300, $"the error line is {huge.Stderr.Length} characters long");
        Assert.Contains("…' is not a job id", huge.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownInteractiveCommand_IsEchoedCutShort_AndEscaped()
    {
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, [], new string('x', 1_000_000) + "\n" + ClearScreen + "\nSHUTDOWN\n");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(2, run.StderrLines.Count);
        Assert.All(run.StderrLines, l => Assert.True(l.Length < 300, $"an error line is {l.Length} characters long"));
        Assert.StartsWith("error: unknown command 'xxxx", run.StderrLines[0], StringComparison.Ordinal);
        Assert.Contains("…'", run.StderrLines[0], StringComparison.Ordinal);
        Assert.StartsWith("error: unknown command '\\u001B[2J'", run.StderrLines[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("EVIL\u202ETXT")]
    [InlineData("ZERO\u200BWIDTH")]
    [InlineData("BELL\u0007")]
    public async Task Submit_OfATypeWithInvisibleCharacters_ExitsTwo_BeforeConnecting(string type)
    {
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, ["submit", type]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Empty(connector.Connections);
        AssertNoControlCharacters(run.Stderr);
        Assert.Contains("contains white space or control characters", run.Stderr, StringComparison.Ordinal);
    }

    private static void AssertNoControlCharacters(string text) =>
        Assert.DoesNotContain(text, c => (char.IsControl(c) && c is not '\n' and not '\r') || c is '\u202E' or '\u200B');

    private static string Write(Action<TextWriter> write)
    {
        using var writer = new StringWriter();
        write(writer);
        return writer.ToString();
    }
}
