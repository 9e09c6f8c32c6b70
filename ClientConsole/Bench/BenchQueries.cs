using OrleansQueue.Cli.Connection;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Cli.Bench;

/// <summary>The reads the benchmarks share, all through the ordinary client API (<c>metrics</c>, <c>status</c>).</summary>
internal static class BenchQueries
{
    /// <summary>Status reads in flight at once: enough to read thousands of jobs in a second without flooding the silo.</summary>
    private const int StatusReadsInFlight = 64;

    /// <summary>Polls <c>metrics</c> until at least <paramref name="target"/> jobs have completed in all.</summary>
    /// <exception cref="CliException">With <see cref="ExitCodes.WaitTimedOut"/> when <paramref name="timeout"/> passes first.</exception>
    public static async Task<QueueMetrics> WaitForCompletedAsync(
        IJobQueue queue, long target, TimeSpan poll, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        while (true)
        {
            var metrics = await queue.GetMetricsAsync();
            if (metrics.Completed >= target)
            {
                return metrics;
            }

            ThrowIfPast(start, timeout, time, $"only {metrics.Completed} of {target} jobs completed");
            await Task.Delay(poll, time, cancellationToken);
        }
    }

    /// <summary>Every job's status, in the order of <paramref name="ids"/>; null where no job has the id.</summary>
    public static async Task<JobView?[]> ReadStatusesAsync(IJobQueue queue, IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        var views = new JobView?[ids.Count];
        await Parallel.ForAsync(0, ids.Count,
            new ParallelOptions { MaxDegreeOfParallelism = StatusReadsInFlight, CancellationToken = cancellationToken },
            async (i, _) => views[i] = await queue.GetStatusAsync(ids[i]));
        return views;
    }

    public static void ThrowIfPast(long start, TimeSpan timeout, TimeProvider time, string what)
    {
        if (time.GetElapsedTime(start) > timeout)
        {
            throw new CliException(ExitCodes.WaitTimedOut, $"timed out after {timeout.TotalSeconds:0.###} s: {what}");
        }
    }
}
