using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using OrleansQueue.Security;

namespace OrleansQueue.Client;

/// <summary>Client-side wiring shared by the worker host and the console client.</summary>
public static class OrleansQueueClientBuilderExtensions
{
    /// <summary>
    /// Default for how long a call waits for its answer. Orleans' own 30 s is what a client whose silo died waits for
    /// the calls it had in flight through it: with 5 s they fail soon and are sent again through another silo.
    /// Every call of the queue answers in milliseconds, except a worker's lease long poll, which must wait less.
    /// </summary>
    public static readonly TimeSpan DefaultResponseTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often a client that finds the cluster in Redis reads the live gateways again. Default 5 s, against
    /// Orleans' 1 min, so a silo that joins (or comes back on another port) takes clients within seconds.
    /// </summary>
    public static readonly TimeSpan RedisGatewayListRefreshPeriod = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Connects to the cluster <paramref name="clusterId"/> through the gateways <paramref name="endpoints"/> lists,
    /// or those its Redis membership table lists. Connection attempts are retried until
    /// <paramref name="connectTimeout"/> has passed, then the start fails with the last error, so a client facing a
    /// cluster that is down reports it instead of hanging. Once connected, a call through a silo that died fails after
    /// <paramref name="responseTimeout"/> (default <see cref="DefaultResponseTimeout"/>) and the next goes through another.
    /// With <paramref name="tls"/>, every connection is TLS. When the start fails, the host's <see cref="ConnectDiagnosis"/>
    /// says whether a gateway refused the client (another cluster id, TLS) rather than being down, or Redis could not be
    /// reached or refused the client (its first connection, too, gives up after <paramref name="connectTimeout"/>).
    /// </summary>
    public static IClientBuilder UseOrleansQueueCluster(
        this IClientBuilder client,
        ClusterEndpoints endpoints,
        TimeSpan connectTimeout,
        string clusterId = "orleans-queue",
        string serviceId = "orleans-queue",
        TimeSpan? responseTimeout = null,
        TlsCredentials? tls = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.Redis is { } redis)
        {
            client.UseRedisClustering(o =>
            {
                // The first connection to Redis gives up within the connect timeout, as one to a gateway does:
                // StackExchange.Redis' own (three attempts of 5 s) kept a client whose Redis is down waiting about 10 s
                // whatever its connect timeout, and the console gave up before Redis' reason arrived.
                o.ConfigurationOptions = RedisConnection.Options(redis);
                o.ConfigurationOptions.ConnectTimeout = (int)Math.Clamp(connectTimeout.TotalMilliseconds, 1, int.MaxValue);
                o.ConfigurationOptions.ConnectRetry = 1;
            });
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = RedisGatewayListRefreshPeriod);
        }
        else
        {
            client.UseStaticClustering([.. endpoints.Gateways]);
        }

        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = clusterId;
            o.ServiceId = serviceId;
        });
        client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = responseTimeout ?? DefaultResponseTimeout);

        // Outermost, before TLS: sees how each gateway connection ended (Orleans keeps a cluster id mismatch to itself).
        client.Services.AddSingleton(new ConnectDiagnosis(endpoints, tls));
        client.Configure<ClientConnectionOptions>(o => o.ConfigureConnection(connection =>
        {
            var diagnosis = connection.ApplicationServices.GetRequiredService<ConnectDiagnosis>();
            connection.Use(next => async context =>
            {
                try
                {
                    await next(context);
                }
                catch (Exception ex) when (diagnosis.Watch(ex))
                {
                    throw;
                }
            });
        }));
        if (tls is not null)
        {
            client.UseQueueTls(tls);
        }

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
