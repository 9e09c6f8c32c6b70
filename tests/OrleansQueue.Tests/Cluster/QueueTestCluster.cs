using System.Collections.Immutable;
using System.Text;
using Microsoft.Extensions.Configuration;
using Orleans.Core.Internal;
using Orleans.Hosting;
using Orleans.TestingHost;
using OrleansQueue.Client;
using OrleansQueue.Hosting;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Tests.Cluster;

/// <summary>A one-silo in-process cluster with the queue's grains, fast timings and in-memory reminders.
/// Each test starts its own so that no test sees another's jobs.</summary>
public sealed class QueueTestCluster : IAsyncDisposable
{
    /// <summary>Timings shortened so that failure paths run in a test's time, not a production's.</summary>
    public static readonly IReadOnlyDictionary<string, string?> FastTimings = new Dictionary<string, string?>
    {
        ["Queue:WorkerTimeout"] = "00:00:02",
        ["Queue:SweepInterval"] = "00:00:00.050",
        ["Queue:StateFlushInterval"] = "00:00:00.100",
        ["Queue:ReminderPeriod"] = "00:00:02",
        ["Queue:DefaultRetryBackoff"] = "00:00:00",
        ["Queue:OrphanLeaseGrace"] = "00:00:02",
    };

    private QueueTestCluster(TestCluster cluster)
    {
        Cluster = cluster;
        Queue = new JobQueueClient(cluster.Client);
    }

    public TestCluster Cluster { get; }

    public IClusterClient Client => Cluster.Client;

    public JobQueueClient Queue { get; }

    public IScheduleGrain Schedule => Client.GetGrain<IScheduleGrain>(0);

    public static async Task<QueueTestCluster> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, Action<TestClusterBuilder>? configure = null)
    {
        var builder = new TestClusterBuilder(1);
        configure?.Invoke(builder);
        var merged = FastTimings.ToDictionary();
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            merged[key] = value;
        }

        builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(merged));
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new QueueTestCluster(cluster);
    }

    public IJobGrain Job(Guid id) => Client.GetGrain<IJobGrain>(id);

    public Task<JobView> SubmitAsync(string payload = "{}", int? priority = null, int? retries = null, TimeSpan? deadline = null, string type = "TEST") =>
        Queue.SubmitAsync(new JobSubmission(type, Encoding.UTF8.GetBytes(payload), priority, retries, deadline));

    public async Task<JobView> StatusAsync(Guid id) =>
        await Queue.GetStatusAsync(id) ?? throw new InvalidOperationException($"job {id} not found");

    public Task<ImmutableArray<LeasedJob>> LeaseAsync(string worker, int max = 1, TimeSpan? wait = null) =>
        Schedule.Lease(worker, max, wait ?? TimeSpan.Zero);

    public async Task<LeasedJob> LeaseOneAsync(string worker, TimeSpan? wait = null) =>
        Assert.Single(await LeaseAsync(worker, 1, wait ?? TimeSpan.FromSeconds(5)));

    /// <summary>Deactivates a grain the way idle collection or a rebalance would.</summary>
    public static async Task DeactivateAsync(IAddressable grain) => await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();

    /// <summary>Polls a condition until it holds or the timeout passes; fails with <paramref name="what"/>.</summary>
    public static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> until, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = await probe();
        while (!until(last))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}; last value: {last}");
            }

            await Task.Delay(25);
            last = await probe();
        }

        return last;
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddOrleansQueue();
            siloBuilder.UseInMemoryReminderService();
            siloBuilder.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        }
    }
}
