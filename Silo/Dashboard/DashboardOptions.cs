using System.ComponentModel.DataAnnotations;

namespace OrleansQueue.Silo.Dashboard;

/// <summary>How the web side behaves, bound from the <c>Dashboard</c> section (e.g. <c>--Dashboard:DefaultJobLimit=100</c>).
/// Its port is <see cref="Hosting.SiloHostOptions.DashboardPort"/> (<c>--dashboard-port</c>).</summary>
public sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    /// <summary>How often the queue-state gauges (<c>orleansqueue.jobs.pending</c>, ...) re-read the queue's metrics.
    /// Default 1 s: fresher than any scrape interval, and one cheap call per shard per second.</summary>
    public TimeSpan GaugeRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Jobs <c>GET /api/jobs</c> returns without a <c>limit</c>. Default 50, a screenful.</summary>
    [Range(1, 10_000)]
    public int DefaultJobLimit { get; set; } = 50;

    /// <summary>The largest <c>limit</c> <c>GET /api/jobs</c> accepts. Default 1000, as many finished jobs per state as
    /// a shard remembers; each listed job is one grain call.</summary>
    [Range(1, 10_000)]
    public int MaxJobLimit { get; set; } = 1000;

    /// <summary>Where Orleans' own dashboard (grains, silos, calls) is mapped. Default <c>/orleans</c>.</summary>
    [Required]
    public string OrleansDashboardPath { get; set; } = "/orleans";

    /// <summary>Whether Orleans' dashboard streams the silo's live log at <c>{OrleansDashboardPath}/Trace</c>. Default
    /// false: the log names grains, jobs and errors, and anyone who can reach the port could read it.</summary>
    public bool OrleansTrace { get; set; }

    /// <summary><c>Host</c> values the web side answers besides its loopback ones (<c>127.0.0.1</c>, <c>localhost</c>
    /// and <c>[::1]</c> with its port), matched as written, e.g. <c>queue.internal:8080</c> for a name that points
    /// here, or <c>queue.example.com</c> behind a proxy. Default none: a request for any other host is answered 421,
    /// so a web page cannot reach the API through a name rebound to this machine.</summary>
    public IList<string> AllowedHosts { get; } = [];
}
