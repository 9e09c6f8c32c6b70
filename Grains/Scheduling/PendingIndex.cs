using OrleansQueue.Scheduling;

namespace OrleansQueue.Scheduling;

/// <summary>
/// The pending jobs of one shard: per named queue (<see cref="QueueNames"/>), a FIFO queue per priority in use (any
/// priority from 0 to 2³² − 1, kept in order) for the leasable ones; and one time-ordered set for jobs not leasable yet (a retry's backoff). Removal is lazy: a queue
/// slot whose entry is no longer the job's current entry is skipped when it reaches the head, so cancel is O(1) and
/// take is amortised O(1) per queue watched.
/// <para>Order: a lease takes only from the queues its worker names. Among them, the head of each priority's queue
/// competes with an effective priority of <c>priority − ⌊waited / agingStep⌋</c>; the smallest wins, then the one
/// enqueued first, then the lower priority number. Without waiting that is strict priority, FIFO within a priority;
/// aging bounds how long a low-priority job can be passed over (to about <c>priority × agingStep</c>).</para>
/// <para>Aging is a per-queue matter: a queue holding any job of a priority above the console's range
/// (<see cref="AgingMaxPriority"/>, so a beanstalkd tube) keeps strict priority order, FIFO within a priority, as
/// beanstalkd promises; its heads compete with their plain priority.</para>
/// </summary>
/// <param name="agingStep">See <c>QueueOptions.PriorityAgingStep</c>.</param>
/// <param name="changes">Marked with every job added, moved or dropped, for the shard's journal.</param>
public sealed class PendingIndex(TimeSpan agingStep, ShardChanges? changes = null)
{
    public const int Levels = QueueMetrics.PriorityLevels;

    /// <summary>The highest priority the console offers; a queue holding a higher one is not aged.</summary>
    public const long AgingMaxPriority = Levels - 1;

    /// <summary>Queues with pending jobs; a queue is dropped once it holds none, so names used once cost nothing.</summary>
    private readonly Dictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private readonly long[] _readyCount = new long[Levels];
    private readonly PriorityQueue<QueueEntry, DateTimeOffset> _delayed = new();
    private readonly Dictionary<Guid, QueueEntry> _current = [];

    public int Count => _current.Count;

    public long DelayedCount => _current.Count - _readyCount.Sum();

    /// <summary>Leasable jobs of <paramref name="priority"/> (0 to 10); the last level counts 10 and above.</summary>
    public long ReadyCount(int priority) => _readyCount[priority];

    public bool Contains(Guid jobId) => _current.ContainsKey(jobId);

    /// <summary>The job's entry while it is queued here.</summary>
    public QueueEntry? Get(Guid jobId) => _current.GetValueOrDefault(jobId);

    /// <summary>Per queue holding pending jobs: how many are leasable and how many wait (a backoff).</summary>
    public IEnumerable<(string Queue, long Ready, long Delayed)> Queues() =>
        _lanes.Select(l => (l.Key, l.Value.ReadyTotal, l.Value.Delayed));

    /// <summary>Adds the entry unless the job is already here. Returns whether it was added. One exception: a due entry
    /// for a job held here as not yet due replaces it (the job grain, which decides, made it ready: a kick of a delayed
    /// job), and counts as added. With <paramref name="keepPlace"/> (a lease handed back) a ready entry goes back to the
    /// place its enqueue time gives it, ahead of the entries of its priority enqueued after it; otherwise to the back.</summary>
    public bool Add(QueueEntry entry, DateTimeOffset now, bool keepPlace = false)
    {
        if (entry.Priority is < 0 or > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(entry), entry.Priority, "Priority must be from 0 to 4294967295.");
        }

        if (_current.TryGetValue(entry.JobId, out var held))
        {
            if (held.NotBefore is not { } heldDue || heldDue <= now || entry.NotBefore > now)
            {
                return false;
            }

            // Its stale place in the delay heap is skipped: it is no longer the job's current entry.
            Remove(entry.JobId);
        }

        // An entry stored before queues were named has none: it belongs to the default queue.
        entry = entry.Queue is null ? entry with { Queue = QueueNames.Default } : entry;
        if (entry.NotBefore is { } due && due > now)
        {
            _current[entry.JobId] = entry;
            changes?.Mark(entry.JobId);
            _delayed.Enqueue(entry, due);
            LaneOf(entry.Queue).Delayed++;
        }
        else
        {
            AddReady(entry with { NotBefore = null }, keepPlace);
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
        var lane = _lanes[entry.Queue];
        if (entry.NotBefore is null)
        {
            _readyCount[Bucket(entry.Priority)]--;
            lane.RemoveReady(entry.Priority);
        }
        else
        {
            lane.Delayed--;
        }

        DropIfEmpty(entry.Queue, lane);
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
                _lanes[entry.Queue].Delayed--;
                AddReady(entry with { EnqueuedAt = now, NotBefore = null }, keepPlace: false);
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

    /// <summary>Per queue holding pending jobs: ready, urgent (priority below 1024) and delayed counts; reserved and
    /// buried are the shard's to fill in.</summary>
    public IEnumerable<QueueCounts> Counts() =>
        _lanes.Select(l => new QueueCounts(
            l.Key,
            l.Value.ReadyTotal,
            l.Value.Levels.Where(level => level.Key < QueueCounts.UrgentBelow).Sum(level => level.Value.Count),
            0,
            l.Value.Delayed,
            0));

    /// <summary>The entry a lease of <paramref name="queue"/> alone would take next, left in place.</summary>
    public QueueEntry? PeekReady(string queue, DateTimeOffset now) =>
        Best([queue], now) is { } best ? best.Lane.Levels[best.Priority].Head(_current) : null;

    /// <summary>The not-yet-due entry of <paramref name="queue"/> due first (a scan of the queue's waiting entries).</summary>
    public QueueEntry? PeekDelayed(string queue) =>
        _current.Values.Where(e => e.NotBefore is not null && e.Queue == queue).MinBy(e => e.NotBefore);

    /// <summary>Removes and returns up to <paramref name="max"/> entries of <paramref name="queues"/> in lease order.</summary>
    public List<QueueEntry> Take(IReadOnlyList<string> queues, int max, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(queues);
        var taken = new List<QueueEntry>(Math.Min(max, _current.Count));
        while (taken.Count < max && TakeOne(queues, now) is { } entry)
        {
            taken.Add(entry);
        }

        return taken;
    }

    public DateTimeOffset? OldestReadySince()
    {
        DateTimeOffset? oldest = null;
        foreach (var lane in _lanes.Values)
        {
            foreach (var level in lane.Levels.Values)
            {
                if (level.Head(_current) is { } head && (oldest is null || head.EnqueuedAt < oldest))
                {
                    oldest = head.EnqueuedAt;
                }
            }
        }

        return oldest;
    }

    /// <summary>Every entry, leasable ones first in lease order per queue and priority, for persisting.</summary>
    public IEnumerable<QueueEntry> Snapshot()
    {
        foreach (var lane in _lanes.Values)
        {
            foreach (var level in lane.Levels.Values)
            {
                foreach (var entry in level.InOrder())
                {
                    if (_current.TryGetValue(entry.JobId, out var live) && ReferenceEquals(live, entry))
                    {
                        yield return entry;
                    }
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

    private QueueEntry? TakeOne(IReadOnlyList<string> queues, DateTimeOffset now)
    {
        if (Best(queues, now) is not var (bestLane, bestQueue, best))
        {
            return null;
        }

        var taken = bestLane.Levels[best].Take(_current);
        _current.Remove(taken.JobId);
        changes?.Mark(taken.JobId);
        _readyCount[Bucket(best)]--;
        bestLane.RemoveReady(best);
        DropIfEmpty(bestQueue, bestLane);
        return taken;
    }

    /// <summary>Where the next entry to lease from <paramref name="queues"/> is: its lane, queue and priority.</summary>
    private (Lane Lane, string Queue, long Priority)? Best(IReadOnlyList<string> queues, DateTimeOffset now)
    {
        Lane? bestLane = null;
        var bestQueue = "";
        var best = -1L;
        var bestEffective = long.MaxValue;
        var bestSince = DateTimeOffset.MaxValue;
        foreach (var queue in queues)
        {
            if (!_lanes.TryGetValue(queue, out var lane))
            {
                continue;
            }

            // A strict queue's best is its first priority; an aged one's may be any of its (at most 11) priorities.
            var aged = lane.Aged;
            foreach (var (p, level) in lane.Levels)
            {
                if (level.Head(_current) is not { } head)
                {
                    continue;
                }

                var effective = p - (aged ? AgingCredit(head, now) : 0);
                if (effective < bestEffective || (effective == bestEffective && head.EnqueuedAt < bestSince))
                {
                    (bestLane, bestQueue, best, bestEffective, bestSince) = (lane, queue, p, effective, head.EnqueuedAt);
                }

                if (!aged)
                {
                    break;
                }
            }
        }

        return bestLane is null ? null : (bestLane, bestQueue, best);
    }

    private long AgingCredit(QueueEntry entry, DateTimeOffset now) =>
        agingStep <= TimeSpan.Zero || now <= entry.EnqueuedAt ? 0 : (now - entry.EnqueuedAt).Ticks / agingStep.Ticks;

    private void AddReady(QueueEntry entry, bool keepPlace)
    {
        _current[entry.JobId] = entry;
        changes?.Mark(entry.JobId);
        LaneOf(entry.Queue).AddReady(entry, keepPlace);
        _readyCount[Bucket(entry.Priority)]++;
    }

    /// <summary>The metrics' level of a priority: 0 to 10, the last one counting 10 and above.</summary>
    private static int Bucket(long priority) => (int)Math.Min(priority, Levels - 1);

    private Lane LaneOf(string queue)
    {
        if (!_lanes.TryGetValue(queue, out var lane))
        {
            lane = new Lane();
            _lanes[queue] = lane;
        }

        return lane;
    }

    /// <summary>A queue with no live entry holds only stale slots: dropping it loses nothing.</summary>
    private void DropIfEmpty(string queue, Lane lane)
    {
        if (lane.Delayed == 0 && lane.Levels.Count == 0)
        {
            _lanes.Remove(queue);
        }
    }

    /// <summary>One named queue's leasable entries, a FIFO per priority in use (in priority order), and how many of
    /// its entries wait.</summary>
    private sealed class Lane
    {
        public SortedDictionary<long, Level> Levels { get; } = [];

        public long Delayed { get; set; }

        public long ReadyTotal => Levels.Values.Sum(l => l.Count);

        /// <summary>Whether priority aging applies: only while every priority held is in the console's range.</summary>
        public bool Aged => _wideLevels == 0;

        /// <summary>Priorities held above the console's range.</summary>
        private int _wideLevels;

        public void AddReady(QueueEntry entry, bool keepPlace)
        {
            if (!Levels.TryGetValue(entry.Priority, out var level))
            {
                Levels[entry.Priority] = level = new Level();
                _wideLevels += entry.Priority > AgingMaxPriority ? 1 : 0;
            }

            level.Add(entry, keepPlace);
            level.Count++;
        }

        /// <summary>One live entry of <paramref name="priority"/> left; a priority with none is dropped, stale slots
        /// and all.</summary>
        public void RemoveReady(long priority)
        {
            var level = Levels[priority];
            if (--level.Count == 0)
            {
                Levels.Remove(priority);
                _wideLevels -= priority > AgingMaxPriority ? 1 : 0;
            }
        }
    }

    /// <summary>
    /// The leasable entries of one priority of one queue in the order they were enqueued (<see cref="QueueEntry.EnqueuedAt"/>),
    /// with how many of its slots are live. Entries arrive almost always in that order and go to the back of a FIFO; one
    /// enqueued before the FIFO's last (a lease handed back unstarted keeps its place in line) waits in a small heap
    /// beside it, and the head is the older of the two heads.
    /// </summary>
    private sealed class Level
    {
        private readonly Queue<QueueEntry> _fifo = new();
        private readonly PriorityQueue<QueueEntry, (DateTimeOffset EnqueuedAt, long Order)> _returned = new();
        private DateTimeOffset _tail = DateTimeOffset.MinValue;
        private long _order;

        public long Count { get; set; }

        /// <param name="keepPlace">The entry comes back from a lease handed back: it goes ahead of the entries enqueued
        /// after it. Any other entry joins the back, in arrival order (a submit batch's jobs arrive, and are stamped,
        /// in the batch's order).</param>
        public void Add(QueueEntry entry, bool keepPlace)
        {
            if (keepPlace && entry.EnqueuedAt < _tail)
            {
                _returned.Enqueue(entry, (entry.EnqueuedAt, _order++));
            }
            else
            {
                _fifo.Enqueue(entry);
                _tail = entry.EnqueuedAt > _tail ? entry.EnqueuedAt : _tail;
            }
        }

        /// <summary>The live head, dropping slots of removed entries on the way.</summary>
        public QueueEntry? Head(Dictionary<Guid, QueueEntry> current)
        {
            var first = LiveHead(_fifo, current);
            var returned = LiveHead(_returned, current);
            return returned is not null && (first is null || returned.EnqueuedAt < first.EnqueuedAt) ? returned : first;
        }

        /// <summary>Removes and returns the live head (the caller knows there is one).</summary>
        public QueueEntry Take(Dictionary<Guid, QueueEntry> current)
        {
            var head = Head(current) ?? throw new InvalidOperationException("The level holds no live entry.");
            if (_returned.TryPeek(out var returned, out _) && ReferenceEquals(returned, head))
            {
                _returned.Dequeue();
            }
            else
            {
                _fifo.Dequeue();
            }

            return head;
        }

        /// <summary>Every slot, live or not, in lease order: the FIFO with the entries back merged in as
        /// <see cref="Head"/> would take them.</summary>
        public IEnumerable<QueueEntry> InOrder()
        {
            var returned = _returned.UnorderedItems.OrderBy(i => i.Priority).Select(i => i.Element).ToList();
            var next = 0;
            foreach (var entry in _fifo)
            {
                while (next < returned.Count && returned[next].EnqueuedAt < entry.EnqueuedAt)
                {
                    yield return returned[next++];
                }

                yield return entry;
            }

            while (next < returned.Count)
            {
                yield return returned[next++];
            }
        }

        private static QueueEntry? LiveHead(Queue<QueueEntry> fifo, Dictionary<Guid, QueueEntry> current)
        {
            while (fifo.TryPeek(out var entry))
            {
                if (IsLive(entry, current))
                {
                    return entry;
                }

                fifo.Dequeue();
            }

            return null;
        }

        private static QueueEntry? LiveHead(PriorityQueue<QueueEntry, (DateTimeOffset, long)> heap, Dictionary<Guid, QueueEntry> current)
        {
            while (heap.TryPeek(out var entry, out _))
            {
                if (IsLive(entry, current))
                {
                    return entry;
                }

                heap.Dequeue();
            }

            return null;
        }

        private static bool IsLive(QueueEntry entry, Dictionary<Guid, QueueEntry> current) =>
            current.TryGetValue(entry.JobId, out var live) && ReferenceEquals(live, entry);
    }
}
