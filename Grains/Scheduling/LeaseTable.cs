namespace OrleansQueue.Scheduling;

/// <summary>A job out on lease: who holds it, which attempt, and until when.</summary>
[GenerateSerializer, Alias("oq.LeaseRecord")]
public sealed record LeaseRecord(
    [property: Id(0)] Guid JobId,
    [property: Id(1)] string Worker,
    [property: Id(2)] int Attempt,
    [property: Id(3)] DateTimeOffset LeasedAt,
    [property: Id(4)] DateTimeOffset ExpiresAt)
{
    /// <summary>Attempt 0 means the schedule has not yet heard the attempt number from the job grain.</summary>
    public bool Matches(int attempt) => Attempt == 0 || attempt == 0 || Attempt == attempt;
}

/// <summary>The leases in flight of one shard, indexed by job, by worker and by expiry.</summary>
public sealed class LeaseTable
{
    private readonly Dictionary<Guid, LeaseRecord> _byJob = [];
    private readonly Dictionary<string, HashSet<Guid>> _byWorker = new(StringComparer.Ordinal);
    private readonly PriorityQueue<LeaseRecord, DateTimeOffset> _byExpiry = new();

    public int Count => _byJob.Count;

    public bool Contains(Guid jobId) => _byJob.ContainsKey(jobId);

    public LeaseRecord? Get(Guid jobId) => _byJob.GetValueOrDefault(jobId);

    public int CountFor(string worker) => _byWorker.TryGetValue(worker, out var jobs) ? jobs.Count : 0;

    public IEnumerable<LeaseRecord> All => _byJob.Values;

    public void Add(LeaseRecord lease)
    {
        if (!_byJob.TryAdd(lease.JobId, lease))
        {
            throw new InvalidOperationException($"Job {lease.JobId} is already leased.");
        }

        Index(lease);
    }

    /// <summary>Records the attempt number (and exact expiry) once the job grain has started the attempt.</summary>
    public void Confirm(Guid jobId, int attempt, DateTimeOffset expiresAt)
    {
        if (_byJob.TryGetValue(jobId, out var lease) && lease.Attempt == 0)
        {
            Replace(lease with { Attempt = attempt, ExpiresAt = expiresAt });
        }
    }

    public void Postpone(Guid jobId, DateTimeOffset expiresAt)
    {
        if (_byJob.TryGetValue(jobId, out var lease))
        {
            Replace(lease with { ExpiresAt = expiresAt });
        }
    }

    /// <summary>Removes the lease if it covers <paramref name="attempt"/>; returns it, or null.</summary>
    public LeaseRecord? Remove(Guid jobId, int attempt)
    {
        if (!_byJob.TryGetValue(jobId, out var lease) || !lease.Matches(attempt))
        {
            return null;
        }

        _byJob.Remove(jobId);
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

    /// <summary>Removes and returns every lease whose expiry has passed.</summary>
    public List<LeaseRecord> TakeExpired(DateTimeOffset now)
    {
        var expired = new List<LeaseRecord>();
        while (_byExpiry.TryPeek(out var lease, out var at) && at <= now)
        {
            _byExpiry.Dequeue();
            if (_byJob.TryGetValue(lease.JobId, out var live) && ReferenceEquals(live, lease))
            {
                expired.Add(Remove(lease.JobId, lease.Attempt)!);
            }
        }

        return expired;
    }

    public DateTimeOffset? NextExpiry()
    {
        while (_byExpiry.TryPeek(out var lease, out var at))
        {
            if (_byJob.TryGetValue(lease.JobId, out var live) && ReferenceEquals(live, lease))
            {
                return at;
            }

            _byExpiry.Dequeue();
        }

        return null;
    }

    /// <summary>Removes and returns every lease held by <paramref name="worker"/>.</summary>
    public List<LeaseRecord> TakeAllOf(string worker)
    {
        if (!_byWorker.TryGetValue(worker, out var jobs))
        {
            return [];
        }

        return jobs.ToList().Select(id => Remove(id, 0)).OfType<LeaseRecord>().ToList();
    }

    public IReadOnlyCollection<Guid> JobsOf(string worker) =>
        _byWorker.TryGetValue(worker, out var jobs) ? jobs : [];

    private void Replace(LeaseRecord lease)
    {
        _byJob[lease.JobId] = lease;
        _byExpiry.Enqueue(lease, lease.ExpiresAt);
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
}
