namespace OrleansQueue.Scheduling;

/// <summary>One named queue's jobs on one shard, by where they are (beanstalkd's <c>stats-tube</c> figures).</summary>
/// <param name="Queue">The queue.</param>
/// <param name="Ready">Leasable now.</param>
/// <param name="Urgent">Of those, the ones with a priority below <see cref="UrgentBelow"/> (beanstalkd's urgent).</param>
/// <param name="Reserved">Leased (processing).</param>
/// <param name="Delayed">Pending but not due yet (a put delay, a release delay, a retry's backoff).</param>
/// <param name="Buried">Set aside until kicked.</param>
/// <param name="Pause">The queue's pause while it lasts.</param>
[GenerateSerializer, Immutable, Alias("oq.QueueCounts")]
public sealed record QueueCounts(
    [property: Id(0)] string Queue,
    [property: Id(1)] long Ready,
    [property: Id(2)] long Urgent,
    [property: Id(3)] long Reserved,
    [property: Id(4)] long Delayed,
    [property: Id(5)] long Buried,
    [property: Id(6)] QueuePause? Pause = null)
{
    /// <summary>beanstalkd counts a job urgent when its priority is below 1024.</summary>
    public const long UrgentBelow = 1024;

    /// <summary>The same queue's counts on several shards, added up.</summary>
    public static QueueCounts Sum(string queue, IEnumerable<QueueCounts> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        var all = shards.ToList();
        return new QueueCounts(queue, all.Sum(c => c.Ready), all.Sum(c => c.Urgent), all.Sum(c => c.Reserved), all.Sum(c => c.Delayed), all.Sum(c => c.Buried),
            all.Select(c => c.Pause).OfType<QueuePause>().MaxBy(p => p.Until));
    }
}

/// <summary>A pause of a queue: as asked for, and until when.</summary>
[GenerateSerializer, Immutable, Alias("oq.QueuePause")]
public sealed record QueuePause([property: Id(0)] TimeSpan Delay, [property: Id(1)] DateTimeOffset Until);

/// <summary>Which job of a queue a peek asks for.</summary>
[GenerateSerializer, Alias("oq.PeekPlace")]
public enum PeekPlace
{
    /// <summary>The next job a lease of that queue alone would take.</summary>
    Ready = 0,
    /// <summary>The delayed job due first.</summary>
    Delayed = 1,
    /// <summary>The job buried first.</summary>
    Buried = 2,
}
