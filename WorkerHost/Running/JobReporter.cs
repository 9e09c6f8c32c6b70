using System.Collections.Immutable;
using System.Threading.Channels;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Worker.Running;

/// <summary>
/// Sends the ends of attempts to their job grains in batches, through <see cref="IReportGrain"/>: reports that come
/// while a batch is under way wait for the next one, so under load one call carries many, and when idle a report goes
/// at once. A call lost in transit is sent again for up to <see cref="RetryWindow"/>, long enough to outlast a silo's
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

    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly ILogger<JobReporter> _logger;
    private readonly Channel<PendingReport> _queue = Channel.CreateUnbounded<PendingReport>(new UnboundedChannelOptions { SingleWriter = false });

    public JobReporter(IGrainFactory grains, TimeProvider time, ILogger<JobReporter> logger)
    {
        _grains = grains;
        _time = time;
        _logger = logger;
        for (var i = 0; i < Senders; i++)
        {
            _ = Task.Run(SendLoopAsync);
        }
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

    /// <summary>Stops taking reports; those already queued are still sent.</summary>
    public void Dispose() => _queue.Writer.TryComplete();

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
        var pending = new PendingReport(report, _time.GetUtcNow());
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);
        var reply = await pending.Reply.Task.ConfigureAwait(false);
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

    private async Task SendLoopAsync()
    {
        var batch = new List<PendingReport>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            if (batch.Count == 0)
            {
                continue; // Another sender took them.
            }

            try
            {
                await SendBatchAsync(batch).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                foreach (var pending in batch)
                {
                    pending.Reply.TrySetException(ex);
                }
            }

            batch.Clear();
        }
    }

    /// <summary>Sends one batch. A report that does not get through, because the call failed in transit or its job grain
    /// did not answer, goes back into the queue after a backoff and joins a later batch, for up to
    /// <see cref="RetryWindow"/>; the job grain answers a report it already applied as a duplicate, so a retry is always safe.</summary>
    private async Task SendBatchAsync(List<PendingReport> batch)
    {
        foreach (var pending in batch)
        {
            pending.Tries++;
        }

        ImmutableArray<ReportReply?> replies;
        try
        {
            replies = await _grains.Grain<IReportGrain>(0).Report([.. batch.Select(p => p.Report)]).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Every report is settled, each for itself (so no short-circuiting here).
            var retried = 0;
            foreach (var pending in batch)
            {
                retried += Retry(pending, ex, ex.Message) ? 1 : 0;
            }

            if (retried > 0)
            {
                var tries = batch.Max(p => p.Tries);
                LogRetrying(batch.Count, tries, (long)TransientErrors.Backoff(tries).TotalMilliseconds, ex.Message);
            }

            return;
        }

        var unanswered = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            if (replies[i] is { } reply)
            {
                batch[i].Reply.TrySetResult(reply);
            }
            else if (Retry(batch[i], null, "the job grain did not answer"))
            {
                unanswered++;
            }
        }

        if (unanswered > 0)
        {
            LogUnanswered(unanswered, batch.Count);
        }
    }

    /// <returns>True when the report will be sent again; false when it is given up (its reply is then null).</returns>
    private bool Retry(PendingReport pending, Exception? failure, string message)
    {
        var transient = failure is null || TransientErrors.IsTransient(failure);
        if (transient && _time.GetUtcNow() - pending.Since < RetryWindow)
        {
            _ = SendAgainLaterAsync(pending, TransientErrors.Backoff(pending.Tries));
            return true;
        }

        // Undelivered: the schedule still holds the lease and takes it back at its deadline.
        // A stack trace only helps when the failure was not the network's.
        pending.Failure = transient ? null : failure;
        pending.FailureMessage = message;
        pending.Reply.TrySetResult(null);
        return false;
    }

    private async Task SendAgainLaterAsync(PendingReport pending, TimeSpan delay)
    {
        await Task.Delay(delay, _time).ConfigureAwait(false);
        if (!_queue.Writer.TryWrite(pending))
        {
            pending.FailureMessage = "the worker is stopping";
            pending.Reply.TrySetResult(null);
        }
    }

    private static string Name(AttemptReportKind kind) => kind switch
    {
        AttemptReportKind.Complete => "complete",
        AttemptReportKind.Fail => "fail",
        _ => "hand-back",
    };

    /// <summary>A report waiting for its batch; the sender fills in how delivery went before it completes
    /// <see cref="Reply"/>.</summary>
    private sealed class PendingReport(AttemptReport report, DateTimeOffset since)
    {
        public AttemptReport Report { get; } = report;

        public DateTimeOffset Since { get; } = since;

        public TaskCompletionSource<ReportReply?> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Tries { get; set; }

        public Exception? Failure { get; set; }

        public string? FailureMessage { get; set; }
    }
}
