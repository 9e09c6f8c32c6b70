using Microsoft.Extensions.DependencyInjection;

namespace OrleansQueue.Worker.Handlers;

/// <summary>Finds the handler of a job type: the one registered under that exact type (case-sensitive, as
/// submitted), else <see cref="SimulationHandler"/>.</summary>
internal static class JobHandlerResolver
{
    /// <param name="services">The attempt's own scope, so that transient handlers are disposed with it.</param>
    public static IJobHandler Resolve(IServiceProvider services, string jobType) =>
        services.GetKeyedService<IJobHandler>(jobType) ?? services.GetRequiredService<SimulationHandler>();
}
