using System.Collections.Immutable;
using System.Text;
using Orleans.Hosting;
using Orleans.TestingHost;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Tests.Cluster;

/// <summary>Batch submit (<see cref="ISubmitGrain"/>) and batched reports (<see cref="IReportGrain"/>).</summary>
public sealed class BatchTests
{
    private static JobSubmission Job(string payload, int priority = 5) => new("TEST", Encoding.UTF8.GetBytes(payload), priority);

    [Fact]
    public async Task SubmitMany_StoresAndQueuesEveryJob_InTheGivenOrderWithinAPriority()
    {
        await using var q = await QueueTestCluster.StartAsync(new Dictionary<string, string?> { ["Queue:Shards"] = "1" });
        var submissions = Enumerable.Range(0, 250).Select(i => Job($"{i}", priority: i % 2 == 0 ? 7 : 2)).ToList();

        var outcomes = await q.Queue.SubmitManyAsync(submissions, batchSize: 100);

        Assert.Equal(250, outcomes.Count);
        Assert.All(outcomes, o => Assert.Equal(SubmitOutcomeKind.Queued, o.Kind));
        Assert.Equal(250, outcomes.Select(o => o.JobId).Distinct().Count());
        var leased = await q.LeaseAsync("w1", 250);
        var expected = outcomes.Where((_, i) => i % 2 == 1).Concat(outcomes.Where((_, i) => i % 2 == 0)).Select(o => o.JobId);
        Assert.Equal(expected, leased.Select(l => l.JobId));
        Assert.Equal("1", Encoding.UTF8.GetString(leased[0].Payload));
        Assert.Equal(250, (await q.Queue.GetMetricsAsync()).Submitted);
    }

    [Fact]
    public async Task ABatchsJobs_AreStampedInTheBatchsOrder_SoThatJobsHandedBackReturnToTheirPlaces()
    {
        // The jobs of a batch are stored side by side, and a job handed back goes back to the place its enqueue time
        // gives it (as does every job of a shard rebuilt from its journal). Each job grain used to stamp the time at which
        // it ran, so the batch's order was lost there.
        await using var q = await QueueTestCluster.StartAsync(new Dictionary<string, string?> { ["Queue:Shards"] = "1" });
        var outcomes = await q.Queue.SubmitManyAsync([.. Enumerable.Range(0, 300).Select(i => Job($"{i}"))], batchSize: 300);
        var ids = outcomes.Select(o => o.JobId).ToList();

        var stamps = (await Task.WhenAll(ids.Select(q.StatusAsync))).Select(v => v.SubmittedAt).ToList();
        Assert.All(stamps.Zip(stamps.Skip(1)), pair => Assert.True(pair.First < pair.Second, $"{pair.First:O} then {pair.Second:O}"));
        var leased = await q.LeaseAsync("w1", 300);
        Assert.Equal(ids, leased.Select(l => l.JobId));
        var back = leased.Where((_, i) => i % 3 != 1).ToList();
        await Task.WhenAll(back.AsEnumerable().Reverse().Select(l => q.HandBackAsync(l.JobId, l.Attempt)));
        Assert.Equal(back.Select(l => l.JobId), (await q.LeaseAsync("w1", 300)).Select(l => l.JobId));
    }

    [Fact]
    public async Task SubmitMany_WhoseCallsGetNoAnswer_ReportsEachJobUnknown_UnderItsId_WithoutThrowing()
    {
        await using var q = await QueueTestCluster.StartAsync(configure: b => b.AddSiloBuilderConfigurator<UnansweredSubmits>());

        var outcomes = await q.Queue.SubmitManyAsync([Job("a"), Job("b"), Job("c")], batchSize: 2);

        Assert.All(outcomes, o => Assert.Equal(SubmitOutcomeKind.Unknown, o.Kind));
        Assert.All(outcomes, o => Assert.Contains("did not answer", o.Error));
        Assert.Equal(3, outcomes.Select(o => o.JobId).Distinct().Count());
        Assert.Equal(4, UnansweredSubmits.Calls); // each of the two batches, sent twice
    }

    /// <summary>Every batch submit fails as if its answer were lost.</summary>
    private sealed class UnansweredSubmits : ISiloConfigurator
    {
        public static int Calls;

        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddIncomingGrainCallFilter(context =>
        {
            if (context.InterfaceMethod.Name == "SubmitBatch")
            {
                Interlocked.Increment(ref Calls);
                throw new TimeoutException("simulated: no answer");
            }

            return context.Invoke();
        });
    }

    [Fact]
    public async Task SubmitBatch_SentTwice_StoresAndQueuesEachJobOnce()
    {
        await using var q = await QueueTestCluster.StartAsync();
        var submitter = q.Client.GetGrain<ISubmitGrain>(0);
        ImmutableArray<JobToSubmit> jobs = [.. Enumerable.Range(0, 20).Select(i => new JobToSubmit(JobId.New(), Job($"{i}")))];

        await submitter.SubmitBatch(jobs);
        var leased = await q.LeaseOneAsync("w1");
        var again = await submitter.SubmitBatch(jobs);

        Assert.All(again, o => Assert.Equal(SubmitOutcomeKind.Queued, o.Kind));
        var metrics = await q.Queue.GetMetricsAsync();
        Assert.Equal((19L, 1, 20L), (metrics.Pending, metrics.Processing, metrics.Submitted));
        Assert.Equal(JobStatus.Processing, (await q.StatusAsync(leased.JobId)).Status);
    }

    [Fact]
    public async Task SubmitBatch_WhoseEnqueueFails_ReportsEveryJobFailed_AndKeepsNone()
    {
        await using var q = await QueueTestCluster.StartAsync(configure: b => b.AddSiloBuilderConfigurator<SubmitFailureTests.FailingEnqueue>());
        var submitter = q.Client.GetGrain<ISubmitGrain>(0);
        ImmutableArray<JobToSubmit> jobs = [.. Enumerable.Range(0, 10).Select(i => new JobToSubmit(JobId.New(), Job($"{i}")))];

        var outcomes = await submitter.SubmitBatch(jobs);

        Assert.All(outcomes, o => Assert.Equal(SubmitOutcomeKind.Failed, o.Kind));
        Assert.All(outcomes, o => Assert.Contains("queueing it failed", o.Error));
        foreach (var job in jobs)
        {
            Assert.Null(await q.Queue.GetStatusAsync(job.JobId));
        }
    }

    [Fact]
    public async Task ALeaseTakenBackWhileItsStartWasUnderWay_IsNotHandedOut_AndItsAttemptIsEnded()
    {
        // The job grain's start takes longer than the worker timeout: the sweep declares the worker lost meanwhile and
        // takes the lease back (the job grain ends the attempt and queues the job again). The shard must not then hand
        // the started attempt to the worker as well.
        await using var q = await QueueTestCluster.StartAsync(configure: b => b.AddSiloBuilderConfigurator<SlowFirstStart>());
        var job = await q.SubmitAsync();

        var leased = await q.LeaseAsync("w1", 1);

        Assert.Empty(leased);
        var status = await q.StatusAsync(job.Id);
        Assert.Equal(JobStatus.Pending, status.Status);
        Assert.Equal([AttemptOutcome.WorkerLost], status.Attempts.Select(a => a.Outcome));
        var again = await q.LeaseOneAsync("w2");
        Assert.Equal((job.Id, 2), (again.JobId, again.Attempt));
        Assert.Equal(1, (await q.Queue.GetMetricsAsync()).Processing);
    }

    /// <summary>The first <c>StartAttempt</c> waits 3 s before it runs: longer than the test cluster's worker timeout (2 s).</summary>
    private sealed class SlowFirstStart : ISiloConfigurator
    {
        private static int _delayed;

        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddIncomingGrainCallFilter(async context =>
        {
            if (context.InterfaceMethod.Name == "StartAttempt" && Interlocked.Exchange(ref _delayed, 1) == 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(3));
            }

            await context.Invoke();
        });
    }

    [Fact]
    public async Task Report_AppliesEachReportThroughItsJobGrain_AndRefusesAStaleOne()
    {
        await using var q = await QueueTestCluster.StartAsync();
        var a = await q.SubmitAsync("a", retries: 0);
        var b = await q.SubmitAsync("b", retries: 0);
        var c = await q.SubmitAsync("c");
        var leased = (await q.LeaseAsync("w1", 3)).ToDictionary(l => l.JobId);
        var reporter = q.Client.GetGrain<IReportGrain>(0);

        var replies = await reporter.Report(
        [
            new AttemptReport(a.Id, leased[a.Id].Attempt, AttemptReportKind.Complete, Result: Encoding.UTF8.GetBytes("ok")),
            new AttemptReport(b.Id, leased[b.Id].Attempt, AttemptReportKind.Fail, Error: "boom"),
            new AttemptReport(c.Id, leased[c.Id].Attempt + 1, AttemptReportKind.Complete),
        ]);

        Assert.Equal([ReportResult.Accepted, ReportResult.Accepted, ReportResult.StaleAttempt], replies.Select(r => r!.Result));
        Assert.Equal(JobStatus.Completed, (await q.StatusAsync(a.Id)).Status);
        Assert.Equal("boom", (await q.StatusAsync(b.Id)).Error);
        Assert.Equal(JobStatus.Processing, (await q.StatusAsync(c.Id)).Status);
        var metrics = await QueueTestCluster.WaitForAsync(q.Queue.GetMetricsAsync, m => m.Completed == 1 && m.Failed == 1,
            TimeSpan.FromSeconds(5), "the shard to count the batch");
        Assert.Equal(1, metrics.Processing);
    }
}
