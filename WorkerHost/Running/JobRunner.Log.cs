namespace OrleansQueue.Worker.Running;

internal sealed partial class JobRunner
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {JobId} attempt {Attempt} started: {JobType}, priority {Priority}")]
    private partial void LogStarted(Guid jobId, int attempt, string jobType, long priority);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {JobId} attempt {Attempt} completed in {ElapsedMs} ms")]
    private partial void LogCompleted(Guid jobId, int attempt, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} attempt {Attempt} failed: {Error}")]
    private partial void LogFailed(Guid jobId, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} attempt {Attempt}: the handler's touch did not reach the schedule: {Error}")]
    private partial void LogTouchFailed(Guid jobId, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} attempt {Attempt} buried by its handler: {Reason}")]
    private partial void LogBuried(Guid jobId, int attempt, string? reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {JobId} attempt {Attempt}: the handler threw")]
    private partial void LogHandlerThrew(Exception exception, Guid jobId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} attempt {Attempt} ran past its deadline of {DeadlineMs} ms and was stopped; not reported, the schedule takes it back")]
    private partial void LogPastDeadline(Guid jobId, int attempt, long deadlineMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} attempt {Attempt} stopped: the schedule says it is no longer ours (job cancelled or lease taken back); not reported")]
    private partial void LogRemotelyStopped(Guid jobId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} attempt {Attempt}: the handler ignored its cancellation ({Reason}) and answered anyway; reporting its outcome, which the job may refuse")]
    private partial void LogAnsweredAfterStop(Guid jobId, int attempt, StopReason reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} attempt {Attempt}: the handler answered after {ElapsedMs} ms, after the attempt was handed back; result dropped")]
    private partial void LogLateResult(Guid jobId, int attempt, long elapsedMs);
}
