using System.Text;
using OrleansQueue.Jobs;

namespace OrleansQueue.Silo.Dashboard.Api;

/// <summary>A job in full (<c>GET /api/jobs/{id}</c>): the keys of <c>status --json</c> plus <c>progress</c>.</summary>
public sealed record JobResponse
{
    public required string Id { get; init; }
    public required string Type { get; init; }
    public required string Status { get; init; }
    public required int Priority { get; init; }
    public required int Retries { get; init; }
    public required int RetriesLeft { get; init; }
    public required double DeadlineSeconds { get; init; }
    public required double RetryBackoffSeconds { get; init; }
    public required int PayloadBytes { get; init; }
    public required DateTimeOffset SubmittedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public DateTimeOffset? NotBefore { get; init; }
    /// <summary>How many attempts were started.</summary>
    public required int Attempts { get; init; }
    /// <summary>The worker of the latest attempt.</summary>
    public string? Worker { get; init; }
    public required IReadOnlyList<AttemptResponse> AttemptHistory { get; init; }
    public ProgressResponse? Progress { get; init; }
    /// <summary>The result as UTF-8 text (handlers report text or JSON); invalid bytes show as U+FFFD.</summary>
    public string? Result { get; init; }
    public string? Error { get; init; }

    public static JobResponse From(JobView job)
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
            DeadlineSeconds = ApiValues.Seconds(job.Deadline),
            RetryBackoffSeconds = ApiValues.Seconds(job.RetryBackoff),
            PayloadBytes = job.PayloadBytes,
            SubmittedAt = ApiValues.Time(job.SubmittedAt),
            StartedAt = ApiValues.Time(job.StartedAt),
            FinishedAt = ApiValues.Time(job.FinishedAt),
            NotBefore = ApiValues.Time(job.NotBefore),
            Attempts = job.Attempts.Count,
            Worker = job.Worker,
            AttemptHistory = job.Attempts.Select(AttemptResponse.From).ToList(),
            Progress = ProgressResponse.From(job.Progress),
            Result = job.Result is { } bytes ? Encoding.UTF8.GetString(bytes) : null,
            Error = job.Error,
        };
    }
}
