using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Tests.Domain;

public sealed class LeaseStartsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly WorkerId W1 = new("w1", "i1");

    private static (LeaseTable Table, List<LeaseRecord> Leases, List<QueueEntry> Entries) Lease(int count)
    {
        var table = new LeaseTable();
        var entries = Enumerable.Range(0, count).Select(_ => new QueueEntry(Guid.CreateVersion7(), 5, T0, TimeSpan.FromMinutes(1), Attempt: 1)).ToList();
        var leases = entries.Select(e => new LeaseRecord(e.JobId, W1, e.Attempt, T0.AddSeconds(2), T0.AddMinutes(1))).ToList();
        leases.ForEach(table.Add);
        return (table, leases, entries);
    }

    private static StartResult.Started Started(QueueEntry entry) =>
        new(new LeasedJob(entry.JobId, "T", [], 5, entry.Attempt, entry.Deadline, T0.AddSeconds(2), 3));

    [Fact]
    public void Settle_HandsOutStartedAttempts_WithTheirWait_AndKeepsTheirLeases()
    {
        var (table, leases, entries) = Lease(1);

        var settled = LeaseStarts.Settle(table, leases, entries, [Started(entries[0])]);

        var (job, waited) = Assert.Single(settled.Leased);
        Assert.Equal((entries[0].JobId, TimeSpan.FromSeconds(2)), (job.JobId, waited));
        Assert.True(table.IsCurrent(leases[0]));
        Assert.Empty(settled.ToTakeBack);
    }

    [Fact]
    public void Settle_NeverHandsOutAnAttemptWhoseLeaseWasTakenBackMeanwhile_ButTakesItBackAgain()
    {
        var (table, leases, entries) = Lease(1);
        table.RemoveIfCurrent(leases[0]); // the sweep took it back while the start was under way

        var settled = LeaseStarts.Settle(table, leases, entries, [Started(entries[0])]);

        Assert.Empty(settled.Leased);
        Assert.Equal([leases[0]], settled.Overtaken);
        Assert.False(table.Contains(entries[0].JobId));
    }

    [Fact]
    public void Settle_TakesBackUnreachedStarts_DropsCancelledJobs_AndRequeuesCorrectedEntries()
    {
        var (table, leases, entries) = Lease(3);
        var corrected = entries[2] with { Attempt = 2 };

        var settled = LeaseStarts.Settle(table, leases, entries,
            [new StartResult.Unreached("timeout"), new StartResult.NotPending(JobStatus.Cancelled), new StartResult.Renumbered(corrected)]);

        Assert.Equal([(leases[0], "timeout")], settled.Unreached);
        Assert.Equal([corrected], settled.Requeue);
        Assert.Empty(settled.Leased);
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void Settle_TakesBackTheAttemptOfAJobFoundRunning_WhateverItsNumber()
    {
        // The index held the job as pending, so no lease of the shard covers the attempt it runs (one started by an
        // activation that had lost the shard).
        var (table, leases, entries) = Lease(2);

        var settled = LeaseStarts.Settle(table, leases, entries,
            [new StartResult.NotPending(JobStatus.Processing, Attempt: 3), new StartResult.NotPending(JobStatus.Completed, Attempt: 1)]);

        Assert.Equal([leases[0] with { Attempt = 3 }], settled.Orphaned);
        Assert.Empty(settled.ToTakeBack);
        Assert.Empty(settled.Leased);
        Assert.Equal(0, table.Count);
    }
}
