using Orleans.Hosting;
using Orleans.TestingHost;
using OrleansQueue.Jobs;

namespace OrleansQueue.Tests.Cluster;

public sealed class SubmitFailureTests
{
    [Fact]
    public async Task Submit_WhoseEnqueueFails_FailsAndLeavesNothingStored()
    {
        await using var q = await QueueTestCluster.StartAsync(configure: b => b.AddSiloBuilderConfigurator<FailingEnqueue>());
        var id = JobId.New();

        var outcome = await q.SubmitAsAsync(id, new JobSubmission("TEST", []));
        var error = await Assert.ThrowsAsync<JobNotKeptException>(() => q.Queue.SubmitAsync(new JobSubmission("TEST", [])));

        Assert.Equal(SubmitOutcomeKind.Failed, outcome.Kind);
        Assert.Contains("queueing it failed", error.Message, StringComparison.Ordinal);
        Assert.Null(await q.Queue.GetStatusAsync(id));
        Assert.Equal(0, (await q.Queue.GetMetricsAsync()).Submitted);
    }

    /// <summary>Every call to a schedule shard's <c>Enqueue</c> fails, as if the shard could not be reached.</summary>
    internal sealed class FailingEnqueue : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddIncomingGrainCallFilter(context =>
            context.InterfaceMethod.Name == "Enqueue"
                ? throw new TimeoutException("simulated: the schedule shard did not answer")
                : context.Invoke());
    }
}
