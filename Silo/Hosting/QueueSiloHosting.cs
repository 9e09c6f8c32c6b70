using System.Net;
using Orleans.Configuration;
using Orleans.Dashboard;
using OrleansQueue.Hosting;

namespace OrleansQueue.Silo.Hosting;

public static class QueueSiloHosting
{
    /// <summary>
    /// A localhost silo with in-memory grain storage and in-memory reminders, running the queue's grains (or, with
    /// <c>--storage redis</c>, a silo of a Redis cluster: <see cref="RedisClusterHosting"/>). With the
    /// dashboard on, also Orleans' own dashboard services (its page is mapped with the rest of the web side, see
    /// <see cref="Dashboard.DashboardHosting"/>).
    /// </summary>
    public static IHostApplicationBuilder UseQueueSilo(this IHostApplicationBuilder builder, SiloHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);

        builder.Services.AddOptions<SiloHostOptions>()
            .BindConfiguration(SiloHostOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.UseOrleans(silo =>
        {
            if (options.Storage == QueueStorageKind.Redis)
            {
                silo.UseRedisCluster(options);
            }
            else
            {
                silo.UseLocalhostClustering(
                    options.SiloPort,
                    options.GatewayPort,
                    primarySiloEndpoint: options.PrimarySiloPort is { } primary && primary != options.SiloPort
                        ? new IPEndPoint(IPAddress.Loopback, primary)
                        : null,
                    serviceId: options.ServiceId,
                    clusterId: options.ClusterId);
                silo.UseInMemoryReminderService();
            }

            // Orleans refuses reminder periods under a minute unless told otherwise; follow the queue's configured period.
            var reminderPeriod = builder.Configuration.GetValue<TimeSpan?>("Queue:ReminderPeriod");
            if (reminderPeriod is { } period && period < TimeSpan.FromMinutes(1))
            {
                silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = period);
            }

            silo.AddOrleansQueue(options.Storage);

            // The directory cache remembers where grains were; with every queued job's grain deactivated, Orleans'
            // default of a million entries held ~150 MB of addresses of grains no longer active.
            silo.Configure<GrainDirectoryOptions>(o => o.CacheSize = 100_000);
            if (options.DashboardEnabled)
            {
                silo.AddDashboard();
            }
        });

        return builder;
    }
}
