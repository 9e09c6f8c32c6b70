using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansQueue.Client;

namespace OrleansQueue.Silo.Diagnostics;

public static class QueueStateGaugeHosting
{
    /// <summary>
    /// The queue-state gauges (<see cref="QueueStateGauges"/>) and the service that refreshes them, whether or not the
    /// web side is on: dotnet-counters and any other listener of the <c>OrleansQueue</c> meter read them too.
    /// Their refresh interval is <see cref="Dashboard.DashboardOptions.GaugeRefreshInterval"/>. Idempotent.
    /// </summary>
    public static IServiceCollection AddQueueStateGauges(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(QueueStateGauges)))
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        // The silo's own grain factory: reads go straight to the grains, no client connection.
        services.TryAddSingleton(sp => new JobQueueClient(sp.GetRequiredService<IGrainFactory>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<QueueStateSnapshot>();
        services.TryAddSingleton<QueueStateGauges>();
        services.AddHostedService<QueueStateRefresher>();
        return services;
    }
}
