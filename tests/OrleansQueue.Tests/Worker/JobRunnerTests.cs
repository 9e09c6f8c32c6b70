using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;
using OrleansQueue.Tests.Worker.Fakes;
using OrleansQueue.Worker.Running;

namespace OrleansQueue.Tests.Worker;

/// <summary>What the worker reports for each way an attempt can end.</summary>
public sealed class JobRunnerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static LeasedJob Job(string type, string payload = "{}", TimeSpan? deadline = null) =>
        new(Guid.CreateVersion7(), type, Encoding.UTF8.GetBytes(payload), 5, 1, deadline ?? TimeSpan.FromMinutes(5), DateTimeOffset.UnixEpoch, 3);

    [Fact]
    public async Task RunAsync_ReportsComplete_WithTheHandlersResult()
    {
        var grains = new FakeGrainFactory();
        await using var worker = WorkerTestServices.Create(grains);
        var job = Job("ECHO", "hello");
        using var attempt = new RunningAttempt(job, 0, worker.Time);

        var outcome = await worker.Runner.RunAsync(attempt).WaitAsync(Patience);

        Assert.Equal(RunOutcome.Reported, outcome);
        Assert.Equal(["complete 1 echo hello"], grains.Job(job.JobId).Reports);
        Assert.Single(worker.Logs.Matching($"Job {job.JobId} attempt 1 started: ECHO, priority 5"));
        Assert.Single(worker.Logs.Matching($"Job {job.JobId} attempt 1 completed in "));
    }

    [Theory]
    [InlineData("ECHO", ReportResult.Accepted, 1, 0)]
    [InlineData("ECHO", ReportResult.StaleAttempt, 0, 0)]
    [InlineData("REFUSE", ReportResult.Accepted, 0, 1)]
    [InlineData("REFUSE", ReportResult.StaleAttempt, 0, 0)]
    public async Task RunAsync_CountsInTheSummary_OnlyTheEndsTheJobGrainTook(string type, ReportResult reply, long completed, long failed)
    {
        // A reviewer's worker, stopped past the worker timeout, said "3 attempts completed" of attempts the silo had
        // taken back meanwhile and whose reports it refused.
        var grains = new FakeGrainFactory();
        await using var worker = WorkerTestServices.Create(grains);
        var job = Job(type);
        grains.Job(job.JobId).Reply = reply;
        using var attempt = new RunningAttempt(job, 0, worker.Time);

        await worker.Runner.RunAsync(attempt).WaitAsync(Patience);

        Assert.Equal((completed, failed), worker.Activity.Take());
    }

    [Fact]
    public async Task RunAsync_ReportsBury_WithTheHandlersReason()
    {
        var grains = new FakeGrainFactory();
        await using var worker = WorkerTestServices.Create(grains);
        var job = Job("BURY", "needs a human");
        using var attempt = new RunningAttempt(job, 0, worker.Time);

        var outcome = await worker.Runner.RunAsync(attempt).WaitAsync(Patience);

        Assert.Equal(RunOutcome.Reported, outcome);
        Assert.Equal(["bury 1 needs a human"], grains.Job(job.JobId).Reports);
        Assert.Single(worker.Logs.Matching($"Job {job.JobId} attempt 1 buried by its handler: needs a human"));
    }

    [Fact]
    public async Task RunAsync_PassesTheHandlersProgress_ToTheJob_Clamped()
    {
        var grains = new FakeGrainFactory();
        await using var worker = WorkerTestServices.Create(grains);
        var job = Job("PROGRESS");
        using var attempt = new RunningAttempt(job, 0, worker.Time);

        await worker.Runner.RunAsync(attempt).WaitAsync(Patience);

        Assert.Equal(["progress 1 50% half way", "progress 1 100% ", "complete 1"], grains.Job(job.JobId).Reports);
    }

    [Fact]
    public async Task RunAsync_StopsSendingProgress_OnceTheJobRefusesIt()
    {
        var grains = new FakeGrainFactory();
        await using var worker = WorkerTestServices.Create(grains);
        var job = Job("PROGRESS");
        grains.Job(job.JobId).Reply = ReportResult.StaleAttempt;
        using var attempt = new RunningAttempt(job, 0, worker.Time);

        await worker.Runner.RunAsync(attempt).WaitAsync(Patience);

        Assert.Equal(["progress 1 50% half way", "complete 1"], grains.Job(job.JobId).Reports);
    }

    [Theory]
    [InlineData("ECHO")]
    [InlineData("REFUSE")]
    [InlineData("PROGRESS")]
    public async Task RunAsync_LogsEveryLineOfTheAttempt_WithJobIdAttemptAndWorkerInScope(string type)
    {
        var grains = new FakeGrainFactory();
        await using var worker = WorkerTestServices.Create(grains);
        var job = Job(type);
        grains.Job(job.JobId).Reply = ReportResult.StaleAttempt; // so that the reporter logs too
        using var attempt = new RunningAttempt(job, 0, worker.Time);

        await worker.Runner.RunAsync(attempt).WaitAsync(Patience);

        var lines = worker.Logs.Entries.Where(e => e.Text.Contains(job.JobId.ToString(), StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count >= 3, string.Join(Environment.NewLine, worker.Logs.Lines)); // started, ended, refused
        Assert.All(lines, line =>
        {
            Assert.Equal(job.JobId, line.Scope.GetValueOrDefault("JobId"));
            Assert.Equal(1, line.Scope.GetValueOrDefault("Attempt"));
            Assert.Equal("test-worker", line.Scope.GetValueOrDefault("Worker"));
            Assert.Equal(type, line.Scope.GetValueOrDefault("JobType"));
        });
    }

    [Fact]
    public async Task RunAsync_CountsEachFinishedAttempt_ForTheWorkersSummaryLine()
    {
        var grains = new FakeGrainFactory();
        await using var worker = WorkerTestServices.Create(grains);
        var activity = worker.Services.GetRequiredService<WorkerActivity>();

        foreach (var type in new[] { "ECHO", "ECHO", "THROW" })
        {
            using var attempt = new RunningAttempt(Job(type), 0, worker.Time);
            await worker.Runner.RunAsync(attempt).WaitAsync(Patience);
        }

        Assert.Equal((2L, 1L), activity.Take());
        Assert.Equal((0L, 0L), activity.Take());
    }

    [Fact]
    public async Task RunAsync_ReportsFail_WhenTheHandlerReturnsAFailure()
    {
        var grains = new FakeGrainFactory();
        await using var worker = WorkerTestServices.Create(grains);
        var job = Job("REFUSE", "this one");
        using var attempt = new RunningAttempt(job, 0, worker.Time);

        var outcome = await worker.Runner.RunAsync(attempt).WaitAsync(Patience);

        Assert.Equal(RunOutcome.Reported, outcome);
        Assert.Equal(["fail 1 refused this one"], grains.Job(job.JobId).Reports);
        Assert.Single(worker.Logs.Matching($"Job {job.JobId} attempt 1 failed: refused this one"));
    }

    [Theory]
    [InlineData("THROW", "fail 1 InvalidOperationException: the disk is full")]
    [InlineData("OWN_CANCEL", "fail 1 OperationCanceledException: the upstream call timed out")]
    public async Task RunAsync_ReportsFail_WhenTheHandlerThrows_OtherThanForItsToken(string type, string expected)
    {
        var grains = new FakeGrainFactory();
        await using var worker = WorkerTestServices.Create(grains);
        var job = Job(type);
        using var attempt = new RunningAttempt(job, 0, worker.Time);

        var outcome = await worker.Runner.RunAsync(attempt).WaitAsync(Patience);

        Assert.Equal(RunOutcome.Reported, outcome);
        Assert.Equal([expected], grains.Job(job.JobId).Reports);
    }

    [Fact]
    public async Task RunAsync_ReportsNothing_WhenTheAttemptRunsPastItsDeadline()
    {
        var grains = new FakeGrainFactory();
        var time = new FakeTimeProvider();
        await using var worker = WorkerTestServices.Create(grains, time);
        var job = Job("SIMULATED", """{"durationMs":60000}""", deadline: TimeSpan.FromSeconds(2));
        using var attempt = new RunningAttempt(job, 0, time);

        var run = worker.Runner.RunAsync(attempt);
        time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.False(run.IsCompleted, "stopped before its deadline");
        time.Advance(TimeSpan.FromMilliseconds(1));
        var outcome = await run.WaitAsync(Patience);

        Assert.Equal(RunOutcome.Abandoned, outcome);
        Assert.Equal(StopReason.Deadline, attempt.StopReason);
        Assert.Empty(grains.Job(job.JobId).Reports);
        Assert.Single(worker.Logs.Matching($"Job {job.JobId} attempt 1 ran past its deadline of 2000 ms"));
    }

    [Fact]
    public async Task RunAsync_ReportsNothing_WhenTheScheduleStopsTheAttempt()
    {
        var grains = new FakeGrainFactory();
        await using var worker = WorkerTestServices.Create(grains);
        var job = Job("UNTIL_CANCELLED");
        using var attempt = new RunningAttempt(job, 0, worker.Time);

        var run = worker.Runner.RunAsync(attempt);
        Assert.False(run.IsCompleted);
        attempt.Stop(StopReason.RemoteStop);
        var outcome = await run.WaitAsync(Patience);

        Assert.Equal(RunOutcome.Abandoned, outcome);
        Assert.Empty(grains.Job(job.JobId).Reports);
        Assert.Single(worker.Logs.Matching($"Job {job.JobId} attempt 1 stopped: the schedule says it is no longer ours"));
    }

    [Fact]
    public async Task RunAsync_HandsTheAttemptBack_WhenTheGraceRunsOut()
    {
        var grains = new FakeGrainFactory();
        await using var worker = WorkerTestServices.Create(grains);
        var job = Job("UNTIL_CANCELLED");
        using var attempt = new RunningAttempt(job, 0, worker.Time);

        var run = worker.Runner.RunAsync(attempt);
        attempt.Stop(StopReason.Grace);
        var outcome = await run.WaitAsync(Patience);

        Assert.Equal(RunOutcome.HandedBack, outcome);
        Assert.Equal(["hand-back 1"], grains.Job(job.JobId).Reports);
        Assert.Single(worker.Logs.Matching($"Job {job.JobId} attempt 1 handed back: the graceful-stop grace ran out"));
    }

    [Fact]
    public async Task Stop_KeepsTheFirstReason()
    {
        var grains = new FakeGrainFactory();
        await using var worker = WorkerTestServices.Create(grains);
        var job = Job("UNTIL_CANCELLED");
        using var attempt = new RunningAttempt(job, 0, worker.Time);

        var run = worker.Runner.RunAsync(attempt);
        Assert.True(attempt.Stop(StopReason.RemoteStop));
        Assert.False(attempt.Stop(StopReason.Grace));
        await run.WaitAsync(Patience);

        Assert.Empty(grains.Job(job.JobId).Reports);
    }

    [Fact]
    public async Task RunAsync_StillReportsALateAnswer_AndLogsItsRefusal()
    {
        var grains = new FakeGrainFactory();
        var time = new FakeTimeProvider();
        await using var worker = WorkerTestServices.Create(grains, time);
        var job = Job("SIMULATED", """{"durationMs":3000,"ignoreCancellation":true,"progressEveryMs":0}""", deadline: TimeSpan.FromSeconds(1));
        grains.Job(job.JobId).Reply = ReportResult.StaleAttempt;
        using var attempt = new RunningAttempt(job, 0, time);

        var run = worker.Runner.RunAsync(attempt);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(run.IsCompleted, "a hung handler answers only when it is done");
        time.Advance(TimeSpan.FromSeconds(2));
        var outcome = await run.WaitAsync(Patience);

        Assert.Equal(RunOutcome.Reported, outcome);
        Assert.Equal(["complete 1 SIMULATED done in 3000 ms"], grains.Job(job.JobId).Reports);
        Assert.Single(worker.Logs.Matching($"Job {job.JobId} attempt 1: report refused: fake reply StaleAttempt"));
    }

    [Fact]
    public async Task RunAsync_SendsAReportAgain_WhenItWasLostInTransit()
    {
        var grains = new FakeGrainFactory();
        await using var worker = WorkerTestServices.Create(grains);
        var job = Job("ECHO", "x");
        grains.Job(job.JobId).FailNextCalls = 2;
        using var attempt = new RunningAttempt(job, 0, worker.Time);

        var outcome = await worker.Runner.RunAsync(attempt).WaitAsync(Patience);

        Assert.Equal(RunOutcome.Reported, outcome);
        Assert.Equal(["complete 1 echo x"], grains.Job(job.JobId).Reports);
        Assert.Equal(2, worker.Logs.Matching("batch of 1 reports failed").Count);
    }

    [Theory]
    [InlineData(10, true)]
    [InlineData(1000, false)]
    public async Task AReportThatDoesNotGetThrough_IsSentAgainForTheRetryWindow_ThenGivenUp(int lostCalls, bool delivered)
    {
        var grains = new FakeGrainFactory();
        var time = new FakeTimeProvider();
        await using var worker = WorkerTestServices.Create(grains, time);
        var reporter = worker.Services.GetRequiredService<JobReporter>();
        var job = Job("ECHO", "x");
        grains.Job(job.JobId).FailNextCalls = lostCalls;
        grains.Job(job.JobId).Clock = time;

        // A silo's failover as the worker sees it: every call times out for a while. Time moves on in steps of the
        // longest backoff until the report is settled.
        var reply = reporter.CompleteAsync(job, null);
        var start = time.GetUtcNow();
        using var patience = new CancellationTokenSource(Patience);
        while (!reply.IsCompleted)
        {
            await Task.Delay(5, patience.Token);
            time.Advance(TimeSpan.FromSeconds(5));
        }

        Assert.Equal(delivered, await reply is { IsAccepted: true });
        Assert.Equal(delivered ? ["complete 1"] : [], grains.Job(job.JobId).Reports);
        if (!delivered)
        {
            // Sent again while the window lasted, given up at the first failure past it. Read from when the calls
            // failed (not from the clock at the end, which the loop above may have moved on since, on a busy machine).
            var failed = grains.Job(job.JobId).FailedAt.Select(t => t - start).ToArray();
            Assert.True(failed.Length >= 2, $"only {failed.Length} calls were made");
            Assert.True(failed[^2] < JobReporter.RetryWindow, $"a call at {failed[^2]} was not sent again");
            Assert.True(failed[^1] >= JobReporter.RetryWindow - TimeSpan.FromSeconds(10), $"given up at {failed[^1]}, before the window of {JobReporter.RetryWindow} ran out");
        }

        Assert.Equal(delivered ? 0 : 1, worker.Logs.Matching("complete report could not be delivered after").Count);
    }

    [Fact]
    public async Task Reports_MadeWhileBatchesAreUnderWay_GoTogetherInTheNextBatch()
    {
        var grains = new FakeGrainFactory { ReportGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var worker = WorkerTestServices.Create(grains);
        var reporter = worker.Services.GetRequiredService<JobReporter>();
        var jobs = Enumerable.Range(0, 40).Select(i => Job("ECHO", $"{i}")).ToList();

        // Park every sender on a batch of one, so the other reports queue up behind them.
        var replies = new List<Task<ReportReply?>>();
        foreach (var job in jobs.Take(JobReporter.Senders))
        {
            replies.Add(reporter.CompleteAsync(job, null));
            await WaitUntilAsync(() => grains.ReportBatches.Count == replies.Count);
        }

        replies.AddRange(jobs.Skip(JobReporter.Senders).Select(j => reporter.CompleteAsync(j, null)));
        grains.ReportGate.SetResult();
        await Task.WhenAll(replies).WaitAsync(Patience);

        Assert.All(jobs, j => Assert.Equal(["complete 1"], grains.Job(j.JobId).Reports));
        Assert.Equal(jobs.Count, grains.ReportBatches.Sum());
        Assert.InRange(grains.ReportBatches.Count, JobReporter.Senders + 1, 2 * JobReporter.Senders);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    [Fact]
    public async Task RunAsync_SendsAReportAgain_WhenItsJobGrainDidNotAnswerInsideTheBatch()
    {
        var grains = new FakeGrainFactory();
        await using var worker = WorkerTestServices.Create(grains);
        var job = Job("ECHO", "x");
        grains.Job(job.JobId).UnansweredNextReports = 2;
        using var attempt = new RunningAttempt(job, 0, worker.Time);

        var outcome = await worker.Runner.RunAsync(attempt).WaitAsync(Patience);

        Assert.Equal(RunOutcome.Reported, outcome);
        Assert.Equal(["complete 1 echo x"], grains.Job(job.JobId).Reports);
        Assert.Equal([1, 1, 1], grains.ReportBatches);
        Assert.Equal(2, worker.Logs.Matching("did not reach their job grains").Count);
    }

    [Fact]
    public async Task RunAsync_SendsOneReport_WhenTheGracefulStopAlreadyHandedTheAttemptBack()
    {
        var grains = new FakeGrainFactory();
        await using var worker = WorkerTestServices.Create(grains);
        var job = Job("ECHO", "x");
        using var attempt = new RunningAttempt(job, 0, worker.Time);
        Assert.True(attempt.TryClaimReport());

        var outcome = await worker.Runner.RunAsync(attempt).WaitAsync(Patience);

        Assert.Equal(RunOutcome.Abandoned, outcome);
        Assert.Empty(grains.Job(job.JobId).Reports);
    }
}
