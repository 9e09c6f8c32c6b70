using OrleansQueue.Cli.Connection;

namespace OrleansQueue.Cli.Bench;

/// <summary>
/// W2: watches <c>metrics</c> until <c>count</c> more jobs have completed than when it started. It polls every
/// <c>poll</c>; the first poll that shows a completion marks the start (time t1, completed c1), the poll that shows
/// the target reached marks the end (t2, c2), and the rate is (c2 − c1) / (t2 − t1): only jobs that completed
/// between two observed instants, so neither the worker's start-up nor the poll interval at either end inflate or
/// deflate it by more than one interval's worth. Start it before the workers (the script waits for its
/// "baseline" line on stderr). Its own CPU from the baseline to the end is <c>cpuSeconds</c>.
/// </summary>
internal static class DrainBenchmark
{
    public static async Task<BenchResult> RunAsync(
        IJobQueue queue, int count, TimeSpan poll, TimeSpan timeout, TimeProvider time, TextWriter progress, CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        var baseline = (await queue.GetMetricsAsync()).Completed;
        var target = baseline + count;
        await progress.WriteLineAsync($"bench drain: baseline completed={baseline}; waiting for {count} more");
        await progress.FlushAsync(cancellationToken);
        var cpu = CpuWindow.Start();

        (long At, long Completed)? first = null;
        while (true)
        {
            var metrics = await queue.GetMetricsAsync();
            var now = time.GetTimestamp();
            if (first is null && metrics.Completed > baseline)
            {
                first = (now, metrics.Completed);
            }

            if (metrics.Completed >= target)
            {
                var (firstAt, firstCompleted) = first!.Value;
                var measured = time.GetElapsedTime(firstAt, now);
                // Everything completed between two polls: the window is empty; fall back to the whole wait.
                var rate = metrics.Completed > firstCompleted && measured > TimeSpan.Zero
                    ? (metrics.Completed - firstCompleted) / measured.TotalSeconds
                    : count / time.GetElapsedTime(start, now).TotalSeconds;
                return new BenchResult("drain", count)
                    .Add("seconds", measured.TotalSeconds)
                    .Add("measuredJobs", metrics.Completed - firstCompleted)
                    .Add("waitedSeconds", time.GetElapsedTime(start, now).TotalSeconds)
                    .Add("pollMs", (long)poll.TotalMilliseconds)
                    .Add("ratePerSecond", rate, 1)
                    .Add("cpuSeconds", cpu.Seconds);
            }

            BenchQueries.ThrowIfPast(start, timeout, time, $"only {metrics.Completed - baseline} of {count} jobs completed");
            await Task.Delay(poll, time, cancellationToken);
        }
    }
}
