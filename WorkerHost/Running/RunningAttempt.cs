using OrleansQueue.Scheduling;

namespace OrleansQueue.Worker.Running;

/// <summary>
/// One attempt in flight on this worker: the leased job, the token its handler watches, why that token fired,
/// whether its single report has been claimed, and the worker slot its handler holds.
/// </summary>
internal sealed class RunningAttempt : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly ITimer _deadline;
    private int _stopReason;
    private int _reportClaimed;
    private volatile bool _disposed;
    private Action? _releaseSlot;
    private Action? _releaseHandlerSlot;
    private int _started;

    /// <param name="releaseSlot">Frees the attempt's place among the jobs the worker holds; called once, by <see cref="HandlerDone"/>.</param>
    /// <param name="worker">The worker holding the lease, which a handler's touch extends; null where there is none (tests).</param>
    public RunningAttempt(LeasedJob job, int shard, TimeProvider time, Action? releaseSlot = null, WorkerId? worker = null)
    {
        Worker = worker;
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(time);
        Job = job;
        Shard = shard;
        _releaseSlot = releaseSlot;
        ReceivedAt = time.GetUtcNow();
        StartedTimestamp = time.GetTimestamp();

        // The deadline counts from when this worker received the lease, not from the schedule's clock.
        _deadline = time.CreateTimer(
            static state => ((RunningAttempt)state!).Stop(StopReason.Deadline), this, job.Deadline, Timeout.InfiniteTimeSpan);
    }

    public LeasedJob Job { get; }

    /// <summary>The schedule shard that leased it (and that its heartbeats go to).</summary>
    public int Shard { get; }

    public AttemptRef Ref => new(Job.JobId, Job.Attempt);

    /// <summary>The worker holding the lease, if known.</summary>
    public WorkerId? Worker { get; }

    /// <summary>A handler's touch: the attempt's own deadline counts again from now (the schedule's lease was
    /// extended first). No effect once the attempt was stopped.</summary>
    public void RestartDeadline()
    {
        if (!_disposed && StopReason == StopReason.None)
        {
            _deadline.Change(Job.Deadline, Timeout.InfiniteTimeSpan);
        }
    }

    public DateTimeOffset ReceivedAt { get; }

    public long StartedTimestamp { get; }

    public CancellationToken Token => _cancellation.Token;

    public StopReason StopReason => (StopReason)Volatile.Read(ref _stopReason);

    /// <summary>Completes when the worker is done with the attempt (reported, handed back or abandoned); never faults.</summary>
    public Task<RunOutcome> Completion { get; set; } = Task.FromResult(RunOutcome.Abandoned);

    /// <summary>Cancels the attempt's token for <paramref name="reason"/>. Only the first reason counts;
    /// returns false when the attempt was already stopped.</summary>
    public bool Stop(StopReason reason)
    {
        if (reason == StopReason.None || Interlocked.CompareExchange(ref _stopReason, (int)reason, (int)StopReason.None) != 0)
        {
            return false;
        }

        if (!_disposed)
        {
            try
            {
                // Asynchronously, so that the handler's continuations do not run on the timer or heartbeat thread.
                _ = _cancellation.CancelAsync();
            }
            catch (ObjectDisposedException)
            {
                // Ended meanwhile: nothing left to stop.
            }
        }

        return true;
    }

    /// <summary>An attempt gets one report (complete, fail or hand-back). The first caller gets true and sends it;
    /// this keeps a late handler and the graceful stop from both reporting.</summary>
    public bool TryClaimReport() => Interlocked.Exchange(ref _reportClaimed, 1) == 0;

    /// <summary>Whether the attempt's handler got a slot: until then it is held, waiting in lease order
    /// (<see cref="Hosting.WorkerOptions.Prefetch"/>).</summary>
    public bool Started => Volatile.Read(ref _started) != 0;

    /// <summary>The handler got a slot; <paramref name="releaseHandlerSlot"/> frees it, called once, by <see cref="HandlerDone"/>.</summary>
    public void Begin(Action releaseHandlerSlot)
    {
        Volatile.Write(ref _releaseHandlerSlot, releaseHandlerSlot);
        Volatile.Write(ref _started, 1);
    }

    /// <summary>The handler has returned (or will not run): its slot and its place among the jobs the worker holds are
    /// free for the next job, while the report may still be on its way. The attempt stays running (and in heartbeats)
    /// until the report is sent. Idempotent.</summary>
    public void HandlerDone()
    {
        Interlocked.Exchange(ref _releaseHandlerSlot, null)?.Invoke();
        Interlocked.Exchange(ref _releaseSlot, null)?.Invoke();
    }

    public void Dispose()
    {
        _disposed = true;
        _deadline.Dispose();
        _cancellation.Dispose();
    }
}
