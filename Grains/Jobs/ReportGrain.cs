using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace OrleansQueue.Jobs;

/// <summary>Batched reports (see <see cref="IReportGrain"/>): each report goes to its job grain, all at once.
/// It holds no state, so any number of activations may run side by side.</summary>
[StatelessWorker]
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

        return [.. await Task.WhenAll(reports.Select(SendOne))];
    }

    private async Task<ReportReply?> SendOne(AttemptReport report)
    {
        var job = GrainFactory.GetGrain<IJobGrain>(report.JobId);
        try
        {
            return report.Kind switch
            {
                AttemptReportKind.Complete => await job.Complete(report.Attempt, report.Result),
                AttemptReportKind.Fail => await job.Fail(report.Attempt, report.Error ?? ""),
                AttemptReportKind.HandBack => await job.HandBack(report.Attempt),
                _ => throw new ArgumentOutOfRangeException(nameof(report), report.Kind, "Unknown report kind."),
            };
        }
        catch (Exception ex) when (ex is not ArgumentOutOfRangeException)
        {
            LogReportFailed(ex, report.JobId, report.Attempt, report.Kind);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} attempt {Attempt}: the {Kind} report did not reach the job grain")]
    private partial void LogReportFailed(Exception exception, Guid jobId, int attempt, AttemptReportKind kind);
}
