using System.Collections.Immutable;
using OrleansQueue.Jobs;

namespace OrleansQueue.Tests.Worker.Fakes;

/// <summary>Hands each report of a batch to its <see cref="FakeJobGrain"/>'s <c>EndAttempt</c>, as the real report grain
/// does. When any of them is set to fail, the whole call fails before a report is applied, as a batch lost in transit would.</summary>
internal sealed class FakeReportGrain(FakeGrainFactory factory) : IReportGrain
{
    public async Task<ImmutableArray<ReportReply?>> Report(ImmutableArray<AttemptReport> reports)
    {
        factory.ReportBatches.Enqueue(reports.Length);
        await factory.ReportGate.Task;
        var failures = reports.Select(r => factory.Job(r.JobId)).Distinct().Count(job => job.TakeFailure());
        if (failures > 0)
        {
            throw new TimeoutException("simulated timeout");
        }

        var replies = new List<ReportReply?>();
        foreach (var report in reports)
        {
            var job = factory.Job(report.JobId);
            if (job.UnansweredNextReports > 0)
            {
                job.UnansweredNextReports--;
                replies.Add(null);
                continue;
            }

            replies.Add((await job.EndAttempt(report)).Reply);
        }

        return [.. replies];
    }
}
