using System.Net;
using Orleans.Configuration;
using Orleans.Hosting;

namespace OrleansQueue.Client;

/// <summary>Client-side wiring shared by the worker host and the console client.</summary>
public static class OrleansQueueClientBuilderExtensions
{
    /// <summary>
    /// Connects to the given gateway of the cluster <paramref name="clusterId"/>. Connection attempts are retried
    /// until <paramref name="connectTimeout"/> has passed, then the start fails with the last error, so a
    /// client facing a silo that is down reports it instead of hanging.
    /// </summary>
    public static IClientBuilder UseOrleansQueueGateway(
        this IClientBuilder client,
        IPEndPoint gateway,
        TimeSpan connectTimeout,
        string clusterId = "orleans-queue",
        string serviceId = "orleans-queue")
    {
        client.UseStaticClustering(gateway);
        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = clusterId;
            o.ServiceId = serviceId;
        });

        // The clock starts at the first failed attempt, so a host built long before it connects still gets the whole timeout.
        DateTimeOffset? giveUpAt = null;
        client.UseConnectionRetryFilter(async (_, cancellationToken) =>
        {
            giveUpAt ??= DateTimeOffset.UtcNow + connectTimeout;
            if (DateTimeOffset.UtcNow >= giveUpAt)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
            return DateTimeOffset.UtcNow < giveUpAt;
        });
        return client;
    }
}
