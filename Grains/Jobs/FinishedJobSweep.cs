using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansQueue.Diagnostics;
using OrleansQueue.Hosting;

namespace OrleansQueue.Jobs;

/// <summary>
/// Once a second, has the grains of the jobs that finished on this silo more than
/// <see cref="QueueOptions.FinishedJobRetention"/> ago forget them (<see cref="IJobGrain.Forget"/>), so that a silo that
/// runs for months holds the jobs of the retention period, not every job it ever ran; and, while the silo holds more
/// than <see cref="QueueOptions.FinishedJobLimit"/> finished jobs, the oldest of them sooner (never one that finished
/// under <see cref="QueueOptions.MinimumFinishedJobRetention"/> ago), so that it holds about the larger of the limit and
/// that minimum's finished jobs, not rate × retention. A job grain forgets only if its job is still the finished job it
/// was (a job requeued since is not touched). A forget that fails is tried again on the next pass.
/// </summary>
public sealed partial class FinishedJobSweep(
    FinishedJobs finished,
    IGrainFactory grains,
    IOptions<QueueOptions> options,
    QueueInstruments instruments,
    TimeProvider time,
    ILogger<FinishedJobSweep> logger) : BackgroundService
{
    /// <summary>How often it looks for jobs past their retention.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    /// <summary>Forget calls made at a time.</summary>
    private const int Batch = 256;

    /// <summary>The most jobs one pass forgets (what is left waits for the next, a second later): bounds the calls a pass
    /// makes when storage is failing, and the load a burst of jobs that finished together makes a retention later.</summary>
    private const int MaxPerPass = 50_000;

    /// <summary>The least time between two warnings that jobs were forgotten over the limit.</summary>
    private static readonly TimeSpan OverLimitLogInterval = TimeSpan.FromMinutes(1);

    /// <summary>Jobs forgotten over the limit since the last warning, and when that was (passes run one at a time).</summary>
    private int _overLimit;
    private DateTimeOffset? _overLimitLoggedAt;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await ForgetDueAsync(time.GetUtcNow(), stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // Never ends the sweep (nor, as a failed hosted service would, the silo): the next pass goes on.
                    LogPassFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The silo is stopping; what is left is forgotten by the next silo's sweep, or with the silo's storage.
        }
    }

    /// <summary>Forgets every job of this silo that finished at or before <paramref name="now"/> minus the retention; then,
    /// while the silo holds more than <see cref="QueueOptions.FinishedJobLimit"/>, the oldest of those that finished at
    /// least <see cref="QueueOptions.MinimumFinishedJobRetention"/> ago. Returns how many were forgotten; those whose
    /// grain did not answer, and those past <see cref="MaxPerPass"/>, are left for the next pass.</summary>
    public async Task<int> ForgetDueAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var forgotten = 0;
        var failed = new List<(Guid JobId, DateTimeOffset FinishedAt)>();
        try
        {
            var taken = 0;
            while (taken < MaxPerPass && !cancellationToken.IsCancellationRequested && NextDue(now) is { Jobs.Count: > 0 } due)
            {
                taken += due.Jobs.Count;
                var (count, notAnswered) = await ForgetAsync(due.Jobs, due.Reason, cancellationToken);
                forgotten += count;
                failed.AddRange(notAnswered);
                if (due.Reason == ForgetReason.Limit)
                {
                    _overLimit += count;
                }
            }
        }
        finally
        {
            // Once a minute at most: a silo that runs over its limit does so on every pass.
            if (_overLimit > 0 && (_overLimitLoggedAt is not { } loggedAt || now - loggedAt >= OverLimitLogInterval))
            {
                LogOverLimit(_overLimit, options.Value.FinishedJobLimit);
                (_overLimit, _overLimitLoggedAt) = (0, now);
            }

            foreach (var (jobId, finishedAt) in failed)
            {
                finished.Add(jobId, finishedAt);
            }

            if (failed.Count > 0)
            {
                LogForgetFailed(failed.Count);
            }
        }

        return forgotten;
    }

    /// <summary>The next jobs to forget: those past their retention first, then the oldest beyond the limit.</summary>
    private (List<(Guid JobId, DateTimeOffset FinishedAt)> Jobs, ForgetReason Reason) NextDue(DateTimeOffset now)
    {
        var due = finished.TakeFinishedBy(now - options.Value.FinishedJobRetention, Batch);
        if (due.Count > 0)
        {
            return (due, ForgetReason.Retention);
        }

        var over = finished.Count - options.Value.FinishedJobLimit;
        return over > 0
            ? (finished.TakeFinishedBy(now - QueueOptions.MinimumFinishedJobRetention, Math.Min(Batch, over)), ForgetReason.Limit)
            : ([], ForgetReason.Limit);
    }

    /// <summary>Has these jobs' grains forget them (<see cref="IJobGrain.Forget"/>), <see cref="Batch"/> calls at a time.
    /// Returns how many were forgotten, and the jobs whose grain did not answer (or were not asked: the silo is stopping).</summary>
    public async Task<(int Forgotten, List<(Guid JobId, DateTimeOffset FinishedAt)> NotAnswered)> ForgetAsync(
        IReadOnlyList<(Guid JobId, DateTimeOffset FinishedAt)> jobs, ForgetReason reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var forgotten = 0;
        var notAnswered = new List<(Guid, DateTimeOffset)>();
        foreach (var chunk in jobs.Chunk(Batch))
        {
            if (cancellationToken.IsCancellationRequested)
            {
                notAnswered.AddRange(chunk);
                continue;
            }

            var results = await Task.WhenAll(chunk.Select(ForgetOneAsync));
            forgotten += results.Count(r => r == true);
            notAnswered.AddRange(chunk.Where((_, i) => results[i] is null));
        }

        if (forgotten > 0)
        {
            instruments.Forgotten(forgotten, reason);
        }

        return (forgotten, notAnswered);
    }

    /// <summary>True when forgotten, false when the job has moved on, null when the job grain did not answer.</summary>
    private async Task<bool?> ForgetOneAsync((Guid JobId, DateTimeOffset FinishedAt) job)
    {
        try
        {
            return await grains.GetGrain<IJobGrain>(job.JobId).Forget(job.FinishedAt);
        }
        catch (Exception ex)
        {
            // Whatever the call threw (a timeout, a storage failure, a cancellation while the silo stops), the job is
            // tried again: the batch's other jobs are not lost with it.
            LogForgetOneFailed(ex, job.JobId);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Forgetting finished job {JobId} failed")]
    private partial void LogForgetOneFailed(Exception exception, Guid jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "A pass of the finished-job sweep failed; the next pass goes on")]
    private partial void LogPassFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forgot {Count} finished jobs before their retention passed, the oldest, since this silo held more than Queue:FinishedJobLimit ({Limit}) finished jobs (the count is since the last such warning)")]
    private partial void LogOverLimit(int count, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} finished jobs past their retention or the limit could not be forgotten; the next pass tries again")]
    private partial void LogForgetFailed(int count);
}
