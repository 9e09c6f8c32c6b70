using OrleansQueue.Client;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Cli.Connection;

/// <summary>A started Orleans client host and the <see cref="JobQueueClient"/> over it.</summary>
internal sealed class OrleansQueueConnection(IHost host, JobQueueClient client) : IJobQueue
{
    /// <summary>Closing gracefully tells the gateway we left; it is not worth holding the user's prompt longer.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(3);

    public Task<JobView> SubmitAsync(JobSubmission submission) => client.SubmitAsync(submission);

    public Task<IReadOnlyList<SubmitOutcome>> SubmitManyAsync(
        IReadOnlyList<JobSubmission> submissions, int batchSize, int inFlight, CancellationToken cancellationToken) =>
        client.SubmitManyAsync(submissions, batchSize, inFlight, cancellationToken);

    public Task<JobView?> GetStatusAsync(Guid id) => client.GetStatusAsync(id);

    public Task<ReportReply> CancelAsync(Guid id) => client.CancelAsync(id);

    public Task<ReportReply> RequeueAsync(Guid id) => client.RequeueAsync(id);

    public Task<IReadOnlyList<JobView>> ListAsync(JobStatus status, int limit) => client.ListAsync(status, limit);

    public Task<QueueMetrics> GetMetricsAsync() => client.GetMetricsAsync();

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
