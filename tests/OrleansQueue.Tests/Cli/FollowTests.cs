using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime;
using OrleansQueue.Cli;
using OrleansQueue.Cli.Live;
using OrleansQueue.Jobs;
using OrleansQueue.Tests.Cli.Fakes;

namespace OrleansQueue.Tests.Cli;

/// <summary><c>submit --wait</c> and <c>status --watch</c>: following a job to its end against a fake queue that moves
/// it on at each status read, with a fake clock stepped one poll interval at a time.</summary>
public sealed class FollowTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>How long the driver waits for a read after a step of the clock before it steps again. The poller's
    /// periodic timer keeps a tick that comes before it waits, so this only matters if a step came before the timer
    /// existed; it is long, so that a slow machine does not get two steps per read.</summary>
    private static readonly TimeSpan ReadWait = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task SubmitWait_PrintsTheId_ALinePerStep_AndTheResult_AndExitsZero_WhenTheJobCompletes()
    {
        var connector = new FakeQueueConnector();
        connector.Queue.Steps.Enqueue(job => Samples.Processing(job, 50, "half way"));
        connector.Queue.Steps.Enqueue(job => Samples.Processing(job, 50, "still half way"));
        connector.Queue.Steps.Enqueue(job => Samples.Completed(job, "42 frames"));
        var time = Clock();

        var run = await FollowAsync(connector, time, ["submit", "T", "--wait"]);

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        var id = JobId.Format(Assert.Single(connector.Queue.Jobs.Keys));
        Assert.Equal(
            [
                id,
                "2026-03-01T12:00:00.000Z  PENDING",
                "2026-03-01T12:00:00.250Z  PROCESSING  attempt 1  50%  half way",
                // The read at 0.5 s only changed the message: no line.
                "2026-03-01T12:00:00.750Z  COMPLETED  attempt 1  100%",
                "42 frames",
            ],
            run.StdoutLines);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public async Task SubmitWait_PrintsTheErrorOnStderr_AndExitsFive_WhenTheJobFails()
    {
        var connector = new FakeQueueConnector();
        connector.Queue.Steps.Enqueue(job => Samples.Processing(job, 50));
        connector.Queue.Steps.Enqueue(job => Samples.Failed(job, "codec not found"));

        var run = await FollowAsync(connector, Clock(), ["submit", "T", "--wait"]);

        Assert.Equal(5, run.ExitCode);
        var id = JobId.Format(Assert.Single(connector.Queue.Jobs.Keys));
        Assert.Equal($"error: job {id} FAILED: codec not found", Assert.Single(run.StderrLines));
        Assert.EndsWith("FAILED  attempt 1", run.StdoutLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusWatch_ExitsFive_WhenTheJobIsCancelled()
    {
        var connector = new FakeQueueConnector();
        var job = connector.Queue.Add(Samples.Processing(Samples.PendingJob(), 10));
        connector.Queue.Steps.Enqueue(j => j); // the read of 'status' itself
        connector.Queue.Steps.Enqueue(j => j with { Status = JobStatus.Cancelled });

        var run = await FollowAsync(connector, Clock(), ["status", JobId.Format(job.Id), "--watch"]);

        Assert.Equal(5, run.ExitCode);
        Assert.Equal($"error: job {JobId.Format(job.Id)} was CANCELLED", Assert.Single(run.StderrLines));
        Assert.Equal(["2026-03-01T12:00:00.000Z  PROCESSING  attempt 1  10%", "2026-03-01T12:00:00.250Z  CANCELLED  attempt 1"], run.StdoutLines);
    }

    [Fact]
    public async Task StatusWatch_OfAFinishedJob_PrintsItsResultAtOnce()
    {
        var connector = new FakeQueueConnector();
        var job = connector.Queue.Add(Samples.CompletedJob());

        var run = await CliRun.StartAsync(connector, ["status", JobId.Format(job.Id), "--watch"], time: Clock()).WaitAsync(Patience);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["2026-03-01T12:00:00.000Z  COMPLETED  attempt 2  100%", "{\"frames\":1200} ✓"], run.StdoutLines);
    }

    [Fact]
    public async Task Wait_GivesUp_AfterTheWaitTimeout_WithExitSix_LeavingTheJobAlone()
    {
        var connector = new FakeQueueConnector();
        connector.Queue.Steps.Enqueue(job => Samples.Processing(job, 20));
        var time = Clock();

        var run = await FollowAsync(connector, time, ["submit", "T", "--wait", "--wait-timeout", "1"]);

        Assert.Equal(6, run.ExitCode);
        var id = JobId.Format(Assert.Single(connector.Queue.Jobs.Keys));
        Assert.Equal(
            $"error: job {id} is still PROCESSING after 1 s (--wait-timeout); it goes on: follow it again with 'status {id} --watch'",
            Assert.Single(run.StderrLines));
        Assert.Equal(Samples.T0.AddSeconds(1), time.GetUtcNow());
        Assert.Equal(JobStatus.Processing, connector.Queue.Jobs.Values.Single().Status);
    }

    [Fact]
    public async Task Wait_StopsWithExit130_WhenInterrupted()
    {
        var connector = new FakeQueueConnector();
        using var ctrlC = new CancellationTokenSource();

        var run = CliRun.StartAsync(connector, ["submit", "T", "--wait"], time: Clock(), cancellationToken: ctrlC.Token);
        await ctrlC.CancelAsync();
        var result = await run.WaitAsync(Patience);

        Assert.Equal(ExitCodes.Interrupted, result.ExitCode);
        Assert.Contains("stopped following job", Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitWithJson_PrintsOnlyTheFinishedJob()
    {
        var connector = new FakeQueueConnector();
        connector.Queue.Steps.Enqueue(job => Samples.Processing(job, 50));
        connector.Queue.Steps.Enqueue(job => Samples.Completed(job, "done"));

        var run = await FollowAsync(connector, Clock(), ["submit", "T", "--wait", "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(run.Stdout);
        Assert.Equal("COMPLETED", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("done", json.RootElement.GetProperty("result").GetString());
    }

    [Fact]
    public async Task Wait_ReportsTheLostConnection_WithExitFour()
    {
        var connector = new FakeQueueConnector();
        connector.Queue.Steps.Enqueue(_ => throw new SiloUnavailableException("the silo went away"));

        var run = await FollowAsync(connector, Clock(), ["submit", "T", "--wait"]);

        Assert.Equal(4, run.ExitCode);
        Assert.Equal("error: lost the connection to the silo at 127.0.0.1:30000: the silo went away", Assert.Single(run.StderrLines));
    }

    [Fact]
    public async Task Wait_OnATerminal_DrawsTheJobsProgress_InsteadOfPlainLines()
    {
        var connector = new FakeQueueConnector();
        connector.Queue.Steps.Enqueue(job => Samples.Processing(job, 50, "half way"));
        connector.Queue.Steps.Enqueue(job => Samples.Completed(job, "42 frames"));

        var run = await FollowAsync(connector, Clock(), ["submit", "T", "--wait"], CliRun.Terminal);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("T  COMPLETED  attempt 1", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("100%", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("\u001b[", run.Stdout, StringComparison.Ordinal); // drawn with escape codes
        Assert.DoesNotContain("2026-03-01T12:00:00.000Z  PENDING", run.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("42 frames", run.StdoutLines[^1], StringComparison.Ordinal); // after the code that shows the cursor again
    }

    [Fact]
    public async Task InteractiveSubmitWait_FollowsTheJob_ThenTheSessionGoesOn()
    {
        var connector = new FakeQueueConnector();
        connector.Queue.Steps.Enqueue(job => Samples.Completed(job, "ok"));

        var run = await FollowAsync(connector, Clock(), [], stdin: "SUBMIT T --wait\nMETRICS_GET --json\n");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("ok", run.StdoutLines);
        Assert.Contains("\"pending\": 8,", run.StdoutLines);
    }

    [Fact]
    public void FollowState_IgnoresTheProgressOfAnEarlierAttempt()
    {
        var retrying = Samples.Processing(Samples.PendingJob(), 80) with
        {
            Attempts =
            [
                new AttemptRecord(1, "worker-a", Samples.T0, Samples.T0.AddSeconds(1), AttemptOutcome.Failed, "boom"),
                new AttemptRecord(2, "worker-b", Samples.T0.AddSeconds(2), null, AttemptOutcome.Running, null),
            ],
        };

        Assert.Equal(new FollowState(JobStatus.Processing, 2, null, null), FollowState.Of(retrying));
    }

    private static FakeTimeProvider Clock() => new(Samples.T0);

    /// <summary>Starts the console and steps the clock by one poll interval after each read, until it exits.</summary>
    private static async Task<CliRun> FollowAsync(
        FakeQueueConnector connector, FakeTimeProvider time, string[] args, Func<TextWriter, Spectre.Console.IAnsiConsole>? terminal = null, string stdin = "")
    {
        var run = CliRun.StartAsync(connector, args, stdin, time: time, terminal: terminal);

        // Reads before the follow started (status reads the job once) are not polls.
        while (connector.Queue.Reads.Wait(0))
        {
        }

        var stepsLeft = 1000;
        while (!run.IsCompleted && stepsLeft-- > 0)
        {
            time.Advance(JobFollow.PollInterval);
            await Task.WhenAny(run, connector.Queue.Reads.WaitAsync(ReadWait));
        }

        return await run.WaitAsync(Patience);
    }
}
