using System.Collections.Immutable;
using OrleansQueue.Client;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Worker.Running;

/// <summary>
/// Sends the ends of attempts to their job grains in batches, through <see cref="IReportGrain"/> and a
/// <see cref="CallBatcher{TItem, TResult}"/> with <see cref="Senders"/> calls in flight: reports that come while they
/// are under way wait for the next one, so under load one call carries many, and when idle a report goes at once. A
/// call lost in transit is sent again for up to <see cref="RetryWindow"/>, long enough to outlast a silo's
/// failover: the job grain answers a repeated report as a duplicate, so a retry never applies an outcome twice. A refusal (stale attempt, wrong state, unknown job) is final and only
/// logged: the job has moved on without this attempt.
/// </summary>
internal sealed partial class JobReporter : IDisposable
{
    /// <summary>How long a report that does not get through is sent again: a killed silo is declared dead and its job
    /// grains come back elsewhere well within it (about 10–15 s with the default failure detection), so a finished
    /// attempt is not run again only because the silo holding its job died meanwhile.</summary>
    public static readonly TimeSpan RetryWindow = TimeSpan.FromSeconds(60);

    /// <summary>Batches in flight at once: a report never waits behind more than this many calls.</summary>
    public const int Senders = 4;

    /// <summary>The most reports one call carries.</summary>
    public const int MaxBatch = 1000;

    private const string Unanswered = "the job grain did not answer";

    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly ILogger<JobReporter> _logger;
    private readonly CallBatcher<PendingReport, ReportReply?> _batches;
    private volatile bool _stopped;

    public JobReporter(IGrainFactory grains, TimeProvider time, ILogger<JobReporter> logger)
    {
        _grains = grains;
        _time = time;
        _logger = logger;
        _batches = new(SendBatchAsync, MaxBatch, Senders);
    }

    public Task<ReportReply?> CompleteAsync(LeasedJob job, byte[]? result) =>
        SendAsync(new AttemptReport(job.JobId, job.Attempt, AttemptReportKind.Complete, Result: result));

    public Task<ReportReply?> FailAsync(LeasedJob job, string error) =>
        SendAsync(new AttemptReport(job.JobId, job.Attempt, AttemptReportKind.Fail, Error: error));

    /// <summary>Sets the job aside until it is kicked (a handler's <c>context.Bury</c>).</summary>
    public Task<ReportReply?> BuryAsync(LeasedJob job, string? reason) =>
        SendAsync(new AttemptReport(job.JobId, job.Attempt, AttemptReportKind.Bury, Error: reason));

    /// <summary>Gives the attempt back unfinished: the job is pending again at once and keeps its retries.</summary>
    public async Task<ReportReply?> HandBackAsync(LeasedJob job, string reason)
    {
        var reply = await SendAsync(new AttemptReport(job.JobId, job.Attempt, AttemptReportKind.HandBack)).ConfigureAwait(false);
        if (reply is { IsAccepted: true })
        {
            LogHandedBack(job.JobId, job.Attempt, reason);
        }

        return reply;
    }

    /// <summary>Stops taking reports; those already queued are still sent, but not sent again.</summary>
    public void Dispose() => _stopped = true;

    /// <summary>Progress is advisory: one try, and neither a failure nor a refusal matters to the attempt.</summary>
    /// <returns>False when the job grain refused it (the attempt is no longer current); true otherwise.</returns>
    public async Task<bool> ProgressAsync(LeasedJob job, int percent, string? message)
    {
        try
        {
            var reply = await _grains.Grain<IJobGrain>(job.JobId).ReportProgress(job.Attempt, percent, message).ConfigureAwait(false);
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
    /// <remarks>The outcome is logged here, by the caller, so the line carries the attempt's log scope.</remarks>
    private async Task<ReportReply?> SendAsync(AttemptReport report)
    {
        ObjectDisposedException.ThrowIf(_stopped, this);
        var pending = new PendingReport(report, _time.GetUtcNow());
        var reply = await DeliverAsync(pending).ConfigureAwait(false);
        if (reply is null)
        {
            LogUndelivered(pending.Failure, report.JobId, report.Attempt, Name(report.Kind), pending.Tries, pending.FailureMessage ?? "");
        }
        else if (!reply.IsAccepted)
        {
            LogRefused(report.JobId, report.Attempt, reply.Message, Name(report.Kind), reply.Result);
        }

        return reply;
    }

    /// <summary>Sends the report in the next batch. One that does not get through, because its call failed in transit or
    /// its job grain did not answer, is sent again after a backoff in a later batch, for up to <see cref="RetryWindow"/>;
    /// the job grain answers a report it already applied as a duplicate, so a retry is always safe.</summary>
    /// <returns>The reply, or null once the report is given up (<see cref="PendingReport.FailureMessage"/> says why).</returns>
    private async Task<ReportReply?> DeliverAsync(PendingReport pending)
    {
        while (true)
        {
            pending.Tries++;
            Exception? failure = null;
            try
            {
                if (await _batches.SendAsync(pending).ConfigureAwait(false) is { } reply)
                {
                    return reply;
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                failure = ex;
            }

            if (!WillRetry(pending, failure))
            {
                // Undelivered: the schedule still holds the lease and takes it back at its deadline.
                // A stack trace only helps when the failure was not the network's.
                pending.Failure = failure is null || TransientErrors.IsTransient(failure) ? null : failure;
                pending.FailureMessage = failure?.Message ?? Unanswered;
                return null;
            }

            await Task.Delay(TransientErrors.Backoff(pending.Tries), _time).ConfigureAwait(false);
            if (_stopped)
            {
                pending.FailureMessage = "the worker is stopping";
                return null;
            }
        }
    }

    /// <summary>One call for a batch of reports; logs once for the batch what is to be sent again.</summary>
    private async Task<ImmutableArray<ReportReply?>> SendBatchAsync(ImmutableArray<PendingReport> batch)
    {
        ImmutableArray<ReportReply?> replies;
        try
        {
            replies = await _grains.Grain<IReportGrain>(0).Report([.. batch.Select(p => p.Report)]).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            if (batch.Any(p => WillRetry(p, ex)))
            {
                var tries = batch.Max(p => p.Tries);
                LogRetrying(batch.Length, tries, (long)TransientErrors.Backoff(tries).TotalMilliseconds, ex.Message);
            }

            throw;
        }

        var unanswered = batch.Where((p, i) => replies[i] is null && WillRetry(p, null)).Count();
        if (unanswered > 0)
        {
            LogUnanswered(unanswered, batch.Length);
        }

        return replies;
    }

    /// <summary>A report that did not get through is sent again when the failure is transient (a call lost in transit; no
    /// answer from its job grain) and its window has not run out.</summary>
    private bool WillRetry(PendingReport pending, Exception? failure) =>
        (failure is null || TransientErrors.IsTransient(failure)) && _time.GetUtcNow() - pending.Since < RetryWindow;

    private static string Name(AttemptReportKind kind) => kind switch
    {
        AttemptReportKind.Complete => "complete",
        AttemptReportKind.Fail => "fail",
        _ => "hand-back",
    };

    /// <summary>A report on its way, with how its delivery went.</summary>
    private sealed class PendingReport(AttemptReport report, DateTimeOffset since)
    {
        public AttemptReport Report { get; } = report;

        public DateTimeOffset Since { get; } = since;

        public int Tries { get; set; }

        public Exception? Failure { get; set; }

        public string? FailureMessage { get; set; }
    }
}
