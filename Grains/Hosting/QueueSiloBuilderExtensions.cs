using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrleansQueue.Diagnostics;

namespace OrleansQueue.Hosting;

public static class QueueSiloBuilderExtensions
{
    /// <summary>
    /// Adds the queue's grains' services: options (bound from the <c>Queue</c> section and validated at start-up),
    /// the clock and the metrics instruments. Grain storage named <see cref="QueueStorage.Name"/> and a reminder
    /// service must be configured by the host; <paramref name="useInMemoryStorage"/> adds in-memory storage.
    /// Idempotent.
    /// </summary>
    public static ISiloBuilder AddOrleansQueue(this ISiloBuilder silo, bool useInMemoryStorage = true)
    {
        var services = silo.Services;
        if (services.Any(d => d.ServiceType == typeof(QueueInstruments)))
        {
            return silo;
        }

        services.AddOptions<QueueOptions>()
            .BindConfiguration(QueueOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<QueueOptions>, QueueOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<QueueInstruments>();
        if (useInMemoryStorage)
        {
            silo.AddMemoryGrainStorage(QueueStorage.Name);
        }

        return silo;
    }
}
