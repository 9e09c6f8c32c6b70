using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace OrleansQueue.Jobs;

/// <summary>Batched reports (see <see cref="IReportGrain"/>): each report goes to its job grain, all at once, and
/// the notices they return go to their shards, one call per shard. It holds no state, so any number of activations
/// may run side by side, each reentrant (no state to guard) so that one waiting on storage takes the next batch.</summary>
[StatelessWorker]
[Reentrant]
public sealed partial class ReportGrain(ILogger<ReportGrain> logger) : Grain, IReportGrain
{
    public async Task<ImmutableArray<ReportReply?>> Report(ImmutableArray<AttemptReport> reports)
    {
        if (reports.IsDefaultOrEmpty)
        {
            return [];
        }

        if (reports.Length > IReportGrain.MaxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(reports), reports.Length, $"A batch carries at most {IReportGrain.MaxBatch} reports.");
        }

        var ends = await Task.WhenAll(reports.Select(SendOne));
        await Task.WhenAll(ends
            .Where(e => e?.Notice is not null)
            .GroupBy(e => e!.Shard, e => e!.Notice!)
            .Select(shard => Notify(shard.Key, [.. shard])));
        return [.. ends.Select(e => e?.Reply)];
    }

    private async Task<EndReply?> SendOne(AttemptReport report)
    {
        try
        {
            return await GrainFactory.Grain<IJobGrain>(report.JobId).EndAttempt(report);
        }
        catch (Exception ex)
        {
            LogReportFailed(ex, report.JobId, report.Attempt, report.Kind);
            return null;
        }
    }

    /// <summary>The reports are applied and written whatever happens here: a notice the shard misses is made good
    /// when the lease runs out, because the take-back asks the job grain, which knows.</summary>
    private async Task Notify(int shard, ImmutableArray<Scheduling.AttemptEnd> notices)
    {
        try
        {
            await GrainFactory.Grain<Scheduling.IScheduleGrain>(shard).AttemptsEnded(notices);
        }
        catch (Exception ex)
        {
            LogNoticeFailed(ex, shard, notices.Length);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} attempt {Attempt}: the {Kind} report did not reach the job grain")]
    private partial void LogReportFailed(Exception exception, Guid jobId, int attempt, AttemptReportKind kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shard {Shard} missed {Count} attempt-end notices; it settles them when their leases run out")]
    private partial void LogNoticeFailed(Exception exception, int shard, int count);
}
