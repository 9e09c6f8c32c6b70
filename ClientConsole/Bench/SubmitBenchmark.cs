using OrleansQueue.Cli.Connection;
using OrleansQueue.Jobs;

namespace OrleansQueue.Cli.Bench;

/// <summary>
/// W1: submits <c>count</c> no-op jobs with at most <c>inFlight</c> calls outstanding (a sliding window: each of
/// <c>inFlight</c> lanes submits its next job as soon as its previous one is acknowledged; 1 = one at a time, each
/// awaited). With <c>batch</c> above 1 each call is a batch submit of that many jobs (the same path as
/// <c>submit --count</c>). The rate is count / time from the first call to the last acknowledgement, measured in the
/// client, and so is its CPU over that time (<c>cpuSeconds</c>).
/// </summary>
internal static class SubmitBenchmark
{
    public static async Task<BenchResult> RunAsync(
        IJobQueue queue, int count, int inFlight, int batch, int payloadBytes, int? priority, int seed, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var payload = BenchPayload.Create(payloadBytes);
        var priorities = BenchPayload.RandomPriorities(count, seed);
        if (batch > 1)
        {
            var submissions = Enumerable.Range(0, count)
                .Select(i => new JobSubmission(BenchPayload.JobType, payload, priority ?? priorities[i]))
                .ToList();
            var cpu = CpuWindow.Start();
            var started = time.GetTimestamp();
            var outcomes = await queue.SubmitManyAsync(submissions, batch, inFlight, cancellationToken);
            var took = time.GetElapsedTime(started);
            if (outcomes.FirstOrDefault(o => !o.IsQueued) is { } refused)
            {
                throw new InvalidOperationException($"{outcomes.Count(o => !o.IsQueued)} of {count} jobs were not queued; the first: {refused.Error}");
            }

            return Result(count, inFlight, batch, payload.Length, took, cpu.Seconds);
        }

        var next = -1;

        async Task Lane()
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                await queue.SubmitAsync(new JobSubmission(BenchPayload.JobType, payload, priority ?? priorities[i]));
            }
        }

        var laneCpu = CpuWindow.Start();
        var start = time.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, Math.Min(inFlight, count)).Select(_ => Task.Run(Lane)));
        var elapsed = time.GetElapsedTime(start);

        return Result(count, inFlight, 1, payload.Length, elapsed, laneCpu.Seconds);
    }

    private static BenchResult Result(int count, int inFlight, int batch, int payloadBytes, TimeSpan elapsed, double cpuSeconds) =>
        new BenchResult("submit", count)
            .Add("inFlight", inFlight)
            .Add("batch", batch)
            .Add("payloadBytes", payloadBytes)
            .Add("seconds", elapsed.TotalSeconds)
            .Add("ratePerSecond", count / elapsed.TotalSeconds, 1)
            .Add("cpuSeconds", cpuSeconds);
}
