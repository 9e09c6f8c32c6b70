using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using OrleansQueue.Diagnostics;
using OrleansQueue.Hosting;
using OrleansQueue.Jobs;

namespace OrleansQueue.Scheduling;

/// <summary>
/// One shard of the schedule: the priority index of pending jobs, the leases in flight and the workers.
/// <para>
/// Reentrancy: the grain is <see cref="ReentrantAttribute">reentrant</see> so that a parked long-poll
/// <see cref="Lease"/> never blocks <see cref="Enqueue"/>. The invariant that makes this safe: every change to
/// the index, the lease table and the worker registry happens synchronously between awaits, and the only awaits
/// are calls to job grains and the storage write. A job leaves the index and enters the lease table in one
/// synchronous step, before its job grain is called, so no interleaving call can see it in neither or both.
/// </para>
/// <para>
/// Durability: the state is written behind (at most every <see cref="QueueOptions.StateFlushInterval"/>, and on
/// deactivation). A reminder re-activates the shard while it holds leases; on deactivation it is re-armed to fire at
/// the next deadline, so expiry is still noticed on time after a deactivation.
/// </para>
/// </summary>
[Reentrant]
[KeepAlive]
public sealed partial class ScheduleGrain : Grain, IScheduleGrain, IRemindable
{
    public const string ReminderName = "deadlines";

    /// <summary>Latency percentiles describe the attempts of the last five minutes.</summary>
    public static readonly TimeSpan LatencyWindow = TimeSpan.FromMinutes(5);

    private readonly IPersistentState<ScheduleState> _state;
    private readonly QueueOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ScheduleGrain> _logger;
    private readonly QueueInstruments _instruments;
    private readonly PendingIndex _pending;
    private readonly LeaseTable _leases = new();
    private readonly WorkerRegistry _workers;
    private readonly LinkedList<TaskCompletionSource> _waiters = new();
    private readonly RecentJobs _recent;
    private readonly SlidingHistogram _waitTimes = new(LatencyWindow);
    private readonly SlidingHistogram _runTimes = new(LatencyWindow);
    private readonly SlidingHistogram _endToEndTimes = new(LatencyWindow);
    private readonly RateWindow _completions = new(300);
    private ScheduleCounters _counters = new();
    private bool _dirty;
    private Task _writing = Task.CompletedTask;
    private DateTimeOffset _lastWrite;
    private bool _sweeping;
    private IGrainTimer? _sweepTimer;

    public ScheduleGrain(
        [PersistentState("schedule", QueueStorage.Name)] IPersistentState<ScheduleState> state,
        IOptions<QueueOptions> options,
        TimeProvider time,
        ILogger<ScheduleGrain> logger,
        QueueInstruments instruments)
    {
        _state = state;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _instruments = instruments;
        _pending = new PendingIndex(_options.PriorityAgingStep);
        _workers = new WorkerRegistry(_options.WorkerTimeout, _options.LostWorkerRetention);
        _recent = new RecentJobs(_options.RecentFinishedJobs);
    }

    private int Shard => (int)this.GetPrimaryKeyLong();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        foreach (var entry in _state.State.Pending)
        {
            _pending.Add(entry, now);
        }

        foreach (var lease in _state.State.Leases)
        {
            _leases.Add(lease);
            // A worker holding leases gets a full timeout from now to show it is still alive.
            _workers.Touch(lease.Worker, null, now);
        }

        _counters = _state.State.Counters.Clone();
        foreach (var recent in _state.State.Recent)
        {
            _recent.Add(recent.JobId, recent.Status);
        }
        if (_state.State.Pending.Count + _state.State.Leases.Count > 0)
        {
            LogRestored(Shard, _state.State.Pending.Count, _state.State.Leases.Count);
        }

        _sweepTimer = this.RegisterGrainTimer(Sweep, new GrainTimerCreationOptions(_options.SweepInterval, _options.SweepInterval) { Interleave = true });
        this.RegisterGrainTimer(Flush, new GrainTimerCreationOptions(_options.StateFlushInterval, _options.StateFlushInterval) { Interleave = true });
        await this.RegisterOrUpdateReminder(ReminderName, _options.ReminderPeriod, _options.ReminderPeriod, cancellationToken);
        await base.OnActivateAsync(cancellationToken);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _sweepTimer?.Dispose();
        foreach (var waiter in _waiters)
        {
            waiter.TrySetResult();
        }

        await _writing;
        await WriteState();
        if (reason.ReasonCode == DeactivationReasonCode.ShuttingDown)
        {
            // The silo is going away; the periodic reminder already registered brings the shard back elsewhere.
            await base.OnDeactivateAsync(reason, cancellationToken);
            return;
        }

        // Re-arm the reminder to the next thing due, so a deactivated shard comes back in time for it.
        var now = _time.GetUtcNow();
        var next = new[] { _leases.NextExpiry(), _pending.NextDue() }.Where(t => t is not null).Min();
        var due = next is { } at ? Clamp(at - now, TimeSpan.FromMilliseconds(100), _options.ReminderPeriod) : _options.ReminderPeriod;
        try
        {
            await this.RegisterOrUpdateReminder(ReminderName, due, _options.ReminderPeriod, cancellationToken);
        }
        catch (Exception ex)
        {
            LogReminderFailed(ex, Shard);
        }

        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Sweep(CancellationToken.None);

    public Task Enqueue(ImmutableArray<QueueEntry> entries, RequeueCause? cause = null)
    {
        var now = _time.GetUtcNow();
        var added = 0;
        foreach (var entry in entries)
        {
            if (AddPending(entry, now))
            {
                added++;
                if (cause is { } c)
                {
                    CountRequeue(c);
                }
            }
        }

        if (cause is null)
        {
            _counters.Submitted += added;
            _instruments.Submitted(added);
        }

        MarkDirty();
        WakeWaiters(added);
        return Task.CompletedTask;
    }

    public async Task<ImmutableArray<LeasedJob>> Lease(string worker, int max, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(worker);
        if (max < 1 || max > _options.MaxLeaseBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(max), max, $"A lease takes from 1 to {_options.MaxLeaseBatch} jobs.");
        }

        if (wait < TimeSpan.Zero || wait > _options.MaxLeaseWait)
        {
            throw new ArgumentOutOfRangeException(nameof(wait), wait, $"A lease waits from 0 to {_options.MaxLeaseWait.TotalSeconds} s.");
        }

        var until = _time.GetUtcNow() + wait;
        while (true)
        {
            // A cancelled call's reply is dropped by the caller, so never take jobs for it: they would sit on a
            // lease nobody received until the orphan check handed them back.
            if (cancellationToken.IsCancellationRequested)
            {
                return [];
            }

            _workers.Touch(worker, null, _time.GetUtcNow());
            var leased = await TakeAndStart(worker, max);
            var remaining = until - _time.GetUtcNow();
            if (leased.Length > 0 || remaining <= TimeSpan.Zero || cancellationToken.IsCancellationRequested)
            {
                return leased;
            }

            // Park without blocking the grain: Enqueue completes this waiter and the loop takes again.
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var node = _waiters.AddLast(waiter);
            try
            {
                await waiter.Task.WaitAsync(remaining, _time, cancellationToken);
            }
            catch (TimeoutException)
            {
                return [];
            }
            catch (OperationCanceledException)
            {
                return [];
            }
            finally
            {
                if (node.List is not null)
                {
                    _waiters.Remove(node);
                }
            }
        }
    }

    public Task AttemptEnded(AttemptEnd notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return AttemptsEnded([notice]);
    }

    public Task AttemptsEnded(ImmutableArray<AttemptEnd> notices)
    {
        var now = _time.GetUtcNow();
        var requeued = 0;
        foreach (var notice in notices)
        {
            if (EndAttempt(notice, now))
            {
                requeued++;
            }
        }

        MarkDirty();
        WakeWaiters(requeued);
        return Task.CompletedTask;
    }

    /// <summary>Releases the attempt's lease and counts its outcome; true when the job went back into the index.</summary>
    private bool EndAttempt(AttemptEnd notice, DateTimeOffset now)
    {
        var (attempt, outcome, requeue) = (notice.Attempt, notice.Outcome, notice.Requeue);
        var lease = _leases.Remove(attempt.JobId, attempt.Attempt);
        if (lease is not null && outcome is AttemptOutcome.Completed or AttemptOutcome.Failed)
        {
            var run = notice.EndedAt - lease.LeasedAt;
            _runTimes.Record(run, now);
            _instruments.RunTime(run);
        }

        switch (outcome)
        {
            case AttemptOutcome.Completed:
                _counters.Completed++;
                _instruments.Completed();
                _completions.Add(now);
                _endToEndTimes.Record(notice.EndedAt - notice.SubmittedAt, now);
                _recent.Add(attempt.JobId, JobStatus.Completed);
                break;
            case AttemptOutcome.Failed when requeue is not null:
                CountRequeue(RequeueCause.Retry);
                break;
            case AttemptOutcome.Failed:
                _counters.Failed++;
                _instruments.Failed();
                _recent.Add(attempt.JobId, JobStatus.Failed);
                break;
            case AttemptOutcome.Cancelled:
                _counters.Cancelled++;
                _instruments.Cancelled();
                _recent.Add(attempt.JobId, JobStatus.Cancelled);
                break;
            case AttemptOutcome.HandedBack:
                CountRequeue(RequeueCause.HandedBack);
                break;
        }

        if (lease is not null && outcome is AttemptOutcome.Completed or AttemptOutcome.Failed)
        {
            _workers.CountOutcome(lease.Worker, outcome == AttemptOutcome.Completed);
        }

        return requeue is not null && AddPending(requeue, now);
    }

    public Task Remove(Guid jobId)
    {
        _pending.Remove(jobId);
        _recent.Add(jobId, JobStatus.Cancelled);
        _counters.Cancelled++;
        _instruments.Cancelled();
        MarkDirty();
        return Task.CompletedTask;
    }

    public async Task<HeartbeatReply> Heartbeat(WorkerHeartbeat heartbeat)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        var now = _time.GetUtcNow();
        if (_workers.Touch(heartbeat.Worker, heartbeat.Slots, now))
        {
            LogWorkerBack(heartbeat.Worker, Shard);
        }

        // Attempts the worker runs that this shard no longer leases to it: cancelled, expired or reassigned.
        var stop = heartbeat.Running
            .Where(r => ScheduleShards.Of(r.JobId, _options.Shards) == Shard)
            .Where(r => _leases.Get(r.JobId) is not { } lease || lease.Worker != heartbeat.Worker || !lease.Matches(r.Attempt))
            .ToImmutableArray();

        // Leases the worker does not know about: the lease reply never reached it. Give them back at once.
        var running = heartbeat.Running.Select(r => r.JobId).ToHashSet();
        var orphans = _leases.JobsOf(heartbeat.Worker)
            .Select(id => _leases.Get(id)!)
            .Where(l => !running.Contains(l.JobId) && now - l.LeasedAt > _options.OrphanLeaseGrace)
            .ToList();
        if (orphans.Count > 0)
        {
            foreach (var orphan in orphans)
            {
                _leases.Remove(orphan.JobId, orphan.Attempt);
            }

            await TakeBack(orphans, RequeueCause.HandedBack);
        }

        return new HeartbeatReply(stop);
    }

    public async Task WorkerStopped(string worker)
    {
        _workers.Forget(worker);
        var left = _leases.TakeAllOf(worker);
        if (left.Count > 0)
        {
            await TakeBack(left, RequeueCause.HandedBack);
        }

        LogWorkerStopped(worker, Shard, left.Count);
    }

    public Task<QueueMetrics> GetMetrics()
    {
        var byPriority = new long[QueueMetrics.PriorityLevels];
        for (var p = 0; p < byPriority.Length; p++)
        {
            byPriority[p] = _pending.ReadyCount(p);
        }

        var c = _counters;
        var now = _time.GetUtcNow();
        return Task.FromResult(new QueueMetrics
        {
            PendingByPriority = ImmutableArray.Create(byPriority),
            Delayed = _pending.DelayedCount,
            Processing = _leases.Count,
            Submitted = c.Submitted,
            Completed = c.Completed,
            Failed = c.Failed,
            Cancelled = c.Cancelled,
            Retried = c.Retried,
            RequeuedDeadline = c.RequeuedDeadline,
            RequeuedWorkerLost = c.RequeuedWorkerLost,
            RequeuedHandedBack = c.RequeuedHandedBack,
            RequeuedManual = c.RequeuedManual,
            OldestPendingSince = _pending.OldestReadySince(),
            Workers = _workers.Describe(_leases.CountFor, now).ToImmutableArray(),
            At = now,
            WaitTimes = _waitTimes.Snapshot(now),
            RunTimes = _runTimes.Snapshot(now),
            EndToEndTimes = _endToEndTimes.Snapshot(now),
            CompletedPerSecond10s = _completions.PerSecond(TimeSpan.FromSeconds(10), now),
            CompletedPerSecond1m = _completions.PerSecond(TimeSpan.FromMinutes(1), now),
            CompletedPerSecond5m = _completions.PerSecond(TimeSpan.FromMinutes(5), now),
            LatencyWindow = LatencyWindow,
        });
    }

    public Task<int> GetShardCount() => Task.FromResult(_options.Shards);

    public Task<ImmutableArray<Guid>> ListJobs(JobStatus status, int limit)
    {
        limit = Math.Clamp(limit, 0, 100_000);
        var ids = status switch
        {
            JobStatus.Pending => _pending.Snapshot().Select(e => e.JobId),
            JobStatus.Processing => _leases.All.OrderBy(l => l.LeasedAt).Select(l => l.JobId),
            _ => _recent.Newest(status),
        };
        return Task.FromResult(ids.Take(limit).ToImmutableArray());
    }

    private async Task<ImmutableArray<LeasedJob>> TakeAndStart(string worker, int max)
    {
        var now = _time.GetUtcNow();
        var entries = _pending.Take(max, now);
        if (entries.Count == 0)
        {
            return [];
        }

        // Into the lease table before the job grains are called: from here on the lease's expiry covers the job
        // even if a start call fails, so it cannot be lost.
        foreach (var entry in entries)
        {
            _leases.Add(new LeaseRecord(entry.JobId, worker, 0, now, now + entry.Deadline));
        }

        MarkDirty();

        // One job: straight to its grain. More: one call to a stateless starter, so this shard spends one turn on the
        // batch instead of one per job.
        ImmutableArray<StartResult> results;
        try
        {
            results = entries.Count == 1
                ? [new StartResult(await GrainFactory.GetGrain<IJobGrain>(entries[0].JobId).StartAttempt(worker))]
                : await GrainFactory.GetGrain<IStartGrain>(0).StartAttempts(worker, [.. entries.Select(e => e.JobId)]);
        }
        catch (Exception ex)
        {
            var error = $"{ex.GetType().Name}: {ex.Message}";
            results = [.. entries.Select(_ => new StartResult(null, Failed: true, Error: error))];
        }

        var leased = ImmutableArray.CreateBuilder<LeasedJob>(entries.Count);
        var overtaken = new List<LeaseRecord>();
        for (var i = 0; i < entries.Count; i++)
        {
            if (Settle(entries[i], results[i], worker, overtaken) is { } job)
            {
                leased.Add(job);
            }
        }

        if (overtaken.Count > 0)
        {
            // Their attempts started after their leases were taken back: end them, so no attempt runs without a lease.
            await TakeBack(overtaken, RequeueCause.HandedBack);
        }

        _instruments.Leased(leased.Count);
        return leased.DrainToImmutable();
    }

    /// <summary>Confirms a started attempt's lease, drops a job cancelled meanwhile, and keeps the lease of a start
    /// that failed but lets it run out soon: the take-back then asks the job grain, which knows whether it started.</summary>
    private LeasedJob? Settle(QueueEntry entry, StartResult result, string worker, List<LeaseRecord> overtaken)
    {
        if (result.Failed)
        {
            LogStartFailed(entry.JobId, worker, result.Error ?? "");
            _leases.Postpone(entry.JobId, _time.GetUtcNow() + _options.WorkerTimeout);
            return null;
        }

        if (result.Job is not { } job)
        {
            // Cancelled while it waited; it is simply dropped.
            _leases.Remove(entry.JobId, 0);
            return null;
        }

        if (_leases.Get(entry.JobId) is not { Attempt: 0 } lease || lease.Worker != worker)
        {
            // Taken back while the start was under way (e.g. by a heartbeat's orphan check), so the job is queued again.
            // Handing it out now would run it twice; its attempt is ended instead (by the caller).
            LogStartOvertaken(job.JobId, job.Attempt, worker);
            overtaken.Add(new LeaseRecord(job.JobId, worker, job.Attempt, job.StartedAt, job.StartedAt));
            return null;
        }

        _leases.Confirm(entry.JobId, job.Attempt, job.StartedAt + job.Deadline);
        var wait = job.StartedAt - entry.EnqueuedAt;
        _waitTimes.Record(wait, job.StartedAt);
        _instruments.WaitTime(wait);
        LogLeased(job.JobId, job.Attempt, worker, Shard);
        return job;
    }

    private async Task Sweep(CancellationToken cancellationToken)
    {
        if (_sweeping)
        {
            return;
        }

        _sweeping = true;
        try
        {
            var now = _time.GetUtcNow();
            _workers.SampleBusy(_leases.CountFor, now);
            var promoted = _pending.PromoteDue(now);
            if (promoted > 0)
            {
                MarkDirty();
                WakeWaiters(promoted);
            }

            var expired = _leases.TakeExpired(now);
            foreach (var lost in _workers.DeclareSilentLost(now))
            {
                var held = _leases.TakeAllOf(lost);
                LogWorkerLost(lost, Shard, held.Count);
                if (held.Count > 0)
                {
                    await TakeBack(held, RequeueCause.WorkerLost);
                }
            }

            if (expired.Count > 0)
            {
                await TakeBack(expired, RequeueCause.Deadline);
            }
        }
        finally
        {
            _sweeping = false;
        }
    }

    /// <summary>Asks each job grain to take its lease back, and queues again what it returns. A lease whose job
    /// grain does not answer goes back into the table to be tried again shortly: it is never dropped.</summary>
    private async Task TakeBack(List<LeaseRecord> leases, RequeueCause cause)
    {
        MarkDirty();
        var replies = await Task.WhenAll(leases.Select(async lease =>
        {
            try
            {
                return (lease, reply: await GrainFactory.GetGrain<IJobGrain>(lease.JobId).TakeBack(lease.Attempt, cause));
            }
            catch (Exception ex)
            {
                LogTakeBackFailed(ex, lease.JobId, lease.Attempt);
                return (lease, reply: (TakeBackReply?)null);
            }
        }));

        var now = _time.GetUtcNow();
        var requeued = 0;
        foreach (var (lease, reply) in replies)
        {
            if (reply is null)
            {
                if (!_leases.Contains(lease.JobId) && !_pending.Contains(lease.JobId))
                {
                    _leases.Add(lease with { ExpiresAt = now + _options.SweepInterval * 10 });
                }

                continue;
            }

            if (reply.TookBack)
            {
                LogTakenBack(lease.JobId, lease.Attempt, lease.Worker, cause, reply.Status);
                if (reply.Requeue is not null)
                {
                    CountRequeue(cause);
                }
                else if (reply.Status == JobStatus.Failed)
                {
                    _counters.Failed++;
                    _instruments.Failed();
                    _recent.Add(lease.JobId, JobStatus.Failed);
                    _workers.CountOutcome(lease.Worker, completed: false);
                }
            }

            if (reply.Requeue is not null && AddPending(reply.Requeue, now))
            {
                requeued++;
            }
        }

        MarkDirty();
        WakeWaiters(requeued);
    }

    /// <summary>Adds to the index unless the job is already queued or leased here: a job is in one place only.</summary>
    private bool AddPending(QueueEntry entry, DateTimeOffset now) =>
        !_leases.Contains(entry.JobId) && _pending.Add(entry, now);

    /// <summary>The one place a job's return to the queue is counted, by cause. A retry after a failed attempt is
    /// counted as retried; the other causes as requeued.</summary>
    private void CountRequeue(RequeueCause cause)
    {
        switch (cause)
        {
            case RequeueCause.Retry:
                _counters.Retried++;
                _instruments.Retried();
                return;
            case RequeueCause.Deadline: _counters.RequeuedDeadline++; break;
            case RequeueCause.WorkerLost: _counters.RequeuedWorkerLost++; break;
            case RequeueCause.HandedBack: _counters.RequeuedHandedBack++; break;
            case RequeueCause.Manual: _counters.RequeuedManual++; break;
        }

        _instruments.Requeued(cause);
    }

    private void WakeWaiters(int count)
    {
        while (count-- > 0 && _waiters.First is { } first)
        {
            _waiters.RemoveFirst();
            first.Value.TrySetResult();
        }
    }

    private void MarkDirty() => _dirty = true;

    /// <summary>Writes when something changed and the snapshot's own interval has passed: a snapshot is O(n), so a deep
    /// queue is written less often (<see cref="QueueOptions.FlushIntervalFor"/>) and its cost per second stays flat.</summary>
    private Task Flush(CancellationToken cancellationToken) =>
        _dirty && _time.GetUtcNow() - _lastWrite >= _options.FlushIntervalFor(_pending.Count + _leases.Count)
            ? WriteState()
            : Task.CompletedTask;

    /// <summary>Writes a snapshot of the shard. Writes never overlap: a call while one is under way returns that
    /// one, and whatever changed meanwhile stays dirty for the next flush.</summary>
    private Task WriteState()
    {
        if (!_writing.IsCompleted)
        {
            return _writing;
        }

        _dirty = false;
        _lastWrite = _time.GetUtcNow();
        _state.State = new ScheduleState
        {
            Pending = _pending.Snapshot().ToList(),
            Leases = _leases.All.ToList(),
            Counters = _counters.Clone(),
            Recent = _recent.Snapshot().ToList(),
        };
        return _writing = WriteSnapshot();
    }

    private async Task WriteSnapshot()
    {
        try
        {
            await _state.WriteStateAsync();
        }
        catch (Exception ex)
        {
            _dirty = true;
            LogFlushFailed(ex, Shard);
        }
    }

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) =>
        value < min ? min : value > max ? max : value;
}
