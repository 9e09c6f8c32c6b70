using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using OrleansQueue.Hosting;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Tests.Cluster;

/// <summary>A shard activation whose journal another activation has claimed (a private cluster: the claim is written
/// into its storage as that activation's would be).</summary>
public sealed class FencedShardTests
{
    [Fact]
    public async Task AFencedShardActivation_StartsNoAttempt_AndTheJobIsLeasedByTheShardThatTookOver()
    {
        // Arrange: a queued job, then another writer claims the next entry of the shard's journal, as the activation
        // that takes the shard over when its silo is declared dead does, while this one was paused.
        await using var q = await QueueTestCluster.StartAsync();
        var job = await q.SubmitAsync();
        await ClaimJournalAsync(q, shard: 0);

        // Act: the old activation leases the job.
        var fenced = await q.LeaseAsync("w1", max: 10);

        // Assert: it started nothing (before, it started the attempt anyway: the job ran an attempt the new activation
        // did not know, which dropped the job as not pending and left it PROCESSING until the stored-job sweep).
        Assert.Empty(fenced);
        var status = await q.StatusAsync(job.Id);
        Assert.Equal((JobStatus.Pending, 0), (status.Status, status.Attempts.Count));

        // The old activation deactivates; the next one loads the journal, where the job is pending, and leases it.
        var leased = await QueueTestCluster.WaitForAsync(
            () => q.LeaseAsync("w1", max: 10), l => l.Length == 1, TimeSpan.FromSeconds(10), "the shard that took over to lease the job");
        Assert.Equal((job.Id, 1), (leased[0].JobId, leased[0].Attempt));
    }

    [Fact]
    public async Task AFencedShardActivation_TakesNoAttemptBack_FromWorkersThatOnlyLookSilentToIt()
    {
        // Arrange: a job (no retries) leased by a worker that sends no heartbeat, then another writer claims the shard's
        // journal, as the activation that takes the shard over does while this one's silo is paused.
        await using var q = await QueueTestCluster.StartAsync();
        var job = await q.SubmitAsync(retries: 0);
        var leased = await q.LeaseOneAsync("w1");
        await ClaimJournalAsync(q, shard: 0);

        // Act: the worker timeout (2 s here) passes. The old activation sees the worker silent; so, later, does the new
        // one, which restores the lease from the journal with the worker last seen when it loads.
        var failed = await QueueTestCluster.WaitForAsync(
            () => q.StatusAsync(job.Id), j => j.Status == JobStatus.Failed, TimeSpan.FromSeconds(20), "the worker to be declared lost");

        // Assert: the attempt was taken back by the new owner, not by the old activation at the worker timeout (before,
        // a reviewer's paused silo failed jobs its workers had finished, whose reports had gone to the new owner). The
        // new owner starts only after the old one has learned it is fenced (at its sweep, 2 s in) and gives the worker
        // its own 2 s: the take-back comes at least 4 s after the lease.
        var attempt = Assert.Single(failed.Attempts);
        Assert.Equal((leased.Attempt, AttemptOutcome.WorkerLost), (attempt.Number, attempt.Outcome));
        Assert.True(attempt.EndedAt - attempt.StartedAt >= TimeSpan.FromSeconds(3.5),
            $"taken back {(attempt.EndedAt - attempt.StartedAt)?.TotalSeconds:0.00} s after the lease: by the fenced activation");
    }

    [Fact]
    public async Task AFencedShardActivation_TellsNoWorkerToStopAnAttempt()
    {
        // Arrange: w1 holds the job's attempt here; w2 says it runs that attempt, as a worker running what the new owner
        // leased it looks to an activation that missed the lease. Then another writer claims the journal.
        await using var q = await QueueTestCluster.StartAsync();
        var job = await q.SubmitAsync();
        var leased = await q.LeaseOneAsync("w1");
        var running = new AttemptRef(job.Id, leased.Attempt);
        Assert.Equal(running, Assert.Single((await q.HeartbeatAsync("w2", 1, running)).Stop));
        await ClaimJournalAsync(q, shard: 0);

        // Act
        var reply = await q.HeartbeatAsync("w2", 1, running);

        // Assert: the fenced activation tells w2 nothing (before, it told it to stop the attempt).
        Assert.Empty(reply.Stop);
    }

    /// <summary>Writes the journal's next entry as another activation's claim.</summary>
    private static async Task ClaimJournalAsync(QueueTestCluster q, int shard)
    {
        var storage = Assert.IsType<InProcessSiloHandle>(q.Cluster.Primary).ServiceProvider.GetRequiredKeyedService<IGrainStorage>(QueueStorage.Name);
        var head = new GrainState<ShardJournalHead>(new ShardJournalHead());
        await storage.ReadStateAsync("schedule", GrainId.Create("oq-journal", $"{shard}"), head);
        var number = (head.State?.SnapshotThrough ?? 0) + 1;
        while (true)
        {
            var entry = new GrainState<ShardJournalRecord>(new ShardJournalRecord());
            var id = GrainId.Create("oq-journal", $"{shard}-{number}");
            await storage.ReadStateAsync("schedule", id, entry);
            if (!entry.RecordExists)
            {
                await storage.WriteStateAsync("schedule", id, new GrainState<ShardJournalRecord>(new ShardJournalRecord { Writer = Guid.NewGuid() }));
                return;
            }

            number++;
        }
    }
}
