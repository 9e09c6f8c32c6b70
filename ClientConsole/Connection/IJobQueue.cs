using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Cli.Connection;

/// <summary>The queue as the console's commands see it: an open connection offering the calls of
/// <see cref="Client.JobQueueClient"/>. Disposing it closes the connection.
/// An interface so the command layer can be tested without a silo.</summary>
internal interface IJobQueue : IAsyncDisposable
{
    /// <exception cref="InvalidJobException">The silo refused a value; nothing was stored.</exception>
    Task<JobView> SubmitAsync(JobSubmission submission);

    /// <summary>Submits many jobs in batches; one outcome per submission, in order (see <c>JobQueueClient.SubmitManyAsync</c>).</summary>
    Task<IReadOnlyList<SubmitOutcome>> SubmitManyAsync(IReadOnlyList<JobSubmission> submissions, int batchSize, int inFlight, CancellationToken cancellationToken);

    /// <summary>The silo's limits on a submission (<c>Queue:MaxPayloadBytes</c>).</summary>
    Task<QueueLimits> GetLimitsAsync();

    /// <summary>The job, or null when no job has this id.</summary>
    Task<JobView?> GetStatusAsync(Guid id);

    Task<ReportReply> CancelAsync(Guid id);

    Task<ReportReply> RequeueAsync(Guid id);

    /// <summary>Kicks up to <paramref name="max"/> buried jobs of <paramref name="queue"/>; how many were kicked.</summary>
    Task<long> KickAsync(string queue, long max);

    /// <summary>No job of <paramref name="queue"/> is leased for <paramref name="delay"/>; zero lifts the pause.</summary>
    Task PauseAsync(string queue, TimeSpan delay);

    /// <summary>Jobs now in <paramref name="status"/>; with <paramref name="queue"/>, of that named queue only.</summary>
    Task<IReadOnlyList<JobView>> ListAsync(JobStatus status, int limit, string? queue = null);

    Task<QueueMetrics> GetMetricsAsync();
}
