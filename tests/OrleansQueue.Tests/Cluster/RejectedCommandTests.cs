using System.Reflection;
using Orleans.Hosting;
using Orleans.TestingHost;
using OrleansQueue.Jobs;

namespace OrleansQueue.Tests.Cluster;

/// <summary>Cancel and requeue through <see cref="Client.JobQueueClient"/> when Orleans rejects the call (a private
/// cluster: it injects the fault). The other command rules run on the shared cluster (<see cref="SharedCluster.JobCommandTests"/>).</summary>
public sealed class RejectedCommandTests
{
    [Fact]
    public async Task ACommandThatLandsOnADeactivatingJobGrain_IsSentAgain_AndAnswered()
    {
        // Issue 11 #7: a cancel racing a requeue met the job grain while it deactivated and the rejection reached the
        // user as a 503. The filter rejects the first cancel and the first requeue the way Orleans does then.
        await using var q = await QueueTestCluster.StartAsync(configure: b => b.AddSiloBuilderConfigurator<RejectFirstCommands>());
        var job = await q.SubmitAsync();

        var cancel = await q.Queue.CancelAsync(job.Id);
        var requeue = await q.Queue.RequeueAsync(job.Id);

        Assert.Equal((ReportResult.Accepted, ReportResult.Accepted), (cancel.Result, requeue.Result));
        Assert.Equal(JobStatus.Pending, (await q.StatusAsync(job.Id)).Status);
        Assert.Equal(4, RejectFirstCommands.Calls);
    }

    /// <summary>Rejects the first call of each of <c>Cancel</c> and <c>Requeue</c> with the exception Orleans raises for a
    /// message that reached an activation after <c>DeactivateOnIdle</c>; the message is not processed.</summary>
    private sealed class RejectFirstCommands : ISiloConfigurator
    {
        public static int Calls;
        private static int _rejectedCancel;
        private static int _rejectedRequeue;

        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddIncomingGrainCallFilter(context =>
        {
            var name = context.InterfaceMethod.Name;
            if (name is "Cancel" or "Requeue")
            {
                Interlocked.Increment(ref Calls);
                var first = name == "Cancel" ? Interlocked.Exchange(ref _rejectedCancel, 1) : Interlocked.Exchange(ref _rejectedRequeue, 1);
                if (first == 0)
                {
                    throw Rejection("Forwarding failed: tried to forward message for 2 times after DeactivateOnIdle was called.");
                }
            }

            return context.Invoke();
        });

        private static OrleansMessageRejectionException Rejection(string message) =>
            (OrleansMessageRejectionException)Activator.CreateInstance(
                typeof(OrleansMessageRejectionException), BindingFlags.Instance | BindingFlags.NonPublic, null, [message], null)!;
    }
}
