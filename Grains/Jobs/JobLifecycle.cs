using System.Text;
using OrleansQueue.Hosting;
using OrleansQueue.Scheduling;
using OrleansQueue.Text;

namespace OrleansQueue.Jobs;

/// <summary>What the schedule must learn after a job changed: one of four cases.</summary>
public abstract record ScheduleEffect
{
    private ScheduleEffect()
    {
    }

    /// <summary>Nothing: the schedule is not concerned (progress, a refused or repeated command).</summary>
    public static readonly ScheduleEffect None = new NoChange();

    public sealed record NoChange : ScheduleEffect;

    /// <summary>Put the job in the index (a manual requeue, or making sure a pending job is queued).</summary>
    public sealed record Enqueue(QueueEntry Entry, RequeueCause Cause) : ScheduleEffect;

    /// <summary>An attempt ended: the shard releases its lease, counts it and, with a requeue entry, queues the job again.</summary>
    public sealed record AttemptEnded(AttemptEnd Notice) : ScheduleEffect;

    /// <summary>A pending job was cancelled: drop it from the index (counted when it is the job's first cancel).</summary>
    public sealed record RemovePending(Guid JobId, bool FirstCancel) : ScheduleEffect;
}

/// <summary>The outcome of a command on a job: the reply to the caller, whether state changed (and must be
/// written), and what the schedule must be told after the write.</summary>
public sealed record JobTransition(ReportReply Reply, bool Changed, ScheduleEffect Effect);

/// <summary>
/// The rules of a job's life, on plain state so they can be tested without a cluster. The job grain calls
/// these, writes the state when it changed, and then applies the effect to the schedule.
/// <para>Fencing: an attempt's number is its token. Only the current attempt, while it runs, can end it;
/// a report for any other attempt is refused as stale and changes nothing.</para>
/// </summary>
public static class JobLifecycle
{
    public const int MaxErrorLength = 4000;
    public const string DeadlineExceededError = "deadline exceeded";
    public const string WorkerLostError = "worker lost";

    /// <summary>Validates a submission and builds the new job. Throws <see cref="InvalidJobException"/> with every
    /// problem found; nothing is stored in that case.</summary>
    public static JobState Create(Guid id, JobSubmission submission, QueueOptions options, int shard, DateTimeOffset now)
    {
        var problems = Validate(submission, options);
        if (problems.Count > 0)
        {
            throw new InvalidJobException(string.Join(" ", problems));
        }

        var retries = submission.Retries ?? options.DefaultRetries;
        return new JobState
        {
            Exists = true,
            Id = id,
            Type = submission.Type,
            Payload = submission.Payload,
            Priority = submission.Priority ?? options.DefaultPriority,
            Retries = retries,
            RetriesLeft = retries,
            Deadline = submission.Deadline ?? options.DefaultDeadline,
            RetryBackoff = submission.RetryBackoff ?? options.DefaultRetryBackoff,
            SubmittedAt = now,
            EnqueuedAt = now,
            Status = JobStatus.Pending,
            Shard = shard,
            Queue = submission.Queue ?? QueueNames.Default,
            // A delayed job is pending but not leasable until then: its shard holds it with the retries in backoff.
            NotBefore = submission.Delay is { } delay && delay > TimeSpan.Zero ? now + delay : null,
            Delay = submission.Delay is { } asked && asked > TimeSpan.Zero ? asked : TimeSpan.Zero,
        };
    }

    public static List<string> Validate(JobSubmission s, QueueOptions o)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(s.Type))
        {
            problems.Add("The job type is empty.");
        }
        else if (s.Type.Length > o.MaxTypeLength)
        {
            problems.Add($"The job type is {s.Type.Length} characters long; the limit is {o.MaxTypeLength}.");
        }
        else if (!DisplayText.IsPrintable(s.Type))
        {
            problems.Add($"The job type '{DisplayText.Echo(s.Type)}' contains white space or control characters.");
        }

        if (s.Payload is null)
        {
            problems.Add("The payload is missing.");
        }
        else if (s.Payload.Length > o.MaxPayloadBytes)
        {
            problems.Add(QueueLimits.PayloadTooLarge(s.Payload.Length, o.MaxPayloadBytes));
        }

        if (s.Delay < TimeSpan.Zero || s.Delay > JobSubmission.MaxDelay)
        {
            problems.Add($"Delay {s.Delay.Value.TotalSeconds:0.###} s is out of range: it must be from 0 to {JobSubmission.MaxDelay.TotalSeconds:0} s.");
        }

        if (s.Queue is not null && !QueueNames.IsValid(s.Queue))
        {
            problems.Add(QueueNames.Malformed(s.Queue));
        }

        if (s.Priority is < 0 or > JobSubmission.MaxPriority)
        {
            problems.Add($"Priority {s.Priority} is out of range: it must be from 0 (most important) to {JobSubmission.MaxPriority}.");
        }

        if (s.Retries < 0)
        {
            problems.Add($"Retries {s.Retries} is negative: it must be from 0 to {o.MaxRetries}.");
        }
        else if (s.Retries > o.MaxRetries)
        {
            problems.Add($"Retries {s.Retries} is above the limit of {o.MaxRetries}.");
        }

        if (s.Deadline <= TimeSpan.Zero)
        {
            problems.Add($"Deadline {s.Deadline.Value.TotalSeconds:0.###} s must be greater than zero.");
        }
        else if (s.Deadline > o.MaxDeadline)
        {
            problems.Add($"Deadline {s.Deadline.Value.TotalSeconds:0.###} s is above the limit of {o.MaxDeadline.TotalSeconds:0} s.");
        }

        if (s.RetryBackoff < TimeSpan.Zero)
        {
            problems.Add("The retry backoff cannot be negative.");
        }
        else if (s.RetryBackoff > o.MaxRetryBackoff)
        {
            problems.Add($"The retry backoff {s.RetryBackoff.Value.TotalSeconds:0.###} s is above the cap of {o.MaxRetryBackoff.TotalSeconds:0} s.");
        }

        return problems;
    }

    /// <summary>Records attempt <paramref name="attempt"/>, the fencing token the shard issued with its lease, for the
    /// worker that leased the job. The shard's entry names the job's next attempt; an entry that names another one is
    /// older than the job's last attempt (the job was queued again since), so nothing starts and the current entry goes
    /// back to the shard. Returns whether the state changed, with the result.</summary>
    public static (StartResult Result, bool Changed) Start(JobState job, string worker, int attempt, DateTimeOffset now)
    {
        if (!job.Exists || job.Status != JobStatus.Pending)
        {
            return (new StartResult.NotPending(job.Status, job.CurrentAttempt), false);
        }

        if (attempt != job.CurrentAttempt + 1)
        {
            return (new StartResult.Renumbered(job.ToEntry()), false);
        }

        job.Attempts.Add(new AttemptRecord(attempt, worker, now, null, AttemptOutcome.Running, null));
        job.Status = JobStatus.Processing;
        job.StartedAt ??= now;
        job.NotBefore = null;
        job.Progress = null;
        return (new StartResult.Started(new LeasedJob(job.Id, job.Type, job.Payload, job.Priority, attempt, job.Deadline, now, job.RetriesLeft, job.Queue)), true);
    }

    public static JobTransition Complete(JobState job, int attempt, byte[]? result, QueueOptions options, DateTimeOffset now)
    {
        if (result is { Length: var size } && size > options.MaxResultBytes)
        {
            return Fail(job, attempt, $"the result is {size} bytes; the limit is {options.MaxResultBytes} bytes", options, now, Random.Shared);
        }

        if (CheckRunning(job, attempt, AttemptOutcome.Completed) is { } refused)
        {
            return refused;
        }

        EndAttempt(job, AttemptOutcome.Completed, null, now);
        job.Status = JobStatus.Completed;
        job.Result = result;
        job.Error = null;
        job.FinishedAt = now;
        return Accepted(job, $"job {job.Id} completed on attempt {attempt}", Ended(job, now));
    }

    /// <summary>A failed attempt: retried after a backoff while retries are left, else the job fails for good.</summary>
    public static JobTransition Fail(JobState job, int attempt, string error, QueueOptions options, DateTimeOffset now, Random random)
    {
        if (CheckRunning(job, attempt, AttemptOutcome.Failed) is { } refused)
        {
            return refused;
        }

        error = Truncate(string.IsNullOrWhiteSpace(error) ? "the handler failed without a message" : error);
        EndAttempt(job, AttemptOutcome.Failed, error, now);
        job.Error = error;
        if (job.RetriesLeft > 0)
        {
            job.RetriesLeft--;
            var backoff = Backoff(job.RetryBackoff, job.Retries - job.RetriesLeft, options.MaxRetryBackoff, random);
            Requeue(job, now, backoff > TimeSpan.Zero ? now + backoff : null);
            return Accepted(job, $"attempt {attempt} failed; retrying ({job.RetriesLeft} retries left)", Ended(job, now));
        }

        job.Status = JobStatus.Failed;
        job.FinishedAt = now;
        return Accepted(job, $"attempt {attempt} failed; no retries left, the job failed", Ended(job, now));
    }

    public const int MaxProgressMessageLength = 200;

    /// <summary>Records the running attempt's progress; refused for any other attempt. It tells the schedule nothing.</summary>
    public static JobTransition ReportProgress(JobState job, int attempt, int percent, string? message, DateTimeOffset now)
    {
        if (CheckRunning(job, attempt, AttemptOutcome.Running) is { } refused)
        {
            return refused;
        }

        if (message is { Length: > MaxProgressMessageLength })
        {
            message = message[..MaxProgressMessageLength];
        }

        job.Progress = new JobProgress(attempt, Math.Clamp(percent, 0, 100), message, now);
        return Accepted(job, $"progress {job.Progress.Percent}%", ScheduleEffect.None);
    }

    /// <summary>The worker gives the attempt back unfinished: queued again at once, no retry used.</summary>
    public static JobTransition HandBack(JobState job, int attempt, DateTimeOffset now)
    {
        if (CheckRunning(job, attempt, AttemptOutcome.HandedBack) is { } refused)
        {
            return refused;
        }

        EndAttempt(job, AttemptOutcome.HandedBack, null, now);
        KeepPlace(job);
        return Accepted(job, $"attempt {attempt} handed back; the job is pending again", Ended(job, now));
    }

    /// <summary>beanstalkd's <c>release</c>: the worker gives the attempt back unfinished, no retry used, with a new
    /// priority; with a delay the job waits it out before it can be leased again.</summary>
    public static JobTransition Release(JobState job, int attempt, long priority, TimeSpan delay, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(priority);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(priority, JobSubmission.MaxPriority);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(delay, JobSubmission.MaxDelay);

        if (CheckRunning(job, attempt, AttemptOutcome.Released) is { } refused)
        {
            return refused;
        }

        EndAttempt(job, AttemptOutcome.Released, null, now);
        job.Priority = priority;
        job.Delay = delay;
        // Released at once, it goes back to its place among the jobs of its priority (its shard keeps the place of a
        // released entry, as of a handed-back one): beanstalkd orders ready jobs by priority, then id, so a released job
        // is taken before the jobs put after it. With a delay, it is queued when due, like any delayed job.
        if (delay > TimeSpan.Zero)
        {
            Requeue(job, now, now + delay);
        }
        else
        {
            KeepPlace(job);
        }
        return Accepted(job, $"attempt {attempt} released with priority {priority}; the job is pending again", Ended(job, now));
    }

    /// <summary>beanstalkd's <c>bury</c>, a handler's <c>Bury</c>: the worker sets the job aside, no retry used, with
    /// <paramref name="reason"/> as its error and a new priority when given. Its shard keeps it among the buried jobs of
    /// its queue until it is kicked (<see cref="Requeue"/>).</summary>
    public static JobTransition Bury(JobState job, int attempt, long? priority, string? reason, DateTimeOffset now)
    {
        if (priority is { } p)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(p);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(p, JobSubmission.MaxPriority);
        }

        if (CheckRunning(job, attempt, AttemptOutcome.Buried) is { } refused)
        {
            return refused;
        }

        reason = string.IsNullOrWhiteSpace(reason) ? null : Truncate(reason);
        EndAttempt(job, AttemptOutcome.Buried, reason, now);
        job.Status = JobStatus.Buried;
        job.Priority = priority ?? job.Priority;
        job.Error = reason;
        return Accepted(job, $"attempt {attempt} buried; the job waits for a kick", new ScheduleEffect.AttemptEnded(Notice(job, now) with { Bury = job.ToEntry() }));
    }

    /// <summary>Cancels the job only while it is pending (beanstalkd's <c>delete</c> of a job nobody reserved): one
    /// leased meanwhile belongs to its worker and is refused as <see cref="ReportResult.WrongState"/>.</summary>
    public static JobTransition CancelPending(JobState job, DateTimeOffset now) =>
        job.Status is JobStatus.Pending or JobStatus.Buried
            ? Cancel(job, now)
            : Refused(job, ReportResult.WrongState, $"job {job.Id} is {job.Status.ToWireName()}, not PENDING or BURIED");

    /// <summary>
    /// The schedule takes back a lease that ran out. A deadline or a lost worker counts as a failed attempt;
    /// a lease the worker never received (<see cref="RequeueCause.HandedBack"/>) does not use a retry.
    /// <para>Also the schedule's safety net: a pending job means a requeue notice to the schedule was lost, or the
    /// lease's attempt never started, so its entry is returned (the schedule never holds a job twice).</para>
    /// <para>A take-back names its lease by the attempt number and the lease's time (<paramref name="leasedAt"/>, which
    /// the attempt records as its start): a number whose first lease was taken back before its start was known is queued
    /// again under the same number, so only the time tells that lease from a later one that did start the attempt. Null
    /// takes back whichever attempt of that number runs (the stored-job sweep, which holds no lease).</para>
    /// </summary>
    public static (TakeBackReply Reply, bool Changed) TakeBack(JobState job, int attempt, DateTimeOffset? leasedAt, RequeueCause cause, DateTimeOffset now)
    {
        if (EndedBefore(job, attempt, leasedAt, now) is { } ended)
        {
            return (new TakeBackReply.AlreadyEnded(ended), false);
        }

        if (job.Exists && job.Status == JobStatus.Pending)
        {
            return (new TakeBackReply.Pending(job.ToEntry()), false);
        }

        var running = job.Exists && job.Status == JobStatus.Processing && job.LastAttempt is { Outcome: AttemptOutcome.Running };
        if (!running || attempt != job.CurrentAttempt || (leasedAt is { } at && job.LastAttempt!.StartedAt != at))
        {
            return (new TakeBackReply.MovedOn(job.Status), false);
        }

        if (cause == RequeueCause.HandedBack)
        {
            EndAttempt(job, AttemptOutcome.HandedBack, null, now);
            KeepPlace(job);
            return (new TakeBackReply.Ended(Notice(job, now)), true);
        }

        var (outcome, error) = cause == RequeueCause.WorkerLost
            ? (AttemptOutcome.WorkerLost, WorkerLostError)
            : (AttemptOutcome.DeadlineExceeded, DeadlineExceededError);
        EndAttempt(job, outcome, error, now);
        job.Error = error;
        if (job.RetriesLeft > 0)
        {
            job.RetriesLeft--;
            Requeue(job, now, notBefore: null);
        }
        else
        {
            job.Status = JobStatus.Failed;
            job.FinishedAt = now;
        }

        return (new TakeBackReply.Ended(Notice(job, now)), true);
    }

    /// <summary>Cancels a pending or processing job. The rule for a command that asks for the state the job is already
    /// in (a CANCELLED job cancelled again, a PENDING job requeued) is the same for every command: it succeeds as a
    /// <see cref="ReportResult.Duplicate"/> and changes nothing, so a command whose answer was lost can be sent again.</summary>
    public static JobTransition Cancel(JobState job, DateTimeOffset now)
    {
        var first = !job.EverCancelled;
        switch (job.Status)
        {
            case JobStatus.Pending or JobStatus.Buried:
                job.Status = JobStatus.Cancelled;
                job.FinishedAt = now;
                job.NotBefore = null;
                job.EverCancelled = true;
                return Accepted(job, $"job {job.Id} cancelled", new ScheduleEffect.RemovePending(job.Id, first));
            case JobStatus.Processing:
                var attempt = job.CurrentAttempt;
                EndAttempt(job, AttemptOutcome.Cancelled, "cancelled", now);
                job.Status = JobStatus.Cancelled;
                job.FinishedAt = now;
                job.EverCancelled = true;
                return Accepted(job, $"job {job.Id} cancelled; its worker is told to stop attempt {attempt}",
                    new ScheduleEffect.AttemptEnded(Notice(job, now) with { FirstCancel = first }));
            case JobStatus.Cancelled:
                return Refused(job, ReportResult.Duplicate, $"job {job.Id} is already CANCELLED");
            default:
                return Refused(job, ReportResult.WrongState,
                    $"job {job.Id} is already {job.Status.ToWireName()}; only PENDING, PROCESSING or BURIED jobs can be cancelled");
        }
    }

    /// <summary>beanstalkd's <c>kick</c>: a buried job is pending again (see <see cref="Requeue"/>), a delayed one is due
    /// now (its shard moves its entry to the ready ones); any other status is refused as
    /// <see cref="ReportResult.WrongState"/> and changes nothing.</summary>
    public static JobTransition Kick(JobState job, DateTimeOffset now)
    {
        switch (job.Status.AsShownAt(job.NotBefore, now))
        {
            case JobStatus.Buried:
                return Requeue(job, now);
            case JobStatus.Delayed:
                job.NotBefore = null;
                job.EnqueuedAt = now;
                job.DelayedKicks++;
                return Accepted(job, $"job {job.Id} was delayed and is ready now", new ScheduleEffect.Enqueue(job.ToEntry(), RequeueCause.Manual));
            default:
                return Refused(job, ReportResult.WrongState, $"job {job.Id} is {job.Status.AsShownAt(job.NotBefore, now).ToWireName()}, not BURIED or DELAYED");
        }
    }

    /// <summary>Sends a failed, cancelled or buried job back to pending with its retries restored. A job
    /// already pending is a <see cref="ReportResult.Duplicate"/> (see <see cref="Cancel"/>); its entry still goes to the
    /// shard, which ignores it when queued already and repairs a lost one otherwise.</summary>
    public static JobTransition Requeue(JobState job, DateTimeOffset now)
    {
        if (job.Status == JobStatus.Pending)
        {
            var shown = job.Status.AsShownAt(job.NotBefore, now);
            return new(new ReportReply(ReportResult.Duplicate, shown, job.CurrentAttempt, $"job {job.Id} is already {shown.ToWireName()}"),
                false, new ScheduleEffect.Enqueue(job.ToEntry(), RequeueCause.Manual));
        }

        if (job.Status is not (JobStatus.Failed or JobStatus.Cancelled or JobStatus.Buried))
        {
            return Refused(job, ReportResult.WrongState,
                $"job {job.Id} is {job.Status.ToWireName()}; only FAILED, CANCELLED or BURIED jobs can be requeued");
        }

        job.RetriesLeft = job.Retries;
        job.FinishedAt = null;
        job.Error = null;
        job.Result = null;
        Requeue(job, now, notBefore: null);
        return Accepted(job, $"job {job.Id} is pending again with {job.RetriesLeft} retries",
            new ScheduleEffect.Enqueue(job.ToEntry(), RequeueCause.Manual));
    }

    /// <summary>Exponential backoff with jitter: the n-th retry waits a random time between half and all of
    /// <c>base × 2^(n-1)</c>, capped. Jitter spreads the retries of jobs that failed together.</summary>
    public static TimeSpan Backoff(TimeSpan baseDelay, int retryNumber, TimeSpan cap, Random random)
    {
        if (baseDelay <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        var exponent = Math.Clamp(retryNumber - 1, 0, 30);
        var ceiling = Math.Min(cap.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (random.NextDouble() * 0.5)));
    }

    private static JobTransition? CheckRunning(JobState job, int attempt, AttemptOutcome reporting)
    {
        if (!job.Exists)
        {
            return Refused(job, ReportResult.NotFound, "no job has this id");
        }

        var last = job.LastAttempt;
        if (attempt != job.CurrentAttempt || last is null)
        {
            return Refused(job, ReportResult.StaleAttempt,
                $"attempt {attempt} is not the current attempt of job {job.Id} (it is on attempt {job.CurrentAttempt}, {job.Status.ToWireName()}); the report is refused");
        }

        if (last.Outcome == AttemptOutcome.Running && job.Status == JobStatus.Processing)
        {
            return null;
        }

        if (last.Outcome == reporting)
        {
            return Refused(job, ReportResult.Duplicate, $"attempt {attempt} already ended {reporting.ToWireName()}");
        }

        return Refused(job, ReportResult.StaleAttempt,
            $"attempt {attempt} of job {job.Id} already ended {last.Outcome.ToWireName()}; the report is refused");
    }

    /// <summary>The notice of the attempt that just ended, with the entry to queue again when the job is pending.</summary>
    private static AttemptEnd Notice(JobState job, DateTimeOffset now) => new(
        new AttemptRef(job.Id, job.CurrentAttempt),
        job.Attempts[^1].Outcome,
        job.Status == JobStatus.Pending ? job.ToEntry() : null,
        job.SubmittedAt,
        job.Attempts[^1].EndedAt ?? now);

    private static ScheduleEffect.AttemptEnded Ended(JobState job, DateTimeOffset now) => new(Notice(job, now));

    /// <summary>
    /// The notice of the leased attempt when it ended before the take-back: the shard still holds its lease, so it never
    /// settled that end (the notice was lost, or applied by an activation that died before writing it). Null when the
    /// lease's attempt is not the job's last one, or still runs, or the take-back holds no lease (the stored-job sweep).
    /// <para>It is the notice the end produced, rebuilt from the job's record: the same outcome, time and entry to queue
    /// (a retry, a hand-back) or to bury. Two things the record cannot tell: whether a cancel was the job's first (taken
    /// as first unless an earlier attempt was cancelled), and whether a pending job's entry came from this attempt's end
    /// or from a requeue command after it (a final failure then counts as a retry; the shard queues the entry once).</para>
    /// </summary>
    private static AttemptEnd? EndedBefore(JobState job, int attempt, DateTimeOffset? leasedAt, DateTimeOffset now)
    {
        if (!job.Exists || leasedAt is not { } at || attempt != job.CurrentAttempt
            || job.LastAttempt is not { } last || last.StartedAt != at || last.Outcome == AttemptOutcome.Running)
        {
            return null;
        }

        var notice = Notice(job, now);
        return job.Status switch
        {
            JobStatus.Buried => notice with { Bury = job.ToEntry() },
            JobStatus.Cancelled => notice with { FirstCancel = !job.Attempts.SkipLast(1).Any(a => a.Outcome == AttemptOutcome.Cancelled) },
            _ => notice,
        };
    }

    private static void EndAttempt(JobState job, AttemptOutcome outcome, string? error, DateTimeOffset now) =>
        job.Attempts[^1] = job.Attempts[^1] with { EndedAt = now, Outcome = outcome, Error = error };

    private static void Requeue(JobState job, DateTimeOffset now, DateTimeOffset? notBefore)
    {
        job.Status = JobStatus.Pending;
        job.EnqueuedAt = now;
        job.NotBefore = notBefore;
    }

    /// <summary>A lease handed back (unstarted, or given up by a stopping worker) is not the job's fault nor a new
    /// submission: it is pending again in the place it had, ahead of the jobs of its priority enqueued after it, so a
    /// worker's or the gateway's prefetch cannot reorder a queue.</summary>
    private static void KeepPlace(JobState job)
    {
        job.Status = JobStatus.Pending;
        job.NotBefore = null;
    }

    private static string Truncate(string error) =>
        error.Length <= MaxErrorLength ? error : new StringBuilder(error, 0, MaxErrorLength, MaxErrorLength + 1).Append('…').ToString();

    private static JobTransition Accepted(JobState job, string message, ScheduleEffect effect) =>
        new(new ReportReply(ReportResult.Accepted, job.Status, job.CurrentAttempt, message), true, effect);

    private static JobTransition Refused(JobState job, ReportResult result, string message) =>
        new(new ReportReply(result, job.Status, job.CurrentAttempt, message), false, ScheduleEffect.None);
}
