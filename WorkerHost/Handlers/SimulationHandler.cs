namespace OrleansQueue.Worker.Handlers;

/// <summary>
/// The handler of every job type that has none of its own: it waits <c>durationMs</c> (default 1000) and then
/// succeeds, or fails when the payload says <c>"fail":true</c>. See <see cref="SimulationPayload"/> for the fields.
/// With <c>"ignoreCancellation":true</c> it plays a hung handler: it keeps waiting after the token fired and
/// answers late.
/// </summary>
public sealed class SimulationHandler(TimeProvider time) : IJobHandler
{
    public const string DefaultError = "simulated failure";

    public async Task<JobResult> HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = SimulationPayload.Parse(context.Job.Payload);
        await Task.Delay(
            TimeSpan.FromMilliseconds(payload.DurationMs),
            time,
            payload.IgnoreCancellation ? CancellationToken.None : cancellationToken).ConfigureAwait(false);

        if (payload.Fail)
        {
            return JobResult.Failure(string.IsNullOrWhiteSpace(payload.Error) ? DefaultError : payload.Error);
        }

        return JobResult.Success(payload.Result ?? $"{context.JobType} done in {payload.DurationMs} ms");
    }
}
