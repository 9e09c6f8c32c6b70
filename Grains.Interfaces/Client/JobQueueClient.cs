using System.Collections.Immutable;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Client;

/// <summary>The client-side API of the queue: submit, status, cancel, requeue and metrics.
/// Used by the console client and by tests; worker hosts use it for metrics too.</summary>
public sealed class JobQueueClient(IGrainFactory grains, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Submits one job under a new id. The grain call is idempotent for a given id, so a call
    /// that failed in transit is retried once with the same id: the job is stored at most once.</summary>
    public async Task<JobView> SubmitAsync(JobSubmission submission)
    {
        var id = JobId.New(_time);
        var grain = grains.GetGrain<IJobGrain>(id);
        try
        {
            return await grain.Submit(submission);
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansMessageRejectionException)
        {
            return await grain.Submit(submission);
        }
    }

    public Task<JobView?> GetStatusAsync(Guid id) => grains.GetGrain<IJobGrain>(id).GetStatus();

    public Task<ReportReply> CancelAsync(Guid id) => grains.GetGrain<IJobGrain>(id).Cancel();

    public Task<ReportReply> RequeueAsync(Guid id) => grains.GetGrain<IJobGrain>(id).Requeue();

    public Task<int> GetShardCountAsync() => grains.GetGrain<IScheduleGrain>(0).GetShardCount();

    /// <summary>Up to <paramref name="limit"/> jobs now in <paramref name="status"/>, from every shard. Pending and
    /// processing jobs come in queue order; finished ones newest first, from each shard's recent memory.</summary>
    public async Task<IReadOnlyList<JobView>> ListAsync(JobStatus status, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var shards = await GetShardCountAsync();
        var ids = await Task.WhenAll(Enumerable.Range(0, shards)
            .Select(s => grains.GetGrain<IScheduleGrain>(s).ListJobs(status, limit)));
        var views = await Task.WhenAll(ids.SelectMany(x => x).Distinct().Select(GetStatusAsync));

        // The shards' lists are candidates: a job may have moved on since, so keep only those still in the status.
        return views.OfType<JobView>()
            .Where(v => v.Status == status)
            .OrderBy(v => status.IsTerminal() ? -(v.FinishedAt ?? v.SubmittedAt).UtcTicks : v.SubmittedAt.UtcTicks)
            .Take(limit)
            .ToList();
    }

    /// <summary>Reads every shard and adds them up.</summary>
    public async Task<QueueMetrics> GetMetricsAsync()
    {
        var shards = await GetShardCountAsync();
        var all = await Task.WhenAll(Enumerable.Range(0, shards)
            .Select(s => grains.GetGrain<IScheduleGrain>(s).GetMetrics()));
        return QueueMetrics.Combine(all.ToImmutableArray());
    }
}
