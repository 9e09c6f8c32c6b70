using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrleansQueue.Hosting;
using OrleansQueue.Worker.Handlers;
using OrleansQueue.Worker.Running;

namespace OrleansQueue.Worker.Hosting;

public static class WorkerServiceCollectionExtensions
{
    /// <summary>Time the stop needs beyond the grace: cancelled handlers' last chance, the hand-backs, the
    /// shards' stop notices and the Orleans client's close.</summary>
    public static readonly TimeSpan ShutdownMargin = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The worker: <see cref="WorkerOptions"/> from the <c>Worker</c> section (validated at start), the simulation
    /// handler as the fallback for every job type, and the hosted service that leases and runs jobs. Needs an
    /// Orleans client in the same host; register the client first so that it stops after the worker has handed
    /// its jobs back. Calling it again changes nothing.
    /// </summary>
    public static IServiceCollection AddOrleansQueueWorker(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<WorkerOptions>()
            .BindConfiguration(WorkerOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkerOptions>, WorkerOptionsValidator>());
        services.AddKnownKeysValidation<WorkerOptions>(WorkerOptions.SectionName);

        // The host must wait for the grace and the hand-backs after it, or a stop would cut running jobs off unreported.
        services.AddOptions<HostOptions>().Configure<IOptions<WorkerOptions>>((host, worker) =>
        {
            TimeSpan grace;
            try
            {
                grace = worker.Value.Grace;
            }
            catch (OptionsValidationException)
            {
                // Read while the host is built, before its start validates every option and refuses the bad one in one line.
                return;
            }

            var needed = grace + ShutdownMargin;
            if (host.ShutdownTimeout < needed)
            {
                host.ShutdownTimeout = needed;
            }
        });

        services.TryAddTransient<SimulationHandler>();
        services.TryAddSingleton<JobReporter>();
        services.TryAddSingleton<WorkerActivity>();
        services.TryAddSingleton<JobRunner>();
        services.TryAddSingleton<WorkerService>();
        services.AddHostedService(sp => sp.GetRequiredService<WorkerService>());
        return services;
    }
}
