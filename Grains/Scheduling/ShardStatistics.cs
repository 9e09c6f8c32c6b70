using System.Collections.Immutable;
using OrleansQueue.Diagnostics;
using OrleansQueue.Jobs;

namespace OrleansQueue.Scheduling;

/// <summary>
/// What a shard counts: the lifetime counters, the three latency histograms, the completion rate, the recently finished
/// jobs, and the silo's instruments. Each event has one method that updates all of them, so no caller can update a
/// counter and forget its instrument (as <c>Orleans.DurableJobs</c>' instruments do).
/// </summary>
public sealed class ShardStatistics(QueueInstruments instruments, int recentPerStatus)
{
    /// <summary>Latency percentiles describe the attempts of the last five minutes.</summary>
    public static readonly TimeSpan LatencyWindow = TimeSpan.FromMinutes(5);

    private readonly SlidingHistogram _waitTimes = new(LatencyWindow);
    private readonly SlidingHistogram _runTimes = new(LatencyWindow);
    private readonly SlidingHistogram _endToEndTimes = new(LatencyWindow);
    private readonly RateWindow _completions = new(300);
    private readonly RecentJobs _recent = new(recentPerStatus);
    private ScheduleCounters _counters = new();

    /// <summary>Puts back what <see cref="Counters"/> and <see cref="Recent"/> saved.</summary>
    public void Restore(ScheduleCounters counters, IEnumerable<RecentJob> recent)
    {
        _counters = counters.Clone();
        foreach (var job in recent)
        {
            _recent.Add(job.JobId, job.Status, job.Queue);
        }

        _recent.TakeUnsaved();
    }

    /// <summary>The jobs that finished since the last call, oldest first, for the shard's journal.</summary>
    public List<RecentJob> TakeFinished() => _recent.TakeUnsaved();

    /// <summary>A copy of the lifetime counters, to save.</summary>
    public ScheduleCounters Counters => _counters.Clone();

    /// <summary>The recently finished jobs, oldest first, to save.</summary>
    public IEnumerable<RecentJob> Recent => _recent.Snapshot();

    /// <summary>The recently finished jobs in <paramref name="status"/>, newest first; with <paramref name="queue"/>, those of
    /// that queue and those whose queue is not known.</summary>
    public IEnumerable<Guid> Newest(JobStatus status, string? queue = null) => _recent.Newest(status, queue);

    /// <summary>Jobs that entered the index: submissions, or with a cause jobs sent back.</summary>
    public void OnEnqueued(int count, RequeueCause? cause)
    {
        if (cause is null)
        {
            OnSubmitted(count);
            return;
        }

        for (var i = 0; i < count; i++)
        {
            OnRequeued(cause.Value);
        }
    }

    public void OnSubmitted(int count)
    {
        _counters.Submitted += count;
        instruments.Submitted(count);
    }

    /// <summary>Attempts started by one lease, each having waited its time in the queue.</summary>
    public void OnLeased(IReadOnlyCollection<TimeSpan> waits, DateTimeOffset now)
    {
        foreach (var wait in waits)
        {
            _waitTimes.Record(wait, now);
            instruments.WaitTime(wait);
        }

        instruments.Leased(waits.Count);
    }

    /// <summary>Counts how an attempt ended. <paramref name="run"/> is its run time when the shard knew its lease;
    /// <paramref name="queue"/> the job's named queue when it knew it.</summary>
    public void OnAttemptEnded(AttemptEnd notice, TimeSpan? run, DateTimeOffset now, string? queue = null)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var jobId = notice.Attempt.JobId;
        if (run is { } r && notice.Outcome is AttemptOutcome.Completed or AttemptOutcome.Failed)
        {
            _runTimes.Record(r, now);
            instruments.RunTime(r);
        }

        switch (notice.Outcome)
        {
            case AttemptOutcome.Completed:
                OnCompleted(jobId, notice.EndedAt - notice.SubmittedAt, now, queue);
                break;
            case AttemptOutcome.Cancelled:
                OnCancelled(jobId, notice.FirstCancel, queue);
                break;
            case var _ when notice.RequeueCause is { } cause:
                OnRequeued(cause);
                break;
            case AttemptOutcome.Failed or AttemptOutcome.DeadlineExceeded or AttemptOutcome.WorkerLost:
                OnFailed(jobId, queue);
                break;
        }
    }

    public void OnCompleted(Guid jobId, TimeSpan endToEnd, DateTimeOffset now, string? queue = null)
    {
        _counters.Completed++;
        instruments.Completed();
        _completions.Add(now);
        _endToEndTimes.Record(endToEnd, now);
        _recent.Add(jobId, JobStatus.Completed, queue);
    }

    /// <summary>A job failed for good.</summary>
    public void OnFailed(Guid jobId, string? queue = null)
    {
        _counters.Failed++;
        instruments.Failed();
        _recent.Add(jobId, JobStatus.Failed, queue);
    }

    /// <summary>A job was cancelled. It counts only on its first cancel: a job counts once as cancelled however often it
    /// is requeued and cancelled again (issue 11 #8); the recent list shows it either way.</summary>
    public void OnCancelled(Guid jobId, bool firstCancel, string? queue = null)
    {
        if (firstCancel)
        {
            _counters.Cancelled++;
            instruments.Cancelled();
        }

        _recent.Add(jobId, JobStatus.Cancelled, queue);
    }

    /// <summary>The one place a job's return to the queue is counted, by cause. A retry after a failed attempt is
    /// counted as retried; the other causes as requeued.</summary>
    public void OnRequeued(RequeueCause cause)
    {
        switch (cause)
        {
            case RequeueCause.Retry:
                _counters.Retried++;
                instruments.Retried();
                return;
            case RequeueCause.Deadline: _counters.RequeuedDeadline++; break;
            case RequeueCause.WorkerLost: _counters.RequeuedWorkerLost++; break;
            case RequeueCause.HandedBack: _counters.RequeuedHandedBack++; break;
            case RequeueCause.Manual: _counters.RequeuedManual++; break;
        }

        instruments.Requeued(cause);
    }

    /// <summary>The counters, latencies and rates as metrics; the caller adds the current state (pending, leases, workers).</summary>
    public QueueMetrics Snapshot(DateTimeOffset now)
    {
        var c = _counters;
        return new QueueMetrics
        {
            PendingByPriority = ImmutableArray.Create(new long[QueueMetrics.PriorityLevels]),
            Workers = [],
            At = now,
            Submitted = c.Submitted,
            Completed = c.Completed,
            Failed = c.Failed,
            Cancelled = c.Cancelled,
            Retried = c.Retried,
            RequeuedDeadline = c.RequeuedDeadline,
            RequeuedWorkerLost = c.RequeuedWorkerLost,
            RequeuedHandedBack = c.RequeuedHandedBack,
            RequeuedManual = c.RequeuedManual,
            WaitTimes = _waitTimes.Snapshot(now),
            RunTimes = _runTimes.Snapshot(now),
            EndToEndTimes = _endToEndTimes.Snapshot(now),
            CompletedPerSecond10s = _completions.PerSecond(TimeSpan.FromSeconds(10), now),
            CompletedPerSecond1m = _completions.PerSecond(TimeSpan.FromMinutes(1), now),
            CompletedPerSecond5m = _completions.PerSecond(TimeSpan.FromMinutes(5), now),
            LatencyWindow = LatencyWindow,
        };
    }
}
