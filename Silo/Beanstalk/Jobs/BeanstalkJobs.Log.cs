namespace OrleansQueue.Silo.Beanstalk.Jobs;

internal sealed partial class BeanstalkJobs
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Beanstalk put of job {Number} refused by the silo: {Error}")]
    private partial void LogPutRefused(ulong number, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Beanstalk put of job {Number} failed: {Error}")]
    private partial void LogPutFailed(ulong number, string? error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Beanstalk reserve leased job {JobId} of queue {Queue}, which has no job number; it is reserved as {Alias}")]
    private partial void LogAliased(Guid jobId, string queue, ulong alias);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Beanstalk gateway: handing back {Count} job(s) failed; the schedule takes them back when their ttr runs out")]
    private partial void LogHandBackFailed(Exception exception, int count);
}
