using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using OrleansQueue.Hosting;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Jobs;

/// <summary>
/// Batch submit (see <see cref="ISubmitGrain"/>). Every job is stored by its own job grain, all at once; then each
/// shard gets one <c>Enqueue</c> with its stored jobs in the order given. If a shard's enqueue fails, that shard's jobs
/// are discarded and reported as failed, so a job is either stored and queued or not kept at all. A single submit is a
/// batch of one. It holds no state, so any number of activations may run side by side, and each is reentrant: an
/// activation waiting on storage (a Redis round trip per job, then one per shard's journal) takes the next call
/// meanwhile. Without it a silo handled as many submits at once as it has cores (measured in Redis mode: 1,000
/// submits in flight went no faster than one at a time).
/// </summary>
[StatelessWorker]
[Reentrant]
public sealed partial class SubmitGrain(IOptions<QueueOptions> options, TimeProvider time, ILogger<SubmitGrain> logger) : Grain, ISubmitGrain
{
    private readonly QueueOptions _options = options.Value;

    public async Task<ImmutableArray<SubmitOutcome>> SubmitBatch(ImmutableArray<JobToSubmit> jobs)
    {
        if (jobs.IsDefaultOrEmpty)
        {
            return [];
        }

        if (jobs.Length > ISubmitGrain.MaxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(jobs), jobs.Length, $"A batch carries at most {ISubmitGrain.MaxBatch} jobs.");
        }

        // Names this call's stores, so that a failed enqueue undoes only what this call stored (see IJobGrain.Discard).
        var token = Guid.NewGuid();
        var outcomes = new SubmitOutcome[jobs.Length];
        var entries = new QueueEntry?[jobs.Length];
        // A single submit shows the job it stored; a large batch's reply stays small without the views.
        var withView = jobs.Length == 1;
        // The jobs are stored side by side, each stamped with the batch's time plus its place in ticks: a queue's order
        // follows these times wherever it is rebuilt or a job goes back to its place, so they follow the batch's order.
        var submittedAt = time.GetUtcNow();
        await Task.WhenAll(jobs.Select((job, i) => StoreOne(job, i, token, submittedAt + TimeSpan.FromTicks(i), withView, outcomes, entries)));

        // Group by shard, keeping the given order inside each group.
        var byShard = new Dictionary<int, List<int>>();
        for (var i = 0; i < jobs.Length; i++)
        {
            if (entries[i] is null)
            {
                continue;
            }

            var shard = ScheduleShards.Of(jobs[i].JobId, _options.Shards);
            if (!byShard.TryGetValue(shard, out var indexes))
            {
                byShard[shard] = indexes = [];
            }

            indexes.Add(i);
        }

        await Task.WhenAll(byShard.Select(group => EnqueueShard(group.Key, group.Value, token, jobs, entries, outcomes)));
        return ImmutableArray.Create(outcomes);
    }

    private async Task StoreOne(JobToSubmit job, int index, Guid token, DateTimeOffset submittedAt, bool withView, SubmitOutcome[] outcomes, QueueEntry?[] entries)
    {
        try
        {
            // No entry: the job exists under this id and has moved on (a resent batch); it counts as queued.
            var stored = await GrainFactory.Grain<IJobGrain>(job.JobId).Store(job.Submission, token, submittedAt);
            entries[index] = stored.Entry;
            outcomes[index] = new SubmitOutcome(job.JobId, SubmitOutcomeKind.Queued, Job: withView ? stored.Job : null);
        }
        catch (InvalidJobException ex)
        {
            outcomes[index] = new SubmitOutcome(job.JobId, SubmitOutcomeKind.Invalid, ex.Message);
        }
        catch (Exception ex)
        {
            LogStoreFailed(ex, job.JobId);
            outcomes[index] = new SubmitOutcome(job.JobId, SubmitOutcomeKind.Failed, ex.Message);
        }
    }

    private async Task EnqueueShard(int shard, List<int> indexes, Guid token, ImmutableArray<JobToSubmit> jobs, QueueEntry?[] entries, SubmitOutcome[] outcomes)
    {
        try
        {
            await GrainFactory.Grain<IScheduleGrain>(shard).Enqueue([.. indexes.Select(i => entries[i]!)]);
        }
        catch (Exception ex)
        {
            LogEnqueueFailed(ex, shard, indexes.Count);
            await Task.WhenAll(indexes.Select(async i =>
            {
                var id = jobs[i].JobId;
                try
                {
                    await GrainFactory.Grain<IJobGrain>(id).Discard(token);
                }
                catch (Exception discardEx)
                {
                    // The job stays stored but unqueued until it is resent; its outcome says so.
                    LogDiscardFailed(discardEx, id);
                }

                outcomes[i] = new SubmitOutcome(id, SubmitOutcomeKind.Failed, $"queueing it failed: {ex.Message}");
            }));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Batch submit: storing job {JobId} failed")]
    private partial void LogStoreFailed(Exception exception, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Batch submit: queueing {Count} jobs on shard {Shard} failed; they are discarded and reported as failed")]
    private partial void LogEnqueueFailed(Exception exception, int shard, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Batch submit: job {JobId} could not be discarded after its enqueue failed; resend it to queue it")]
    private partial void LogDiscardFailed(Exception exception, Guid jobId);
}
