using OrleansQueue.Cli.Connection;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Tests.Cli.Fakes;

/// <summary>An in-memory queue that records what the console asked for. Cancel and requeue follow the job
/// grain's rules closely enough for the console's reply handling to be exercised.</summary>
internal sealed class FakeJobQueue : IJobQueue
{
    public List<JobSubmission> Submissions { get; } = [];

    public Dictionary<Guid, JobView> Jobs { get; } = [];

    public List<(JobStatus Status, int Limit)> Lists { get; } = [];

    /// <summary>The queue each <see cref="ListAsync"/> call named (null: every queue).</summary>
    public List<string?> ListedQueues { get; } = [];

    public QueueMetrics Metrics { get; set; } = Samples.Metrics();

    /// <summary>How a worker moves jobs on: each status read applies the next change to the job it reads (and keeps the
    /// result); with none left, a read changes nothing.</summary>
    public Queue<Func<JobView, JobView>> Steps { get; } = new();

    /// <summary>Answers of the next metrics reads, in order (one may throw); with none left, <see cref="Metrics"/>.</summary>
    public Queue<Func<QueueMetrics>> MetricsReplies { get; } = new();

    /// <summary>Released once by every status and metrics read, so a test can step a clock in time with the reads.</summary>
    public SemaphoreSlim Reads { get; } = new(0);

    /// <summary>When set, every call throws it (a refused value, a lost connection, a bug).</summary>
    public Exception? Failure { get; set; }

    public bool Disposed { get; private set; }

    /// <summary>What <see cref="GetLimitsAsync"/> answers; the silo's default limits unless a test sets others.</summary>
    public QueueLimits Limits { get; set; } = new(1, 1000, TimeSpan.FromSeconds(20), 1024 * 1024, TimeSpan.FromSeconds(10));

    public Task<QueueLimits> GetLimitsAsync()
    {
        ThrowIfFailing();
        return Task.FromResult(Limits);
    }

    public Task<JobView> SubmitAsync(JobSubmission submission)
    {
        ThrowIfFailing();
        Submissions.Add(submission);
        var job = Samples.PendingJob() with
        {
            Id = Guid.CreateVersion7(),
            Type = submission.Type,
            Priority = submission.Priority ?? 5,
            PayloadBytes = submission.Payload.Length,
        };
        Jobs[job.Id] = job;
        return Task.FromResult(job);
    }

    /// <summary>Batch sizes of <see cref="SubmitManyAsync"/> calls.</summary>
    public List<int> BatchSizes { get; } = [];

    /// <summary>How many batches each <see cref="SubmitManyAsync"/> call allowed in flight.</summary>
    public List<int> InFlights { get; } = [];

    /// <summary>Submissions that <see cref="SubmitManyAsync"/> answers as refused by the silo, by payload text.</summary>
    public Dictionary<string, string> InvalidPayloads { get; } = [];

    /// <summary>Submissions that <see cref="SubmitManyAsync"/> answers as not stored (<see cref="SubmitOutcomeKind.Failed"/>), by payload text.</summary>
    public Dictionary<string, string> FailedPayloads { get; } = [];

    /// <summary>Submissions whose call <see cref="SubmitManyAsync"/> answers as unanswered (<see cref="SubmitOutcomeKind.Unknown"/>), by payload text.</summary>
    public Dictionary<string, string> UnknownPayloads { get; } = [];

    /// <summary>The error of jobs that <see cref="SubmitManyAsync"/> answers as unanswered, by their number (from 0) among
    /// every job it was handed; null for a job it answers as the rest.</summary>
    public Func<int, string?> UnknownAt { get; set; } = _ => null;

    /// <summary>The ids of the jobs <see cref="SubmitManyAsync"/> answered as unanswered, in order.</summary>
    public List<Guid> Unanswered { get; } = [];

    /// <summary>Run by each <see cref="SubmitManyAsync"/> call before it answers (work the call stands for).</summary>
    public Action? DuringSubmitMany { get; set; }

    private int _handed;

    public async Task<IReadOnlyList<SubmitOutcome>> SubmitManyAsync(
        IReadOnlyList<JobSubmission> submissions, int batchSize, int inFlight, CancellationToken cancellationToken)
    {
        ThrowIfFailing();
        DuringSubmitMany?.Invoke();
        BatchSizes.Add(batchSize);
        InFlights.Add(inFlight);
        var outcomes = new List<SubmitOutcome>();
        foreach (var submission in submissions)
        {
            var text = System.Text.Encoding.UTF8.GetString(submission.Payload);
            if ((UnknownAt(_handed++) ?? UnknownPayloads.GetValueOrDefault(text)) is { } lost)
            {
                Unanswered.Add(Guid.CreateVersion7());
                outcomes.Add(new SubmitOutcome(Unanswered[^1], SubmitOutcomeKind.Unknown, lost));
                continue;
            }

            if (InvalidPayloads.TryGetValue(text, out var error))
            {
                outcomes.Add(new SubmitOutcome(Guid.CreateVersion7(), SubmitOutcomeKind.Invalid, error));
                continue;
            }

            if (FailedPayloads.TryGetValue(text, out error))
            {
                outcomes.Add(new SubmitOutcome(Guid.CreateVersion7(), SubmitOutcomeKind.Failed, error));
                continue;
            }

            outcomes.Add(new SubmitOutcome((await SubmitAsync(submission)).Id, SubmitOutcomeKind.Queued));
        }

        return outcomes;
    }

    public Task<JobView?> GetStatusAsync(Guid id)
    {
        ThrowIfFailing();
        if (Jobs.TryGetValue(id, out var job) && Steps.TryDequeue(out var step))
        {
            Jobs[id] = step(job);
        }

        Reads.Release();
        return Task.FromResult(Jobs.GetValueOrDefault(id));
    }

    public Task<ReportReply> CancelAsync(Guid id) => Apply(id,
        job => job.Status is JobStatus.Pending or JobStatus.Processing,
        JobStatus.Cancelled,
        $"job {id} cancelled",
        job => $"job {id} is already {job.Status.ToWireName()}; only PENDING, PROCESSING or BURIED jobs can be cancelled");

    public Task<ReportReply> RequeueAsync(Guid id) => Apply(id,
        job => job.Status is JobStatus.Failed or JobStatus.Cancelled or JobStatus.Buried,
        JobStatus.Pending,
        $"job {id} is pending again",
        job => $"job {id} is {job.Status.ToWireName()}; only FAILED, CANCELLED or BURIED jobs can be requeued");

    public Task<long> KickAsync(string queue, long max)
    {
        ThrowIfFailing();
        var kicked = Jobs.Values.Where(j => j.Status == JobStatus.Buried && j.Queue == queue).Take((int)Math.Min(max, int.MaxValue)).ToList();
        kicked.ForEach(j => Jobs[j.Id] = j with { Status = JobStatus.Pending });
        return Task.FromResult((long)kicked.Count);
    }

    /// <summary>Pauses asked for, in order.</summary>
    public List<(string Queue, TimeSpan Delay)> Pauses { get; } = [];

    public Task PauseAsync(string queue, TimeSpan delay)
    {
        ThrowIfFailing();
        Pauses.Add((queue, delay));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<JobView>> ListAsync(JobStatus status, int limit, string? queue = null)
    {
        ThrowIfFailing();
        Lists.Add((status, limit));
        ListedQueues.Add(queue);
        IReadOnlyList<JobView> jobs = Jobs.Values.Where(j => j.Status == status && (queue is null || j.Queue == queue)).Take(limit).ToList();
        return Task.FromResult(jobs);
    }

    public Task<QueueMetrics> GetMetricsAsync()
    {
        ThrowIfFailing();
        Reads.Release();
        return MetricsReplies.TryDequeue(out var reply) ? Task.FromResult(reply()) : Task.FromResult(Metrics);
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }

    public JobView Add(JobView job)
    {
        Jobs[job.Id] = job;
        return job;
    }

    private Task<ReportReply> Apply(Guid id, Func<JobView, bool> allowed, JobStatus next, string accepted, Func<JobView, string> refused)
    {
        ThrowIfFailing();
        if (!Jobs.TryGetValue(id, out var job))
        {
            return Task.FromResult(new ReportReply(ReportResult.NotFound, JobStatus.Pending, 0, $"no job has the id {id}"));
        }

        if (!allowed(job))
        {
            return Task.FromResult(new ReportReply(ReportResult.WrongState, job.Status, job.Attempts.Count, refused(job)));
        }

        Jobs[id] = job with { Status = next };
        return Task.FromResult(new ReportReply(ReportResult.Accepted, next, job.Attempts.Count, accepted));
    }

    private void ThrowIfFailing()
    {
        if (Failure is not null)
        {
            throw Failure;
        }
    }
}
