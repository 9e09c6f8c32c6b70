namespace OrleansQueue.EndToEndTests.Harness;

/// <summary>One entry of a job's <c>attemptHistory</c>.</summary>
public sealed record AttemptSnapshot
{
    public required int Number { get; init; }
    public required string Worker { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public required string Outcome { get; init; }
    public string? Error { get; init; }

    public override string ToString() =>
        $"#{Number} {Outcome} on {Worker} {StartedAt:HH:mm:ss.fff}-{EndedAt:HH:mm:ss.fff}{(Error is null ? "" : $" '{Error}'")}";
}
