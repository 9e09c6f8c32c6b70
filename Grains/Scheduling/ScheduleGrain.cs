using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using OrleansQueue.Diagnostics;
using OrleansQueue.Hosting;
using OrleansQueue.Jobs;

namespace OrleansQueue.Scheduling;

/// <summary>
/// One shard of the schedule: orchestrates the priority index (<see cref="PendingIndex"/>), the leases in flight
/// (<see cref="LeaseTable"/>), the workers (<see cref="WorkerRegistry"/>), parked long polls (<see cref="LeaseWaiters"/>),
/// its statistics (<see cref="ShardStatistics"/>) and its persistence (<see cref="ScheduleWriteBehind"/>).
/// <para>
/// Reentrancy: the grain is <see cref="ReentrantAttribute">reentrant</see> so that a parked long-poll
/// <see cref="Lease"/> never blocks <see cref="Enqueue"/>. The invariant that makes this safe: every change to
/// the index, the lease table and the worker registry happens synchronously between awaits, and the only awaits
/// are calls to job grains and the storage write. A job leaves the index and enters the lease table in one
/// synchronous step, before its job grain is called, so no interleaving call can see it in neither or both.
/// </para>
/// <para>
/// Fencing: the shard issues each lease's attempt number (the entry's <see cref="QueueEntry.Attempt"/>) when it leases,
/// and the job grain records it. The lease carries its token from the first moment, so a take-back, a heartbeat or a
/// report can always name the attempt it is about.
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

    private readonly QueueOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ScheduleGrain> _logger;
    private readonly PendingIndex _pending;
    private readonly LeaseTable _leases = new();
    private readonly WorkerRegistry _workers;
    private readonly LeaseWaiters _waiters;
    private readonly ShardStatistics _stats;
    private readonly ScheduleWriteBehind _store;
    private bool _sweeping;
    private IGrainTimer? _sweepTimer;

    public ScheduleGrain(
        [PersistentState("schedule", QueueStorage.Name)] IPersistentState<ScheduleState> state,
        IOptions<QueueOptions> options,
        TimeProvider time,
        ILogger<ScheduleGrain> logger,
        QueueInstruments instruments)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        _pending = new PendingIndex(_options.PriorityAgingStep);
        _workers = new WorkerRegistry(_options.WorkerTimeout, _options.LostWorkerRetention);
        _waiters = new LeaseWaiters(time);
        _stats = new ShardStatistics(instruments, _options.RecentFinishedJobs);
        _store = new ScheduleWriteBehind(state, Capture, _options, time, logger, Shard);
    }

    private int Shard => (int)this.GetPrimaryKeyLong();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var saved = _store.Load();
        foreach (var entry in saved.Pending)
        {
            _pending.Add(entry, now);
        }

        foreach (var lease in saved.Leases)
        {
            _leases.Add(lease);
            // A worker holding leases gets a full timeout from now to show it is still alive.
            _workers.Touch(lease.Worker, null, now);
        }

        _stats.Restore(saved.Counters, saved.Recent);
        if (saved.Pending.Count + saved.Leases.Count > 0)
        {
            LogRestored(Shard, saved.Pending.Count, saved.Leases.Count);
        }

        _sweepTimer = this.RegisterGrainTimer(Sweep, new GrainTimerCreationOptions(_options.SweepInterval, _options.SweepInterval) { Interleave = true });
        this.RegisterGrainTimer(
            _ => _store.FlushIfDueAsync(_pending.Count + _leases.Count),
            new GrainTimerCreationOptions(_options.StateFlushInterval, _options.StateFlushInterval) { Interleave = true });
        await this.RegisterOrUpdateReminder(ReminderName, _options.ReminderPeriod, _options.ReminderPeriod, cancellationToken);
        await base.OnActivateAsync(cancellationToken);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _sweepTimer?.Dispose();
        _waiters.WakeAll();
        await _store.FlushAsync();
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
        var added = entries.Count(entry => AddPending(entry, now));
        _stats.OnEnqueued(added, cause);

        Changed(woken: added);
        return Task.CompletedTask;
    }

    public async Task<ImmutableArray<LeasedJob>> Lease(WorkerId worker, int max, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentException.ThrowIfNullOrWhiteSpace(worker.Name);
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

            // Park without blocking the grain: Enqueue wakes this waiter and the loop takes again.
            if (!await _waiters.WaitAsync(remaining, cancellationToken))
            {
                return [];
            }
        }
    }

    public Task AttemptsEnded(ImmutableArray<AttemptEnd> notices)
    {
        var now = _time.GetUtcNow();
        var requeued = notices.Count(notice => Settle(notice, _leases.Remove(notice.Attempt.JobId, notice.Attempt.Attempt), now));
        Changed(woken: requeued);
        return Task.CompletedTask;
    }

    public Task Remove(Guid jobId, bool firstCancel)
    {
        _pending.Remove(jobId);
        _stats.OnCancelled(jobId, firstCancel);
        Changed();
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

        // Attempts the worker runs that this shard no longer leases to it (cancelled, expired or reassigned), and leases
        // the worker does not know about (the lease reply never reached it): those are given back at once.
        var mine = heartbeat.Running.Where(r => ScheduleShards.Of(r.JobId, _options.Shards) == Shard).ToList();
        var stop = _leases.Disowned(heartbeat.Worker, mine).ToImmutableArray();
        var orphans = _leases.TakeUnknownTo(heartbeat.Worker, mine, now - _options.OrphanLeaseGrace);
        if (orphans.Count > 0)
        {
            await TakeBack(orphans, RequeueCause.HandedBack);
        }

        return new HeartbeatReply(stop);
    }

    public async Task WorkerStopped(WorkerId worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
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
        var now = _time.GetUtcNow();
        var byPriority = new long[QueueMetrics.PriorityLevels];
        for (var p = 0; p < byPriority.Length; p++)
        {
            byPriority[p] = _pending.ReadyCount(p);
        }

        return Task.FromResult(_stats.Snapshot(now) with
        {
            PendingByPriority = ImmutableArray.Create(byPriority),
            Delayed = _pending.DelayedCount,
            Processing = _leases.Count,
            OldestPendingSince = _pending.OldestReadySince(),
            Workers = _workers.Describe(_leases.CountFor, now).ToImmutableArray(),
        });
    }

    public Task<QueueLimits> GetLimits() =>
        Task.FromResult(new QueueLimits(_options.Shards, _options.MaxLeaseBatch, _options.MaxLeaseWait, _options.MaxPayloadBytes));

    public Task<ImmutableArray<Guid>> ListJobs(JobStatus status, int limit)
    {
        limit = Math.Clamp(limit, 0, 100_000);
        var ids = status switch
        {
            JobStatus.Pending => _pending.Snapshot().Select(e => e.JobId),
            JobStatus.Processing => _leases.All.OrderBy(l => l.LeasedAt).Select(l => l.JobId),
            _ => _stats.Newest(status),
        };
        return Task.FromResult(ids.Take(limit).ToImmutableArray());
    }

    /// <summary>Leases up to <paramref name="max"/> jobs and has <see cref="IStartGrain"/> start their attempts: one
    /// call for the whole lease, the only way an attempt starts.</summary>
    private async Task<ImmutableArray<LeasedJob>> TakeAndStart(WorkerId worker, int max)
    {
        var now = _time.GetUtcNow();
        var entries = _pending.Take(max, now);
        if (entries.Count == 0)
        {
            return [];
        }

        // Into the lease table, with the attempt number the entry names, before the job grains are called: from here
        // on the lease's expiry covers the job even if a start call fails, so it cannot be lost.
        var leases = entries.Select(e => new LeaseRecord(e.JobId, worker, e.Attempt, now, now + e.Deadline)).ToList();
        leases.ForEach(_leases.Add);
        Changed();

        ImmutableArray<StartResult> results;
        try
        {
            results = await GrainFactory.GetGrain<IStartGrain>(0)
                .StartAttempts(worker.Name, [.. leases.Select(l => new AttemptRef(l.JobId, l.Attempt))], now);
        }
        catch (Exception ex)
        {
            results = [.. leases.Select(_ => (StartResult)new StartResult.Unreached($"{ex.GetType().Name}: {ex.Message}"))];
        }

        var settled = LeaseStarts.Settle(_leases, leases, entries, results);
        settled.Leased.ForEach(l => LogLeased(l.Job.JobId, l.Job.Attempt, worker, Shard));
        settled.Overtaken.ForEach(l => LogStartOvertaken(l.JobId, l.Attempt, worker));
        settled.Unreached.ForEach(u => LogStartFailed(u.Lease.JobId, worker, u.Error));
        var requeued = settled.Requeue.Count(entry => AddPending(entry, now));
        if (settled.Overtaken.Count + settled.Unreached.Count > 0)
        {
            await TakeBack([.. settled.ToTakeBack], RequeueCause.HandedBack);
        }

        _stats.OnLeased([.. settled.Leased.Select(l => l.Waited)], now);
        Changed(woken: requeued);
        return [.. settled.Leased.Select(l => l.Job)];
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
                Changed(woken: promoted);
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

    /// <summary>Asks each job grain to take back its lease (already out of the table), and settles what it answers. A
    /// lease whose job grain does not answer goes back into the table to be tried again shortly: it is never dropped.</summary>
    private async Task TakeBack(List<LeaseRecord> leases, RequeueCause cause)
    {
        Changed();
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
            switch (reply)
            {
                case TakeBackReply.Ended ended:
                    LogTakenBack(lease.JobId, lease.Attempt, lease.Worker, cause, ended.Notice.Outcome);
                    requeued += Settle(ended.Notice, lease, now) ? 1 : 0;
                    break;
                case TakeBackReply.Pending pending:
                    requeued += AddPending(pending.Entry, now) ? 1 : 0;
                    break;
                case TakeBackReply.MovedOn:
                    break;
                case null when !_leases.Contains(lease.JobId) && !_pending.Contains(lease.JobId):
                    _leases.Add(lease with { ExpiresAt = now + _options.SweepInterval * 10 });
                    break;
            }
        }

        Changed(woken: requeued);
    }

    /// <summary>The one place an ended attempt is settled, whoever ended it (a report, a cancel, a take-back): counts it,
    /// credits its worker, and queues the job again when the notice says so. True when the job went back into the index.</summary>
    private bool Settle(AttemptEnd notice, LeaseRecord? lease, DateTimeOffset now)
    {
        _stats.OnAttemptEnded(notice, notice.EndedAt - lease?.LeasedAt, now);
        if (lease is not null)
        {
            _workers.CountEnded(lease.Worker, notice);
        }

        return notice.Requeue is { } entry && AddPending(entry, now);
    }

    /// <summary>Adds to the index unless the job is already queued or leased here: a job is in one place only.</summary>
    private bool AddPending(QueueEntry entry, DateTimeOffset now) =>
        !_leases.Contains(entry.JobId) && _pending.Add(entry, now);

    /// <summary>Records a change for the write-behind, and wakes one parked lease per job that became leasable.</summary>
    private void Changed(int woken = 0)
    {
        _store.RecordChange();
        _waiters.Wake(woken);
    }

    private ScheduleState Capture() => new()
    {
        Pending = _pending.Snapshot().ToList(),
        Leases = _leases.All.ToList(),
        Counters = _stats.Counters,
        Recent = _stats.Recent.ToList(),
    };

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) =>
        value < min ? min : value > max ? max : value;
}
