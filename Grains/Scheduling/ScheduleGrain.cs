using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Storage;
using OrleansQueue.Diagnostics;
using OrleansQueue.Hosting;
using OrleansQueue.Jobs;
using OrleansQueue.Storage;

namespace OrleansQueue.Scheduling;

/// <summary>
/// One shard of the schedule: orchestration only. Its books, the priority index, the leases in flight, the workers and
/// the statistics, and the rules that move a job between them are <see cref="ShardLedger"/>; parked long polls are
/// <see cref="LeaseWaiters"/>, persistence is <see cref="ShardJournal"/>. The grain does the messaging: job grains,
/// storage, timers and the reminder.
/// <para>
/// Reentrancy: the grain is <see cref="ReentrantAttribute">reentrant</see> so that a parked long-poll
/// <see cref="Lease"/> never blocks <see cref="Enqueue"/>. The invariant that makes this safe: a job is in the index,
/// or in the lease table, or finished here; every change to the ledger (index, lease table, workers) is a synchronous
/// call between awaits, and the only awaits are calls to job grains, the storage write and the reminder. A job leaves
/// the index and enters the lease table in one synchronous step (<see cref="ShardLedger.Lease"/>), before its job grain
/// is called, so no interleaving call can see it in neither or both.
/// </para>
/// <para>
/// Fencing: the shard issues each lease's attempt number (the entry's <see cref="QueueEntry.Attempt"/>) when it leases,
/// and the job grain records it. The lease carries its token from the first moment, so a take-back, a heartbeat or a
/// report can always name the attempt it is about.
/// </para>
/// <para>
/// Durability: every change goes to the shard's journal. <see cref="Enqueue"/> answers once its entries are written (so a
/// submit is acknowledged only when the job and its index entry are both stored), and a lease is written before any job
/// grain is started; other changes are written within <see cref="QueueOptions.StateFlushInterval"/>. A reminder
/// re-activates the shard while it holds leases; on deactivation it is re-armed to fire at the next deadline, so expiry
/// is still noticed on time after a deactivation.
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
    private readonly ShardLedger _ledger;
    private readonly LeaseWaiters _waiters;
    private readonly ShardJournal _journal;
    private bool _sweeping;
    private IGrainTimer? _sweepTimer;
    private IGrainTimer? _pulseTimer;

    public ScheduleGrain(
        [FromKeyedServices(QueueStorage.Name)] IGrainStorage storage,
        IOptions<QueueOptions> options,
        TimeProvider time,
        ILogger<ScheduleGrain> logger,
        QueueInstruments instruments)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        _ledger = new ShardLedger(_options, new ShardStatistics(instruments, _options.RecentFinishedJobs), Shard);
        _waiters = new LeaseWaiters(time);
        _journal = new ShardJournal(new TimedGrainStorage(storage, instruments), _ledger, _options, logger, Shard);
    }

    private int Shard => (int)this.GetPrimaryKeyLong();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var saved = await _journal.LoadAsync();
        _ledger.Restore(saved, _time.GetUtcNow());
        if (saved.Pending.Count + saved.Leases.Count > 0)
        {
            LogRestored(Shard, saved.Pending.Count, saved.Leases.Count, _journal.LastEntry);
        }

        _sweepTimer = this.RegisterGrainTimer(Sweep, new GrainTimerCreationOptions(_options.SweepInterval, _options.SweepInterval) { Interleave = true });
        // The shard's pulse, apart from the sweep: a timer's next tick waits for its callback, and a sweep can wait on
        // take-backs and the journal, so only a tick that does nothing else shows that the silo ran all along.
        _pulseTimer = this.RegisterGrainTimer(
            _ =>
            {
                NoteRunning();
                return Task.CompletedTask;
            },
            new GrainTimerCreationOptions(_options.SweepInterval, _options.SweepInterval) { Interleave = true });
        this.RegisterGrainTimer(
            _ => _journal.FlushAsync(),
            new GrainTimerCreationOptions(_options.StateFlushInterval, _options.StateFlushInterval) { Interleave = true });
        await this.RegisterOrUpdateReminder(ReminderName, _options.ReminderPeriod, _options.ReminderPeriod, cancellationToken);
        await base.OnActivateAsync(cancellationToken);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _sweepTimer?.Dispose();
        _pulseTimer?.Dispose();
        _waiters.WakeAll();
        await _journal.CloseAsync();
        if (reason.ReasonCode == DeactivationReasonCode.ShuttingDown)
        {
            // The silo is going away; the periodic reminder already registered brings the shard back elsewhere.
            await base.OnDeactivateAsync(reason, cancellationToken);
            return;
        }

        // Re-arm the reminder to the next thing due, so a deactivated shard comes back in time for it.
        try
        {
            await this.RegisterOrUpdateReminder(ReminderName, _ledger.ReminderDue(_time.GetUtcNow()), _options.ReminderPeriod, cancellationToken);
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
        Changed(woken: _ledger.Enqueue(entries, cause, _time.GetUtcNow()));
        return Committed();
    }

    public async Task<ImmutableArray<LeasedJob>> Lease(WorkerId worker, int max, TimeSpan wait, string[]? queues = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentException.ThrowIfNullOrWhiteSpace(worker.Name);
        _options.CheckLease(max, wait);
        var watched = CheckQueues(queues);

        var until = _time.GetUtcNow() + wait;
        while (true)
        {
            // A cancelled call's reply is dropped by the caller, so never take jobs for it: they would sit on a
            // lease nobody received until the orphan check handed them back.
            if (cancellationToken.IsCancellationRequested)
            {
                return [];
            }

            _ledger.Touch(worker, _time.GetUtcNow());
            var leased = await TakeAndStart(worker, watched, max);
            var remaining = until - _time.GetUtcNow();
            if (leased.Length > 0 || remaining <= TimeSpan.Zero || cancellationToken.IsCancellationRequested)
            {
                return leased;
            }

            // Park without blocking the grain: Enqueue wakes this waiter and the loop takes again.
            if (!await _waiters.WaitAsync(remaining, cancellationToken, watched, worker))
            {
                return [];
            }
        }
    }

    public Task EndWaits(WorkerId worker, string[]? queues = null)
    {
        ArgumentNullException.ThrowIfNull(worker);
        _waiters.End(worker, CheckQueues(queues));
        return Task.CompletedTask;
    }

    public Task AttemptsEnded(ImmutableArray<AttemptEnd> notices)
    {
        Changed(woken: _ledger.AttemptsEnded(notices, _time.GetUtcNow()));
        return Task.CompletedTask;
    }

    public Task Remove(Guid jobId, bool firstCancel)
    {
        _ledger.Remove(jobId, firstCancel);
        return Task.CompletedTask;
    }

    public async Task<HeartbeatReply> Heartbeat(WorkerHeartbeat heartbeat)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        var (back, stop, orphans, stall) = _ledger.Heartbeat(heartbeat, _time.GetUtcNow());
        if (stall is { } stalled)
        {
            LogStalled(Shard, stalled);
        }

        if (back)
        {
            LogWorkerBack(heartbeat.Worker, Shard);
        }

        // Only the shard's owner tells a worker to stop attempts or takes its leases back: to an activation paused past
        // its silo's death, the attempts the new owner leased meanwhile look like no one's.
        if ((orphans.Count > 0 || stop.Length > 0) && !await StillOwnsAsync())
        {
            return new HeartbeatReply([]);
        }

        // Leases the worker does not know about (the lease reply never reached it) are given back at once.
        if (orphans.Count > 0)
        {
            await TakeBack(orphans, RequeueCause.HandedBack);
        }

        return new HeartbeatReply(stop);
    }

    public Task<bool> ExtendLease(WorkerId worker, AttemptRef attempt, TimeSpan time)
    {
        ArgumentNullException.ThrowIfNull(worker);
        return Task.FromResult(_ledger.ExtendLease(worker, attempt, time, _time.GetUtcNow()));
    }

    public async Task WorkerStopped(WorkerId worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        var left = _ledger.StopWorker(worker);
        if (left.Count > 0)
        {
            await TakeBack(left, RequeueCause.HandedBack);
        }

        LogWorkerStopped(worker, Shard, left.Count);
    }

    public Task<QueueMetrics> GetMetrics() => Task.FromResult(_ledger.Metrics(_time.GetUtcNow()));

    public Task<QueueLimits> GetLimits() =>
        Task.FromResult(new QueueLimits(_options.Shards, _options.MaxLeaseBatch, _options.MaxLeaseWait, _options.MaxPayloadBytes, _options.WorkerTimeout));

    public Task<ImmutableArray<QueueCounts>> GetQueueCounts(string? queue) =>
        Task.FromResult(_ledger.Counts(queue, _time.GetUtcNow()).ToImmutableArray());

    public Task PauseQueue(string queue, TimeSpan delay)
    {
        if (!QueueNames.IsValid(queue))
        {
            throw new ArgumentException(QueueNames.Malformed(queue), nameof(queue));
        }

        Changed(woken: _ledger.Pause(queue, delay, _time.GetUtcNow()));
        return Task.CompletedTask;
    }

    public Task<Guid?> PeekQueue(string queue, PeekPlace place) => Task.FromResult(_ledger.Peek(queue, place, _time.GetUtcNow()));

    public Task<ImmutableArray<Guid>> ListBuried(string queue, int limit) =>
        Task.FromResult(_ledger.Buried(queue).Take(Math.Clamp(limit, 0, 100_000)).ToImmutableArray());

    public Task<ImmutableArray<Guid>> ListJobs(JobStatus status, int limit, string? queue = null)
    {
        if (queue is not null && !QueueNames.IsValid(queue))
        {
            throw new ArgumentException(QueueNames.Malformed(queue), nameof(queue));
        }

        return Task.FromResult(_ledger.List(status, queue, _time.GetUtcNow()).Take(Math.Clamp(limit, 0, 100_000)).ToImmutableArray());
    }

    /// <summary>Leases up to <paramref name="max"/> jobs and has <see cref="IStartGrain"/> start their attempts: one
    /// call for the whole lease, the only way an attempt starts.</summary>
    private async Task<ImmutableArray<LeasedJob>> TakeAndStart(WorkerId worker, IReadOnlyList<string> queues, int max)
    {
        var now = _time.GetUtcNow();
        // Out of the index and into the lease table before the job grains are called: from here on the lease's expiry
        // covers the job even if a start call fails, so it cannot be lost.
        var (entries, leases) = _ledger.Lease(worker, queues, max, now);
        return await Start(worker, entries, leases, now);
    }

    public async Task<LeasedJob?> LeaseJob(WorkerId worker, Guid jobId)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentException.ThrowIfNullOrWhiteSpace(worker.Name);
        var now = _time.GetUtcNow();
        _ledger.Touch(worker, now);
        var (entries, leases) = _ledger.LeaseJob(worker, jobId, now);
        var leased = await Start(worker, entries, leases, now);
        return leased.IsEmpty ? null : leased[0];
    }

    /// <summary>Starts the attempts of jobs just leased (already in the lease table).</summary>
    private async Task<ImmutableArray<LeasedJob>> Start(WorkerId worker, List<QueueEntry> entries, List<LeaseRecord> leases, DateTimeOffset now)
    {
        if (entries.Count == 0)
        {
            return [];
        }

        // The lease is in the journal before any job grain starts an attempt, so a shard that comes back elsewhere
        // knows who holds the job. If the write fails the start goes ahead: the job grain (in the same storage) is the
        // judge, and the lease's expiry still covers the job. But not when another activation has taken the shard over
        // (this one was paused past its silo's death): that one holds these jobs as pending, and an attempt started here
        // would be one no lease of the shard covers. This activation is deactivating; the worker asks again.
        try
        {
            await Committed();
        }
        catch (ShardJournalFencedException)
        {
            LogLeaseFenced(Shard, leases.Count, worker);
            return [];
        }
        catch (Exception ex)
        {
            LogLeaseNotWritten(ex, Shard);
        }

        ImmutableArray<StartResult> results;
        try
        {
            results = await GrainFactory.Grain<IStartGrain>(0)
                .StartAttempts(worker.Name, [.. leases.Select(l => new AttemptRef(l.JobId, l.Attempt))], now);
        }
        catch (Exception ex)
        {
            results = [.. leases.Select(_ => (StartResult)new StartResult.Unreached($"{ex.GetType().Name}: {ex.Message}"))];
        }

        var (settled, requeued) = _ledger.SettleStarts(leases, entries, results, now);
        settled.Leased.ForEach(l => LogLeased(l.Job.JobId, l.Job.Attempt, worker, Shard));
        settled.Overtaken.ForEach(l => LogStartOvertaken(l.JobId, l.Attempt, worker));
        settled.Unreached.ForEach(u => LogStartFailed(u.Lease.JobId, worker, u.Error));
        settled.Orphaned.ForEach(o => LogOrphanedAttempt(o.JobId, o.Attempt, Shard));
        if (settled.Overtaken.Count + settled.Unreached.Count > 0)
        {
            await TakeBack([.. settled.ToTakeBack], RequeueCause.HandedBack);
        }

        if (settled.Orphaned.Count > 0)
        {
            await TakeBack(settled.Orphaned, RequeueCause.HandedBack, anyLease: true);
        }

        Changed(woken: requeued);
        // The reply leaves now: from here the worker's heartbeats have the orphan grace to name these jobs.
        _ledger.HandedOut(settled.Leased.Select(l => l.Job.JobId), _time.GetUtcNow());
        return [.. settled.Leased.Select(l => l.Job)];
    }

    private static IReadOnlyList<string> CheckQueues(string[]? queues)
    {
        if (queues is null || queues.Length == 0)
        {
            return QueueNames.DefaultOnly;
        }

        if (queues.Length > IScheduleGrain.MaxLeaseQueues)
        {
            throw new ArgumentException($"A lease names {queues.Length} queues; the limit is {IScheduleGrain.MaxLeaseQueues}.", nameof(queues));
        }

        var bad = Array.FindIndex(queues, q => !QueueNames.IsValid(q));
        if (bad >= 0)
        {
            throw new ArgumentException(QueueNames.Malformed(queues[bad]), nameof(queues));
        }

        return queues.Distinct(StringComparer.Ordinal).ToArray();
    }

    private async Task Sweep(CancellationToken cancellationToken)
    {
        NoteRunning();
        if (_sweeping)
        {
            return;
        }

        _sweeping = true;
        try
        {
            var (promoted, expired, lost) = _ledger.Sweep(_time.GetUtcNow());
            if (promoted > 0)
            {
                Changed(woken: promoted);
            }

            if ((expired.Count > 0 || lost.Count > 0) && !await StillOwnsAsync())
            {
                return;
            }

            foreach (var worker in lost)
            {
                var held = _ledger.TakeLeasesOf(worker);
                LogWorkerLost(worker, Shard, held.Count);
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

    /// <summary>See <see cref="ShardLedger.NoteRunning"/>.</summary>
    private void NoteRunning()
    {
        if (_ledger.NoteRunning(_time.GetUtcNow()) is { } stall)
        {
            LogStalled(Shard, stall);
        }
    }

    /// <summary>Asks each job grain to take back its lease (already out of the table), and settles what it answers. A
    /// lease whose job grain does not answer goes back into the table to be tried again shortly: it is never dropped.
    /// With <paramref name="anyLease"/> the attempt is taken back whatever lease it started under (an attempt no lease
    /// of this shard covers, see <see cref="LeaseStarts"/>); otherwise only if it started under this very lease.</summary>
    private async Task TakeBack(List<LeaseRecord> leases, RequeueCause cause, bool anyLease = false)
    {
        var replies = await Task.WhenAll(leases.Select(async lease =>
        {
            try
            {
                return (lease, reply: await GrainFactory.Grain<IJobGrain>(lease.JobId).TakeBack(lease.Attempt, anyLease ? null : lease.LeasedAt, cause));
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
            if (reply is TakeBackReply.Ended ended)
            {
                LogTakenBack(lease.JobId, lease.Attempt, lease.Worker, cause, ended.Notice.Outcome);
            }
            else if (reply is TakeBackReply.AlreadyEnded already)
            {
                LogEndedUnsettled(lease.JobId, lease.Attempt, already.Notice.Outcome);
            }

            requeued += _ledger.SettleTakeBack(lease, reply, _options.SweepInterval * 10, now) ? 1 : 0;
        }

        Changed(woken: requeued);
    }

    /// <summary>
    /// Whether this activation still holds the shard, before it takes attempts back: one paused past its silo's death
    /// (a stopped process, a long GC pause) wakes to workers that all look silent and leases that look expired, while
    /// the workers were heard by the activation that took the shard over, and their reports went there. Only the owner
    /// may act on what it saw; an entry written to the journal says whether this one still is (fenced: it deactivates). When the
    /// journal cannot be written for another reason, the take-backs go ahead as before: the job grains are the judges.
    /// </summary>
    private async Task<bool> StillOwnsAsync()
    {
        try
        {
            await Committed(confirm: true);
            return true;
        }
        catch (ShardJournalFencedException)
        {
            LogSweepFenced(Shard);
            return false;
        }
        catch (Exception ex)
        {
            LogSweepNotWritten(ex, Shard);
            return true;
        }
    }

    /// <summary>Wakes one parked lease per job that became leasable (the journal sees every change by itself).</summary>
    private void Changed(int woken = 0) => _waiters.Wake(woken);

    /// <summary>Waits until the journal holds every change so far (with <paramref name="confirm"/>, until it holds an
    /// entry written after this call, even with nothing changed: <see cref="ShardJournal.ConfirmAsync"/>). When another
    /// activation has claimed the journal, this one deactivates: its books are no longer the shard's.</summary>
    private async Task Committed(bool confirm = false)
    {
        try
        {
            await (confirm ? _journal.ConfirmAsync() : _journal.CommitAsync());
        }
        catch (ShardJournalFencedException)
        {
            DeactivateOnIdle();
            throw;
        }
    }
}
