using OrleansQueue.Jobs;

namespace OrleansQueue.Silo.Dashboard.Api;

/// <summary>A handler's latest progress report: <c>percent</c> 0–100 and a short <c>message</c>.</summary>
public sealed record ProgressResponse(int Attempt, int Percent, string? Message, DateTimeOffset At)
{
    public static ProgressResponse? From(JobProgress? progress) =>
        progress is null ? null : new(progress.Attempt, progress.Percent, progress.Message, ApiValues.Time(progress.At));
}
