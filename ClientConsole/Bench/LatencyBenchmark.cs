using OrleansQueue.Cli.Connection;
using OrleansQueue.Jobs;

namespace OrleansQueue.Cli.Bench;

/// <summary>
/// W3: with workers idle, submits <c>warmup + count</c> no-op jobs <c>interval</c> apart (a stopwatch schedule paced by
/// <see cref="Pacer"/>; each submit is awaited, and a late one is not made up with a burst), noting the wall-clock time just before each
/// submit call. It then reads every job's status: the latency of a job is its first attempt's start
/// (<c>Attempts[0].StartedAt</c>, stamped by the silo when a worker leases it) minus that submit time. Client and silo
/// share the machine's clock. The first <c>warmup</c> jobs (connection and JIT warm-up) are not counted, as in the peers.
/// </summary>
internal static class LatencyBenchmark
{
    public static async Task<BenchResult> RunAsync(
        IJobQueue queue, int count, int warmup, TimeSpan interval, int payloadBytes, TimeSpan timeout, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var payload = BenchPayload.Create(payloadBytes);
        var total = warmup + count;
        var submittedAt = new DateTimeOffset[total];
        var ids = new Guid[total];
        var callMs = new double[count];

        var next = time.GetTimestamp();
        var step = (long)(interval.TotalSeconds * time.TimestampFrequency);
        long paced = 0;
        for (var i = 0; i < total; i++)
        {
            if (i == warmup)
            {
                paced = time.GetTimestamp();
            }

            cancellationToken.ThrowIfCancellationRequested();
            Pacer.SleepUntil(next, time);
            // The next submit is due one interval after this one was, or now if this one is already late.
            next = Math.Max(next + step, time.GetTimestamp());

            var call = time.GetTimestamp();
            submittedAt[i] = time.GetUtcNow();
            ids[i] = (await queue.SubmitAsync(new JobSubmission(BenchPayload.JobType, payload))).Id;
            if (i >= warmup)
            {
                callMs[i - warmup] = time.GetElapsedTime(call).TotalMilliseconds;
            }
        }

        var spacing = time.GetElapsedTime(paced).TotalMilliseconds / count;
        var started = await WaitForStartsAsync(queue, ids, timeout, time, cancellationToken);

        var latencies = Enumerable.Range(warmup, count).Select(i => (started[i] - submittedAt[i]).TotalMilliseconds).ToArray();
        return new BenchResult("latency", count)
            .Add("warmup", warmup)
            .Add("p50Ms", BenchStats.Percentile(latencies, 0.50))
            .Add("p99Ms", BenchStats.Percentile(latencies, 0.99))
            .Add("maxMs", BenchStats.Percentile(latencies, 1))
            .Add("spacingMs", spacing)
            .Add("submitCallP50Ms", BenchStats.Percentile(callMs, 0.50));
    }

    /// <summary>Each job's first start time; re-reads the jobs not started yet until all have one.</summary>
    private static async Task<DateTimeOffset[]> WaitForStartsAsync(
        IJobQueue queue, Guid[] ids, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = new DateTimeOffset?[ids.Length];
        var start = time.GetTimestamp();
        while (true)
        {
            var waiting = Enumerable.Range(0, ids.Length).Where(i => started[i] is null).ToArray();
            if (waiting.Length == 0)
            {
                return started.Select(s => s!.Value).ToArray();
            }

            var views = await BenchQueries.ReadStatusesAsync(queue, waiting.Select(i => ids[i]).ToArray(), cancellationToken);
            for (var k = 0; k < waiting.Length; k++)
            {
                if (views[k] is { Attempts: [var first, ..] })
                {
                    started[waiting[k]] = first.StartedAt;
                }
            }

            if (started.Any(s => s is null))
            {
                BenchQueries.ThrowIfPast(start, timeout, time, $"{started.Count(s => s is null)} of {ids.Length} jobs never started; are workers running?");
                await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
            }
        }
    }
}
