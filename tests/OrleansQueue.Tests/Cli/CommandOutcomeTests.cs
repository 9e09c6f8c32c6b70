using System.Text.RegularExpressions;
using Orleans.Runtime;
using OrleansQueue.Cli;
using OrleansQueue.Jobs;
using OrleansQueue.Tests.Cli.Fakes;

namespace OrleansQueue.Tests.Cli;

/// <summary>What the console makes of the queue's answers: output on stdout, refusals and failures as one
/// <c>error:</c> line with their exit code.</summary>
public sealed partial class CommandOutcomeTests
{
    [Fact]
    public async Task Status_OfAnUnknownId_ExitsThree()
    {
        var connector = new FakeQueueConnector();
        var id = JobId.Format(Guid.CreateVersion7());

        var run = await CliRun.StartAsync(connector, ["status", id]);

        Assert.Equal(3, run.ExitCode);
        Assert.Equal($"error: no job has the id {id} (a finished job is forgotten once the silo's Queue:FinishedJobRetention has passed, or sooner past its Queue:FinishedJobLimit)", Assert.Single(run.StderrLines));
        Assert.Equal("", run.Stdout);
    }

    [Theory]
    [InlineData("cancel")]
    [InlineData("requeue")]
    public async Task JobCommand_OnAnUnknownId_ExitsThree(string command)
    {
        var connector = new FakeQueueConnector();
        var id = JobId.Format(Guid.CreateVersion7());

        var run = await CliRun.StartAsync(connector, [command, id]);

        Assert.Equal(3, run.ExitCode);
        Assert.Equal($"error: no job has the id {id} (a finished job is forgotten once the silo's Queue:FinishedJobRetention has passed, or sooner past its Queue:FinishedJobLimit)", Assert.Single(run.StderrLines));
    }

    [Fact]
    public async Task Cancel_OfAPendingJob_PrintsTheReply_AndExitsZero()
    {
        var connector = new FakeQueueConnector();
        var job = connector.Queue.Add(Samples.PendingJob());

        var run = await CliRun.StartAsync(connector, ["cancel", JobId.Format(job.Id)]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"job {job.Id} cancelled", Assert.Single(run.StdoutLines));
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public async Task Cancel_OfACompletedJob_IsRefused_WithTheMessageOnStderr_AndExitOne()
    {
        var connector = new FakeQueueConnector();
        var job = connector.Queue.Add(Samples.CompletedJob());

        var run = await CliRun.StartAsync(connector, ["cancel", JobId.Format(job.Id)]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"error: job {job.Id} is already COMPLETED; only PENDING, PROCESSING or BURIED jobs can be cancelled", Assert.Single(run.StderrLines));
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task Requeue_OfAFailedJob_PrintsTheReply_AndOfAPendingOne_IsRefused()
    {
        var connector = new FakeQueueConnector();
        var failed = connector.Queue.Add(Samples.FailedJob());
        var pending = connector.Queue.Add(Samples.PendingJob());

        var accepted = await CliRun.StartAsync(connector, ["requeue", JobId.Format(failed.Id)]);
        var refused = await CliRun.StartAsync(connector, ["requeue", JobId.Format(pending.Id)]);

        Assert.Equal(0, accepted.ExitCode);
        Assert.Equal($"job {failed.Id} is pending again", Assert.Single(accepted.StdoutLines));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("only FAILED, CANCELLED or BURIED jobs can be requeued", Assert.Single(refused.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kick_KicksTheBuriedJobsOfTheQueue_UpToN()
    {
        var connector = new FakeQueueConnector();
        var buried = Enumerable.Range(0, 3).Select(_ => connector.Queue.Add(Samples.PendingJob() with { Id = Guid.CreateVersion7(), Status = JobStatus.Buried, Queue = "mail" })).ToList();
        var elsewhere = connector.Queue.Add(Samples.PendingJob() with { Id = Guid.CreateVersion7(), Status = JobStatus.Buried, Queue = "other" });

        var run = await CliRun.StartAsync(connector, ["kick", "mail", "2"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("kicked 2 jobs of queue mail", Assert.Single(run.StdoutLines));
        Assert.Equal(2, buried.Count(j => connector.Queue.Jobs[j.Id].Status == JobStatus.Pending));
        Assert.Equal(JobStatus.Buried, connector.Queue.Jobs[elsewhere.Id].Status);
    }

    [Fact]
    public async Task Pause_PausesTheQueue_AndZeroLiftsIt()
    {
        var connector = new FakeQueueConnector();

        var paused = await CliRun.StartAsync(connector, ["pause", "mail", "30"]);
        var lifted = await CliRun.StartAsync(connector, ["pause", "mail", "0"]);

        Assert.Equal((0, "queue mail is paused for 30 s"), (paused.ExitCode, Assert.Single(paused.StdoutLines)));
        Assert.Equal((0, "queue mail is no longer paused"), (lifted.ExitCode, Assert.Single(lifted.StdoutLines)));
        Assert.Equal([("mail", TimeSpan.FromSeconds(30)), ("mail", TimeSpan.Zero)], connector.Queue.Pauses);
    }

    [Theory]
    [InlineData("-bad", "1", "Queue name '-bad' is not valid")]
    [InlineData("mail", "0", "N must be a whole number from 1 to 9223372036854775807, got '0'")]
    [InlineData("mail", "lots", "N must be a whole number from 1 to 9223372036854775807, got 'lots'")]
    public async Task Kick_WithABadQueueOrCount_IsAUsageError(string queue, string count, string expected)
    {
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, ["kick", queue, count]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("4294967296")]
    [InlineData("soon")]
    public async Task Pause_WithSecondsOutOfRange_IsAUsageError_NamingTheRange(string seconds)
    {
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, ["pause", "mail", seconds]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"SECONDS must be a whole number from 0 to 4294967295, got '{seconds}'", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(connector.Queue.Pauses);
    }

    [Fact]
    public async Task ValueRefusedByTheSilo_ExitsTwo_WithItsValidationMessage()
    {
        var connector = new FakeQueueConnector();
        connector.Queue.Failure = new InvalidJobException("Retries 1000 is above the limit of 100.");

        var run = await CliRun.StartAsync(connector, ["submit", "T", "--retries", "1000"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: Retries 1000 is above the limit of 100.", Assert.Single(run.StderrLines));
    }

    [Fact]
    public async Task ValueRefusedByTheSilo_IsRecognised_WhenWrapped()
    {
        var connector = new FakeQueueConnector();
        connector.Queue.Failure = new AggregateException(new InvalidOperationException("call failed", new InvalidJobException("The job type is empty.")));

        var run = await CliRun.StartAsync(connector, ["submit", " "]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: The job type is empty.", Assert.Single(run.StderrLines));
    }

    [Fact]
    public async Task SiloUnreachable_ExitsFour_WithTheConnectorsMessage()
    {
        var connector = new FakeQueueConnector
        {
            Failure = new CliException(ExitCodes.SiloUnreachable, "cannot reach the silo at 127.0.0.1:30000 within 5 s; is it running?"),
        };

        var run = await CliRun.StartAsync(connector, ["metrics"]);

        Assert.Equal(4, run.ExitCode);
        Assert.Equal("error: cannot reach the silo at 127.0.0.1:30000 within 5 s; is it running?", Assert.Single(run.StderrLines));
    }

    [Fact]
    public async Task ConnectionLostDuringACall_ExitsFour_NamingTheGateway()
    {
        var connector = new FakeQueueConnector();
        connector.Queue.Failure = new SiloUnavailableException("the silo went away");

        var run = await CliRun.StartAsync(connector, ["metrics", "--gateway", "127.0.0.1:23001"]);

        Assert.Equal(4, run.ExitCode);
        Assert.Equal("error: lost the connection to the silo at 127.0.0.1:23001: the silo went away", Assert.Single(run.StderrLines));
    }

    [Fact]
    public async Task ASubmitTheSiloCouldNotStoreInRedis_ExitsFour_WithTheRedisErrorOnly()
    {
        var connector = new FakeQueueConnector();
        connector.Queue.Failure = new JobNotKeptException(
            "Error from storage provider RedisGrainStorage.job during ReadStateAsync for grain job/01a2   Exc level 0: " +
            "Orleans.Persistence.Redis.RedisStorageException: Failed to read grain state. StackExchange.Redis.RedisConnectionException: " +
            "SocketClosed (ReadEndOfStream, last-recv: 0) on 127.0.0.1:44607/Interactive, Idle/MarkProcessed, last: PING");

        var run = await CliRun.StartAsync(connector, ["submit", "TEST", "--data", "{}"]);

        Assert.Equal(4, run.ExitCode);
        Assert.Equal(
            "error: the silo could not reach its storage (Redis), so nothing was changed; try again when Redis is back " +
            "(SocketClosed (ReadEndOfStream, last-recv: 0) on 127.0.0.1:44607)",
            Assert.Single(run.StderrLines));
    }

    [Fact]
    public async Task UnexpectedException_IsOneErrorLine_WithExitOne_AndNoStackTrace()
    {
        var connector = new FakeQueueConnector();
        connector.Queue.Failure = new InvalidOperationException("something broke\nbadly");

        var run = await CliRun.StartAsync(connector, ["metrics"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: something broke badly", Assert.Single(run.StderrLines));
        Assert.DoesNotMatch(StackFrame(), run.Stderr + run.Stdout);
    }

    [Fact]
    public async Task Status_PrintsTheJobBlock()
    {
        var connector = new FakeQueueConnector();
        var job = connector.Queue.Add(Samples.CompletedJob());

        var run = await CliRun.StartAsync(connector, ["status", JobId.Format(job.Id)]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"id:           {job.Id}", run.StdoutLines);
        Assert.Contains("status:       COMPLETED", run.StdoutLines);
    }

    [Fact]
    public async Task Command_ClosesTheConnection_WhenDone()
    {
        var connector = new FakeQueueConnector();

        await CliRun.StartAsync(connector, ["metrics"]);

        Assert.True(connector.Queue.Disposed);
    }

    [GeneratedRegex(@"^\s+at \S", RegexOptions.Multiline)]
    private static partial Regex StackFrame();
}
