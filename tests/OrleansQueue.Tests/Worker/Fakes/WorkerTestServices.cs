using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using OrleansQueue.Worker.Handlers;
using OrleansQueue.Worker.Hosting;
using OrleansQueue.Worker.Running;

namespace OrleansQueue.Tests.Worker.Fakes;

/// <summary>The worker's services as the host wires them (<see cref="WorkerServiceCollectionExtensions.AddOrleansQueueWorker"/>),
/// over a given grain factory and clock, with the test handlers registered and every log line kept.</summary>
internal sealed class WorkerTestServices : IAsyncDisposable
{
    private WorkerTestServices(ServiceProvider services, ListLoggerProvider logs)
    {
        Services = services;
        Logs = logs;
    }

    public ServiceProvider Services { get; }

    public ListLoggerProvider Logs { get; }

    public JobRunner Runner => Services.GetRequiredService<JobRunner>();

    public WorkerActivity Activity => Services.GetRequiredService<WorkerActivity>();

    public WorkerService Worker => Services.GetRequiredService<WorkerService>();

    public TimeProvider Time => Services.GetRequiredService<TimeProvider>();

    /// <summary>The host's lifetime as the worker sees it: whether it asked the host to stop.</summary>
    public IHostApplicationLifetime Lifetime => Services.GetRequiredService<IHostApplicationLifetime>();

    public static WorkerTestServices Create(IGrainFactory grains, TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Worker:Name"] = "test-worker" })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var logs = new ListLoggerProvider();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(grains)
            .AddSingleton(time ?? TimeProvider.System)
            .AddSingleton<IHostApplicationLifetime, ApplicationLifetime>()
            .AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug))
            .AddOrleansQueueWorker()
            .AddJobHandler<EchoHandler>("ECHO")
            .AddJobHandler<RefusingHandler>("REFUSE")
            .AddJobHandler<ThrowingHandler>("THROW")
            .AddJobHandler<UntilCancelledHandler>("UNTIL_CANCELLED")
            .AddJobHandler<OwnCancellationHandler>("OWN_CANCEL")
            .AddJobHandler<ProgressHandler>("PROGRESS")
            .AddJobHandler<GateHandler>("GATE")
            .AddJobHandler<BuryingHandler>("BURY")
            .AddJobHandler<TouchingHandler>("TOUCH");
        return new WorkerTestServices(services.BuildServiceProvider(validateScopes: true), logs);
    }

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
