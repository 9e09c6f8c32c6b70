using OrleansQueue.Jobs;

namespace OrleansQueue.Worker.Running;

internal sealed partial class JobReporter
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} attempt {Attempt}: report refused: {Message} ({Report}: {Result})")]
    private partial void LogRefused(Guid jobId, int attempt, string message, string report, ReportResult result);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {JobId} attempt {Attempt}: progress not recorded: {Reason}")]
    private partial void LogProgressDropped(Guid jobId, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} attempt {Attempt} handed back: {Reason}")]
    private partial void LogHandedBack(Guid jobId, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} reports failed (try {Try}); sending it again in {DelayMs} ms: {Error}")]
    private partial void LogRetrying(int count, int @try, long delayMs, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Unanswered} of a batch of {Count} reports did not reach their job grains; sending them again")]
    private partial void LogUnanswered(int unanswered, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} attempt {Attempt}: {Report} report could not be delivered after {Tries} tries: {Error}; the schedule takes the attempt back at its deadline")]
    private partial void LogUndelivered(Exception? exception, Guid jobId, int attempt, string report, int tries, string error);
}
