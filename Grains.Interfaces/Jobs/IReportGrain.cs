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
    /// <summary><see cref="IJobGrain.Complete"/> with <see cref="AttemptReport.Result"/>.</summary>
    Complete = 0,
    /// <summary><see cref="IJobGrain.Fail"/> with <see cref="AttemptReport.Error"/>.</summary>
    Fail = 1,
    /// <summary><see cref="IJobGrain.HandBack"/>.</summary>
    HandBack = 2,
}

/// <summary>How one attempt ended, as its worker reports it.</summary>
[GenerateSerializer, Immutable, Alias("oq.AttemptReport")]
public sealed record AttemptReport(
    [property: Id(0)] Guid JobId,
    [property: Id(1)] int Attempt,
    [property: Id(2)] AttemptReportKind Kind,
    [property: Id(3)] byte[]? Result = null,
    [property: Id(4)] string? Error = null);
