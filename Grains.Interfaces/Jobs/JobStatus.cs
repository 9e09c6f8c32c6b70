namespace OrleansQueue.Jobs;

/// <summary>Where a job is in its life. The only ways forward are
/// <c>Pending → Processing → Completed | Failed</c>, <c>Processing → Pending</c> (a retry or a take-back),
/// <c>Processing → Buried</c> (its worker set it aside), and <c>Pending | Processing | Buried → Cancelled</c>.
/// <c>requeue</c> sends a finished or buried job back to <c>Pending</c> (for a buried one, beanstalkd's kick).
/// <para><see cref="Delayed"/> is never stored: a job is shown delayed while it is pending and not yet due (a submit or
/// release with a delay, a retry's backoff), so it stops being delayed when its time comes, without anyone telling it.
/// </para></summary>
[GenerateSerializer, Alias("oq.JobStatus")]
public enum JobStatus
{
    Pending = 0,
    Processing = 1,
    Completed = 2,
    Failed = 3,
    Cancelled = 4,
    /// <summary>Set aside by its worker (beanstalkd's <c>bury</c>, a handler's <c>Bury</c>) until kicked.</summary>
    Buried = 5,
    /// <summary>Pending but not leasable before its due time (a delay, a retry's backoff): only ever shown, never
    /// stored; <see cref="JobView.Status"/> reads <see cref="Pending"/> with a due time ahead as this.</summary>
    Delayed = 6,
}

/// <summary>How one attempt ended.</summary>
[GenerateSerializer, Alias("oq.AttemptOutcome")]
public enum AttemptOutcome
{
    Running = 0,
    Completed = 1,
    Failed = 2,
    DeadlineExceeded = 3,
    WorkerLost = 4,
    HandedBack = 5,
    Cancelled = 6,
    /// <summary>Given back by its worker with a new priority and maybe a delay (beanstalkd's <c>release</c>).</summary>
    Released = 7,
    /// <summary>Its worker buried the job.</summary>
    Buried = 8,
}

/// <summary>Upper-case wire names (<c>PENDING</c>, <c>DEADLINE_EXCEEDED</c>) used by the console and JSON output.</summary>
public static class JobStatusNames
{
    public static string ToWireName(this JobStatus status) => status switch
    {
        JobStatus.Pending => "PENDING",
        JobStatus.Processing => "PROCESSING",
        JobStatus.Completed => "COMPLETED",
        JobStatus.Failed => "FAILED",
        JobStatus.Cancelled => "CANCELLED",
        JobStatus.Buried => "BURIED",
        JobStatus.Delayed => "DELAYED",
        _ => status.ToString().ToUpperInvariant(),
    };

    public static string ToWireName(this AttemptOutcome outcome) => outcome switch
    {
        AttemptOutcome.Running => "RUNNING",
        AttemptOutcome.Completed => "COMPLETED",
        AttemptOutcome.Failed => "FAILED",
        AttemptOutcome.DeadlineExceeded => "DEADLINE_EXCEEDED",
        AttemptOutcome.WorkerLost => "WORKER_LOST",
        AttemptOutcome.HandedBack => "HANDED_BACK",
        AttemptOutcome.Cancelled => "CANCELLED",
        AttemptOutcome.Released => "RELEASED",
        AttemptOutcome.Buried => "BURIED",
        _ => outcome.ToString().ToUpperInvariant(),
    };

    /// <summary>Every status's name as <see cref="TryParse"/> reads it: what a help text or the refusal of another lists.</summary>
    public static string Listed { get; } = string.Join(", ", Enum.GetValues<JobStatus>().Select(s => s.ToWireName().ToLowerInvariant()));

    public static bool TryParse(string text, out JobStatus status)
    {
        foreach (var candidate in Enum.GetValues<JobStatus>())
        {
            if (string.Equals(candidate.ToWireName(), text, StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }

    /// <summary>Pending, due or not yet (<see cref="JobStatus.Delayed"/>): waiting in its queue for a lease.</summary>
    public static bool IsPending(this JobStatus status) => status is JobStatus.Pending or JobStatus.Delayed;

    /// <summary>What a job in the stored <paramref name="status"/> with due time <paramref name="notBefore"/> shows at
    /// <paramref name="now"/>: <see cref="JobStatus.Delayed"/> for a pending job not yet due.</summary>
    public static JobStatus AsShownAt(this JobStatus status, DateTimeOffset? notBefore, DateTimeOffset now) =>
        status == JobStatus.Pending && notBefore > now ? JobStatus.Delayed : status;

    public static bool IsTerminal(this JobStatus status) =>
        status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled;
}
