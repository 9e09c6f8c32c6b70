using System.Globalization;

namespace OrleansQueue.Worker.Handlers;

/// <summary>
/// The handler of every job type that has none of its own: it waits <c>durationMs</c> (default 1000) and then
/// succeeds, or fails when the payload says <c>"fail":true</c>. See <see cref="SimulationPayload"/> for the fields.
/// While it waits it reports how far it got (<see cref="SimulationPayload.ProgressInterval"/>), e.g.
/// <c>working (40%)</c>. With <c>"ignoreCancellation":true</c> it plays a hung handler: it keeps waiting after the
/// token fired and answers late.
/// </summary>
public sealed class SimulationHandler(TimeProvider time) : IJobHandler
{
    public const string DefaultError = "simulated failure";

    public async Task<JobResult> HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = SimulationPayload.Parse(context.Job.Payload);
        var duration = TimeSpan.FromMilliseconds(payload.DurationMs);
        var token = payload.IgnoreCancellation ? CancellationToken.None : cancellationToken;
        if (payload.ProgressInterval is { } every)
        {
            await WorkReportingProgressAsync(context, duration, every, token).ConfigureAwait(false);
        }
        else
        {
            await Task.Delay(duration, time, token).ConfigureAwait(false);
        }

        if (payload.Fail)
        {
            return JobResult.Failure(string.IsNullOrWhiteSpace(payload.Error) ? DefaultError : payload.Error);
        }

        return JobResult.Success(payload.Result ?? $"{context.JobType} done in {payload.DurationMs} ms");
    }

    /// <summary>The message of a progress report at <paramref name="percent"/>.</summary>
    public static string ProgressMessage(int percent) =>
        string.Create(CultureInfo.InvariantCulture, $"working ({percent}%)");

    /// <summary>
    /// Waits <paramref name="duration"/> and reports the elapsed share every <paramref name="every"/>. The work's end
    /// does not depend on the reports: the wait is one timer for the whole duration, a report is not awaited, and a
    /// tick that comes while the previous report is still on its way is skipped, so a slow silo delays nothing.
    /// </summary>
    private async Task WorkReportingProgressAsync(JobContext context, TimeSpan duration, TimeSpan every, CancellationToken token)
    {
        var started = time.GetTimestamp();
        var done = Task.Delay(duration, time, token);

        // A periodic timer keeps a tick that comes while no one waits, so no tick is lost between two waits.
        using var ticks = new PeriodicTimer(every, time);
        var inFlight = Task.CompletedTask;
        while (true)
        {
            var tick = ticks.WaitForNextTickAsync(token).AsTask();
            if (await Task.WhenAny(done, tick).ConfigureAwait(false) == done || !await tick.ConfigureAwait(false))
            {
                break;
            }

            var elapsed = time.GetElapsedTime(started);
            if (elapsed >= duration)
            {
                break;
            }

            if (inFlight.IsCompleted)
            {
                var percent = (int)Math.Clamp(elapsed.Ticks * 100 / duration.Ticks, 0, 99);
                inFlight = ReportQuietlyAsync(context, percent);
            }
        }

        await done.ConfigureAwait(false);
    }

    /// <summary>Progress is advisory: a report that fails must not fail the job.</summary>
    private static async Task ReportQuietlyAsync(JobContext context, int percent)
    {
        try
        {
            await context.ReportProgressAsync(percent, ProgressMessage(percent)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // JobContext's reporter already swallows and logs its failures; this only guards a custom one.
        }
    }
}
