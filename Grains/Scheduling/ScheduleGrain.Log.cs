using Microsoft.Extensions.Logging;
using OrleansQueue.Jobs;

namespace OrleansQueue.Scheduling;

public sealed partial class ScheduleGrain
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Leased job {JobId} attempt {Attempt} to {Worker} (shard {Shard})")]
    private partial void LogLeased(Guid jobId, int attempt, string worker, int shard);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Took back job {JobId} attempt {Attempt} from {Worker}: {Cause}; the job is now {Status}")]
    private partial void LogTakenBack(Guid jobId, int attempt, string worker, RequeueCause cause, JobStatus status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {Worker} is silent past the timeout and declared lost (shard {Shard}); taking back {Leases} leases")]
    private partial void LogWorkerLost(string worker, int shard, int leases);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Worker} is back (shard {Shard})")]
    private partial void LogWorkerBack(string worker, int shard);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Worker} stopped (shard {Shard}); {Leases} leases it still held were handed back")]
    private partial void LogWorkerStopped(string worker, int shard, int leases);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule shard {Shard} restored {Pending} pending jobs and {Leases} leases")]
    private partial void LogRestored(int shard, int pending, int leases);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Starting job {JobId} for {Worker} failed ({Error}); its lease will be reconciled when it runs out")]
    private partial void LogStartFailed(Guid jobId, string worker, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Taking back job {JobId} attempt {Attempt} failed; it will be tried again")]
    private partial void LogTakeBackFailed(Exception exception, Guid jobId, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing schedule shard {Shard} failed; it will be tried again")]
    private partial void LogFlushFailed(Exception exception, int shard);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Re-arming the deadline reminder of shard {Shard} failed")]
    private partial void LogReminderFailed(Exception exception, int shard);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} attempt {Attempt} was taken back from {Worker} while it was being started; not handed out")]
    private partial void LogStartOvertaken(Guid jobId, int attempt, string worker);
}
