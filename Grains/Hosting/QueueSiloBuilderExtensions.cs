using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using OrleansQueue.Diagnostics;
using OrleansQueue.Jobs;
using OrleansQueue.Storage;

namespace OrleansQueue.Hosting;

public static class QueueSiloBuilderExtensions
{
    /// <summary>
    /// Adds the queue's grains' services: options (bound from the <c>Queue</c> section and validated at start-up),
    /// the clock, the metrics instruments, the sweep that forgets finished jobs past their retention
    /// (<see cref="FinishedJobSweep"/>) and the grain storage named <see cref="QueueStorage.Name"/> of the given
    /// kind (with <see cref="QueueStorageKind.External"/> and <see cref="QueueStorageKind.Redis"/> the host registers it). A reminder service must be
    /// configured by the host. Idempotent.
    /// </summary>
    public static ISiloBuilder AddOrleansQueue(this ISiloBuilder silo, QueueStorageKind storage = QueueStorageKind.Local)
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
        services.TryAddSingleton<FinishedJobs>();
        services.TryAddSingleton<FinishedJobSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<FinishedJobSweep>());
        switch (storage)
        {
            case QueueStorageKind.Local:
                services.TryAddSingleton<LocalGrainStorage>();
                services.AddGrainStorage(QueueStorage.Name, (sp, _) => sp.GetRequiredService<LocalGrainStorage>());
                break;
            case QueueStorageKind.Memory:
                // Orleans' binary serializer instead of the default JSON one: the state is written on every transition
                // of every job, and JSON costs several times the CPU and the bytes held per job.
                silo.AddMemoryGrainStorage(QueueStorage.Name, (OptionsBuilder<MemoryGrainStorageOptions> options) =>
                    options.Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer)));
                break;
            case QueueStorageKind.External or QueueStorageKind.Redis:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(storage), storage, "Storage is Local, Memory or External.");
        }

        return silo;
    }
}
