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

    /// <summary>
    /// Submits many jobs with one call per <paramref name="batchSize"/> jobs (<see cref="ISubmitGrain"/>), up to
    /// <paramref name="inFlight"/> calls at a time. Returns one outcome per submission, in order. With one call in
    /// flight, jobs of the same priority run in the order given; with more, batches may overtake each other.
    /// A batch that got no answer, and jobs the silo could not store or queue, are sent once more under the same ids, so
    /// no job is stored twice. What still fails is <see cref="SubmitOutcomeKind.Failed"/> (not kept) or, when the silo
    /// never answered, <see cref="SubmitOutcomeKind.Unknown"/> (ask its status). It does not throw for a batch's failure.
    /// </summary>
    public async Task<IReadOnlyList<SubmitOutcome>> SubmitManyAsync(
        IReadOnlyList<JobSubmission> submissions,
        int batchSize = 1000,
        int inFlight = 1,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submissions);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, ISubmitGrain.MaxBatch);
        ArgumentOutOfRangeException.ThrowIfLessThan(inFlight, 1);

        var jobs = submissions.Select(s => new JobToSubmit(JobId.New(_time), s)).ToArray();
        var outcomes = new SubmitOutcome[jobs.Length];
        // Not disposed: a batch still in flight when the caller cancels releases it later. (No wait handle is made.)
        var gate = new SemaphoreSlim(inFlight);
        var calls = new List<Task>();
        for (var start = 0; start < jobs.Length; start += batchSize)
        {
            await gate.WaitAsync(cancellationToken);
            var first = start;
            var batch = ImmutableArray.Create(jobs, first, Math.Min(batchSize, jobs.Length - first));
            calls.Add(SendAndReleaseAsync(batch, first));
        }

        await Task.WhenAll(calls);
        return outcomes;

        async Task SendAndReleaseAsync(ImmutableArray<JobToSubmit> batch, int first)
        {
            try
            {
                await SendBatchAsync(batch, first, outcomes);
            }
            finally
            {
                gate.Release();
            }
        }
    }

    /// <summary>Never throws: an outcome is set for every job of the batch, so the other batches' outcomes are kept.</summary>
    private async Task SendBatchAsync(ImmutableArray<JobToSubmit> batch, int first, SubmitOutcome[] outcomes)
    {
        var submitter = grains.GetGrain<ISubmitGrain>(0);
        var replies = await TrySendAsync(submitter, batch);
        var again = Enumerable.Range(0, batch.Length).Where(i => replies[i].Kind is SubmitOutcomeKind.Failed or SubmitOutcomeKind.Unknown).ToList();
        if (again.Count > 0)
        {
            // Once more under the same ids: a job stored by the first call is not stored twice.
            var second = await TrySendAsync(submitter, [.. again.Select(i => batch[i])]);
            for (var k = 0; k < again.Count; k++)
            {
                replies = replies.SetItem(again[k], second[k]);
            }
        }

        replies.CopyTo(outcomes, first);
    }

    private static async Task<ImmutableArray<SubmitOutcome>> TrySendAsync(ISubmitGrain submitter, ImmutableArray<JobToSubmit> batch)
    {
        try
        {
            return await submitter.SubmitBatch(batch);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // No answer: the silo may have stored and queued any of these jobs, or none.
            var error = $"the silo did not answer: {ex.Message}";
            return [.. batch.Select(j => new SubmitOutcome(j.JobId, SubmitOutcomeKind.Unknown, error))];
        }
    }

    public Task<JobView?> GetStatusAsync(Guid id) => grains.GetGrain<IJobGrain>(id).GetStatus();

    public Task<ReportReply> CancelAsync(Guid id) => grains.GetGrain<IJobGrain>(id).Cancel();

    public Task<ReportReply> RequeueAsync(Guid id) => grains.GetGrain<IJobGrain>(id).Requeue();

    /// <summary>The silo's limits on a submission, for checks before anything is sent.</summary>
    public Task<SubmitLimits> GetSubmitLimitsAsync() => grains.GetGrain<ISubmitLimitsGrain>(0).GetSubmitLimits();

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
