using OrleansQueue.Cli.Connection;
using OrleansQueue.Jobs;

namespace OrleansQueue.Cli.Bench;

/// <summary>
/// W4: with no workers running, submits <c>count</c> no-op jobs one at a time with seeded random priorities 0..10,
/// announces it on stderr ("submitted"; the script then starts one worker with one slot), waits until all of them
/// have completed, and sorts them by the start of their first attempt. That order must be priority-ascending and
/// FIFO (submission order) within a priority (<see cref="OrderCheck"/>).
/// </summary>
internal static class OrderBenchmark
{
    public static async Task<(BenchResult Result, OrderViolation? Violation)> RunAsync(
        IJobQueue queue, int count, int seed, int payloadBytes, TimeSpan timeout, TimeProvider time, TextWriter progress,
        CancellationToken cancellationToken)
    {
        var payload = BenchPayload.Create(payloadBytes);
        var priorities = BenchPayload.RandomPriorities(count, seed);
        var baseline = (await queue.GetMetricsAsync()).Completed;
        var ids = new Guid[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = (await queue.SubmitAsync(new JobSubmission(BenchPayload.JobType, payload, priorities[i]))).Id;
        }

        await progress.WriteLineAsync($"bench order: submitted {count} jobs; waiting for them to complete");
        await progress.FlushAsync(cancellationToken);

        await BenchQueries.WaitForCompletedAsync(queue, baseline + count, TimeSpan.FromMilliseconds(100), timeout, time, cancellationToken);
        var views = await BenchQueries.ReadStatusesAsync(queue, ids, cancellationToken);
        var notDone = views.Count(v => v is not { Status: JobStatus.Completed, Attempts.Count: > 0 });
        if (notDone > 0)
        {
            throw new CliException(ExitCodes.Refused, $"{notDone} of {count} benchmark jobs are not COMPLETED");
        }

        // Equal start times (the jobs of one lease share one: run the worker with one slot and --prefetch 0) fall back to
        // submission order.
        var startOrder = Enumerable.Range(0, count)
            .OrderBy(i => views[i]!.Attempts[0].StartedAt)
            .ThenBy(i => i)
            .Select(i => new SubmittedJob(i, priorities[i]))
            .ToList();
        var violation = OrderCheck.FirstViolation(startOrder);
        var result = new BenchResult("order", count)
            .Add("seed", seed)
            .Add("ok", violation is null)
            .Add("violation", violation?.ToString());
        return (result, violation);
    }
}
