using OrleansQueue.Jobs;

namespace OrleansQueue.Scheduling;

/// <summary>The job grain's answer when the schedule takes a lease back: one of four cases.</summary>
[GenerateSerializer, Immutable, Alias("oq.TakeBackReply")]
public abstract record TakeBackReply
{
    private TakeBackReply()
    {
    }

    /// <summary>This call ended the running attempt; the shard settles it like any attempt end.</summary>
    [GenerateSerializer, Immutable, Alias("oq.TakeBackReply.Ended")]
    public sealed record Ended([property: Id(0)] AttemptEnd Notice) : TakeBackReply;

    /// <summary>The lease's attempt had already ended, and the shard that still holds the lease never settled that end:
    /// its notice was lost, or applied in memory by an activation that died before its journal write. The notice is
    /// the one the end produced (as near as the job's record tells it); the shard settles it like any attempt end, so
    /// its counters converge to the jobs' own records after a crash.</summary>
    [GenerateSerializer, Immutable, Alias("oq.TakeBackReply.AlreadyEnded")]
    public sealed record AlreadyEnded([property: Id(0)] AttemptEnd Notice) : TakeBackReply;

    /// <summary>The job is pending (a requeue notice to the shard was lost, or the attempt never started): queue this
    /// entry. The shard never holds a job twice, so this is safe when the entry is queued already.</summary>
    [GenerateSerializer, Immutable, Alias("oq.TakeBackReply.Pending")]
    public sealed record Pending([property: Id(0)] QueueEntry Entry) : TakeBackReply;

    /// <summary>The job moved on without this attempt (finished, cancelled, or on a later attempt): nothing to do.</summary>
    [GenerateSerializer, Immutable, Alias("oq.TakeBackReply.MovedOn")]
    public sealed record MovedOn([property: Id(0)] JobStatus Status) : TakeBackReply;
}
