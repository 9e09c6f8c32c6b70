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

/// <summary>A one-silo in-process cluster with the queue's grains, fast timings and in-memory reminders. Tests that
/// lease, inject faults or need other settings start their own, so no other test's jobs reach them; the others share
/// one (<see cref="SharedCluster.SharedQueueCluster"/>).</summary>
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

    /// <summary>A name of its own for one test (a queue, a worker), so tests sharing a cluster do not meet.</summary>
    public static string Unique(string name) => $"{name}-{Guid.NewGuid():N}";

    /// <summary>Submits a job of type TEST to <paramref name="queue"/>.</summary>
    public Task<JobView> SubmitToAsync(string queue, long priority = 5) =>
        Queue.SubmitAsync(new JobSubmission("TEST", Encoding.UTF8.GetBytes("{}"), priority, Queue: queue));

    public Task<JobView> SubmitAsync(string payload = "{}", int? priority = null, int? retries = null, TimeSpan? deadline = null, string type = "TEST") =>
        Queue.SubmitAsync(new JobSubmission(type, Encoding.UTF8.GetBytes(payload), priority, retries, deadline));

    public async Task<JobView> StatusAsync(Guid id) =>
        await Queue.GetStatusAsync(id) ?? throw new InvalidOperationException($"job {id} not found");

    /// <summary>The identity a test worker of this name leases under.</summary>
    public static WorkerId W(string name) => new(name, "test");

    public Task<ImmutableArray<LeasedJob>> LeaseAsync(string worker, int max = 1, TimeSpan? wait = null, string[]? queues = null) =>
        Schedule.Lease(W(worker), max, wait ?? TimeSpan.Zero, queues);

    public Task<HeartbeatReply> HeartbeatAsync(string worker, int slots, params AttemptRef[] running) =>
        Schedule.Heartbeat(new WorkerHeartbeat(W(worker), slots, [.. running]));

    /// <summary>A worker's report, the way production sends it: through <see cref="IReportGrain"/> to the job grain's
    /// <c>EndAttempt</c>, whose notice the report grain sends on to the shard.</summary>
    public async Task<ReportReply> ReportAsync(AttemptReport report) =>
        (await Client.GetGrain<IReportGrain>(0).Report([report]))[0] ?? throw new InvalidOperationException($"job {report.JobId} did not answer");

    public Task<ReportReply> CompleteAsync(Guid id, int attempt, byte[]? result = null) =>
        ReportAsync(new AttemptReport(id, attempt, AttemptReportKind.Complete, Result: result));

    public Task<ReportReply> FailAsync(Guid id, int attempt, string error) =>
        ReportAsync(new AttemptReport(id, attempt, AttemptReportKind.Fail, Error: error));

    public Task<ReportReply> HandBackAsync(Guid id, int attempt) =>
        ReportAsync(new AttemptReport(id, attempt, AttemptReportKind.HandBack));

    /// <summary>Stores and queues a job under a chosen id (a batch of one, as every submit).</summary>
    public async Task<SubmitOutcome> SubmitAsAsync(Guid id, JobSubmission submission) =>
        Assert.Single(await Client.GetGrain<ISubmitGrain>(0).SubmitBatch([new JobToSubmit(id, submission)]));

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
