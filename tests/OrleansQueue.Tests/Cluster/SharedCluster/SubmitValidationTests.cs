using System.Collections.Immutable;
using System.Text;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Tests.Cluster.SharedCluster;

/// <summary>What a submit and a lease call accept, on the shared cluster (no test here leases a job).</summary>
[Collection(SharedQueueCluster.Name)]
public sealed class SubmitValidationTests(SharedQueueCluster.Fixture fixture)
{
    private readonly QueueTestCluster q = fixture.Queue;

    private static JobSubmission Job(string payload, int priority = 5) => new("TEST", Encoding.UTF8.GetBytes(payload), priority);

    [Theory]
    [InlineData(4294967296L, null, null, "Priority 4294967296 is out of range")]
    [InlineData(null, -1, null, "Retries -1 is negative")]
    [InlineData(null, null, 0.0, "must be greater than zero")]
    public async Task Submit_WithAnOutOfRangeValue_IsRejected_AndNothingIsStored(long? priority, int? retries, double? deadline, string expected)
    {
        var before = (await q.Queue.GetMetricsAsync()).Submitted;
        var submission = new JobSubmission("TEST", [], priority, retries, deadline is { } d ? TimeSpan.FromSeconds(d) : null);
        var id = JobId.New();

        var outcome = await q.SubmitAsAsync(id, submission);
        var error = await Assert.ThrowsAsync<InvalidJobException>(() => q.Queue.SubmitAsync(submission));

        Assert.Equal(SubmitOutcomeKind.Invalid, outcome.Kind);
        Assert.Contains(expected, outcome.Error, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Null(await q.Queue.GetStatusAsync(id));
        Assert.Equal(before, (await q.Queue.GetMetricsAsync()).Submitted);
    }

    [Fact]
    public async Task Submit_CalledAgainWithTheSameId_StoresAndQueuesTheJobOnce()
    {
        var before = (await q.Queue.GetMetricsAsync()).Submitted;
        var id = JobId.New();
        var submission = new JobSubmission("TEST", [], Priority: 2);

        var first = await q.SubmitAsAsync(id, submission);
        var second = await q.SubmitAsAsync(id, submission with { Priority = 9 });

        Assert.Equal(first.Job!.SubmittedAt, second.Job!.SubmittedAt);
        Assert.Equal((2, JobStatus.Pending), (second.Job.Priority, second.Job.Status));
        Assert.Equal(before + 1, (await q.Queue.GetMetricsAsync()).Submitted);
        Assert.Single(await q.Queue.ListAsync(JobStatus.Pending, 100_000), j => j.Id == id);
    }

    [Fact]
    public async Task SubmitBatch_ReportsAnInvalidJob_AndQueuesTheOthers()
    {
        var submitter = q.Client.GetGrain<ISubmitGrain>(0);
        ImmutableArray<JobToSubmit> jobs = [new(JobId.New(), Job("a")), new(JobId.New(), Job("b", priority: -1)), new(JobId.New(), Job("c"))];

        var outcomes = await submitter.SubmitBatch(jobs);

        Assert.Equal([SubmitOutcomeKind.Queued, SubmitOutcomeKind.Invalid, SubmitOutcomeKind.Queued], outcomes.Select(o => o.Kind));
        Assert.Contains("riority", outcomes[1].Error);
        Assert.All(outcomes, o => Assert.Null(o.Job)); // only a batch of one answers with the job
        Assert.Null(await q.Queue.GetStatusAsync(jobs[1].JobId));
        Assert.Equal(JobStatus.Pending, (await q.StatusAsync(jobs[0].JobId)).Status);
        Assert.Equal(JobStatus.Pending, (await q.StatusAsync(jobs[2].JobId)).Status);
    }

    [Fact]
    public async Task Discard_ByABatchWhoseEnqueueFailedLate_KeepsAJobThatAResentBatchStoredSince()
    {
        // A batch stored the job and its enqueue hung; the client resent the batch, which stored it again and queued it;
        // then the first batch's enqueue failed and it discards what it stored. The job must survive.
        var id = JobId.New();
        var job = q.Job(id);
        var (first, resent) = (Guid.NewGuid(), Guid.NewGuid());

        Assert.NotNull((await job.Store(Job("x"), first, DateTimeOffset.UtcNow)).Entry);
        Assert.NotNull((await job.Store(Job("x"), resent, DateTimeOffset.UtcNow)).Entry);
        await job.Discard(first);

        Assert.Equal(JobStatus.Pending, (await q.StatusAsync(id)).Status);
        await job.Discard(resent);
        Assert.Null(await q.Queue.GetStatusAsync(id));
    }

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(1001, 1.0)]
    [InlineData(1, 25.0)]
    [InlineData(1, -1.0)]
    public async Task Lease_RejectsOutOfRangeArguments(int max, double waitSeconds)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => q.Schedule.Lease(QueueTestCluster.W("w1"), max, TimeSpan.FromSeconds(waitSeconds)));
    }

    [Fact]
    public async Task GetLimits_AnswersTheSilosLimits()
    {
        var limits = await q.Queue.GetLimitsAsync();

        Assert.Equal(new QueueLimits(1, 1000, TimeSpan.FromSeconds(20), 1024 * 1024, TimeSpan.FromSeconds(2)), limits);
    }
}
