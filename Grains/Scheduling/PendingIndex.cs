using OrleansQueue.Scheduling;

namespace OrleansQueue.Scheduling;

/// <summary>
/// The pending jobs of one shard: a FIFO queue per priority for the leasable ones, and a time-ordered set for
/// retries waiting out their backoff. Removal is lazy: a queue slot whose entry is no longer the job's current
/// entry is skipped when it reaches the head, so cancel is O(1) and take is amortised O(1).
/// <para>Order: the head of each priority's queue competes with an effective priority of
/// <c>priority − ⌊waited / agingStep⌋</c>; the smallest wins, then the one enqueued first, then the lower
/// priority number. Without waiting that is strict priority, FIFO within a priority; aging bounds how long a
/// low-priority job can be passed over (to about <c>priority × agingStep</c>).</para>
/// </summary>
/// <param name="agingStep">See <c>QueueOptions.PriorityAgingStep</c>.</param>
/// <param name="changes">Marked with every job added, moved or dropped, for the shard's journal.</param>
public sealed class PendingIndex(TimeSpan agingStep, ShardChanges? changes = null)
{
    public const int Levels = QueueMetrics.PriorityLevels;

    private readonly Queue<QueueEntry>[] _ready = Enumerable.Range(0, Levels).Select(_ => new Queue<QueueEntry>()).ToArray();
    private readonly long[] _readyCount = new long[Levels];
    private readonly PriorityQueue<QueueEntry, DateTimeOffset> _delayed = new();
    private readonly Dictionary<Guid, QueueEntry> _current = [];

    public int Count => _current.Count;

    public long DelayedCount => _current.Count - _readyCount.Sum();

    public long ReadyCount(int priority) => _readyCount[priority];

    public bool Contains(Guid jobId) => _current.ContainsKey(jobId);

    /// <summary>The job's entry while it is queued here.</summary>
    public QueueEntry? Get(Guid jobId) => _current.GetValueOrDefault(jobId);

    /// <summary>Adds the entry unless the job is already here. Returns whether it was added.</summary>
    public bool Add(QueueEntry entry, DateTimeOffset now)
    {
        if (entry.Priority is < 0 or >= Levels)
        {
            throw new ArgumentOutOfRangeException(nameof(entry), entry.Priority, "Priority must be from 0 to 10.");
        }

        if (_current.ContainsKey(entry.JobId))
        {
            return false;
        }

        if (entry.NotBefore is { } due && due > now)
        {
            _current[entry.JobId] = entry;
            changes?.Mark(entry.JobId);
            _delayed.Enqueue(entry, due);
        }
        else
        {
            AddReady(entry with { NotBefore = null });
        }

        return true;
    }

    public bool Remove(Guid jobId)
    {
        if (!_current.Remove(jobId, out var entry))
        {
            return false;
        }

        changes?.Mark(jobId);

        if (entry.NotBefore is null)
        {
            _readyCount[entry.Priority]--;
        }

        return true;
    }

    /// <summary>Moves retries whose backoff has passed into the ready queues. Returns how many moved.</summary>
    public int PromoteDue(DateTimeOffset now)
    {
        var moved = 0;
        while (_delayed.TryPeek(out var entry, out var due) && due <= now)
        {
            _delayed.Dequeue();
            if (_current.TryGetValue(entry.JobId, out var live) && ReferenceEquals(live, entry))
            {
                // It becomes leasable now, so it joins the back of its priority's queue as of now.
                AddReady(entry with { EnqueuedAt = now, NotBefore = null });
                moved++;
            }
        }

        return moved;
    }

    /// <summary>When the next delayed entry becomes leasable, if any.</summary>
    public DateTimeOffset? NextDue()
    {
        while (_delayed.TryPeek(out var entry, out var due))
        {
            if (_current.TryGetValue(entry.JobId, out var live) && ReferenceEquals(live, entry))
            {
                return due;
            }

            _delayed.Dequeue();
        }

        return null;
    }

    /// <summary>Removes and returns up to <paramref name="max"/> entries in lease order.</summary>
    public List<QueueEntry> Take(int max, DateTimeOffset now)
    {
        var taken = new List<QueueEntry>(Math.Min(max, _current.Count));
        while (taken.Count < max && TakeOne(now) is { } entry)
        {
            taken.Add(entry);
        }

        return taken;
    }

    public DateTimeOffset? OldestReadySince()
    {
        DateTimeOffset? oldest = null;
        for (var p = 0; p < Levels; p++)
        {
            if (Head(p) is { } head && (oldest is null || head.EnqueuedAt < oldest))
            {
                oldest = head.EnqueuedAt;
            }
        }

        return oldest;
    }

    /// <summary>Every entry, leasable ones first in lease order per priority, for persisting.</summary>
    public IEnumerable<QueueEntry> Snapshot()
    {
        for (var p = 0; p < Levels; p++)
        {
            foreach (var entry in _ready[p])
            {
                if (_current.TryGetValue(entry.JobId, out var live) && ReferenceEquals(live, entry))
                {
                    yield return entry;
                }
            }
        }

        foreach (var entry in _current.Values)
        {
            if (entry.NotBefore is not null)
            {
                yield return entry;
            }
        }
    }

    private QueueEntry? TakeOne(DateTimeOffset now)
    {
        var best = -1;
        long bestEffective = long.MaxValue;
        var bestSince = DateTimeOffset.MaxValue;
        for (var p = 0; p < Levels; p++)
        {
            if (_readyCount[p] == 0 || Head(p) is not { } head)
            {
                continue;
            }

            var effective = p - AgingCredit(head, now);
            if (effective < bestEffective || (effective == bestEffective && head.EnqueuedAt < bestSince))
            {
                best = p;
                bestEffective = effective;
                bestSince = head.EnqueuedAt;
            }
        }

        if (best < 0)
        {
            return null;
        }

        var taken = _ready[best].Dequeue();
        _current.Remove(taken.JobId);
        changes?.Mark(taken.JobId);
        _readyCount[best]--;
        return taken;
    }

    private long AgingCredit(QueueEntry entry, DateTimeOffset now) =>
        agingStep <= TimeSpan.Zero || now <= entry.EnqueuedAt ? 0 : (now - entry.EnqueuedAt).Ticks / agingStep.Ticks;

    /// <summary>The live head of a priority's queue, dropping slots of removed entries on the way.</summary>
    private QueueEntry? Head(int priority)
    {
        var queue = _ready[priority];
        while (queue.TryPeek(out var entry))
        {
            if (_current.TryGetValue(entry.JobId, out var live) && ReferenceEquals(live, entry))
            {
                return entry;
            }

            queue.Dequeue();
        }

        return null;
    }

    private void AddReady(QueueEntry entry)
    {
        _current[entry.JobId] = entry;
        changes?.Mark(entry.JobId);
        _ready[entry.Priority].Enqueue(entry);
        _readyCount[entry.Priority]++;
    }
}
