using OrleansQueue.Hosting;
using OrleansQueue.Security;

namespace OrleansQueue.Worker.Hosting;

/// <summary>The worker's switches and the <c>Worker</c> keys they set (<see cref="WorkerOptions"/>); time switches take
/// seconds. Ranges are checked once at start by <see cref="WorkerOptionsValidator"/>.</summary>
internal static class WorkerCommandLine
{
    public static HostCommandLine Create() =>
        new HostCommandLine(
                "OrleansQueue worker host: leases jobs from the silo and runs them with their handlers. " +
                "Exit codes: 0 stopped, 1 failed, 2 bad arguments or configuration, 4 silo unreachable, " +
                "7 another cluster id, 8 TLS on one side only, 9 the silo's certificate is not trusted, 10 the silo refused this worker's certificate.",
                "Any configuration key can be given as --Section:Key=value, e.g. --Worker:Concurrency=8 (env: Worker__Concurrency=8).")
            .Text("--name", "Worker:Name", "NAME", "Worker name (default {hostname}-{pid}).")
            .WholeNumber("--concurrency", "Worker:Concurrency", "Job slots, 1 to 1024 (default 4).")
            .WholeNumber("--prefetch", "Worker:Prefetch", "Leased jobs held beyond the slots, waiting for one, 0 to 1024 (default 4 x --concurrency, at least 16); held only while jobs finish quickly.")
            .Repeated("--queue", "Worker:Queues", "NAME", "A named queue to lease from; repeat for several (default: the 'default' queue).")
            .Text("--gateway", "Worker:Gateway", "HOST:PORT[,...]", "Silo gateway(s) (default 127.0.0.1:30000).")
            .Text("--redis", "Worker:Redis", "HOST:PORT", "Find the silos in the cluster's Redis (silos run with --storage redis).")
            .Text("--cluster-id", "Worker:ClusterId", "ID", "Cluster id, as the silo's (default orleans-queue).")
            .Text("--service-id", "Worker:ServiceId", "ID", "Service id, as the silo's (default orleans-queue).")
            .Seconds("--grace", "Worker:Grace", "On Ctrl-C/SIGTERM, time running jobs get to finish before they are handed back (default 10).")
            .Seconds("--heartbeat", "Worker:HeartbeatInterval", "Heartbeat interval (default 2).")
            .Seconds("--lease-wait", "Worker:LeaseWait", "Long-poll wait of one lease call, 1 s under the response timeout (default 3).")
            .Seconds("--response-timeout", "Worker:ResponseTimeout", "How long a call waits for its answer before it is sent again (default 5).")
            .Seconds("--connect-timeout", "Worker:ConnectTimeout", "How long to try reaching the silo at start (default 10).")
            .TlsSwitches(server: false);
}
