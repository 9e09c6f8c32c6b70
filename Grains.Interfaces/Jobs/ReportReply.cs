namespace OrleansQueue.Jobs;

/// <summary>What the job grain made of a report or command.</summary>
[GenerateSerializer, Alias("oq.ReportResult")]
public enum ReportResult
{
    /// <summary>The report was applied.</summary>
    Accepted = 0,
    /// <summary>The same report was already applied (a retried call), or the command asks for the state the job is
    /// already in (cancel a CANCELLED job, requeue a PENDING one); nothing changed. It counts as success.</summary>
    Duplicate = 1,
    /// <summary>The attempt's fencing token is not the job's current attempt: it was taken back or superseded.</summary>
    StaleAttempt = 2,
    /// <summary>The job is not in a state that allows this (e.g. cancelling a completed job).</summary>
    WrongState = 3,
    /// <summary>No job has this id.</summary>
    NotFound = 4,
}

/// <summary>The answer to a worker's report, to progress, and to <c>Cancel</c> and <c>Requeue</c>.</summary>
[GenerateSerializer, Immutable, Alias("oq.ReportReply")]
public sealed record ReportReply(
    [property: Id(0)] ReportResult Result,
    [property: Id(1)] JobStatus Status,
    [property: Id(2)] int CurrentAttempt,
    [property: Id(3)] string Message)
{
    public bool IsAccepted => Result is ReportResult.Accepted or ReportResult.Duplicate;
}
