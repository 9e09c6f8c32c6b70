using OrleansQueue.Jobs;

namespace OrleansQueue.Cli.Live;

/// <summary>What following a job shows of it: its status, its latest attempt, and while that attempt runs, the
/// handler's latest percent and message.</summary>
/// <param name="Attempt">The latest attempt's number; 0 before the first.</param>
/// <param name="Percent">The running attempt's latest report, 100 once COMPLETED, else null.</param>
internal sealed record FollowState(JobStatus Status, int Attempt, int? Percent, string? Message)
{
    public static FollowState Of(JobView job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var attempt = job.Attempts.Count == 0 ? 0 : job.Attempts[^1].Number;

        // A report belongs to its attempt: once a retry starts, the previous attempt's percent says nothing.
        return job.Status switch
        {
            JobStatus.Processing when job.Progress is { } p && p.Attempt == attempt => new(job.Status, attempt, p.Percent, p.Message),
            JobStatus.Completed => new(job.Status, attempt, 100, null),
            _ => new(job.Status, attempt, null, null),
        };
    }

    /// <summary>A plain follow prints a line when this changes: the status, the attempt or the percent. A new message
    /// at the same percent is not worth a line.</summary>
    public bool IsSameStepAs(FollowState? other) =>
        other is not null && Status == other.Status && Attempt == other.Attempt && Percent == other.Percent;
}
