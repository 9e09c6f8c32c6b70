using Microsoft.Extensions.Options;
using OrleansQueue.Scheduling;
using OrleansQueue.Worker.Handlers;
using OrleansQueue.Worker.Hosting;

namespace OrleansQueue.Worker.Running;

/// <summary>
/// Runs one attempt with the handler of its job type and sends the one report its outcome calls for:
/// a returned result is reported as is (complete or fail); a handler that stopped on our token is reported
/// according to why the token fired (<see cref="StopReason"/>).
/// </summary>
internal sealed partial class JobRunner(
    IServiceScopeFactory scopes,
    IGrainFactory grains,
    JobReporter reporter,
    WorkerActivity activity,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILoggerFactory loggers,
    ILogger<JobRunner> logger)
{
    private readonly string _worker = options.Value.Name;

    /// <summary>Never throws: every failure ends as a report or a log line.</summary>
    public async Task<RunOutcome> RunAsync(RunningAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var job = attempt.Job;
        using var scope = JobLogScope.Begin(logger, job, _worker);
        LogStarted(job.JobId, job.Attempt, job.Type, job.Priority);

        JobResult result;
        try
        {
            // A scope per attempt, so that transient handlers and what they use are disposed when it ends.
            var services = scopes.CreateAsyncScope();
            await using (services.ConfigureAwait(false))
            {
                var handler = JobHandlerResolver.Resolve(services.ServiceProvider, job.Type);
                // Once the job grain refuses a progress report the attempt is no longer current: stop sending them.
                var progressRefused = false;
                var context = new JobContext(
                    job, _worker, loggers.CreateLogger(handler.GetType()), attempt.ReceivedAt,
                    async (percent, message) =>
                    {
                        if (!progressRefused)
                        {
                            progressRefused = !await reporter.ProgressAsync(job, percent, message).ConfigureAwait(false);
                        }
                    },
                    () => TouchAsync(attempt));
                result = await handler.HandleAsync(context, attempt.Token).ConfigureAwait(false)
                    ?? JobResult.Failure($"the handler {handler.GetType().Name} returned no result");
            }
        }
        catch (OperationCanceledException) when (attempt.Token.IsCancellationRequested)
        {
            attempt.HandlerDone();
            return await StoppedAsync(attempt).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogHandlerThrew(ex, job.JobId, job.Attempt);
            result = JobResult.Failure(string.IsNullOrWhiteSpace(ex.Message) ? ex.GetType().Name : $"{ex.GetType().Name}: {ex.Message}");
        }

        // The slot goes to the next job now; the report is sent in the background batches of the reporter.
        attempt.HandlerDone();

        var elapsed = time.GetElapsedTime(attempt.StartedTimestamp);
        if (!attempt.TryClaimReport())
        {
            // The graceful stop gave up on this handler and handed the attempt back already.
            LogLateResult(job.JobId, job.Attempt, (long)elapsed.TotalMilliseconds);
            return RunOutcome.Abandoned;
        }

        if (attempt.StopReason != StopReason.None)
        {
            LogAnsweredAfterStop(job.JobId, job.Attempt, attempt.StopReason);
        }

        if (result.IsBuried)
        {
            LogBuried(job.JobId, job.Attempt, result.Error);
            await reporter.BuryAsync(job, result.Error).ConfigureAwait(false);
        }
        else if (result.Succeeded)
        {
            LogCompleted(job.JobId, job.Attempt, (long)elapsed.TotalMilliseconds);
            // Counted in the summary only once the job grain took it: a report of an attempt taken back is refused.
            if (await reporter.CompleteAsync(job, result.Result).ConfigureAwait(false) is { IsAccepted: true })
            {
                activity.Completed();
            }
        }
        else
        {
            var error = result.Error ?? "the handler failed without a message";
            LogFailed(job.JobId, job.Attempt, error);
            if (await reporter.FailAsync(job, error).ConfigureAwait(false) is { IsAccepted: true })
            {
                activity.Failed();
            }
        }

        return RunOutcome.Reported;
    }

    /// <summary>Extends the attempt's lease in its shard, then restarts its own deadline.</summary>
    private async Task<bool> TouchAsync(RunningAttempt attempt)
    {
        if (attempt.Worker is not { } worker)
        {
            return false;
        }

        try
        {
            if (!await grains.Grain<IScheduleGrain>(attempt.Shard).ExtendLease(worker, attempt.Ref, attempt.Job.Deadline).ConfigureAwait(false))
            {
                return false;
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogTouchFailed(attempt.Job.JobId, attempt.Job.Attempt, ex.Message);
            return false;
        }

        attempt.RestartDeadline();
        return true;
    }

    private async Task<RunOutcome> StoppedAsync(RunningAttempt attempt)
    {
        var job = attempt.Job;
        switch (attempt.StopReason)
        {
            case StopReason.Deadline:
                LogPastDeadline(job.JobId, job.Attempt, (long)job.Deadline.TotalMilliseconds);
                return RunOutcome.Abandoned;
            case StopReason.RemoteStop:
                LogRemotelyStopped(job.JobId, job.Attempt);
                return RunOutcome.Abandoned;
            default:
                if (!attempt.TryClaimReport())
                {
                    return RunOutcome.Abandoned;
                }

                var reply = await reporter.HandBackAsync(job, "the graceful-stop grace ran out").ConfigureAwait(false);
                return reply is { IsAccepted: true } ? RunOutcome.HandedBack : RunOutcome.Abandoned;
        }
    }
}
