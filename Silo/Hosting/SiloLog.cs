namespace OrleansQueue.Silo.Hosting;

internal static partial class SiloLog
{
    /// <summary>The line scripts and tests wait for: the silo accepts clients from here on.</summary>
    [LoggerMessage(Level = LogLevel.Information, Message = "Silo ready: silo port 127.0.0.1:{SiloPort}, gateway 127.0.0.1:{GatewayPort}, cluster '{ClusterId}', {Shards} schedule shard(s), in-memory storage and reminders")]
    public static partial void Ready(ILogger logger, int siloPort, int gatewayPort, string clusterId, int shards);
}
