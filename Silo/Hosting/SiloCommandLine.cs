using OrleansQueue.Hosting;
using OrleansQueue.Security;

namespace OrleansQueue.Silo.Hosting;

/// <summary>The silo's switches and the <c>Silo</c> keys they set (<see cref="SiloHostOptions"/>); any other setting
/// is a <c>--Section:Key=value</c>. Values are checked once at start by the options' validators.</summary>
internal static class SiloCommandLine
{
    public static HostCommandLine Create() =>
        new HostCommandLine(
                "OrleansQueue silo: stores and schedules the jobs, with its dashboard, JSON API and /metrics (on 127.0.0.1 unless --dashboard-bind). " +
                "Exit codes: 0 stopped, 2 bad arguments or configuration (a dashboard beyond loopback without --api-key too), 3 a port is taken.",
                "Any configuration key can be given as --Section:Key=value, e.g. --Queue:WorkerTimeout=00:00:10 (see Grains/Hosting/QueueOptions.cs).")
            .WholeNumber("--silo-port", "Silo:SiloPort", "Silo-to-silo port (default 11111).")
            .WholeNumber("--gateway-port", "Silo:GatewayPort", "Port clients and workers connect to (default 30000).")
            .Text("--cluster-id", "Silo:ClusterId", "ID", "Cluster id (default orleans-queue).")
            .Text("--service-id", "Silo:ServiceId", "ID", "Service id (default orleans-queue).")
            .WholeNumber("--primary-silo-port", "Silo:PrimarySiloPort", "Silo port of the first silo of a local cluster, to join it.")
            .WholeNumber("--dashboard-port", "Silo:DashboardPort", "Dashboard, JSON API and /metrics on port N (default 8080, 0 = off).")
            .Flag("--orleans-dashboard", "Silo:OrleansDashboard",
                "Also serve Orleans' own dashboard (grains, silos, calls) at /orleans; it profiles every grain call, a seventh to a fifth of the silo's CPU per job.")
            .Text("--dashboard-bind", "Silo:DashboardBind", "ADDRESS", "Address the dashboard listens on (default 127.0.0.1; anything else needs --api-key).")
            .Text("--api-key", "Silo:ApiKey", "KEY",
                $"Every dashboard and API request must carry 'Authorization: Bearer KEY' (default: ${SiloHostOptions.ApiKeyVariable}, else none).")
            .WholeNumber("--beanstalk-port", "Beanstalk:Port", "beanstalkd-protocol clients connect here (default 11300, 0 = off).")
            .Text("--beanstalk-bind", "Beanstalk:Bind", "ADDRESS", "Address of the beanstalkd-protocol port (default 127.0.0.1; 0.0.0.0 = every interface).")
            .Text("--storage", "Silo:Storage", "local|memory|redis",
                "Job state in this silo's memory (local, the default; one silo), in Orleans' memory storage shared by a multi-silo cluster (memory), " +
                "or with reminders and membership in Redis (redis, with --redis): any number of silos, and jobs outlive them.")
            .Text("--redis", "Silo:Redis", "HOST:PORT",
                "The Redis server of --storage redis (a StackExchange.Redis configuration string works too). --Membership:Key=value tunes failure detection.")
            .Text("--advertise", "Silo:Advertise", "IP",
                "With --storage redis: the address the silo and gateway ports listen on and are advertised at (default 127.0.0.1); one of this machine's addresses for a cluster over several machines.")
            .TlsSwitches(server: true);
}
