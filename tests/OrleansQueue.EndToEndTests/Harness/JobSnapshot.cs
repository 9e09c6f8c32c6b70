using System.Text.Json;

namespace OrleansQueue.EndToEndTests.Harness;

/// <summary>A job as <c>status ID --json</c> prints it. Required members are the contract the tests rely on:
/// a missing key fails the parse instead of reading as a default.</summary>
public sealed record JobSnapshot
{
    public required string Id { get; init; }
    public required string Type { get; init; }
    public required string Status { get; init; }
    public required int Priority { get; init; }
    public required int Retries { get; init; }
    public required int RetriesLeft { get; init; }
    public double DeadlineSeconds { get; init; }
    public required int Attempts { get; init; }
    public required IReadOnlyList<AttemptSnapshot> AttemptHistory { get; init; }
    public string? Worker { get; init; }
    public JsonElement? Result { get; init; }
    public string? Error { get; init; }
    public DateTimeOffset SubmittedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }

    public IEnumerable<string> Outcomes => AttemptHistory.Select(a => a.Outcome);

    public override string ToString() =>
        $"job {Id} {Status} (priority {Priority}, retries {RetriesLeft}/{Retries}, error '{Error}') attempts [{string.Join(", ", AttemptHistory)}]";
}
