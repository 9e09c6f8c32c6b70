using System.Text.Json;

namespace OrleansQueue.EndToEndTests.Harness;

/// <summary>The queue's counters as <c>metrics --json</c> prints them.</summary>
public sealed record MetricsSnapshot
{
    public required long Pending { get; init; }
    public required long Processing { get; init; }
    public required long Completed { get; init; }
    public required long Failed { get; init; }
    public required long Cancelled { get; init; }
    public required long Retried { get; init; }
    public required long Submitted { get; init; }
    public required RequeueCounts Requeued { get; init; }
    /// <summary>How many workers are alive.</summary>
    public required int Workers { get; init; }
    public JsonElement? WorkerList { get; init; }

    public override string ToString() =>
        $"submitted {Submitted}, pending {Pending}, processing {Processing}, completed {Completed}, failed {Failed}, " +
        $"cancelled {Cancelled}, retried {Retried}, requeued {Requeued}, workers {Workers}";
}
