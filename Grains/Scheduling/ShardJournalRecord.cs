namespace OrleansQueue.Scheduling;

/// <summary>
/// One entry of a schedule shard's journal: where each job the shard changed since the previous entry now is (queued,
/// leased, or neither), the shard's counters and the jobs that finished. An entry holds the current place of a job, not
/// the operation that moved it, so replaying is an upsert per job and writing an entry twice is harmless.
/// </summary>
/// <remarks>Written by <see cref="ShardJournal"/>, folded over the last snapshot by <see cref="ShardJournalReplay"/>.</remarks>
[GenerateSerializer, Alias("oq.ShardJournalRecord")]
public sealed class ShardJournalRecord
{
    /// <summary>The shard activation that wrote it: a record at the next number written by another activation means
    /// this one no longer owns the journal.</summary>
    [Id(0)] public Guid Writer { get; set; }

    [Id(1)] public List<QueueEntry> Pending { get; set; } = [];

    [Id(2)] public List<LeaseRecord> Leased { get; set; } = [];

    /// <summary>Jobs the shard no longer holds (leased and finished, cancelled).</summary>
    [Id(3)] public List<Guid> Gone { get; set; } = [];

    /// <summary>The counters as they stand after this entry.</summary>
    [Id(4)] public ScheduleCounters? Counters { get; set; }

    /// <summary>Jobs that finished, oldest first, for <c>list --status</c>.</summary>
    [Id(5)] public List<RecentJob> Finished { get; set; } = [];

    /// <summary>Jobs set aside (buried) until kicked.</summary>
    [Id(6)] public List<QueueEntry> Buried { get; set; } = [];

    /// <summary>How many jobs it names: what compaction is measured by.</summary>
    public int Size => Pending.Count + Leased.Count + Gone.Count + Finished.Count + Buried.Count;

    /// <summary>This entry followed by <paramref name="later"/>, which wins for a job both name: an entry that could not
    /// be written is merged into the next one.</summary>
    public ShardJournalRecord Then(ShardJournalRecord later)
    {
        ArgumentNullException.ThrowIfNull(later);
        var named = later.Pending.Select(e => e.JobId).Concat(later.Leased.Select(l => l.JobId)).Concat(later.Gone)
            .Concat(later.Buried.Select(e => e.JobId)).ToHashSet();
        return new ShardJournalRecord
        {
            Writer = later.Writer,
            Pending = [.. Pending.Where(e => !named.Contains(e.JobId)), .. later.Pending],
            Leased = [.. Leased.Where(l => !named.Contains(l.JobId)), .. later.Leased],
            Gone = [.. Gone.Where(id => !named.Contains(id)), .. later.Gone],
            Buried = [.. Buried.Where(e => !named.Contains(e.JobId)), .. later.Buried],
            Counters = later.Counters ?? Counters,
            Finished = [.. Finished, .. later.Finished],
        };
    }
}

/// <summary>The head of a shard's journal: the last snapshot and the number of the last entry it includes. Entries
/// after it are replayed over it; compaction writes a new head and deletes the entries it covers.</summary>
[GenerateSerializer, Alias("oq.ShardJournalHead")]
public sealed class ShardJournalHead
{
    [Id(0)] public long SnapshotThrough { get; set; }

    [Id(1)] public ScheduleState Snapshot { get; set; } = new();
}

/// <summary>Rebuilds a shard's books from its last snapshot and the journal entries written after it.</summary>
public static class ShardJournalReplay
{
    private enum Place { Pending, Leased, Buried }

    /// <summary>The snapshot with <paramref name="records"/> applied in order. Queued jobs come out in the order they
    /// entered the queue (by <see cref="QueueEntry.EnqueuedAt"/>, then by when the journal saw them enter), so FIFO within
    /// a priority survives the replay.</summary>
    public static ScheduleState Fold(ScheduleState snapshot, IEnumerable<ShardJournalRecord> records)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(records);
        var jobs = new Dictionary<Guid, (Place Place, QueueEntry? Entry, LeaseRecord? Lease, long Order)>();
        long order = 0;
        snapshot.Pending.ForEach(e => jobs[e.JobId] = (Place.Pending, e, null, order++));
        snapshot.Leases.ForEach(l => jobs[l.JobId] = (Place.Leased, null, l, order++));
        snapshot.Buried.ForEach(e => jobs[e.JobId] = (Place.Buried, e, null, order++));
        var counters = snapshot.Counters;
        var recent = new List<RecentJob>(snapshot.Recent);
        foreach (var record in records)
        {
            record.Gone.ForEach(id => jobs.Remove(id));
            record.Pending.ForEach(e => jobs[e.JobId] = (Place.Pending, e, null, order++));
            record.Leased.ForEach(l => jobs[l.JobId] = (Place.Leased, null, l, order++));
            record.Buried.ForEach(e => jobs[e.JobId] = (Place.Buried, e, null, order++));
            counters = record.Counters ?? counters;
            recent.AddRange(record.Finished);
        }

        return new ScheduleState
        {
            Pending = [.. jobs.Values.Where(j => j.Place == Place.Pending).OrderBy(j => j.Entry!.EnqueuedAt).ThenBy(j => j.Order).Select(j => j.Entry!)],
            Leases = [.. jobs.Values.Where(j => j.Place == Place.Leased).Select(j => j.Lease!)],
            Buried = [.. jobs.Values.Where(j => j.Place == Place.Buried).OrderBy(j => j.Order).Select(j => j.Entry!)],
            Counters = counters,
            // A snapshot taken while an entry was being built holds that entry's finished jobs too: keep each job once,
            // where it finished last.
            Recent = [.. recent.Select((job, i) => (job, i)).GroupBy(x => x.job.JobId).Select(g => g.Last()).OrderBy(x => x.i).Select(x => x.job)],
        };
    }
}
