using System.Net;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using OrleansQueue.Client;
using OrleansQueue.Hosting;
using OrleansQueue.Security;

namespace OrleansQueue.Silo.Hosting;

public static class QueueSiloHosting
{
    /// <summary>
    /// A localhost silo with in-memory grain storage and in-memory reminders, running the queue's grains (or, with
    /// <c>--storage redis</c>, a silo of a Redis cluster: <see cref="RedisClusterHosting"/>). With the
    /// dashboard on, also Orleans' own dashboard services (its page is mapped with the rest of the web side, see
    /// <see cref="Dashboard.DashboardHosting"/>). With <paramref name="tls"/>, every Orleans connection is TLS.
    /// </summary>
    public static IHostApplicationBuilder UseQueueSilo(this IHostApplicationBuilder builder, SiloHostOptions options, TlsCredentials? tls = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);

        // Validated once, with the Queue and Dashboard options, when the host starts; a key no option reads is refused too.
        builder.Services.AddOptions<SiloHostOptions>()
            .BindConfiguration(SiloHostOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddKnownKeysValidation<SiloHostOptions>(SiloHostOptions.SectionName);
        builder.Services.AddKnownKeysValidation<QueueOptions>(QueueOptions.SectionName);
        builder.Services.AddTlsSettingsValidation();
        // First, so that a taken port stops the silo before Orleans starts (see PortCheck).
        builder.Services.AddHostedService<PortCheck>();

        builder.UseOrleans(silo =>
        {
            // A missing or malformed --redis is refused when the host starts, before Orleans does (SiloHostOptions'
            // validation); until then the host is built as a local one, as Orleans' providers read their options while
            // the host is built.
            if (options.Storage == QueueStorageKind.Redis && RedisConnection.TryParse(options.Redis, out _, out _))
            {
                silo.UseRedisCluster(options);
            }
            else
            {
                silo.UseLocalhostClustering(
                    SiloHostOptions.Buildable(options.SiloPort, SiloHostOptions.DefaultSiloPort),
                    SiloHostOptions.Buildable(options.GatewayPort, SiloHostOptions.DefaultGatewayPort),
                    primarySiloEndpoint: options.PrimarySiloPort is { } primary and >= IPEndPoint.MinPort and <= IPEndPoint.MaxPort && primary != options.SiloPort
                        ? new IPEndPoint(IPAddress.Loopback, primary)
                        : null,
                    serviceId: options.ServiceId,
                    clusterId: options.ClusterId);
                silo.UseInMemoryReminderService();
            }

            // Orleans refuses reminder periods under a minute unless told otherwise; follow the queue's configured period.
            silo.Services.AddOptions<ReminderOptions>().Configure<IOptions<QueueOptions>>((reminders, queue) =>
            {
                if (queue.Value.ReminderPeriod < TimeSpan.FromMinutes(1))
                {
                    reminders.MinimumReminderPeriod = queue.Value.ReminderPeriod;
                }
            });

            // An undefined kind is refused by the SiloHostOptions validator when the host starts, before any grain runs.
            silo.AddOrleansQueue(Enum.IsDefined(options.Storage) ? options.Storage : QueueStorageKind.Local);

            // The directory cache remembers where grains were; with every queued job's grain deactivated, Orleans'
            // default of a million entries held ~150 MB of addresses of grains no longer active.
            silo.Configure<GrainDirectoryOptions>(o => o.CacheSize = 100_000);
            if (options.DashboardEnabled && options.OrleansDashboard)
            {
                silo.AddDashboard();
            }

            if (tls is not null)
            {
                silo.UseQueueTls(tls);
            }

            silo.LingerOnClusterIdRefusal();
        });

        return builder;
    }
}
