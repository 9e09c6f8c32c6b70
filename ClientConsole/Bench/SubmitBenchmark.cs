using OrleansQueue.Cli.Connection;
using OrleansQueue.Jobs;

namespace OrleansQueue.Cli.Bench;

/// <summary>
/// W1: submits <c>count</c> no-op jobs with at most <c>inFlight</c> calls outstanding (a sliding window: each of
/// <c>inFlight</c> lanes submits its next job as soon as its previous one is acknowledged; 1 = one at a time, each
/// awaited). The rate is count / time from the first call to the last acknowledgement, measured in the client.
/// </summary>
internal static class SubmitBenchmark
{
    public static async Task<BenchResult> RunAsync(
        IJobQueue queue, int count, int inFlight, int payloadBytes, int? priority, int seed, TimeProvider time)
    {
        var payload = BenchPayload.Create(payloadBytes);
        var priorities = BenchPayload.RandomPriorities(count, seed);
        var next = -1;

        async Task Lane()
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                await queue.SubmitAsync(new JobSubmission(BenchPayload.JobType, payload, priority ?? priorities[i]));
            }
        }

        var start = time.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, Math.Min(inFlight, count)).Select(_ => Task.Run(Lane)));
        var elapsed = time.GetElapsedTime(start);

        return new BenchResult("submit", count)
            .Add("inFlight", inFlight)
            .Add("payloadBytes", payload.Length)
            .Add("seconds", elapsed.TotalSeconds)
            .Add("ratePerSecond", count / elapsed.TotalSeconds, 1);
    }
}
