using Microsoft.Extensions.Logging;
using OrleansQueue.Jobs;

namespace OrleansQueue.Scheduling;

public sealed partial class ScheduleGrain
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Leased job {JobId} attempt {Attempt} to {Worker} (shard {Shard})")]
    private partial void LogLeased(Guid jobId, int attempt, WorkerId worker, int shard);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Took back job {JobId} attempt {Attempt} from {Worker}: {Cause}; the attempt ended {Outcome}")]
    private partial void LogTakenBack(Guid jobId, int attempt, WorkerId worker, RequeueCause cause, AttemptOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} attempt {Attempt} had ended {Outcome} without this shard settling it (its notice was lost, or written by no journal entry before a crash); settled at its lease's take-back")]
    private partial void LogEndedUnsettled(Guid jobId, int attempt, AttemptOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {Worker} is silent past the timeout and declared lost (shard {Shard}); taking back {Leases} leases")]
    private partial void LogWorkerLost(WorkerId worker, int shard, int leases);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule shard {Shard} went {Stall} longer without running than it may (its silo was stopped, starved of CPU or paused); that time is not counted against its workers' silence or its leases")]
    private partial void LogStalled(int shard, TimeSpan stall);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Worker} is back (shard {Shard})")]
    private partial void LogWorkerBack(WorkerId worker, int shard);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Worker} stopped (shard {Shard}); {Leases} leases it still held were handed back")]
    private partial void LogWorkerStopped(WorkerId worker, int shard, int leases);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule shard {Shard} restored {Pending} pending jobs and {Leases} leases from its journal (through entry {Entry})")]
    private partial void LogRestored(int shard, int pending, int leases, long entry);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule shard {Shard}: a lease could not be written to the journal before its start; the start goes ahead")]
    private partial void LogLeaseNotWritten(Exception exception, int shard);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule shard {Shard}: another activation has taken the shard over; the lease of {Count} job(s) for {Worker} is not started here")]
    private partial void LogLeaseFenced(int shard, int count, WorkerId worker);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule shard {Shard}: another activation has taken the shard over; this one takes no attempt back (its workers only look silent to it)")]
    private partial void LogSweepFenced(int shard);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule shard {Shard}: the journal could not be written before taking attempts back; they are taken back all the same")]
    private partial void LogSweepNotWritten(Exception exception, int shard);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} runs attempt {Attempt}, which no lease of shard {Shard} covers (started by an activation that had lost the shard); it is taken back and the job queued again")]
    private partial void LogOrphanedAttempt(Guid jobId, int attempt, int shard);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Starting job {JobId} for {Worker} failed ({Error}); it is taken back: the job grain ends the attempt if it started")]
    private partial void LogStartFailed(Guid jobId, WorkerId worker, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Taking back job {JobId} attempt {Attempt} failed; it will be tried again")]
    private partial void LogTakeBackFailed(Exception exception, Guid jobId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Re-arming the deadline reminder of shard {Shard} failed")]
    private partial void LogReminderFailed(Exception exception, int shard);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} attempt {Attempt} was taken back from {Worker} while it was being started; not handed out")]
    private partial void LogStartOvertaken(Guid jobId, int attempt, WorkerId worker);
}
