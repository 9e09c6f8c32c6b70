namespace OrleansQueue.Silo.Hosting;

internal static partial class RedisClusterLog
{
    /// <summary>The ready line of Redis mode; it starts as <see cref="SiloLog.Ready"/> does, which scripts and tests wait for.</summary>
    [LoggerMessage(Level = LogLevel.Information, Message = "Silo ready: silo port {Address}:{SiloPort}, gateway {Address}:{GatewayPort}, cluster '{ClusterId}', {Shards} schedule shard(s), membership, reminders and job state in Redis at {Redis}")]
    public static partial void Ready(ILogger logger, System.Net.IPAddress address, int siloPort, int gatewayPort, string clusterId, int shards, string redis);
}
