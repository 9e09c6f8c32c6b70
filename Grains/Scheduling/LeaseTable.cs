namespace OrleansQueue.Scheduling;

/// <summary>A job out on lease: who holds it, which attempt (the fencing token the shard issued), until when, and the
/// named queue it was leased from (null in a lease stored before queues were named: read it as <see cref="QueueNames.Default"/>).</summary>
[GenerateSerializer, Alias("oq.LeaseRecord")]
public sealed record LeaseRecord(
    [property: Id(0)] Guid JobId,
    [property: Id(1)] WorkerId Worker,
    [property: Id(2)] int Attempt,
    [property: Id(3)] DateTimeOffset LeasedAt,
    [property: Id(4)] DateTimeOffset ExpiresAt,
    [property: Id(5)] string? Queue = QueueNames.Default)
{
    /// <summary>The named queue the job lives in.</summary>
    public string QueueName => Queue ?? QueueNames.Default;
}

/// <summary>The leases in flight of one shard, indexed by job, by worker and by expiry.</summary>
/// <param name="changes">Marked with every job leased or released, for the shard's journal.</param>
public sealed class LeaseTable(ShardChanges? changes = null)
{
    private readonly Dictionary<Guid, Held> _byJob = [];
    private readonly Dictionary<WorkerId, HashSet<Guid>> _byWorker = [];
    private readonly PriorityQueue<LeaseRecord, DateTimeOffset> _byExpiry = new();

    public int Count => _byJob.Count;

    public bool Contains(Guid jobId) => _byJob.ContainsKey(jobId);

    public LeaseRecord? Get(Guid jobId) => _byJob.TryGetValue(jobId, out var held) ? held.Current : null;

    public int CountFor(WorkerId worker) => _byWorker.TryGetValue(worker, out var jobs) ? jobs.Count : 0;

    public IEnumerable<LeaseRecord> All => _byJob.Values.Select(held => held.Current);

    public void Add(LeaseRecord lease)
    {
        if (!_byJob.TryAdd(lease.JobId, new Held(lease)))
        {
            throw new InvalidOperationException($"Job {lease.JobId} is already leased.");
        }

        Index(lease);
        changes?.Mark(lease.JobId);
    }

    /// <summary>Removes the lease if it covers <paramref name="attempt"/>; returns it, or null.</summary>
    public LeaseRecord? Remove(Guid jobId, int attempt) =>
        _byJob.TryGetValue(jobId, out var held) && held.Current.Attempt == attempt ? Drop(held.Current) : null;

    /// <summary>True while this very lease (not a later one of the same job) is in the table: the record it was added
    /// as, or the one in the table now. <see cref="Extend"/> and <see cref="Postpone"/> replace the record with one that
    /// runs out later, and the lease must stay current for a start under way meanwhile (otherwise the start would be taken
    /// back as overtaken, and the postponed record, left in the table, would keep the requeued job out of the index until
    /// the orphan check). A lease taken out and added again (a take-back nobody answered) is another lease, though it
    /// names the same worker, attempt and lease time: a start under way for the first is not handed out.</summary>
    public bool IsCurrent(LeaseRecord lease) =>
        _byJob.TryGetValue(lease.JobId, out var held) && (ReferenceEquals(held.Current, lease) || ReferenceEquals(held.Origin, lease));

    /// <summary>Removes this very lease (not a later one of the same job); true when it was still in the table.</summary>
    public bool RemoveIfCurrent(LeaseRecord lease) =>
        IsCurrent(lease) && Drop(lease) is not null;

    private LeaseRecord Drop(LeaseRecord lease)
    {
        var jobId = lease.JobId;
        _byJob.Remove(jobId);
        changes?.Mark(jobId);
        if (_byWorker.TryGetValue(lease.Worker, out var jobs))
        {
            jobs.Remove(jobId);
            if (jobs.Count == 0)
            {
                _byWorker.Remove(lease.Worker);
            }
        }

        return lease;
    }

    /// <summary>The lease of <paramref name="jobId"/> went to its worker at <paramref name="at"/>: its orphan grace counts
    /// from then (<see cref="TakeUnknownTo"/>).</summary>
    public void HandedOut(Guid jobId, DateTimeOffset at)
    {
        if (_byJob.TryGetValue(jobId, out var held))
        {
            held.HandedOutAt = at;
        }
    }

    /// <summary>Restarts the lease of <paramref name="attempt"/> held by <paramref name="worker"/>: it now runs out at
    /// <paramref name="expiresAt"/>. It keeps its lease time, which names it. False when the worker holds no such
    /// lease.</summary>
    public bool Extend(Guid jobId, int attempt, WorkerId worker, DateTimeOffset expiresAt)
    {
        if (!_byJob.TryGetValue(jobId, out var held) || held.Current.Attempt != attempt || held.Current.Worker != worker)
        {
            return false;
        }

        var extended = held.Current with { ExpiresAt = expiresAt };
        held.Current = extended;
        _byExpiry.Enqueue(extended, extended.ExpiresAt);
        changes?.Mark(jobId);
        return true;
    }

    /// <summary>Every lease runs out <paramref name="stall"/> later (see <see cref="ShardLedger.NoteRunning"/>), and the
    /// orphan grace of those handed out counts that much later too: a reply the stalled silo had not sent yet is not
    /// lost in transit.</summary>
    public void Postpone(TimeSpan stall)
    {
        _byExpiry.Clear();
        foreach (var held in _byJob.Values)
        {
            var later = held.Current with { ExpiresAt = held.Current.ExpiresAt + stall };
            held.Current = later;
            held.HandedOutAt += stall;
            _byExpiry.Enqueue(later, later.ExpiresAt);
            changes?.Mark(later.JobId);
        }
    }

    /// <summary>Removes and returns every lease whose expiry has passed.</summary>
    public List<LeaseRecord> TakeExpired(DateTimeOffset now)
    {
        var expired = new List<LeaseRecord>();
        while (_byExpiry.TryPeek(out var lease, out var at) && at <= now)
        {
            _byExpiry.Dequeue();
            if (IsLive(lease))
            {
                expired.Add(Drop(lease));
            }
        }

        return expired;
    }

    public DateTimeOffset? NextExpiry()
    {
        while (_byExpiry.TryPeek(out var lease, out var at))
        {
            if (IsLive(lease))
            {
                return at;
            }

            _byExpiry.Dequeue();
        }

        return null;
    }

    /// <summary>Removes and returns every lease held by <paramref name="worker"/>.</summary>
    public List<LeaseRecord> TakeAllOf(WorkerId worker)
    {
        if (!_byWorker.TryGetValue(worker, out var jobs))
        {
            return [];
        }

        return jobs.ToList().Select(id => Drop(_byJob[id].Current)).ToList();
    }

    public IReadOnlyCollection<Guid> JobsOf(WorkerId worker) =>
        _byWorker.TryGetValue(worker, out var jobs) ? jobs : [];

    /// <summary>Of the attempts a worker says it runs, those this table does not lease to it (cancelled, taken back,
    /// or leased to another worker): the worker must stop them.</summary>
    public IEnumerable<AttemptRef> Disowned(WorkerId worker, IEnumerable<AttemptRef> running) =>
        running.Where(r => Get(r.JobId) is not { } lease || lease.Worker != worker || lease.Attempt != r.Attempt);

    /// <summary>Removes and returns the worker's leases, handed out before <paramref name="handedOutBefore"/>, that it does
    /// not say it runs: their lease reply never reached it. A lease still being started is never one: its reply has not
    /// left, however long the start takes.</summary>
    public List<LeaseRecord> TakeUnknownTo(WorkerId worker, IEnumerable<AttemptRef> running, DateTimeOffset handedOutBefore)
    {
        var known = running.Select(r => r.JobId).ToHashSet();
        var orphans = JobsOf(worker).Where(id => !known.Contains(id)).Select(id => _byJob[id])
            .Where(held => held.HandedOutAt is { } at && at < handedOutBefore).Select(held => held.Current).ToList();
        orphans.ForEach(orphan => Drop(orphan));
        return orphans;
    }

    private void Index(LeaseRecord lease)
    {
        if (!_byWorker.TryGetValue(lease.Worker, out var jobs))
        {
            _byWorker[lease.Worker] = jobs = [];
        }

        jobs.Add(lease.JobId);
        _byExpiry.Enqueue(lease, lease.ExpiresAt);
    }

    /// <summary>The expiry queue's entry is the record in the table now (an extended or postponed lease leaves its
    /// older records behind in the queue).</summary>
    private bool IsLive(LeaseRecord lease) => _byJob.TryGetValue(lease.JobId, out var held) && ReferenceEquals(held.Current, lease);

    /// <summary>A lease in the table: its record now (<see cref="Extend"/> and <see cref="Postpone"/> replace it), the
    /// record it was added as (its identity: a replaced record is the same lease, a lease added again is not), and when
    /// its reply left the shard (none while it is being started; a restored lease counts as handed out when it is
    /// restored).</summary>
    private sealed class Held(LeaseRecord origin)
    {
        public LeaseRecord Origin { get; } = origin;

        public LeaseRecord Current { get; set; } = origin;

        public DateTimeOffset? HandedOutAt { get; set; }
    }
}
