using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json.Serialization;
using OrleansQueue.Jobs;

namespace OrleansQueue.Contracts;

/// <summary>
/// A job in full: <c>status --json</c>, <c>submit --json</c>, each element of <c>list --json</c>, and
/// <c>GET /api/jobs/{id}</c>. The keys of <see cref="JobSummaryDocument"/> plus <c>deadlineSeconds</c>,
/// <c>retryBackoffSeconds</c>, <c>payloadBytes</c>, <c>attemptHistory</c> and <c>result</c>.
/// Readable back (the end-to-end tests parse the console's output into it), so every shape has one definition.
/// </summary>
public sealed record JobDocument : JobSummaryDocument
{
    /// <summary>For the deserializer, which sets every required key.</summary>
    public JobDocument()
    {
    }

    [SetsRequiredMembers]
    private JobDocument(JobSummaryDocument summary, JobView job)
        : base(summary)
    {
        DeadlineSeconds = ContractValues.Seconds(job.Deadline);
        RetryBackoffSeconds = ContractValues.Seconds(job.RetryBackoff);
        PayloadBytes = job.PayloadBytes;
        AttemptHistory = job.Attempts.Select(AttemptDocument.From).ToList();
        Result = ResultText(job);
    }

    [JsonPropertyOrder(6)] public double DeadlineSeconds { get; init; }
    [JsonPropertyOrder(7)] public double RetryBackoffSeconds { get; init; }
    [JsonPropertyOrder(8)] public int PayloadBytes { get; init; }
    [JsonPropertyOrder(15)] public required IReadOnlyList<AttemptDocument> AttemptHistory { get; init; }
    /// <summary>The result as UTF-8 text (handlers report text or JSON); invalid bytes show as U+FFFD.</summary>
    [JsonPropertyOrder(17)] public string? Result { get; init; }

    public static new JobDocument From(JobView job) => new(JobSummaryDocument.From(job), job);

    /// <summary>The job's result as text, as every view shows it.</summary>
    public static string? ResultText(JobView job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Result is { } bytes ? Encoding.UTF8.GetString(bytes) : null;
    }

    /// <summary>One line for logs and test failures, attempts included.</summary>
    public override string ToString() =>
        $"job {Id} {Status} (priority {Priority}, retries {RetriesLeft}/{Retries}, error '{Error}') attempts [{string.Join(", ", AttemptHistory)}]";
}

/// <summary>One attempt of a job; <c>outcome</c> is a wire name such as <c>RUNNING</c> or <c>DEADLINE_EXCEEDED</c>.</summary>
public sealed record AttemptDocument(int Number, string Worker, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string Outcome, string? Error)
{
    public static AttemptDocument From(AttemptRecord attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return new(attempt.Number, attempt.Worker, attempt.StartedAt, attempt.EndedAt, attempt.Outcome.ToWireName(), attempt.Error);
    }

    public override string ToString() =>
        $"#{Number} {Outcome} on {Worker} {StartedAt:HH:mm:ss.fff}-{EndedAt:HH:mm:ss.fff}{(Error is null ? "" : $" '{Error}'")}";
}
