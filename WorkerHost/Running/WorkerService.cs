using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using OrleansQueue.Scheduling;
using OrleansQueue.Worker.Hosting;

namespace OrleansQueue.Worker.Running;

/// <summary>
/// The worker's life: learn the shards, lease from each while slots are free, run what is leased, beat to every
/// shard, and on the host's stop hand back what cannot finish in the grace.
/// <para>
/// Slots: a place is reserved before a lease call and held until the handler of the attempt it carried returns, so
/// the number of jobs held (running, waiting for a slot, or being asked for) never exceeds
/// <see cref="WorkerOptions.Concurrency"/> plus <see cref="WorkerOptions.Prefetch"/>; at most
/// <see cref="WorkerOptions.Concurrency"/> handlers run, and held jobs take the slots in lease order. A lease thus
/// carries several jobs where it would carry the one slot just freed. The report is sent after the slot is free
/// (batched by <see cref="JobReporter"/>), so a slot's next lease does not wait for the last report's round trip.
/// </para>
/// <para>
/// Identity: the worker is known to the schedule by <see cref="WorkerId"/>, its name (a label, shown in attempts and
/// metrics) plus an instance id drawn at start, so two processes given the same <c>--name</c> are two workers.
/// </para>
/// <para>
/// Reports: each attempt gets at most one report (<see cref="RunningAttempt.TryClaimReport"/>), and it stays in
/// <see cref="RunningAttempts"/> until that report is sent, so heartbeats name every lease the worker holds.
/// </para>
/// </summary>
internal sealed partial class WorkerService(
    IGrainFactory grains,
    IOptions<WorkerOptions> options,
    JobRunner runner,
    JobReporter reporter,
    WorkerActivity activity,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<WorkerService> logger) : BackgroundService
{
    /// <summary>After the grace, how long cancelled handlers get to return before their attempts are handed back
    /// without them. Part of the shutdown budget (<see cref="WorkerServiceCollectionExtensions"/>).</summary>
    public static readonly TimeSpan CancelledHandlerWait = TimeSpan.FromSeconds(3);

    /// <summary>Bounds the last calls of a stop, so a silo that is gone cannot hold the exit.</summary>
    public static readonly TimeSpan StopCallTimeout = TimeSpan.FromSeconds(3);

    /// <summary>How often the worker logs how many attempts it finished (when it finished any).</summary>
    public static readonly TimeSpan SummaryInterval = TimeSpan.FromSeconds(10);

    /// <summary>How long a poll parks while other shards' loops wait for a slot: slots go round the shards this often.</summary>
    public static readonly TimeSpan ContendedLeaseWait = TimeSpan.FromSeconds(1);

    private readonly WorkerOptions _options = options.Value;

    /// <summary>The queues every lease names; null is the default queue.</summary>
    private readonly string[]? _queues = options.Value.Queues.Count == 0 ? null : [.. options.Value.Queues.Distinct(StringComparer.Ordinal)];
    private readonly WorkerId _id = WorkerId.New(options.Value.Name);
    private readonly RunningAttempts _running = new();
    private readonly SlotPool _slots = new(options.Value.Concurrency + options.Value.HeldBeyondSlots);

    /// <summary>The handler slots; a held job waits here, in lease order (<see cref="SemaphoreSlim"/> serves its
    /// asynchronous waiters first come, first served).</summary>
    private readonly SemaphoreSlim _handlerSlots = new(options.Value.Concurrency, options.Value.Concurrency);

    private readonly Turnover _turnover = new(time);
    private readonly OutageLog _outage = new(time);
    private CancellationToken _stopping;
    private int _finishedWhileStopping;
    private int _handedBack;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        if (await GetLimitsAsync(stoppingToken).ConfigureAwait(false) is not { } limits)
        {
            return; // Stopped before the schedule answered: nothing was leased.
        }

        if (HeartbeatRefusal(_options.HeartbeatInterval, limits.WorkerTimeout) is { } refusal)
        {
            // Nothing leased yet: the host stops, and the process says why (Program) and exits 2.
            Refusal = refusal;
            lifetime.StopApplication();
            return;
        }

        var shardCount = limits.Shards;
        LogReady(_options.Name, _options.Concurrency, _options.Redis is { } redis ? $"from Redis at {redis}" : _options.Gateway, _options.ClusterId, shardCount);
        LogIdentity(_id.Name, _id.Instance);

        using var heartbeatStop = new CancellationTokenSource();
        var heartbeats = RunHeartbeatsAsync(shardCount, heartbeatStop.Token);
        var summaries = RunSummariesAsync(heartbeatStop.Token);

        // The lease loops end as soon as the host stops: the token cancels their parked long polls.
        await Task.WhenAll(Enumerable.Range(0, shardCount).Select(shard => LeaseLoopAsync(shard, shardCount, limits.MaxLeaseBatch, stoppingToken)))
            .ConfigureAwait(false);

        await DrainAsync().ConfigureAwait(false);

        // Heartbeats go on through the grace, so the schedule neither declares the worker lost nor misses a remote stop.
        await heartbeatStop.CancelAsync().ConfigureAwait(false);
        await heartbeats.ConfigureAwait(false);
        await summaries.ConfigureAwait(false);
        LogSummary();

        await NotifyStoppedAsync(shardCount).ConfigureAwait(false);
        var finished = Volatile.Read(ref _finishedWhileStopping);
        var handedBack = Volatile.Read(ref _handedBack);
        LogStopped(_options.Name, finished, handedBack);
    }

    /// <summary>Why the worker stopped before leasing anything, when its settings do not fit the silo's; else null.</summary>
    public string? Refusal { get; private set; }

    /// <summary>Beats further apart than half the silo's worker timeout would have the schedule declare a live worker
    /// lost, as soon as one beat is late, and take its jobs back, using their retries. A silo that does not say its
    /// timeout (zero: one older than this check) is not second-guessed.</summary>
    public static string? HeartbeatRefusal(TimeSpan interval, TimeSpan workerTimeout) => workerTimeout <= TimeSpan.Zero || interval * 2 <= workerTimeout
        ? null
        : $"Worker:HeartbeatInterval (--heartbeat) is {WorkerOptionsValidator.Seconds(interval)} s: it must be at most half the silo's worker timeout " +
          $"(Queue:WorkerTimeout, {WorkerOptionsValidator.Seconds(workerTimeout)} s), or the silo declares this worker lost between its beats and takes its jobs back. " +
          $"Give --heartbeat {WorkerOptionsValidator.Seconds(workerTimeout / 2)} or less.";

    public override void Dispose()
    {
        _slots.Dispose();
        _handlerSlots.Dispose();
        base.Dispose();
    }

    /// <summary>Asks the silo for its limits (shards, lease batch): the worker learns them instead of copying them.</summary>
    /// <returns>The limits, or null when the host stopped first.</returns>
    private async Task<QueueLimits?> GetLimitsAsync(CancellationToken stoppingToken)
    {
        for (var failures = 1; ; failures++)
        {
            try
            {
                return await grains.Grain<IScheduleGrain>(0).GetLimits().WaitAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                var delay = TransientErrors.Backoff(failures);
                LogLimitsFailed((long)delay.TotalMilliseconds, ex.Message);
                try
                {
                    await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return null;
                }
            }
        }
    }

    private async Task LeaseLoopAsync(int shard, int shardCount, int maxLeaseBatch, CancellationToken stoppingToken)
    {
        var schedule = grains.Grain<IScheduleGrain>(shard);

        // A loop asks for at most its share of the slots, so that a long poll parked on an empty shard cannot hold
        // every slot while another shard has jobs. With more shards than slots the loops take turns (see below).
        var share = Math.Clamp(_slots.Capacity / shardCount, 1, maxLeaseBatch);
        var handBacks = new List<Task>();
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            int reserved;
            try
            {
                reserved = await _slots.ReserveAsync(share, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            // Beyond the free slots, hold only as many jobs as the handlers finish in a short while (Turnover): when the
            // slots are taken by long jobs, give the places back and wait for a handler to finish instead.
            var held = _slots.Capacity - _slots.Free;
            var allowed = _options.Concurrency + Math.Min(_options.HeldBeyondSlots, _turnover.Recent);
            if (held > allowed)
            {
                var excess = Math.Min(reserved, held - allowed);
                _slots.Release(excess);
                reserved -= excess;
                if (reserved == 0)
                {
                    try
                    {
                        // Registered before the second look, so a job that ends in between still wakes this loop.
                        var next = _turnover.NextAsync(stoppingToken);
                        if (_slots.Capacity - _slots.Free > allowed)
                        {
                            await next.ConfigureAwait(false);
                        }
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }

                    continue;
                }
            }

            // While other loops wait for a slot, park briefly so that the slots go round the shards. (Cancelling a parked
            // poll instead would lose the reply of a poll that leased a job at that instant: the client drops it.)
            var wait = _slots.Waiting > 0 && _options.LeaseWait > ContendedLeaseWait ? ContendedLeaseWait : _options.LeaseWait;
            ImmutableArray<LeasedJob> jobs;
            try
            {
                jobs = await schedule.Lease(_id, reserved, wait, _queues, stoppingToken).ConfigureAwait(false);
                failures = 0;
                if (_outage.Succeeded())
                {
                    LogSiloAnswers(shard);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _slots.Release(reserved);
                if (stoppingToken.IsCancellationRequested)
                {
                    break;
                }

                var delay = TransientErrors.Backoff(++failures);
                if (TransientErrors.IsTransient(ex))
                {
                    if (_outage.Failed(delay) is { } quiet)
                    {
                        LogSiloUnreachable($"lease from shard {shard}", quiet.TotalSeconds, ex.Message);
                    }
                }
                else
                {
                    LogLeaseFailedUnexpectedly(ex, shard, (long)delay.TotalMilliseconds, ex.Message);
                }

                try
                {
                    await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                continue;
            }

            for (var i = 0; i < jobs.Length; i++)
            {
                if (i >= reserved)
                {
                    handBacks.Add(HandBackUnstartedAsync(jobs[i], "the schedule leased more jobs than were asked for"));
                }
                else if (stoppingToken.IsCancellationRequested)
                {
                    _slots.Release(1);
                    handBacks.Add(HandBackUnstartedAsync(jobs[i], "leased after the worker began to stop; not started"));
                }
                else
                {
                    Start(jobs[i], shard);
                }
            }

            _slots.Release(reserved - Math.Min(reserved, jobs.Length));
            _turnover.Finished(counted: false); // Places this loop held came back: a loop waiting for one looks again.
        }

        await Task.WhenAll(handBacks).ConfigureAwait(false);
    }

    /// <summary>Starts the attempt at once on the thread pool; its slot is already reserved and is released when it ends.</summary>
    private void Start(LeasedJob job, int shard)
    {
        var attempt = new RunningAttempt(job, shard, time, () => _slots.Release(1), _id);
        if (!_running.TryAdd(attempt))
        {
            // The schedule leases an attempt once; a second copy is dropped, the first one reports.
            using (JobLogScope.Begin(logger, job, _options.Name))
            {
                LogDuplicateLease(job.JobId, job.Attempt);
            }

            attempt.HandlerDone();
            attempt.Dispose();
            return;
        }

        // The place in the line for a handler slot is taken here, in lease order; the wait ends early when the attempt
        // is stopped (its deadline, the schedule, or the worker's stop). Set before the lease loop goes on; the drain
        // reads it only after every lease loop has ended.
        var slot = _handlerSlots.WaitAsync(Timeout.Infinite, attempt.Token);
        attempt.Completion = Task.Run(() => RunAsync(attempt, slot));
    }

    private async Task<RunOutcome> RunAsync(RunningAttempt attempt, Task slot)
    {
        try
        {
            try
            {
                await slot.ConfigureAwait(false);
                var begun = time.GetTimestamp();
                attempt.Begin(() =>
                {
                    _handlerSlots.Release();
                    // Only a quick job's finish makes room to hold jobs ahead: behind long ones, all finishing together, a
                    // held job would wait a whole run for its slot, its deadline running from the lease.
                    _turnover.Finished(counted: time.GetElapsedTime(begun) <= Turnover.QuickRun);
                });
            }
            catch (OperationCanceledException)
            {
                return await GiveBackHeldAsync(attempt).ConfigureAwait(false);
            }

            var outcome = await runner.RunAsync(attempt).ConfigureAwait(false);
            if (outcome == RunOutcome.HandedBack)
            {
                Interlocked.Increment(ref _handedBack);
            }
            else if (outcome == RunOutcome.Reported && _stopping.IsCancellationRequested)
            {
                Interlocked.Increment(ref _finishedWhileStopping);
            }

            return outcome;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            using (JobLogScope.Begin(logger, attempt.Job, _options.Name))
            {
                LogRunFailed(ex, attempt.Job.JobId, attempt.Job.Attempt);
            }

            return RunOutcome.Abandoned;
        }
        finally
        {
            _running.Remove(attempt);
            attempt.HandlerDone();
            attempt.Dispose();
            _turnover.Finished(counted: false); // A place is free: a lease loop waiting for one looks again.
        }
    }

    /// <summary>A held job stopped before its handler got a slot: it was never started, so it goes back without using a
    /// retry, unless the schedule itself stopped it.</summary>
    private async Task<RunOutcome> GiveBackHeldAsync(RunningAttempt attempt)
    {
        if (attempt.StopReason == StopReason.RemoteStop || !attempt.TryClaimReport())
        {
            return RunOutcome.Abandoned;
        }

        var reason = attempt.StopReason == StopReason.Deadline
            ? "its deadline ran out while it waited for a slot; not started"
            : "the worker stopped before a slot was free; not started";
        await HandBackUnstartedAsync(attempt.Job, reason).ConfigureAwait(false);
        return RunOutcome.HandedBack;
    }

    private async Task HandBackUnstartedAsync(LeasedJob job, string reason)
    {
        using var scope = JobLogScope.Begin(logger, job, _options.Name);
        var reply = await reporter.HandBackAsync(job, reason).ConfigureAwait(false);
        if (reply is { IsAccepted: true })
        {
            Interlocked.Increment(ref _handedBack);
        }
    }

    private async Task RunHeartbeatsAsync(int shardCount, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.HeartbeatInterval, time);
        try
        {
            do
            {
                await Task.WhenAll(Enumerable.Range(0, shardCount).Select(SendHeartbeatAsync)).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped after the drain.
        }
    }

    private async Task RunSummariesAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(SummaryInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                LogSummary();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped after the drain; the last summary follows.
        }
    }

    private void LogSummary()
    {
        var (completed, failed) = activity.Take();
        if (completed + failed > 0)
        {
            LogFinished(_options.Name, completed, failed, _running.Count);
        }
    }

    private async Task SendHeartbeatAsync(int shard)
    {
        try
        {
            var beat = new WorkerHeartbeat(_id, _options.Concurrency, _running.OfShard(shard));
            var reply = await grains.Grain<IScheduleGrain>(shard).Heartbeat(beat).ConfigureAwait(false);
            foreach (var stop in reply.Stop)
            {
                if (_running.Find(stop) is { } attempt && attempt.Stop(StopReason.RemoteStop))
                {
                    using (JobLogScope.Begin(logger, attempt.Job, _options.Name))
                    {
                        LogRemoteStop(stop.JobId, stop.Attempt, shard);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            if (!TransientErrors.IsTransient(ex))
            {
                LogHeartbeatFailed(shard, ex.Message);
            }
            else if (_outage.Failed(_options.HeartbeatInterval) is { } quiet)
            {
                LogSiloUnreachable($"heartbeat to shard {shard}", quiet.TotalSeconds, ex.Message);
            }
        }
    }

    /// <summary>Leasing has stopped. Running attempts get the grace to finish and report; then the rest are
    /// cancelled and hand themselves back; handlers that ignore the cancellation are handed back without them.</summary>
    private async Task DrainAsync()
    {
        var running = _running.Snapshot();
        foreach (var held in running.Where(a => !a.Started))
        {
            held.Stop(StopReason.Grace); // Never started: handed back now rather than run in the grace.
        }

        LogStopping(_options.Name, running.Count, _options.Grace.TotalSeconds);
        if (running.Count == 0 || await WaitAllAsync(running, _options.Grace).ConfigureAwait(false))
        {
            return;
        }

        var left = _running.Snapshot();
        foreach (var attempt in left)
        {
            attempt.Stop(StopReason.Grace);
        }

        if (await WaitAllAsync(left, CancelledHandlerWait).ConfigureAwait(false))
        {
            return;
        }

        // Only attempts stopped by the grace: one past its deadline or stopped by the schedule is not ours to give back.
        var hung = _running.Snapshot().Where(a => a.StopReason == StopReason.Grace && a.TryClaimReport()).ToList();
        foreach (var attempt in hung)
        {
            using (JobLogScope.Begin(logger, attempt.Job, _options.Name))
            {
                LogHungHandler(attempt.Job.JobId, attempt.Job.Attempt, (long)CancelledHandlerWait.TotalMilliseconds);
            }
        }

        try
        {
            await Task.WhenAll(hung.Select(a => HandBackUnstartedAsync(a.Job, "its handler did not stop when cancelled")))
                .WaitAsync(StopCallTimeout, time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // WorkerStopped hands back whatever is still leased to this worker.
        }
    }

    private async Task<bool> WaitAllAsync(IEnumerable<RunningAttempt> attempts, TimeSpan timeout)
    {
        try
        {
            await Task.WhenAll(attempts.Select(a => a.Completion)).WaitAsync(timeout, time).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Tells every shard the worker is gone, so it is not counted as lost; a shard also hands back any lease
    /// of this worker that is left (e.g. one whose reply was lost when the last lease call was cancelled).</summary>
    private async Task NotifyStoppedAsync(int shardCount)
    {
        await Task.WhenAll(Enumerable.Range(0, shardCount).Select(async shard =>
        {
            try
            {
                await grains.Grain<IScheduleGrain>(shard).WorkerStopped(_id).WaitAsync(StopCallTimeout, time).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogStopNoticeFailed(shard, _options.Name, ex.Message);
            }
        })).ConfigureAwait(false);
    }
}
