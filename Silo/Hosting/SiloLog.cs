namespace OrleansQueue.Silo.Hosting;

internal static partial class SiloLog
{
    /// <summary>The line scripts and tests wait for: the silo accepts clients from here on.</summary>
    [LoggerMessage(Level = LogLevel.Information, Message = "Silo ready: silo port 127.0.0.1:{SiloPort}, gateway 127.0.0.1:{GatewayPort}, cluster '{ClusterId}', {Shards} schedule shard(s), {Storage} in-memory storage and reminders")]
    public static partial void Ready(ILogger logger, int siloPort, int gatewayPort, string clusterId, int shards, string storage);

    /// <summary>Follows <see cref="Ready"/> when the web side is on; tests read the port from it.</summary>
    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard: {Url} (JSON API /api/, Prometheus /metrics{OrleansDashboard}; {Access})")]
    public static partial void Dashboard(ILogger logger, string url, string orleansDashboard, string access);

    [LoggerMessage(Level = LogLevel.Information, Message = "TLS on the silo and gateway ports with '{Subject}' (SHA-256 {Fingerprint}); {Clients}")]
    public static partial void Tls(ILogger logger, string subject, string fingerprint, string clients);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard: off (--dashboard-port 0)")]
    public static partial void DashboardOff(ILogger logger);
}
