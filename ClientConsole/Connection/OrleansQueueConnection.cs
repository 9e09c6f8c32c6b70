using OrleansQueue.Client;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Cli.Connection;

/// <summary>A started Orleans client host and the <see cref="JobQueueClient"/> over it. A call under way when the
/// connection to the silo is lost ends at once with <see cref="ExitCodes.SiloUnreachable"/>, as does one that fails
/// after it was lost.</summary>
internal sealed class OrleansQueueConnection(IHost host, JobQueueClient client, ConnectionLoss loss, ConnectionSettings settings) : IJobQueue
{
    /// <summary>Closing gracefully tells the gateway we left; it is not worth holding the user's prompt longer.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(3);

    public Task<JobView> SubmitAsync(JobSubmission submission) => GuardAsync(() => client.SubmitAsync(submission));

    /// <summary>Not ended by a lost connection: it never throws for a batch's failure, and the outcomes of batches already
    /// queued must reach the user (their ids printed), the rest coming back <see cref="SubmitOutcomeKind.Unknown"/> once
    /// their calls time out.</summary>
    public Task<IReadOnlyList<SubmitOutcome>> SubmitManyAsync(
        IReadOnlyList<JobSubmission> submissions, int batchSize, int inFlight, CancellationToken cancellationToken) =>
        client.SubmitManyAsync(submissions, batchSize, inFlight, cancellationToken);

    public Task<QueueLimits> GetLimitsAsync() => GuardAsync(client.GetLimitsAsync);

    public Task<JobView?> GetStatusAsync(Guid id) => GuardAsync(() => client.GetStatusAsync(id));

    public Task<ReportReply> CancelAsync(Guid id) => GuardAsync(() => client.CancelAsync(id));

    public Task<ReportReply> RequeueAsync(Guid id) => GuardAsync(() => client.RequeueAsync(id));

    public Task<long> KickAsync(string queue, long max) => GuardAsync(() => client.KickAsync(queue, max));

    public Task PauseAsync(string queue, TimeSpan delay) => GuardCallAsync(() => client.PauseAsync(queue, delay));

    public Task<IReadOnlyList<JobView>> ListAsync(JobStatus status, int limit, string? queue = null) =>
        GuardAsync(() => client.ListAsync(status, limit, queue));

    public Task<QueueMetrics> GetMetricsAsync() => GuardAsync(client.GetMetricsAsync);

    private async Task<T> GuardAsync<T>(Func<Task<T>> call)
    {
        Task<T>? running = null;
        await GuardCallAsync(() => running = call()).ConfigureAwait(false);
        return await running!.ConfigureAwait(false);
    }

    /// <summary>Runs a call to the silo; when the connection is lost meanwhile, the call ends with the one error that
    /// says so (exit 4) instead of waiting out its response timeout.</summary>
    private async Task GuardCallAsync(Func<Task> call)
    {
        try
        {
            await call().WaitAsync(loss.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (loss.IsLost && ex is not CliException)
        {
            throw new CliException(ExitCodes.SiloUnreachable, $"lost the connection to the silo at {settings.Gateway}: it stopped or cannot be reached", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await host.StopAsync(timeout.Token);
        }
        catch (Exception)
        {
            // The command's work is done and reported; a slow or failed goodbye must not turn it into a failure.
        }
        finally
        {
            host.Dispose();
        }
    }
}
