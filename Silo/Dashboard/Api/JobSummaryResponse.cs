using OrleansQueue.Jobs;

namespace OrleansQueue.Silo.Dashboard.Api;

/// <summary>A job in a list (<c>GET /api/jobs</c>): what a table row shows, without the attempts and the result.</summary>
public sealed record JobSummaryResponse
{
    public required string Id { get; init; }
    public required string Type { get; init; }
    public required string Status { get; init; }
    public required int Priority { get; init; }
    public required int Retries { get; init; }
    public required int RetriesLeft { get; init; }
    /// <summary>How many attempts were started.</summary>
    public required int Attempts { get; init; }
    /// <summary>The worker of the latest attempt.</summary>
    public string? Worker { get; init; }
    public required DateTimeOffset SubmittedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public DateTimeOffset? NotBefore { get; init; }
    public ProgressResponse? Progress { get; init; }
    public string? Error { get; init; }

    public static JobSummaryResponse From(JobView job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new()
        {
            Id = JobId.Format(job.Id),
            Type = job.Type,
            Status = job.Status.ToWireName(),
            Priority = job.Priority,
            Retries = job.Retries,
            RetriesLeft = job.RetriesLeft,
            Attempts = job.Attempts.Count,
            Worker = job.Worker,
            SubmittedAt = ApiValues.Time(job.SubmittedAt),
            StartedAt = ApiValues.Time(job.StartedAt),
            FinishedAt = ApiValues.Time(job.FinishedAt),
            NotBefore = ApiValues.Time(job.NotBefore),
            Progress = ProgressResponse.From(job.Progress),
            Error = job.Error,
        };
    }
}
