using System.Collections.Concurrent;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Tests.Worker.Fakes;

/// <summary>A job grain that records the reports it gets and answers with <see cref="Reply"/>.</summary>
internal sealed class FakeJobGrain(Guid id) : IJobGrain
{
    public Guid Id { get; } = id;

    /// <summary>Reports in arrival order, e.g. <c>complete 1</c>, <c>fail 2 boom</c>, <c>hand-back 1</c>.</summary>
    public ConcurrentQueue<string> Reports { get; } = new();

    public ReportResult Reply { get; set; } = ReportResult.Accepted;

    /// <summary>Calls that throw this before any is answered (simulates a silo that is briefly unreachable).</summary>
    public int FailNextCalls { get; set; }

    /// <summary>The clock <see cref="FailedAt"/> is read from; none: failures are not timed.</summary>
    public TimeProvider? Clock { get; set; }

    /// <summary>When each simulated failure happened, by <see cref="Clock"/>.</summary>
    public ConcurrentQueue<DateTimeOffset> FailedAt { get; } = new();

    /// <summary>The production path of a report (the report grain calls it): recorded as e.g. <c>complete 1 result</c>.</summary>
    public async Task<EndReply> EndAttempt(AttemptReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var reply = await Record(report.Kind switch
        {
            AttemptReportKind.Complete => $"complete {report.Attempt}{(report.Result is null ? "" : " " + System.Text.Encoding.UTF8.GetString(report.Result))}",
            AttemptReportKind.Fail => $"fail {report.Attempt} {report.Error}",
            AttemptReportKind.Bury => $"bury {report.Attempt} {report.Error}",
            _ => $"hand-back {report.Attempt}",
        });
        return new EndReply(reply, null, 0);
    }

    public Task<ReportReply> ReportProgress(int attempt, int percent, string? message) => Record($"progress {attempt} {percent}% {message}");

    public Task<StoredJob> Store(JobSubmission submission, Guid token, DateTimeOffset submittedAt) => throw new NotSupportedException();

    public Task Discard(Guid token) => throw new NotSupportedException();

    public Task<bool> Forget(DateTimeOffset finishedAt) => throw new NotSupportedException();

    public Task<JobView?> GetStatus() => throw new NotSupportedException();

    public Task<StartResult> StartAttempt(string worker, int attempt, DateTimeOffset startedAt) => throw new NotSupportedException();

    public Task<TakeBackReply> TakeBack(int attempt, DateTimeOffset? leasedAt, RequeueCause cause) => throw new NotSupportedException();

    public Task<ReportReply> Cancel() => throw new NotSupportedException();

    public Task<ReportReply> Requeue() => throw new NotSupportedException();

    public Task<ReportReply> CancelPending() => throw new NotSupportedException();

    public Task<ReportReply> Kick() => throw new NotSupportedException();

    public Task<byte[]?> GetPayload() => throw new NotSupportedException();

    /// <summary>Reports the fake report grain answers with null, as if this job grain could not be reached from the silo.</summary>
    public int UnansweredNextReports { get; set; }

    /// <summary>Uses up one simulated failure, if any is left.</summary>
    public bool TakeFailure()
    {
        if (FailNextCalls > 0)
        {
            FailNextCalls--;
            if (Clock is { } clock)
            {
                FailedAt.Enqueue(clock.GetUtcNow());
            }

            return true;
        }

        return false;
    }

    private Task<ReportReply> Record(string report)
    {
        if (TakeFailure())
        {
            return Task.FromException<ReportReply>(new TimeoutException("simulated timeout"));
        }

        Reports.Enqueue(report);
        return Task.FromResult(new ReportReply(Reply, JobStatus.Processing, 1, $"fake reply {Reply}"));
    }
}
