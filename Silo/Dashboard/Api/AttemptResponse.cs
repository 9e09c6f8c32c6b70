using OrleansQueue.Jobs;

namespace OrleansQueue.Silo.Dashboard.Api;

/// <summary>One attempt of a job; <c>outcome</c> is a wire name such as <c>RUNNING</c> or <c>DEADLINE_EXCEEDED</c>.</summary>
public sealed record AttemptResponse(int Number, string Worker, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string Outcome, string? Error)
{
    public static AttemptResponse From(AttemptRecord attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return new(attempt.Number, attempt.Worker, ApiValues.Time(attempt.StartedAt), ApiValues.Time(attempt.EndedAt),
            attempt.Outcome.ToWireName(), attempt.Error);
    }
}
