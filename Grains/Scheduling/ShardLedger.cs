using System.Collections.Immutable;
using OrleansQueue.Hosting;
using OrleansQueue.Jobs;

namespace OrleansQueue.Scheduling;

/// <summary>
/// The books of one schedule shard, with no messaging: the priority index, the lease table, the workers and the
/// statistics, and the rules that move a job between them. <see cref="ScheduleGrain"/> calls it between awaits and
/// does the talking to job grains, storage and reminders.
/// <para>
/// Invariant: a job is in the index, or in the lease table, or finished here (in neither), never in both. Every
/// method runs synchronously, so a caller that changes the books only between awaits keeps it.
/// </para>
/// </summary>
public sealed class ShardLedger
{
    private readonly QueueOptions _options;
    private readonly ShardStatistics _stats;
    private readonly int _shard;
    private readonly ShardChanges _changes = new();
    private readonly PendingIndex _pending;
    private readonly LeaseTable _leases;
    private readonly BuriedJobs _buried;
    private readonly WorkerRegistry _workers;
    private ScheduleCounters? _savedCounters;
    private DateTimeOffset? _lastRun;

    /// <summary>Attempt ends settled from a take-back's <see cref="TakeBackReply.AlreadyEnded"/> or a sweep's
    /// <see cref="AttemptEnd.NoLease"/> notice, the two that can meet the same end twice in one activation (a shard's
    /// take-back and the stored-job sweep's, racing): the second counts nothing. Only these rare settlements are kept,
    /// the last <see cref="SettledAsideLimit"/>.</summary>
    private readonly HashSet<(AttemptRef Attempt, DateTimeOffset EndedAt)> _settledAside = [];
    private readonly Queue<(AttemptRef Attempt, DateTimeOffset EndedAt)> _settledAsideOrder = new();
    private const int SettledAsideLimit = 4096;

    /// <summary>Paused queues (beanstalkd's <c>pause-tube</c>, the console's <c>pause</c>): the pause asked for and until
    /// when. Kept in memory only, like beanstalkd's: a shard that comes back elsewhere has no pauses.</summary>
    private readonly Dictionary<string, (TimeSpan Delay, DateTimeOffset Until)> _paused = new(StringComparer.Ordinal);

    public ShardLedger(QueueOptions options, ShardStatistics stats, int shard)
    {
        _options = options;
        _stats = stats;
        _shard = shard;
        _pending = new PendingIndex(options.PriorityAgingStep, _changes);
        _leases = new LeaseTable(_changes);
        _buried = new BuriedJobs(_changes);
        _workers = new WorkerRegistry(options.WorkerTimeout, options.LostWorkerRetention);
    }

    /// <summary>Jobs held here, queued or leased: what the write-behind sizes its flushes by.</summary>
    public int Count => _pending.Count + _leases.Count + _buried.Count;

    /// <summary>Loads the stored books. A worker holding leases gets a full timeout from <paramref name="now"/> to show
    /// it is still alive, and a full orphan grace to name them.</summary>
    public void Restore(ScheduleState saved, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(saved);
        saved.Pending.ForEach(entry => _pending.Add(entry, now));
        saved.Buried.ForEach(entry => _buried.Add(entry));
        foreach (var lease in saved.Leases)
        {
            _leases.Add(lease);
            _leases.HandedOut(lease.JobId, now);
            _workers.Touch(lease.Worker, null, now);
        }

        _stats.Restore(saved.Counters, saved.Recent);
        _changes.Take();
        _savedCounters = _stats.Counters;
    }

    /// <summary>What changed since the last call (or the restore), for the shard's journal; null when nothing did. Each
    /// job marked by the index or the lease table is written where it is now.</summary>
    public ShardJournalRecord? TakeChanges()
    {
        var counters = _stats.Counters;
        if (_changes.Count == 0 && counters.SameAs(_savedCounters))
        {
            return null;
        }

        var record = new ShardJournalRecord { Counters = counters, Finished = _stats.TakeFinished() };
        foreach (var jobId in _changes.Take())
        {
            if (_pending.Get(jobId) is { } entry)
            {
                record.Pending.Add(entry);
            }
            else if (_leases.Get(jobId) is { } lease)
            {
                record.Leased.Add(lease);
            }
            else if (_buried.Get(jobId) is { } buried)
            {
                record.Buried.Add(buried);
            }
            else
            {
                record.Gone.Add(jobId);
            }
        }

        _savedCounters = counters;
        return record;
    }

    public ScheduleState Capture() => new()
    {
        Pending = _pending.Snapshot().ToList(),
        Leases = _leases.All.ToList(),
        Buried = _buried.All.ToList(),
        Counters = _stats.Counters,
        Recent = _stats.Recent.ToList(),
    };

    /// <summary>When the shard must be active again: the next lease expiry or delayed retry, no sooner than 100 ms
    /// (a reminder cannot be due at once) and no later than the periodic reminder.</summary>
    public TimeSpan ReminderDue(DateTimeOffset now)
    {
        var next = new[] { _leases.NextExpiry(), _pending.NextDue() }.Where(t => t is not null).Min();
        if (next is not { } at)
        {
            return _options.ReminderPeriod;
        }

        var due = at - now;
        var min = TimeSpan.FromMilliseconds(100);
        return due < min ? min : due > _options.ReminderPeriod ? _options.ReminderPeriod : due;
    }

    /// <summary>Queues the entries (a submit, or a requeue by <paramref name="cause"/>); how many became pending.</summary>
    public int Enqueue(IEnumerable<QueueEntry> entries, RequeueCause? cause, DateTimeOffset now)
    {
        var added = entries.Count(entry => AddPending(entry, now));
        _stats.OnEnqueued(added, cause);
        return added;
    }

    /// <summary>Drops a cancelled job from the index (or from the buried jobs).</summary>
    public void Remove(Guid jobId, bool firstCancel)
    {
        var queue = _pending.Get(jobId)?.Queue;
        if (!_pending.Remove(jobId))
        {
            _buried.Remove(jobId);
        }

        _stats.OnCancelled(jobId, firstCancel, queue);
    }

    /// <summary>Settles attempts that ended elsewhere (a report, a cancel, the stored-job sweep); how many jobs went back
    /// into the index. A notice whose lease is no longer here is not counted (unless it says it never had one): its lease
    /// was settled otherwise, by a take-back that counts it, or by a settlement the journal holds with its count.</summary>
    public int AttemptsEnded(IEnumerable<AttemptEnd> notices, DateTimeOffset now) =>
        notices.Count(notice => Settle(notice, _leases.Remove(notice.Attempt.JobId, notice.Attempt.Attempt), now));

    /// <summary>Takes up to <paramref name="max"/> jobs of <paramref name="queues"/> out of the index into the lease
    /// table, each with the attempt number its entry names, in one step: from here on a lease's expiry covers its job
    /// even if starting it fails.</summary>
    public (List<QueueEntry> Entries, List<LeaseRecord> Leases) Lease(WorkerId worker, IReadOnlyList<string> queues, int max, DateTimeOffset now)
    {
        var open = _paused.Count == 0 ? queues : [.. queues.Where(q => !(_paused.TryGetValue(q, out var p) && p.Until > now))];
        var entries = _pending.Take(open, max, now);
        return (entries, LeaseEntries(worker, entries, now));
    }

    /// <summary>No lease takes from <paramref name="queue"/> for <paramref name="delay"/>; zero lifts a pause. Returns how
    /// many of its jobs became leasable (to wake as many parked leases).</summary>
    public int Pause(string queue, TimeSpan delay, DateTimeOffset now)
    {
        if (delay > TimeSpan.Zero)
        {
            _paused[queue] = (delay, now + delay);
            return 0;
        }

        return _paused.Remove(queue) ? ReadyIn(queue) : 0;
    }

    /// <summary>Lifts the pauses that have run out; how many jobs became leasable.</summary>
    private int Unpause(DateTimeOffset now)
    {
        var over = _paused.Where(p => p.Value.Until <= now).Select(p => p.Key).ToList();
        over.ForEach(q => _paused.Remove(q));
        return over.Sum(ReadyIn);
    }

    private int ReadyIn(string queue) => (int)Math.Min(int.MaxValue, _pending.Counts().FirstOrDefault(c => c.Queue == queue)?.Ready ?? 0);

    /// <summary>Like <see cref="Lease"/> for one job named by its id (beanstalkd's <c>reserve-job</c>), ready or not yet
    /// due: none when it is not pending here.</summary>
    public (List<QueueEntry> Entries, List<LeaseRecord> Leases) LeaseJob(WorkerId worker, Guid jobId, DateTimeOffset now)
    {
        if (_pending.Get(jobId) is not { } entry)
        {
            return ([], []);
        }

        _pending.Remove(jobId);
        List<QueueEntry> entries = [entry];
        return (entries, LeaseEntries(worker, entries, now));
    }

    private List<LeaseRecord> LeaseEntries(WorkerId worker, List<QueueEntry> entries, DateTimeOffset now)
    {
        var leases = entries.Select(e => new LeaseRecord(e.JobId, worker, e.Attempt, now, now + e.Deadline, e.Queue)).ToList();
        leases.ForEach(_leases.Add);
        return leases;
    }

    /// <summary>Settles the job grains' answers to a lease's starts (see <see cref="LeaseStarts"/>), requeues corrected
    /// entries and records the waits of what was handed out; Requeued is how many went back into the index. Once the
    /// reply leaves, say so with <see cref="HandedOut"/>.</summary>
    public (LeaseStarts.Settled Settled, int Requeued) SettleStarts(
        IReadOnlyList<LeaseRecord> leases, IReadOnlyList<QueueEntry> entries, IReadOnlyList<StartResult> results, DateTimeOffset now)
    {
        var settled = LeaseStarts.Settle(_leases, leases, entries, results);
        var requeued = settled.Requeue.Count(entry => AddPending(entry, now));
        _stats.OnLeased([.. settled.Leased.Select(l => l.Waited)], now);
        return (settled, requeued);
    }

    /// <summary>The lease reply carrying <paramref name="jobs"/> leaves the shard at <paramref name="now"/>: their orphan
    /// grace counts from here, not from the lease, so the time the start took (the journal write, the job grains, the
    /// take-backs of the lease's other jobs) is not taken from the reply's time in transit.</summary>
    public void HandedOut(IEnumerable<Guid> jobs, DateTimeOffset now)
    {
        foreach (var job in jobs)
        {
            _leases.HandedOut(job, now);
        }
    }

    /// <summary>Settles a job grain's answer to a take-back of <paramref name="lease"/> (already out of the table); true
    /// when the job went back into the index. No answer puts the lease back, due again in
    /// <paramref name="retryIn"/>, unless the job is held here meanwhile: a lease is never dropped unanswered.</summary>
    public bool SettleTakeBack(LeaseRecord lease, TakeBackReply? reply, TimeSpan retryIn, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(lease);
        switch (reply)
        {
            case TakeBackReply.Ended ended:
                return Settle(ended.Notice, lease, now);
            case TakeBackReply.AlreadyEnded already:
                return Settle(already.Notice, lease, now, aside: true);
            case TakeBackReply.Pending pending:
                return AddPending(pending.Entry, now);
            case null when !_leases.Contains(lease.JobId) && !_pending.Contains(lease.JobId):
                _leases.Add(lease with { ExpiresAt = now + retryIn });
                return false;
            default:
                return false;
        }
    }

    /// <summary>A worker's heartbeat: marks it alive (Back when it had been declared lost), names the attempts of this
    /// shard it runs but no longer holds (Stop), and takes out of the table the leases handed out longer than the grace
    /// ago that it does not know about, because the lease reply never reached it (Orphans, to take back).
    /// <para>It judges leases by the time, as a sweep does, so it first looks for a stall (Stall: see
    /// <see cref="NoteRunning"/>): a heartbeat read after a pause, before the shard's first tick, would otherwise find a
    /// lease whose reply was still inside the paused silo older than the grace, and hand back a job its worker is about
    /// to run.</para></summary>
    public (bool Back, ImmutableArray<AttemptRef> Stop, List<LeaseRecord> Orphans, TimeSpan? Stall) Heartbeat(WorkerHeartbeat heartbeat, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        var stall = NoteRunning(now);
        var back = _workers.Touch(heartbeat.Worker, heartbeat.Slots, now);
        var mine = heartbeat.Running.Where(r => ScheduleShards.Of(r.JobId, _options.Shards) == _shard).ToList();
        var stop = _leases.Disowned(heartbeat.Worker, mine).ToImmutableArray();
        var orphans = _leases.TakeUnknownTo(heartbeat.Worker, mine, now - _options.OrphanLeaseGrace);
        return (back, stop, orphans, stall);
    }

    /// <summary>A worker's handler is still at it (beanstalkd's <c>touch</c>): the lease of <paramref name="attempt"/>
    /// runs <paramref name="time"/> (at most the longest deadline) from <paramref name="now"/>. False when the worker
    /// holds no such lease.</summary>
    public bool ExtendLease(WorkerId worker, AttemptRef attempt, TimeSpan time, DateTimeOffset now)
    {
        _workers.Touch(worker, null, now);
        var span = time < TimeSpan.Zero ? TimeSpan.Zero : time > _options.MaxDeadline ? _options.MaxDeadline : time;
        return _leases.Extend(attempt.JobId, attempt.Attempt, worker, now + span);
    }

    /// <summary>A long poll's sign of life.</summary>
    public void Touch(WorkerId worker, DateTimeOffset now) => _workers.Touch(worker, null, now);

    /// <summary>Forgets a worker that stopped and takes its leases out of the table, to take back.</summary>
    public List<LeaseRecord> StopWorker(WorkerId worker)
    {
        _workers.Forget(worker);
        return _leases.TakeAllOf(worker);
    }

    /// <summary>The longest gap in the shard's ticks that is not a stall: a tenth of the worker timeout (1 s by default),
    /// and at least two sweep intervals.</summary>
    public TimeSpan StallLimit => TimeSpan.FromTicks(Math.Max(_options.WorkerTimeout.Ticks / 10, _options.SweepInterval.Ticks * 2));

    /// <summary>
    /// Notes that the shard runs at <paramref name="now"/>: its grain calls this on a tick of its own every sweep
    /// interval (one that does nothing else, so a long sweep does not hold it up), at each sweep and at each heartbeat. A
    /// gap since the last note longer than <see cref="StallLimit"/> means the shard did not run: its silo was stopped,
    /// starved of CPU or paused. Meanwhile no heartbeat or report could reach it, so the time beyond the limit is not
    /// counted against anyone: every worker still alive is credited with it, and every lease runs out that much later.
    /// Without this, a silo that wakes from a pause longer than the worker timeout declares every worker lost and fails
    /// the jobs of those without retries left, whose reports were waiting to be read. Returns the time credited, if any.
    /// </summary>
    public TimeSpan? NoteRunning(DateTimeOffset now)
    {
        var gap = _lastRun is { } last ? now - last : TimeSpan.Zero;
        _lastRun = now;
        if (gap <= StallLimit)
        {
            return null;
        }

        var stall = gap - StallLimit;
        _workers.Excuse(stall, now);
        _leases.Postpone(stall);
        return stall;
    }

    /// <summary>The sweep's synchronous part: samples utilization, makes due retries leasable (Promoted), takes expired
    /// leases out of the table (Expired) and declares silent workers lost (Lost; take their leases with
    /// <see cref="TakeLeasesOf"/>).</summary>
    public (int Promoted, List<LeaseRecord> Expired, List<WorkerId> Lost) Sweep(DateTimeOffset now)
    {
        _workers.SampleBusy(_leases.CountFor, now);
        var promoted = _pending.PromoteDue(now) + (_paused.Count == 0 ? 0 : Unpause(now));
        var expired = _leases.TakeExpired(now);
        return (promoted, expired, _workers.DeclareSilentLost(now));
    }

    public List<LeaseRecord> TakeLeasesOf(WorkerId worker) => _leases.TakeAllOf(worker);

    public QueueMetrics Metrics(DateTimeOffset now)
    {
        var byPriority = new long[QueueMetrics.PriorityLevels];
        for (var p = 0; p < byPriority.Length; p++)
        {
            byPriority[p] = _pending.ReadyCount(p);
        }

        return _stats.Snapshot(now) with
        {
            PendingByPriority = ImmutableArray.Create(byPriority),
            Delayed = _pending.DelayedCount,
            Queues = QueueFigures.Of(_pending.Queues(), _leases.All.Select(l => l.QueueName)),
            Processing = _leases.Count,
            OldestPendingSince = _pending.OldestReadySince(),
            Workers = _workers.Describe(_leases.CountFor, now).ToImmutableArray(),
        };
    }

    /// <summary>Jobs in <paramref name="status"/>: pending in lease order, delayed due first, processing oldest lease first, finished ones
    /// newest first; with <paramref name="queue"/>, only that named queue's (finished ones whose queue the shard did not
    /// know are kept as candidates).</summary>
    public IEnumerable<Guid> List(JobStatus status, string? queue = null, DateTimeOffset? now = null) => status switch
    {
        // Every pending job, due ones first (the stored-job sweep needs them all; a list of PENDING keeps the due ones).
        JobStatus.Pending => _pending.Snapshot().Where(e => queue is null || e.Queue == queue).Select(e => e.JobId),
        JobStatus.Delayed => _pending.Snapshot().Where(e => e.NotBefore > (now ?? DateTimeOffset.MinValue) && (queue is null || e.Queue == queue))
            .OrderBy(e => e.NotBefore).Select(e => e.JobId),
        JobStatus.Processing => _leases.All.Where(l => queue is null || l.QueueName == queue).OrderBy(l => l.LeasedAt).Select(l => l.JobId),
        JobStatus.Buried => _buried.All.Where(e => queue is null || e.Queue == queue).Select(e => e.JobId),
        _ => _stats.Newest(status, queue),
    };

    /// <summary>The one place an ended attempt is settled, whoever ended it (a report, a cancel, a take-back): counts it,
    /// credits its worker, and queues the job again when the notice says so. True when the job went back into the index.
    /// <para>An attempt's end is counted by the settlement of its lease, in the same journal entry as the lease's removal,
    /// so a crash loses both or neither: a lease the restored shard still holds is counted by its take-back
    /// (<see cref="TakeBackReply.AlreadyEnded"/>), and a notice that finds no lease counts nothing. The exception is the
    /// stored-job sweep's notice for an attempt that had no lease (<see cref="AttemptEnd.NoLease"/>).
    /// <paramref name="aside"/> marks the settlements that may meet the same end twice (see <see cref="_settledAside"/>).</para></summary>
    private bool Settle(AttemptEnd notice, LeaseRecord? lease, DateTimeOffset now, bool aside = false)
    {
        if ((lease is not null || notice.NoLease) && FirstSettlement(notice, aside || notice.NoLease))
        {
            _stats.OnAttemptEnded(notice, notice.EndedAt - lease?.LeasedAt, now, lease?.QueueName ?? notice.Requeue?.Queue);
            if (lease is not null)
            {
                _workers.CountEnded(lease.Worker, notice);
            }
        }

        if (notice.Bury is { } buried)
        {
            _buried.Add(buried);
        }

        // A hand-back and a release keep the job's place in line (its entry keeps its enqueue time: JobLifecycle.KeepPlace).
        return notice.Requeue is { } entry
            && AddPending(entry, now, keepPlace: notice.Outcome is AttemptOutcome.HandedBack or AttemptOutcome.Released);
    }

    /// <summary>False when this end was settled already by a settlement kept aside; keeps this one when
    /// <paramref name="keep"/>.</summary>
    private bool FirstSettlement(AttemptEnd notice, bool keep)
    {
        var key = (notice.Attempt, notice.EndedAt);
        if (_settledAside.Contains(key))
        {
            return false;
        }

        if (keep)
        {
            _settledAside.Add(key);
            _settledAsideOrder.Enqueue(key);
            if (_settledAsideOrder.Count > SettledAsideLimit)
            {
                _settledAside.Remove(_settledAsideOrder.Dequeue());
            }
        }

        return true;
    }

    /// <summary>Adds to the index unless the job is already queued or leased here: a job is in one place only. A buried
    /// job's entry comes from its job grain only once the job is pending again (kicked): it leaves the buried jobs.</summary>
    private bool AddPending(QueueEntry entry, DateTimeOffset now, bool keepPlace = false)
    {
        if (_leases.Contains(entry.JobId))
        {
            return false;
        }

        _buried.Remove(entry.JobId);
        return _pending.Add(entry, now, keepPlace);
    }

    /// <summary>Per queue holding jobs here (or <paramref name="queue"/> alone): its jobs by where they are. A lease
    /// written before leases named their queue counts in no queue.</summary>
    public IEnumerable<QueueCounts> Counts(string? queue, DateTimeOffset now)
    {
        var ready = _pending.Counts().ToDictionary(c => c.Queue, StringComparer.Ordinal);
        var reserved = _leases.All.Where(l => l.Queue is not null).CountBy(l => l.Queue!, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        var buried = _buried.All.CountBy(e => e.Queue, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        var names = queue is not null ? [queue] : ready.Keys.Concat(reserved.Keys).Concat(buried.Keys).Concat(_paused.Keys).Distinct(StringComparer.Ordinal);
        return names.Select(name => (ready.TryGetValue(name, out var r)
            ? r with { Reserved = reserved.GetValueOrDefault(name), Buried = buried.GetValueOrDefault(name) }
            : new QueueCounts(name, 0, 0, reserved.GetValueOrDefault(name), 0, buried.GetValueOrDefault(name)))
            with { Pause = _paused.TryGetValue(name, out var p) && p.Until > now ? new QueuePause(p.Delay, p.Until) : null });
    }

    /// <summary>The job of <paramref name="queue"/> a peek asks for, if any.</summary>
    public Guid? Peek(string queue, PeekPlace place, DateTimeOffset now) => place switch
    {
        PeekPlace.Ready => _pending.PeekReady(queue, now)?.JobId,
        PeekPlace.Delayed => _pending.PeekDelayed(queue)?.JobId,
        _ => _buried.Of(queue).FirstOrDefault()?.JobId,
    };

    /// <summary>The buried jobs of <paramref name="queue"/>, first buried first.</summary>
    public IEnumerable<Guid> Buried(string queue) => _buried.Of(queue).Select(e => e.JobId);
}
