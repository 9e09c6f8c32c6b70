using System.Text.Json.Serialization;
using OrleansQueue.Jobs;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Contracts;

/// <summary>
/// A job as a row of a list (<c>GET /api/jobs</c>): its identity, state and times, without its settings, attempts
/// and result. <see cref="JobDocument"/> is the whole job, with every key of this one in the same order. Statuses are
/// wire names (<c>PENDING</c>); absent values are <c>null</c>, never omitted, so a script can rely on every key.
/// </summary>
public record JobSummaryDocument
{
    [JsonPropertyOrder(0)] public required string Id { get; init; }
    [JsonPropertyOrder(1)] public required string Type { get; init; }
    [JsonPropertyOrder(2)] public required string Status { get; init; }
    [JsonPropertyOrder(3)] public required long Priority { get; init; }
    /// <summary>Retries the job was submitted with.</summary>
    [JsonPropertyOrder(4)] public required int Retries { get; init; }
    [JsonPropertyOrder(5)] public required int RetriesLeft { get; init; }
    [JsonPropertyOrder(9)] public required DateTimeOffset SubmittedAt { get; init; }
    [JsonPropertyOrder(10)] public DateTimeOffset? StartedAt { get; init; }
    [JsonPropertyOrder(11)] public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>While a retry waits out its backoff: when it becomes leasable again.</summary>
    [JsonPropertyOrder(12)] public DateTimeOffset? NotBefore { get; init; }
    /// <summary>How many attempts were started.</summary>
    [JsonPropertyOrder(13)] public required int Attempts { get; init; }
    /// <summary>The worker of the latest attempt.</summary>
    [JsonPropertyOrder(14)] public string? Worker { get; init; }
    /// <summary>The handler's latest report; null before any.</summary>
    [JsonPropertyOrder(16)] public ProgressDocument? Progress { get; init; }
    [JsonPropertyOrder(18)] public string? Error { get; init; }
    /// <summary>The named queue the job lives in.</summary>
    [JsonPropertyOrder(19)] public string Queue { get; init; } = QueueNames.Default;

    public static JobSummaryDocument From(JobView job)
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
            SubmittedAt = job.SubmittedAt,
            StartedAt = job.StartedAt,
            FinishedAt = job.FinishedAt,
            NotBefore = job.NotBefore,
            Attempts = job.Attempts.Count,
            Worker = job.Worker,
            Progress = ProgressDocument.From(job.Progress),
            Error = job.Error,
            Queue = job.Queue,
        };
    }
}

/// <summary>A handler's latest progress report: <c>percent</c> 0–100 and a short <c>message</c> (may be null).</summary>
public sealed record ProgressDocument(int Attempt, int Percent, string? Message, DateTimeOffset At)
{
    public static ProgressDocument? From(JobProgress? progress) =>
        progress is null ? null : new(progress.Attempt, progress.Percent, progress.Message, progress.At);
}
