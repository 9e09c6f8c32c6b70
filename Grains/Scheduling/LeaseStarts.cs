using OrleansQueue.Jobs;

namespace OrleansQueue.Scheduling;

/// <summary>
/// What a shard makes of its lease's start results (from <see cref="IStartGrain"/>): which jobs go to the worker, which
/// leases must be taken back, and which entries go back into the index. Plain, so the rule that keeps a job from running
/// twice is tested without a cluster.
/// <para>Invariant: a started attempt is handed out only while its very lease is still in the table. A lease taken back
/// while its start was under way (its deadline, its worker lost or stopped) has had its job queued again, so handing the
/// attempt out would run the job twice; it is taken back once more instead, and the job grain ends the attempt. A start
/// whose answer was lost is taken back as well: the job grain knows whether it started.</para>
/// <para>A job the index held as pending cannot be under a lease of this shard (a leased job's entry is refused), so a
/// job found running when its lease starts runs an attempt no lease covers: one started by an activation of the shard
/// that had lost it (paused, then fenced by the one that took the shard over from its journal), or under a lease the
/// journal lost. Nothing would ever take that attempt back (no deadline, no worker-lost rule: they are the lease's), so
/// it is taken back at once, as the stored-job sweep would, and the job is queued again, no retry used.</para>
/// </summary>
public static class LeaseStarts
{
    /// <summary>The settled lease.</summary>
    /// <param name="Leased">The started attempts to hand to the worker, with their time in the queue.</param>
    /// <param name="Overtaken">Started, but their lease was taken back meanwhile: take back again.</param>
    /// <param name="Unreached">The job grain did not answer (with why): take back.</param>
    /// <param name="Requeue">Entries the job grain corrected (the shard's entry was older than the job's last attempt).</param>
    /// <param name="Orphaned">The job runs an attempt no lease of this shard covers: the lease under that attempt's
    /// number, to take back whatever lease the attempt ran under.</param>
    public sealed record Settled(
        List<(LeasedJob Job, TimeSpan Waited)> Leased,
        List<LeaseRecord> Overtaken,
        List<(LeaseRecord Lease, string Error)> Unreached,
        List<QueueEntry> Requeue,
        List<LeaseRecord> Orphaned)
    {
        public IEnumerable<LeaseRecord> ToTakeBack => Overtaken.Concat(Unreached.Select(u => u.Lease));
    }

    /// <summary>Settles each lease with its result (same order): keeps the lease of a started attempt that is still
    /// current and removes every other one from <paramref name="table"/>.</summary>
    public static Settled Settle(LeaseTable table, IReadOnlyList<LeaseRecord> leases, IReadOnlyList<QueueEntry> entries, IReadOnlyList<StartResult> results)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(leases);
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(results);
        var settled = new Settled([], [], [], [], []);
        for (var i = 0; i < leases.Count; i++)
        {
            var lease = leases[i];
            var ours = table.IsCurrent(lease);
            if (results[i] is not StartResult.Started || !ours)
            {
                table.RemoveIfCurrent(lease);
            }

            switch (results[i])
            {
                case StartResult.Started started when ours:
                    settled.Leased.Add((started.Job, lease.LeasedAt - entries[i].EnqueuedAt));
                    break;
                case StartResult.Started:
                    settled.Overtaken.Add(lease);
                    break;
                case StartResult.Unreached unreached:
                    settled.Unreached.Add((lease, unreached.Error));
                    break;
                case StartResult.Renumbered renumbered:
                    settled.Requeue.Add(renumbered.Entry);
                    break;
                case StartResult.NotPending { Status: JobStatus.Processing, Attempt: > 0 } running:
                    settled.Orphaned.Add(lease with { Attempt = running.Attempt });
                    break;
                case StartResult.NotPending:
                    break; // Cancelled while it waited: dropped.
            }
        }

        return settled;
    }
}
