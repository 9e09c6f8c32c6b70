using System.ComponentModel.DataAnnotations;
using System.Net;
using OrleansQueue.Hosting;

namespace OrleansQueue.Silo.Hosting;

/// <summary>Where the silo listens and which cluster it joins, bound from the <c>Silo</c> section
/// (or <c>--silo-port</c>, <c>--gateway-port</c>, <c>--cluster-id</c>, <c>--service-id</c>, <c>--dashboard-port</c>,
/// <c>--storage</c>).</summary>
public sealed class SiloHostOptions : IValidatableObject
{
    public const string SectionName = "Silo";

    /// <summary>Silo-to-silo port. Default 11111, Orleans' own default; give each silo on a machine its own.</summary>
    [Range(1, 65535, ErrorMessage = "--silo-port (Silo:SiloPort) must be a port from 1 to 65535.")]
    public int SiloPort { get; set; } = DefaultSiloPort;

    public const int DefaultSiloPort = 11111;

    /// <summary>Port clients (workers, console) connect to. Default 30000.</summary>
    [Range(1, 65535, ErrorMessage = "--gateway-port (Silo:GatewayPort) must be a port from 1 to 65535.")]
    public int GatewayPort { get; set; } = DefaultGatewayPort;

    public const int DefaultGatewayPort = 30000;

    /// <summary>Silos and clients only talk within one cluster id. Default <c>orleans-queue</c>.</summary>
    [Required, RegularExpression("^[A-Za-z0-9_.-]+$", ErrorMessage = "The cluster id may only hold letters, digits, '.', '_' and '-'.")]
    public string ClusterId { get; set; } = "orleans-queue";

    /// <summary>Identifies the service across deployments (storage keys are scoped by it). Default <c>orleans-queue</c>.</summary>
    [Required, RegularExpression("^[A-Za-z0-9_.-]+$", ErrorMessage = "The service id may only hold letters, digits, '.', '_' and '-'.")]
    public string ServiceId { get; set; } = "orleans-queue";

    /// <summary>Port of the first silo of a local multi-silo cluster (the membership seed). Default: this silo.</summary>
    [Range(1, 65535, ErrorMessage = "--primary-silo-port (Silo:PrimarySiloPort) must be a port from 1 to 65535.")]
    public int? PrimarySiloPort { get; set; }

    /// <summary>Port of the web dashboard, its JSON API (<c>/api</c>), the Prometheus scrape endpoint (<c>/metrics</c>)
    /// and, with <see cref="OrleansDashboard"/>, Orleans' own dashboard (<c>/orleans</c>). Default 8080, on <see cref="DashboardBind"/>. 0 turns the web side off.</summary>
    [Range(0, 65535, ErrorMessage = "--dashboard-port (Silo:DashboardPort) must be a port from 1 to 65535, or 0 for no web side.")]
    public int DashboardPort { get; set; } = DefaultDashboardPort;

    public const int DefaultDashboardPort = 8080;

    /// <summary>Whether the web side also serves Orleans' own dashboard (grains, silos, calls) at
    /// <c>Dashboard:OrleansDashboardPath</c> (<c>--orleans-dashboard</c>). Default false: it wraps every grain call in
    /// its profiler and collects every Orleans instrument, which cost a seventh to a fifth of the silo's CPU per submitted job
    /// (measured in the README); the queue's own dashboard and <c>/metrics</c> do not need it.</summary>
    public bool OrleansDashboard { get; set; }

    /// <summary>Where job and schedule state is kept: <c>Local</c> (default), this silo's memory, the fastest, for a
    /// one-silo cluster; <c>Memory</c>, Orleans' in-memory storage shared by the silos of a multi-silo cluster (give it
    /// to every silo of such a cluster). Either way the state is gone when the silos stop.</summary>
    public QueueStorageKind Storage { get; set; } = QueueStorageKind.Local;

    /// <summary>With <c>Storage</c> <c>Redis</c>: the Redis server, <c>host:port</c> or a StackExchange.Redis configuration
    /// string. It holds the cluster's membership (any number of silos, no primary), the reminders and the job and
    /// schedule state, so jobs outlive the silos. Default none; see <see cref="RedisClusterHosting"/>.</summary>
    public string? Redis { get; set; }

    /// <summary>With <c>Storage</c> <c>Redis</c>: the IP address this silo listens on and tells the other silos and the
    /// clients (through the membership table) to reach it at. Default 127.0.0.1, a cluster on one machine; give each
    /// silo of a cluster spread over machines its own address on the network they share.</summary>
    public string? Advertise { get; set; }

    /// <summary>The address the silo and gateway ports listen on: <see cref="Advertise"/>, or 127.0.0.1.</summary>
    public IPAddress ListenAddress => Advertise is { } text && IPAddress.TryParse(text, out var address) ? address : IPAddress.Loopback;

    /// <summary>The address the web side listens on (<c>--dashboard-bind</c>). Default <c>127.0.0.1</c>: the API cancels
    /// and requeues jobs, so it is reachable from other machines (e.g. <c>0.0.0.0</c>, every interface) only with an
    /// <see cref="ApiKey"/>; the silo refuses to start otherwise.</summary>
    [Required]
    public string DashboardBind { get; set; } = "127.0.0.1";

    /// <summary>The key every request to the web side must carry as <c>Authorization: Bearer KEY</c> (<c>--api-key</c>
    /// or <see cref="ApiKeyVariable"/>), at least <see cref="MinimumApiKeyLength"/> characters. Default none: no key asked,
    /// which is allowed on loopback only.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Where the silo reads the API key when <c>--api-key</c> is not given, so that it need not be in a process list.</summary>
    public const string ApiKeyVariable = "ORLEANSQUEUE_API_KEY";

    /// <summary>A key shorter than this is refused: it could be guessed.</summary>
    public const int MinimumApiKeyLength = 16;

    public bool DashboardEnabled => DashboardPort != 0;

    /// <summary>A port as the host is built with it: <paramref name="port"/> when it is one, else
    /// <paramref name="placeholder"/>. Orleans and Kestrel refuse a port out of range while the host is built, with a
    /// stack trace; built with a placeholder, the host never listens on it, since the validator refuses the setting in
    /// one line when the host starts (<see cref="SiloPort"/>, <see cref="GatewayPort"/>, <see cref="DashboardPort"/>).</summary>
    public static int Buildable(int port, int placeholder) => port is >= 1 and <= IPEndPoint.MaxPort ? port : placeholder;

    /// <summary><see cref="DashboardBind"/> as an address; loopback when it does not parse (the validator refuses it).</summary>
    public IPAddress DashboardAddress => IPAddress.TryParse(DashboardBind, out var address) ? address : IPAddress.Loopback;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Storage is not (QueueStorageKind.Local or QueueStorageKind.Memory or QueueStorageKind.Redis))
        {
            yield return new ValidationResult($"Storage '{Storage}' is not one this silo offers: give Local or Memory (in memory), or Redis.", [nameof(Storage)]);
        }

        foreach (var failure in RedisClusterHosting.Validate(this))
        {
            yield return failure;
        }

        if (!IPAddress.TryParse(DashboardBind, out var bind))
        {
            yield return new ValidationResult(
                $"--dashboard-bind '{DashboardBind}' is not an IP address: give one of this machine's addresses, 0.0.0.0 (every interface) or 127.0.0.1.",
                [nameof(DashboardBind)]);
        }
        else if (DashboardEnabled && !IPAddress.IsLoopback(bind) && string.IsNullOrEmpty(ApiKey))
        {
            yield return new ValidationResult(
                $"the dashboard would listen on {DashboardBind}, beyond this machine, without an API key, and its API cancels and requeues jobs: " +
                $"give --api-key KEY (or set {ApiKeyVariable}), or leave --dashboard-bind at 127.0.0.1.", [nameof(ApiKey)]);
        }

        if (OrleansDashboard && !DashboardEnabled)
        {
            yield return new ValidationResult(
                "--orleans-dashboard is served by the web side, which --dashboard-port 0 turns off: give a dashboard port, or leave --orleans-dashboard out.",
                [nameof(OrleansDashboard)]);
        }

        if (ApiKey is { } key && (key.Length < MinimumApiKeyLength || key.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            yield return new ValidationResult(
                $"the API key must be at least {MinimumApiKeyLength} characters without spaces (e.g. openssl rand -hex 24).", [nameof(ApiKey)]);
        }

        if (PrimarySiloPort is { } primary && primary != SiloPort && Storage == QueueStorageKind.Local)
        {
            yield return new ValidationResult(
                "A silo joining a cluster (--primary-silo-port) needs --storage memory, on every silo of the cluster: " +
                "local storage is seen by its own silo only.", [nameof(Storage)]);
        }
    }
}
