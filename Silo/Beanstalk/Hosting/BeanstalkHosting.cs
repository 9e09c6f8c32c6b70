using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansQueue.Hosting;
using OrleansQueue.Silo.Beanstalk.Connections;
using OrleansQueue.Silo.Beanstalk.Jobs;
using OrleansQueue.Silo.Hosting;

namespace OrleansQueue.Silo.Beanstalk.Hosting;

public static class BeanstalkHosting
{
    /// <summary>
    /// The beanstalkd-protocol gateway (<see cref="BeanstalkOptions"/>, validated once at start-up with the silo's other
    /// options; its port is checked with theirs by <c>PortCheck</c>). Call after <c>UseQueueSilo</c>: the listener
    /// starts after Orleans, so a client is served only once the silo serves grains.
    /// </summary>
    public static IHostApplicationBuilder AddBeanstalkGateway(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<BeanstalkOptions>()
            .BindConfiguration(BeanstalkOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddKnownKeysValidation<BeanstalkOptions>(BeanstalkOptions.SectionName);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<BeanstalkInstruments>();
        builder.Services.TryAddSingleton<GatewayRegistry>();
        builder.Services.TryAddSingleton<GatewayHeartbeats>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<GatewayHeartbeats>());
        builder.Services.TryAddSingleton<BeanstalkInspection>();
        builder.Services.TryAddSingleton<IBeanstalkJobs, BeanstalkJobs>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPortClaim, BeanstalkPortClaim>());
        builder.Services.AddHostedService<BeanstalkListener>();
        return builder;
    }
}
