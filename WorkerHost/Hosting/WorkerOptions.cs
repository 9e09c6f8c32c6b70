using OrleansQueue.Client;

namespace OrleansQueue.Worker.Hosting;

/// <summary>How the worker runs, bound from the <c>Worker</c> section (<c>--Worker:Concurrency=8</c>,
/// env <c>Worker__Concurrency=8</c>) or the short switches of <see cref="WorkerCommandLine"/>.
/// Checked once at start by <see cref="WorkerOptionsValidator"/>.</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>The name the schedule knows this worker by; leases, heartbeats and attempts carry it.
    /// Default <c>{hostname}-{pid}</c>, unique per process on a machine. Two live workers must not share a name:
    /// the schedule would treat them as one.</summary>
    public string Name { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>The named queues this worker leases from (<c>--queue NAME</c>, repeatable; <c>Worker:Queues:0=NAME</c>).
    /// Default none, which is the <c>default</c> queue alone, where jobs submitted without a queue go. Up to 100.</summary>
    public List<string> Queues { get; set; } = [];

    /// <summary>Job slots: how many attempts run at once. Default 4; 1 to 1024.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>How many leased jobs the worker may hold beyond its slots, waiting in lease order for a slot to free
    /// (<c>--prefetch</c>), at most: the worker holds only as many as its handlers finished in the last 100–200 ms,
    /// counting those that ran at most 200 ms, so it holds none while longer jobs take its slots. Default four times <see cref="Concurrency"/>, at least 16; 0 to
    /// 1024. A lease then carries several jobs where it would carry one: in the drain benchmark (Redis mode, no-op jobs,
    /// 4 slots) the silo's CPU per job fell from about 1,000 µs to 400 µs. A held job counts as processing and its
    /// deadline runs from when the worker received it; one whose deadline runs out, or that is still waiting when the
    /// worker stops, is handed back unstarted (no retry is used). If the worker dies, a held job is taken back as one
    /// running there is. 0 takes a job only for a free slot, so a job submitted later with a better priority never
    /// waits behind one this worker holds.</summary>
    public int? Prefetch { get; set; }

    /// <summary><see cref="Prefetch"/>, or its default.</summary>
    public int HeldBeyondSlots => Prefetch ?? Math.Clamp(4 * Concurrency, 16, 1024);

    /// <summary>The silo gateway, <c>host:port</c>, or several separated by commas (the worker goes on through another
    /// when one dies). Default <c>127.0.0.1:30000</c>, the silo's default gateway port. Not used with <see cref="Redis"/>.</summary>
    public string Gateway { get; set; } = GatewayEndpoint.Default;

    /// <summary>The cluster's Redis (<c>host:port</c> or a StackExchange.Redis configuration string), for silos started
    /// with <c>--storage redis</c>: the worker reads every live silo's gateway from the membership table there, so it
    /// needs no gateway list and finds silos that join later. Default none: <see cref="Gateway"/> is used.</summary>
    public string? Redis { get; set; }

    /// <summary>Cluster id; must match the silo's. Default <c>orleans-queue</c>.</summary>
    public string ClusterId { get; set; } = "orleans-queue";

    /// <summary>Service id; must match the silo's. Default <c>orleans-queue</c>.</summary>
    public string ServiceId { get; set; } = "orleans-queue";

    /// <summary>On a graceful stop, how long running attempts may go on to finish and report before they are
    /// cancelled and handed back. Default 10 s: enough for short jobs, short enough for a deployment to wait.</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the worker tells each shard it is alive and what it runs. Default 2 s; it must stay well under
    /// the silo's <c>Queue:WorkerTimeout</c> (default 10 s), else the worker is declared lost between beats.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one lease call waits on the schedule for a job (long poll). Default 3 s. It must stay under
    /// the silo's <c>Queue:MaxLeaseWait</c> (default 20 s) and at least 1 s under <see cref="ResponseTimeout"/>.</summary>
    public TimeSpan LeaseWait { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a call to the cluster waits for its answer before it fails and is sent again. Default 5 s
    /// (Orleans' own is 30 s): a call in flight through a silo that dies fails this soon, and the worker goes on through
    /// another silo, so leases, heartbeats and reports pause about this long when a silo is killed.</summary>
    public TimeSpan ResponseTimeout { get; set; } = OrleansQueueClientBuilderExtensions.DefaultResponseTimeout;

    /// <summary>How long the start keeps trying to reach the gateway before it gives up (exit code 4). Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
