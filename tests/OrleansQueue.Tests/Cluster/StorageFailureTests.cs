using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using Orleans.TestingHost;
using OrleansQueue.Hosting;
using OrleansQueue.Jobs;
using OrleansQueue.Storage;

namespace OrleansQueue.Tests.Cluster;

/// <summary>A job grain whose state write fails (a private cluster: its storage fails on demand).</summary>
public sealed class StorageFailureTests
{
    [Fact]
    public async Task AReportWhoseStateWriteFailed_IsAppliedWhenSentAgain_NotTakenForADuplicate()
    {
        // Arrange: a job runs; the write of its completion will fail, as when Redis restarts.
        await using var q = await QueueTestCluster.StartAsync(configure: b => b.AddSiloBuilderConfigurator<FailingJobWrites>());
        var job = await q.SubmitAsync();
        var leased = await q.LeaseOneAsync("w1");
        var complete = new AttemptReport(job.Id, leased.Attempt, AttemptReportKind.Complete);
        Interlocked.Exchange(ref FailingJobWrites.WritesToFail, 1);

        // Act: the report is not answered (the write failed), and the worker sends it again, as it does.
        var first = await q.Client.GetGrain<IReportGrain>(0).Report([complete]);
        var again = await QueueTestCluster.WaitForAsync(
            async () => (await q.Client.GetGrain<IReportGrain>(0).Report([complete]))[0],
            reply => reply is not null, TimeSpan.FromSeconds(10), "the resent report to be answered");

        // Assert: the resent report is judged against what storage holds (the attempt still running), so it is the one
        // that completes the job; before, the activation kept the unwritten completion and called it a duplicate.
        Assert.Null(first[0]);
        Assert.Equal(ReportResult.Accepted, again!.Result);
        Assert.Equal(JobStatus.Completed, (await q.StatusAsync(job.Id)).Status);
    }

    /// <summary>The queue's local storage, whose next <see cref="WritesToFail"/> writes of a job's state throw.</summary>
    private sealed class FailingJobWrites : ISiloConfigurator, IGrainStorage
    {
        public static int WritesToFail;
        private LocalGrainStorage? _inner;

        public void Configure(ISiloBuilder siloBuilder)
        {
            // Before the test cluster's own configurator: AddOrleansQueue is idempotent, so that one adds nothing more.
            siloBuilder.AddOrleansQueue(QueueStorageKind.External);
            siloBuilder.Services.AddSingleton<LocalGrainStorage>();
            siloBuilder.Services.AddGrainStorage(QueueStorage.Name, (sp, _) =>
            {
                _inner = sp.GetRequiredService<LocalGrainStorage>();
                return this;
            });
        }

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
            _inner!.ReadStateAsync(stateName, grainId, grainState);

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
            stateName == "job" && Interlocked.Decrement(ref WritesToFail) >= 0
                ? throw new InvalidOperationException("simulated: the storage did not answer")
                : _inner!.WriteStateAsync(stateName, grainId, grainState);

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
            _inner!.ClearStateAsync(stateName, grainId, grainState);
    }
}
