using System.Collections.Immutable;

namespace OrleansQueue.Jobs;

/// <summary>
/// Batched reports: a worker sends the ends of many attempts in one call, and this stateless worker hands each to
/// its job grain, which stays the only judge of it (fencing by attempt, duplicates, retries). Resending a batch is
/// safe: a report already applied is answered as a duplicate.
/// </summary>
[Alias("oq.IReportGrain")]
public interface IReportGrain : IGrainWithIntegerKey
{
    /// <summary>The most reports one call may carry.</summary>
    const int MaxBatch = 5000;

    /// <summary>One reply per report, in order; null where the job grain could not be reached (the report was not
    /// applied, and the schedule takes the attempt back at its deadline unless it is sent again).</summary>
    [Alias("Report")]
    Task<ImmutableArray<ReportReply?>> Report(ImmutableArray<AttemptReport> reports);
}

[GenerateSerializer, Alias("oq.AttemptReportKind")]
public enum AttemptReportKind
{
    /// <summary>The handler succeeded, with <see cref="AttemptReport.Result"/>.</summary>
    Complete = 0,
    /// <summary>The handler failed, with <see cref="AttemptReport.Error"/>: retried while retries last.</summary>
    Fail = 1,
    /// <summary>The worker gives the attempt back unfinished: queued again at once, no retry used.</summary>
    HandBack = 2,
    /// <summary>beanstalkd's <c>release</c>: the worker gives the attempt back unfinished, no retry used, with the
    /// job's new <see cref="AttemptReport.Priority"/> and, with a <see cref="AttemptReport.Delay"/>, not leasable
    /// until it has passed.</summary>
    Release = 3,
    /// <summary>beanstalkd's <c>bury</c>, a handler's <c>Bury</c>: the job is set aside (BURIED, with
    /// <see cref="AttemptReport.Priority"/> when given and <see cref="AttemptReport.Error"/> as the reason) until it is
    /// kicked; no retry used.</summary>
    Bury = 4,
}

/// <summary>How one attempt ended, as its worker reports it.</summary>
[GenerateSerializer, Immutable, Alias("oq.AttemptReport")]
public sealed record AttemptReport(
    [property: Id(0)] Guid JobId,
    [property: Id(1)] int Attempt,
    [property: Id(2)] AttemptReportKind Kind,
    [property: Id(3)] byte[]? Result = null,
    [property: Id(4)] string? Error = null,
    [property: Id(5)] long? Priority = null,
    [property: Id(6)] TimeSpan? Delay = null);

/// <summary>The job grain's answer to a report, and the notice its shard must get when the report ended the attempt.</summary>
/// <param name="Reply">The job grain's verdict on the report.</param>
/// <param name="Notice">For the job's shard, or null when nothing changed.</param>
/// <param name="Shard">The job's schedule shard.</param>
[GenerateSerializer, Immutable, Alias("oq.EndReply")]
public sealed record EndReply(
    [property: Id(0)] ReportReply Reply,
    [property: Id(1)] OrleansQueue.Scheduling.AttemptEnd? Notice,
    [property: Id(2)] int Shard);
