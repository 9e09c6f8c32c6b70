using System.Collections.Immutable;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Client;

/// <summary>The client-side API of the queue: submit, status, cancel, requeue and metrics.
/// Used by the console client and by tests; worker hosts use it for metrics too.</summary>
public sealed class JobQueueClient(IGrainFactory grains, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Submits one job under a new id: a batch of one (<see cref="ISubmitGrain"/>), so a single submit takes
    /// the path of every submit. A batch that got no answer is sent once more under the same id: the job is stored at
    /// most once.</summary>
    /// <exception cref="InvalidJobException">A value is out of range; nothing was stored.</exception>
    /// <exception cref="TimeoutException">The silo never answered: the job may or may not be queued (ask its status).</exception>
    /// <exception cref="InvalidOperationException">The silo could not store or queue the job; nothing was kept.</exception>
    public async Task<JobView> SubmitAsync(JobSubmission submission)
    {
        var job = new JobToSubmit(JobId.New(_time), submission);
        var outcome = new SubmitOutcome[1];
        await SendBatchAsync([job], 0, outcome);
        return outcome[0] switch
        {
            { Kind: SubmitOutcomeKind.Queued, Job: { } view } => view,
            { Kind: SubmitOutcomeKind.Queued } => await GetStatusAsync(job.JobId)
                ?? throw new InvalidOperationException($"job {job.JobId} was queued but is gone"),
            { Kind: SubmitOutcomeKind.Invalid } invalid => throw new InvalidJobException(invalid.Error ?? "the job is invalid"),
            { Kind: SubmitOutcomeKind.Unknown } unknown => throw new TimeoutException(unknown.Error),
            var failed => throw new JobNotKeptException(failed.Error ?? $"job {job.JobId} could not be stored"),
        };
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
        var submitter = grains.Grain<ISubmitGrain>(0);
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

    public Task<JobView?> GetStatusAsync(Guid id) => SendAgainIfRejectedAsync(() => grains.Grain<IJobGrain>(id).GetStatus());

    public Task<ReportReply> CancelAsync(Guid id) => SendAgainIfRejectedAsync(() => grains.Grain<IJobGrain>(id).Cancel());

    public Task<ReportReply> RequeueAsync(Guid id) => SendAgainIfRejectedAsync(() => grains.Grain<IJobGrain>(id).Requeue());

    /// <summary>The most buried jobs one kick asks a shard for at a time.</summary>
    public const int MaxKickRound = 10_000;

    /// <summary>Kicks up to <paramref name="max"/> jobs of <paramref name="queue"/> (beanstalkd's <c>kick</c>, the
    /// console's <c>kick QUEUE N</c>): its buried jobs when it has any, first buried first, else its delayed ones, due
    /// first, which become ready now. Shard by shard, each through its job grain, which kicks only a job still BURIED
    /// or DELAYED. Returns how many were kicked.</summary>
    /// <exception cref="ArgumentException">The queue name is not valid.</exception>
    public async Task<long> KickAsync(string queue, long max)
    {
        if (!QueueNames.IsValid(queue))
        {
            throw new ArgumentException(QueueNames.Malformed(queue), nameof(queue));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(max);
        var shards = await GetShardCountAsync();
        var (kicked, buriedSeen) = await KickAsync(shards, max, (shard, round) => grains.Grain<IScheduleGrain>(shard).ListBuried(queue, round));
        if (buriedSeen || max == 0)
        {
            return kicked;
        }

        return (await KickAsync(shards, max, (shard, round) => grains.Grain<IScheduleGrain>(shard).ListJobs(JobStatus.Delayed, round, queue))).Kicked;
    }

    /// <summary>Kicks up to <paramref name="max"/> of the candidates <paramref name="list"/> gives per shard; also says
    /// whether there were any.</summary>
    private async Task<(long Kicked, bool Seen)> KickAsync(int shards, long max, Func<int, int, Task<ImmutableArray<Guid>>> list)
    {
        long kicked = 0;
        var seen = false;
        for (var shard = 0; shard < shards && kicked < max; shard++)
        {
            var round = (int)Math.Min(max - kicked, MaxKickRound);
            foreach (var id in await list(shard, round))
            {
                seen = true;
                if (kicked < max && (await SendAgainIfRejectedAsync(() => grains.Grain<IJobGrain>(id).Kick())).Result == ReportResult.Accepted)
                {
                    kicked++;
                }
            }
        }

        return (kicked, seen);
    }

    /// <summary>No lease takes from <paramref name="queue"/> for <paramref name="delay"/> (beanstalkd's <c>pause-tube</c>,
    /// the console's <c>pause QUEUE SECONDS</c>); zero lifts the pause. Every shard is told.</summary>
    /// <exception cref="ArgumentException">The queue name is not valid.</exception>
    public async Task PauseAsync(string queue, TimeSpan delay)
    {
        if (!QueueNames.IsValid(queue))
        {
            throw new ArgumentException(QueueNames.Malformed(queue), nameof(queue));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        var shards = await GetShardCountAsync();
        await Task.WhenAll(Enumerable.Range(0, shards).Select(s => grains.Grain<IScheduleGrain>(s).PauseQueue(queue, delay)));
    }

    public async Task<int> GetShardCountAsync() => (await GetLimitsAsync()).Shards;

    /// <summary>The silo's limits (shards, lease batch and wait, payload size).</summary>
    public Task<QueueLimits> GetLimitsAsync() => grains.Grain<IScheduleGrain>(0).GetLimits();

    /// <summary>
    /// A call that reaches a job grain while it deactivates (it deactivates once its job finishes, e.g. right after a
    /// cancel) can be rejected: "Forwarding failed … DeactivateOnIdle was called" (issue 11 #7). A rejected message was
    /// not processed, so sending it again is safe; the next activation answers. Tries a few times, 50 ms apart.
    /// </summary>
    private async Task<T> SendAgainIfRejectedAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (OrleansMessageRejectionException) when (attempt < RejectedCallTries)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), _time);
            }
        }
    }

    /// <summary>How many times a rejected command is sent before the rejection reaches the caller.</summary>
    public const int RejectedCallTries = 4;

    /// <summary>Up to <paramref name="limit"/> jobs now in <paramref name="status"/>, from every shard; with
    /// <paramref name="queue"/>, only that named queue's (an unknown queue has none). Pending and processing jobs come in
    /// queue order; finished ones newest first, from each shard's recent memory.</summary>
    /// <exception cref="ArgumentException"><paramref name="queue"/> is not a valid queue name.</exception>
    public async Task<IReadOnlyList<JobView>> ListAsync(JobStatus status, int limit, string? queue = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (queue is not null && !QueueNames.IsValid(queue))
        {
            throw new ArgumentException(QueueNames.Malformed(queue), nameof(queue));
        }

        var shards = await GetShardCountAsync();
        var ids = await Task.WhenAll(Enumerable.Range(0, shards)
            .Select(s => grains.Grain<IScheduleGrain>(s).ListJobs(status, limit, queue)));
        var views = await Task.WhenAll(ids.SelectMany(x => x).Distinct().Select(GetStatusAsync));

        // A pending job's place in its shard's list is its place in line (priority, then FIFO, as the shard leases):
        // the shards' lines are merged place by place, as a worker leasing from every shard in turn takes them.
        var place = new Dictionary<Guid, int>();
        foreach (var list in ids)
        {
            for (var i = 0; i < list.Length; i++)
            {
                place.TryAdd(list[i], i);
            }
        }

        // The shards' lists are candidates: a job may have moved on since, so keep only those still in the status (a
        // pending job not yet due shows DELAYED: it is kept for that status only).
        return views.OfType<JobView>()
            .Where(v => v.Status == status && (queue is null || v.Queue == queue))
            .OrderBy(v => status.IsTerminal() ? -(v.FinishedAt ?? v.SubmittedAt).UtcTicks
                : status == JobStatus.Delayed ? v.NotBefore!.Value.UtcTicks
                : status == JobStatus.Pending ? place[v.Id]
                : v.SubmittedAt.UtcTicks)
            .ThenBy(v => v.Priority)
            .ThenBy(v => v.SubmittedAt)
            .Take(limit)
            .ToList();
    }

    /// <summary>Reads every shard and adds them up.</summary>
    public async Task<QueueMetrics> GetMetricsAsync()
    {
        var shards = await GetShardCountAsync();
        var all = await Task.WhenAll(Enumerable.Range(0, shards)
            .Select(s => grains.Grain<IScheduleGrain>(s).GetMetrics()));
        return QueueMetrics.Combine(all.ToImmutableArray());
    }
}
