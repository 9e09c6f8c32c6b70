using System.ComponentModel.DataAnnotations;

namespace OrleansQueue.Hosting;

/// <summary>Limits, defaults and timings of the queue, bound from the <c>Queue</c> configuration section.</summary>
public sealed class QueueOptions
{
    public const string SectionName = "Queue";

    /// <summary>Largest payload accepted at submit. Default 1 MiB: large enough for a job description,
    /// small enough that the payload never dominates a silo's memory; pass big data by reference.</summary>
    [Range(0, 64 * 1024 * 1024)]
    public int MaxPayloadBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest result a worker may report. Default 1 MiB; a larger one fails the attempt.</summary>
    [Range(0, 64 * 1024 * 1024)]
    public int MaxResultBytes { get; set; } = 1024 * 1024;

    /// <summary>Longest job type name. Default 128 characters.</summary>
    [Range(1, 1024)]
    public int MaxTypeLength { get; set; } = 128;

    /// <summary>Priority of a job submitted without one. Default 5, the middle of 0 (first) to 10.</summary>
    [Range(0, 10)]
    public int DefaultPriority { get; set; } = 5;

    /// <summary>Retries of a job submitted without a count. Default 3.</summary>
    [Range(0, 100)]
    public int DefaultRetries { get; set; } = 3;

    /// <summary>Most retries a job may ask for. Default 100.</summary>
    [Range(0, 10_000)]
    public int MaxRetries { get; set; } = 100;

    /// <summary>Deadline of an attempt when the job names none. Default 300 s.</summary>
    public TimeSpan DefaultDeadline { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Longest deadline a job may ask for. Default 24 h.</summary>
    public TimeSpan MaxDeadline { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Base of the exponential retry backoff when a job names none. Default 1 s: the n-th retry
    /// waits between half and all of <c>base × 2^(n-1)</c>, capped by <see cref="MaxRetryBackoff"/>.</summary>
    public TimeSpan DefaultRetryBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of a single retry backoff. Default 5 min.</summary>
    public TimeSpan MaxRetryBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Anti-starvation: for every full step a job has waited, it competes as if its priority were one better.
    /// Default 60 s, so a priority-10 job under a constant stream of priority-0 jobs is served within about
    /// 10 minutes. Zero turns aging off (strict priority; starvation becomes possible).
    /// </summary>
    public TimeSpan PriorityAgingStep { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Number of schedule shards. Default 1. Jobs are spread by id; workers lease from all shards.</summary>
    [Range(1, 1024)]
    public int Shards { get; set; } = 1;

    /// <summary>Longest long-poll a lease may ask for. Default 20 s, well under Orleans' 30 s response timeout.</summary>
    public TimeSpan MaxLeaseWait { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Most jobs one lease call may take. Default 1000.</summary>
    [Range(1, 100_000)]
    public int MaxLeaseBatch { get; set; } = 1000;

    /// <summary>A worker silent for longer than this is declared lost and its jobs are requeued. Default 10 s.</summary>
    public TimeSpan WorkerTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How a lost worker stays listed (as lost) before it is forgotten. Default 5 min.</summary>
    public TimeSpan LostWorkerRetention { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a schedule shard checks deadlines, backoffs and worker silence while it is active.
    /// Default 200 ms, which bounds how late an expiry is noticed.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a change to a schedule shard that nobody waits for (a lease settled, an attempt ended) may stay
    /// unwritten to its journal. Default 1 s. Submits and leases do not wait for it: they are written before they are
    /// answered (<see cref="Scheduling.ShardJournal"/>).</summary>
    public TimeSpan StateFlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A shard's journal is compacted (a snapshot written, the entries it covers deleted) once its entries since
    /// the last snapshot name more jobs than twice the shard holds and at least this many. Default 10,000.</summary>
    [Range(100, int.MaxValue)]
    public int CompactAfterEntries { get; set; } = 10_000;

    /// <summary>Refuses a lease request outside the limits: from 1 to <see cref="MaxLeaseBatch"/> jobs, waiting from 0
    /// to <see cref="MaxLeaseWait"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The request is outside them.</exception>
    public void CheckLease(int max, TimeSpan wait)
    {
        if (max < 1 || max > MaxLeaseBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(max), max, $"A lease takes from 1 to {MaxLeaseBatch} jobs.");
        }

        if (wait < TimeSpan.Zero || wait > MaxLeaseWait)
        {
            throw new ArgumentOutOfRangeException(nameof(wait), wait, $"A lease waits from 0 to {MaxLeaseWait.TotalSeconds} s.");
        }
    }

    /// <summary>Period of the durable reminder that re-activates a schedule shard holding leases or queued jobs.
    /// Default 1 min, Orleans' usual minimum; on deactivation the reminder is re-armed to the next deadline.</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many recently finished jobs of each final status a shard remembers for <c>list</c>. Default 1000.</summary>
    [Range(0, 1_000_000)]
    public int RecentFinishedJobs { get; set; } = 1000;

    /// <summary>How long a finished job (COMPLETED, FAILED or CANCELLED) is kept, its status, attempts and result readable,
    /// before the silo forgets it (<see cref="Jobs.FinishedJobs"/>); afterwards its id is unknown, as if never submitted.
    /// Default 1 day, like Hangfire's expiry of succeeded jobs. At least 5 min: a submit that got no answer is sent once
    /// more under the same id within about a minute, and a job forgotten by then would be stored again and run twice.</summary>
    public TimeSpan FinishedJobRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The least <see cref="FinishedJobRetention"/> allowed.</summary>
    public static readonly TimeSpan MinimumFinishedJobRetention = TimeSpan.FromMinutes(5);

    /// <summary>The most finished jobs a silo keeps (those that finished on it, <see cref="Jobs.FinishedJobs"/>): past it,
    /// the oldest are forgotten before their retention has passed, though never one that finished less than
    /// <see cref="MinimumFinishedJobRetention"/> ago. Bounds the memory finished jobs hold at a high rate to about the larger
    /// of this and the last <see cref="MinimumFinishedJobRetention"/> of finished jobs: each keeps its state (0.7–1.2 KiB
    /// of a silo's memory for a small job, more with a large payload or result) until it is forgotten. Default 1,000,000.</summary>
    [Range(1, int.MaxValue)]
    public int FinishedJobLimit { get; set; } = 1_000_000;

    /// <summary>A lease the worker's heartbeat does not mention this long after the lease reply left the shard is
    /// treated as lost in transit and handed back. Counted from the reply, not from the lease, so a slow start (the
    /// journal write, the job grains) does not use it up. Default 10 s.</summary>
    public TimeSpan OrphanLeaseGrace { get; set; } = TimeSpan.FromSeconds(10);
}
