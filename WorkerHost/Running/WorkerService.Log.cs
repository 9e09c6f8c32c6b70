namespace OrleansQueue.Worker.Running;

internal sealed partial class WorkerService
{
    /// <summary>The line scripts and tests wait for: the worker leases from here on.</summary>
    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Name} ready: {Slots} slots, gateway {Gateway}, cluster '{ClusterId}', {Shards} schedule shard(s)")]
    private partial void LogReady(string name, int slots, string gateway, string clusterId, int shards);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Name} stopping: leasing stopped; {Running} running job(s) get up to {GraceSeconds} s to finish")]
    private partial void LogStopping(string name, int running, double graceSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Name} stopped: {Finished} finished during grace, {HandedBack} handed back")]
    private partial void LogStopped(string name, int finished, int handedBack);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Name} leases as instance {Instance}: another process with the same name is another worker")]
    private partial void LogIdentity(string name, string instance);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot read the schedule's limits yet; trying again in {DelayMs} ms: {Error}")]
    private partial void LogLimitsFailed(long delayMs, string error);

    /// <summary>One line per back-off step of an outage (<see cref="OutageLog"/>), however many calls fail.</summary>
    [LoggerMessage(Level = LogLevel.Warning, Message = "The silo does not answer ({Call}: {Error}); retrying, next notice in {NextNoticeSeconds} s at the earliest")]
    private partial void LogSiloUnreachable(string call, double nextNoticeSeconds, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease from shard {Shard} failed unexpectedly; trying again in {DelayMs} ms: {Error}")]
    private partial void LogLeaseFailedUnexpectedly(Exception exception, int shard, long delayMs, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "The silo answers again (lease from shard {Shard})")]
    private partial void LogSiloAnswers(int shard);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat to shard {Shard} failed; trying again next beat: {Error}")]
    private partial void LogHeartbeatFailed(int shard, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} attempt {Attempt}: shard {Shard} says it is no longer ours; stopping it")]
    private partial void LogRemoteStop(Guid jobId, int attempt, int shard);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} attempt {Attempt} was leased twice; running it once")]
    private partial void LogDuplicateLease(Guid jobId, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} attempt {Attempt}: running it failed unexpectedly")]
    private partial void LogRunFailed(Exception exception, Guid jobId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} attempt {Attempt}: the handler ignored cancellation for {WaitMs} ms; handing the attempt back without it")]
    private partial void LogHungHandler(Guid jobId, int attempt, long waitMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telling shard {Shard} that worker {Name} stopped failed: {Error}; the shard will declare it lost and take its leases back")]
    private partial void LogStopNoticeFailed(int shard, string name, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Name}: {Completed} attempts completed and {Failed} failed since the last summary; {Running} running")]
    private partial void LogFinished(string name, long completed, long failed, int running);
}
