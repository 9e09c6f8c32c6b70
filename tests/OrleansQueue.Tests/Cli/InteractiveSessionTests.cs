using System.Text.Json;
using OrleansQueue.Cli;
using OrleansQueue.Jobs;
using OrleansQueue.Tests.Cli.Fakes;

namespace OrleansQueue.Tests.Cli;

/// <summary>The interactive mode: no command on the command line, one command per stdin line over one connection.</summary>
public sealed class InteractiveSessionTests
{
    [Fact]
    public async Task Session_RunsEachLine_OverOneConnection_UntilShutdown()
    {
        var connector = new FakeQueueConnector();
        const string Stdin = """
            SUBMIT TRANSCODE_VIDEO --priority=2 --retries=3 --deadline=300
            METRICS_GET --json
            SHUTDOWN
            SUBMIT NEVER_RUN
            """;

        var run = await CliRun.StartAsync(connector, [], Stdin);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Single(connector.Connections);
        var submission = Assert.Single(connector.Queue.Submissions);
        Assert.Equal(("TRANSCODE_VIDEO", 2, 3, TimeSpan.FromSeconds(300)), (submission.Type, submission.Priority, submission.Retries, submission.Deadline));
        var id = Assert.Single(connector.Queue.Jobs.Keys);
        Assert.StartsWith(JobId.Format(id) + Environment.NewLine + "{", run.Stdout, StringComparison.Ordinal);
        using var metrics = JsonDocument.Parse(run.Stdout[run.Stdout.IndexOf('{', StringComparison.Ordinal)..]);
        Assert.Equal(8, metrics.RootElement.GetProperty("pending").GetInt32());
        Assert.True(connector.Queue.Disposed);
    }

    [Fact]
    public async Task Session_WhoseInputIsNotUtf8_EndsWithExitTwo_SayingSo_AndSubmitsNothingOfIt()
    {
        // Console.In replaced the bad bytes with U+FFFD, and the job was submitted with them in its data.
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, [], [.. "SUBMIT T --data='"u8, 0xFF, .. "'\nSUBMIT NEVER_RUN\n"u8]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("error: stdin: it is not UTF-8 text (bytes FF", Assert.Single(run.StderrLines), StringComparison.Ordinal);
        Assert.Empty(connector.Queue.Submissions);
    }

    [Fact]
    public async Task Session_AcceptsLowerCaseKeywords_AndOurCommandNames()
    {
        var connector = new FakeQueueConnector();
        var job = connector.Queue.Add(Samples.PendingJob());

        var run = await CliRun.StartAsync(connector, [], $"job_status {job.Id} --json\nstatus {job.Id} --json\ncancel {job.Id}\nshutdown\n");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(JobStatus.Cancelled, connector.Queue.Jobs[job.Id].Status);
        Assert.Equal(2, run.StdoutLines.Count(l => l.StartsWith("\"id\":", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Session_ReportsAFailedLine_AndGoesOn_EndingWithTheLastFailuresCode()
    {
        var connector = new FakeQueueConnector();
        var unknown = Guid.CreateVersion7();
        const string Bad = "SUBMIT T --priority=11";

        var run = await CliRun.StartAsync(connector, [], $"{Bad}\nJOB_STATUS {unknown}\nSUBMIT T --data='a b'\n");

        Assert.Equal(3, run.ExitCode);
        Assert.Equal(
            ["error: Priority 11 is out of range: it must be from 0 (most important) to 10.", $"error: no job has the id {unknown} (a finished job is forgotten once the silo's Queue:FinishedJobRetention has passed, or sooner past its Queue:FinishedJobLimit)"],
            run.StderrLines);
        Assert.Equal("a b", System.Text.Encoding.UTF8.GetString(Assert.Single(connector.Queue.Submissions).Payload));
    }

    [Fact]
    public async Task Session_EndsAtEndOfInput_LikeShutdown()
    {
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, [], "METRICS_GET");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("processing:       4", run.StdoutLines);
        Assert.True(connector.Queue.Disposed);
    }

    [Fact]
    public async Task Session_WithOnlyGlobalOptions_ConnectsWithThem()
    {
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, ["--gateway", "127.0.0.1:23001"], "SHUTDOWN\n");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("127.0.0.1:23001", Assert.Single(connector.Connections).Gateway);
    }

    [Fact]
    public async Task Session_ConnectsBeforeReadingAnyLine_AndReportsASiloThatIsDown()
    {
        var connector = new FakeQueueConnector
        {
            Failure = new CliException(ExitCodes.SiloUnreachable, "cannot reach the silo at 127.0.0.1:30000 within 5 s; is it running?"),
        };

        var run = await CliRun.StartAsync(connector, [], "SUBMIT T\n");

        Assert.Equal(4, run.ExitCode);
        Assert.Equal("error: cannot reach the silo at 127.0.0.1:30000 within 5 s; is it running?", Assert.Single(run.StderrLines));
        Assert.Empty(connector.Queue.Submissions);
    }

    [Theory]
    [InlineData("FROBNICATE", "error: unknown command 'FROBNICATE'; type HELP for the commands")]
    [InlineData("METRICS_GET --gateway=127.0.0.1:1", "error: --gateway applies to the whole session: give it when starting the console")]
    [InlineData("SUBMIT T --data=\"open", "error: the quote \" at column 17 is not closed")]
    [InlineData("JOB_STATUS nope", "error: 'nope' is not a job id")]
    public async Task Session_RefusesABadLine_WithExitTwo(string line, string expectedError)
    {
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, [], line + "\n");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(expectedError, Assert.Single(run.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ListsTheCommands_AndHelpOfACommandItsOptions()
    {
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, [], "HELP\nhelp submit\n");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("JOB_STATUS ID [--json]", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("--deadline <SECONDS>", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prompt_IsShown_OnlyWhenAsked()
    {
        var quiet = await CliRun.StartAsync(new FakeQueueConnector(), [], "METRICS_GET\n");
        var prompting = await CliRun.StartAsync(new FakeQueueConnector(), [], "METRICS_GET\n", showPrompt: true);

        Assert.DoesNotContain("> ", quiet.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("pending:", quiet.Stdout, StringComparison.Ordinal);
        Assert.Contains("> pending:", prompting.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlankLinesAndComments_AreSkipped()
    {
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, [], "\n   \n# a comment\nSHUTDOWN\n");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Stdout + run.Stderr);
    }
}
