using OrleansQueue.Jobs;
using OrleansQueue.Tests.Cluster;
using OrleansQueue.Tests.Worker.Fakes;

namespace OrleansQueue.Tests.Worker;

/// <summary>Issue 11 #2: two worker processes started with the same <c>--name</c>.</summary>
public sealed class TwinWorkerTests
{
    [Fact]
    public async Task TwoWorkersWithTheSameName_EachCompleteTheirJobsOnce()
    {
        // Before: each worker's heartbeat disowned the other's leases (orphans, "no longer ours"), so the jobs were handed
        // back over and over and never finished.
        // The shared test timings declare a worker lost after 2 s of silence, which a machine busy with the other test
        // classes has reached here (every job "worker lost"); this test is about twins disowning each other's leases.
        // Their 2 s orphan grace is also close to what a lease reply can take in transit on such a machine (about 1 s
        // measured), so it is 4 s here.
        await using var queue = await QueueTestCluster.StartAsync(new Dictionary<string, string?>
        {
            ["Queue:WorkerTimeout"] = "00:00:10",
            ["Queue:OrphanLeaseGrace"] = "00:00:04",
        });
        var settings = new Dictionary<string, string?>
        {
            ["Worker:Name"] = "twin",
            ["Worker:Concurrency"] = "2",
            ["Worker:LeaseWait"] = "00:00:01",
            ["Worker:HeartbeatInterval"] = "00:00:00.200",
            ["Worker:Grace"] = "00:00:01",
        };
        await using var first = WorkerTestServices.Create(queue.Client, settings: settings);
        await using var second = WorkerTestServices.Create(queue.Client, settings: settings);
        var jobs = new List<JobView>();
        for (var i = 0; i < 4; i++)
        {
            // Longer than the orphan grace (4 s), so a heartbeat that disowns a twin's lease has time to do so.
            jobs.Add(await queue.SubmitAsync("""{"durationMs":5500}""", type: "SIMULATED", deadline: TimeSpan.FromMinutes(1)));
        }

        await first.Worker.StartAsync(CancellationToken.None);
        await second.Worker.StartAsync(CancellationToken.None);
        var finished = await Task.WhenAll(jobs.Select(j => QueueTestCluster.WaitForAsync(
            () => queue.StatusAsync(j.Id), v => v.Status.IsTerminal() || v.Attempts.Count > 1, TimeSpan.FromSeconds(30), $"job {j.Id} to finish")));
        var running = await queue.Queue.GetMetricsAsync();
        await Task.WhenAll(first.Worker.StopAsync(CancellationToken.None), second.Worker.StopAsync(CancellationToken.None));

        Assert.All(finished, j => Assert.Equal((JobStatus.Completed, 1, "twin"), (j.Status, j.Attempts.Count, j.Worker)));
        Assert.Equal(2, running.Workers.Count(w => w.Name == "twin"));
    }
}
