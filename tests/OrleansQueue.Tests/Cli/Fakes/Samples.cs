using System.Collections.Immutable;
using System.Text;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Tests.Cli.Fakes;

/// <summary>Hand-made views, as the silo would return them.</summary>
internal static class Samples
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly Guid CompletedId = Guid.Parse("01968f3e-1c2a-7b3d-9e4f-a1b2c3d4e5f6");

    public static JobView PendingJob() => new()
    {
        Id = Guid.Parse("01968f3e-1c2a-7b3d-9e4f-000000000001"),
        Type = "T",
        Status = JobStatus.Pending,
        Priority = 5,
        RetriesLeft = 3,
        Retries = 3,
        Deadline = TimeSpan.FromSeconds(300),
        SubmittedAt = T0,
        Attempts = [],
        PayloadBytes = 0,
        RetryBackoff = TimeSpan.FromSeconds(1),
    };

    /// <summary>Failed once on worker-a, then completed on worker-b.</summary>
    public static JobView CompletedJob() => new()
    {
        Id = CompletedId,
        Type = "TRANSCODE_VIDEO",
        Status = JobStatus.Completed,
        Priority = 2,
        RetriesLeft = 2,
        Retries = 3,
        Deadline = TimeSpan.FromSeconds(300),
        SubmittedAt = T0,
        StartedAt = T0.AddSeconds(1),
        FinishedAt = T0.AddSeconds(5),
        Attempts =
        [
            new AttemptRecord(1, "worker-a", T0.AddSeconds(1), T0.AddSeconds(2), AttemptOutcome.Failed, "codec not found"),
            new AttemptRecord(2, "worker-b", T0.AddSeconds(3), T0.AddSeconds(5), AttemptOutcome.Completed, null),
        ],
        Result = Encoding.UTF8.GetBytes("{\"frames\":1200} ✓"),
        PayloadBytes = 12,
        RetryBackoff = TimeSpan.FromSeconds(1.5),
    };

    public static JobView FailedJob() => CompletedJob() with
    {
        Id = Guid.Parse("01968f3e-1c2a-7b3d-9e4f-000000000003"),
        Status = JobStatus.Failed,
        RetriesLeft = 0,
        Attempts = [new AttemptRecord(1, "worker-a", T0.AddSeconds(1), T0.AddSeconds(2), AttemptOutcome.DeadlineExceeded, "deadline exceeded")],
        Result = null,
        Error = "deadline exceeded",
    };

    /// <summary>Processing attempt 1 on worker-a, whose handler reported <paramref name="percent"/>.</summary>
    public static JobView Processing(JobView job, int percent, string? message = null) => job with
    {
        Status = JobStatus.Processing,
        StartedAt = T0.AddSeconds(1),
        Attempts = [new AttemptRecord(1, "worker-a", T0.AddSeconds(1), null, AttemptOutcome.Running, null)],
        Progress = new JobProgress(1, percent, message, T0.AddSeconds(2)),
    };

    public static JobView Completed(JobView job, string result) => job with
    {
        Status = JobStatus.Completed,
        FinishedAt = T0.AddSeconds(3),
        Attempts = [new AttemptRecord(1, "worker-a", T0.AddSeconds(1), T0.AddSeconds(3), AttemptOutcome.Completed, null)],
        Result = Encoding.UTF8.GetBytes(result),
    };

    public static JobView Failed(JobView job, string error) => job with
    {
        Status = JobStatus.Failed,
        RetriesLeft = 0,
        FinishedAt = T0.AddSeconds(3),
        Attempts = [new AttemptRecord(1, "worker-a", T0.AddSeconds(1), T0.AddSeconds(3), AttemptOutcome.Failed, error)],
        Error = error,
    };

    /// <summary>A histogram holding <paramref name="count"/> samples of each duration.</summary>
    public static LatencyHistogram Histogram(params (TimeSpan Value, int Count)[] samples)
    {
        var buckets = new long[LatencyHistogram.BucketCount];
        foreach (var (value, count) in samples)
        {
            buckets[LatencyHistogram.BucketOf(value)] += count;
        }

        return new LatencyHistogram([.. buckets]);
    }

    /// <summary>6 ready (1 at priority 0, 3 at 2, 2 at 5) and 2 delayed, 4 processing: in queue default 4 ready, 2
    /// delayed and 3 processing, in emails 2 ready and 1 processing; one live worker (60% busy) and one lost (25%).
    /// Queue waits: 90 of 20 ms, 8 of 200 ms, 2 of 2 s (p50 ≈ 20 ms, p95 ≈ 200 ms, p99 ≈ 2 s, within the histogram's
    /// 10%); runs: 100 of 1 s; no completion in the window (end to end has no sample).</summary>
    public static QueueMetrics Metrics() => new()
    {
        At = T0.AddMinutes(10),
        PendingByPriority = [1, 0, 3, 0, 0, 2, 0, 0, 0, 0, 0],
        Delayed = 2,
        Processing = 4,
        Completed = 100,
        Failed = 3,
        Cancelled = 1,
        Retried = 7,
        RequeuedDeadline = 2,
        RequeuedWorkerLost = 1,
        RequeuedHandedBack = 5,
        RequeuedManual = 6,
        Submitted = 116,
        OldestPendingSince = T0.AddMinutes(10).AddSeconds(-12.5),
        Workers =
        [
            new WorkerInfo
            {
                Name = "worker-a", Slots = 4, Busy = 3, Alive = true, LastSeen = T0.AddMinutes(10).AddSeconds(-1), Completed = 60, Failed = 2,
                BusySlotSeconds = 144, UtilizationWindow = TimeSpan.FromMinutes(1),
            },
            new WorkerInfo
            {
                Name = "worker-b", Slots = 2, Busy = 1, Alive = false, LastSeen = T0.AddMinutes(9), Completed = 40, Failed = 1,
                BusySlotSeconds = 30, UtilizationWindow = TimeSpan.FromMinutes(1),
            },
        ],
        CompletedPerSecond10s = 2.5,
        CompletedPerSecond1m = 1.25,
        CompletedPerSecond5m = 0.4,
        LatencyWindow = TimeSpan.FromMinutes(5),
        WaitTimes = Histogram((TimeSpan.FromMilliseconds(20), 90), (TimeSpan.FromMilliseconds(200), 8), (TimeSpan.FromSeconds(2), 2)),
        RunTimes = Histogram((TimeSpan.FromSeconds(1), 100)),
        Queues = [new QueueFigures("default", 4, 2, 3), new QueueFigures("emails", 2, 0, 1)],
    };

    public static QueueMetrics EmptyMetrics() => QueueMetrics.Empty(T0) with { Workers = ImmutableArray<WorkerInfo>.Empty };
}
