using Microsoft.Extensions.Logging;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Jobs;

public sealed partial class JobGrain
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {JobId} submitted: type {JobType}, priority {Priority}")]
    private partial void LogSubmitted(Guid jobId, string jobType, long priority);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {JobId} attempt {Attempt}: now {Status} ({Detail})")]
    private partial void LogTransition(Guid jobId, int attempt, JobStatus status, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: refused a report from attempt {Attempt}; the current attempt is {CurrentAttempt}")]
    private partial void LogStaleReport(Guid jobId, int attempt, int currentAttempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} attempt {Attempt} taken back ({Cause}); now {Status} with {RetriesLeft} retries left")]
    private partial void LogTakenBack(Guid jobId, int attempt, RequeueCause cause, JobStatus status, int retriesLeft);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: telling the schedule ({Effect}) failed; its lease will reconcile")]
    private partial void LogNoticeFailed(Exception exception, Guid jobId, string effect);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {JobId}, finished at {FinishedAt:O}, forgotten by the finished-job sweep")]
    private partial void LogForgotten(Guid jobId, DateTimeOffset finishedAt);
}
