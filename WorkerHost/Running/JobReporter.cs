using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Worker.Running;

/// <summary>
/// Sends an attempt's report to its job grain. A call lost in transit is sent again a few times: the job grain
/// answers a repeated report as a duplicate, so a retry never applies an outcome twice. A refusal (stale attempt,
/// wrong state, unknown job) is final and only logged: the job has moved on without this attempt.
/// </summary>
internal sealed partial class JobReporter(IGrainFactory grains, TimeProvider time, ILogger<JobReporter> logger)
{
    public const int MaxTries = 4;

    public Task<ReportReply?> CompleteAsync(LeasedJob job, byte[]? result) =>
        SendAsync(job, "complete", grain => grain.Complete(job.Attempt, result));

    public Task<ReportReply?> FailAsync(LeasedJob job, string error) =>
        SendAsync(job, "fail", grain => grain.Fail(job.Attempt, error));

    /// <summary>Gives the attempt back unfinished: the job is pending again at once and keeps its retries.</summary>
    public async Task<ReportReply?> HandBackAsync(LeasedJob job, string reason)
    {
        var reply = await SendAsync(job, "hand-back", grain => grain.HandBack(job.Attempt)).ConfigureAwait(false);
        if (reply is { IsAccepted: true })
        {
            LogHandedBack(job.JobId, job.Attempt, reason);
        }

        return reply;
    }

    /// <summary>Progress is advisory: one try, and neither a failure nor a refusal matters to the attempt.</summary>
    /// <returns>False when the job grain refused it (the attempt is no longer current); true otherwise.</returns>
    public async Task<bool> ProgressAsync(LeasedJob job, int percent, string? message)
    {
        try
        {
            var reply = await grains.GetGrain<IJobGrain>(job.JobId).ReportProgress(job.Attempt, percent, message).ConfigureAwait(false);
            if (!reply.IsAccepted)
            {
                LogProgressDropped(job.JobId, job.Attempt, reply.Message);
                return false;
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogProgressDropped(job.JobId, job.Attempt, ex.Message);
        }

        return true;
    }

    /// <returns>The job grain's reply, or null when the report could not be delivered.</returns>
    private async Task<ReportReply?> SendAsync(LeasedJob job, string report, Func<IJobGrain, Task<ReportReply>> send)
    {
        var grain = grains.GetGrain<IJobGrain>(job.JobId);
        for (var tries = 1; ; tries++)
        {
            try
            {
                var reply = await send(grain).ConfigureAwait(false);
                if (!reply.IsAccepted)
                {
                    LogRefused(job.JobId, job.Attempt, reply.Message, report, reply.Result);
                }

                return reply;
            }
            catch (Exception ex) when (TransientErrors.IsTransient(ex) && tries < MaxTries)
            {
                var delay = TransientErrors.Backoff(tries);
                LogRetrying(job.JobId, job.Attempt, report, tries, (long)delay.TotalMilliseconds, ex.Message);
                await Task.Delay(delay, time).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Undelivered: the schedule still holds the lease and takes it back at its deadline.
                // A stack trace only helps when the failure was not the network's.
                LogUndelivered(TransientErrors.IsTransient(ex) ? null : ex, job.JobId, job.Attempt, report, tries, ex.Message);
                return null;
            }
        }
    }
}
