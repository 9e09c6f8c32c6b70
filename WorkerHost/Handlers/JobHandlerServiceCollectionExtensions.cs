using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OrleansQueue.Worker.Handlers;

public static class JobHandlerServiceCollectionExtensions
{
    /// <summary>
    /// Runs jobs of <paramref name="jobType"/> (compared case-sensitively, as submitted) with
    /// <typeparamref name="THandler"/>, created for each attempt. Registering the same pair again does nothing;
    /// registering a different handler for a type that already has one throws.
    /// </summary>
    public static IServiceCollection AddJobHandler<THandler>(this IServiceCollection services, string jobType)
        where THandler : class, IJobHandler
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(jobType);
        if (jobType.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ArgumentException($"The job type '{jobType}' contains white space or control characters.", nameof(jobType));
        }

        var existing = services.FirstOrDefault(d =>
            d.IsKeyedService && d.ServiceType == typeof(IJobHandler) && Equals(d.ServiceKey, jobType));
        if (existing is not null)
        {
            return existing.KeyedImplementationType == typeof(THandler)
                ? services
                : throw new InvalidOperationException(
                    $"Job type '{jobType}' already has the handler {existing.KeyedImplementationType?.Name ?? "registered by a factory"}; it cannot also use {typeof(THandler).Name}.");
        }

        services.AddKeyedTransient<IJobHandler, THandler>(jobType);
        services.TryAddTransient<SimulationHandler>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
