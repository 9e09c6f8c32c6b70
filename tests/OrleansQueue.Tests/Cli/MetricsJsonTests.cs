using System.Text.Json;
using OrleansQueue.Cli.Output;
using OrleansQueue.Tests.Cli.Fakes;

namespace OrleansQueue.Tests.Cli;

/// <summary>The JSON contract of <c>metrics --json</c>.</summary>
public sealed class MetricsJsonTests
{
    private static readonly string[] MetricsKeys =
    [
        "pending", "pendingByPriority", "delayed", "processing", "completed", "failed", "cancelled", "retried",
        "requeued", "submitted", "oldestPendingAgeSeconds", "workers", "workerList",
    ];

    [Fact]
    public void Metrics_HasEveryContractKey_WithTheCounts()
    {
        using var json = JsonDocument.Parse(MetricsJson.Format(Samples.Metrics()));
        var metrics = json.RootElement;

        var keys = metrics.EnumerateObject().Select(p => p.Name).ToList();
        Assert.All(MetricsKeys, key => Assert.Contains(key, keys));
        Assert.Equal(8, metrics.GetProperty("pending").GetInt64());
        Assert.Equal(2, metrics.GetProperty("delayed").GetInt64());
        Assert.Equal(4, metrics.GetProperty("processing").GetInt64());
        Assert.Equal(100, metrics.GetProperty("completed").GetInt64());
        Assert.Equal(3, metrics.GetProperty("failed").GetInt64());
        Assert.Equal(1, metrics.GetProperty("cancelled").GetInt64());
        Assert.Equal(7, metrics.GetProperty("retried").GetInt64());
        Assert.Equal(116, metrics.GetProperty("submitted").GetInt64());
        Assert.Equal(12.5, metrics.GetProperty("oldestPendingAgeSeconds").GetDouble());
    }

    [Fact]
    public void PendingByPriority_HasAKeyForEachLevel_0To10()
    {
        using var json = JsonDocument.Parse(MetricsJson.Format(Samples.Metrics()));

        var byPriority = json.RootElement.GetProperty("pendingByPriority").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        Assert.Equal(Enumerable.Range(0, 11).Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)), byPriority.Keys);
        Assert.Equal((1, 3, 2), (byPriority["0"], byPriority["2"], byPriority["5"]));
    }

    [Fact]
    public void Requeued_IsSplitByCause()
    {
        using var json = JsonDocument.Parse(MetricsJson.Format(Samples.Metrics()));
        var requeued = json.RootElement.GetProperty("requeued");

        Assert.Equal(
            (2, 1, 5, 6),
            (requeued.GetProperty("deadline").GetInt64(), requeued.GetProperty("workerLost").GetInt64(),
                requeued.GetProperty("handedBack").GetInt64(), requeued.GetProperty("manual").GetInt64()));
    }

    [Fact]
    public void Workers_IsTheNumberAlive_AndWorkerListDescribesEach()
    {
        using var json = JsonDocument.Parse(MetricsJson.Format(Samples.Metrics()));

        Assert.Equal(1, json.RootElement.GetProperty("workers").GetInt32());
        var list = json.RootElement.GetProperty("workerList").EnumerateArray().ToList();
        Assert.Equal(2, list.Count);
        var a = list[0];
        Assert.Equal("worker-a", a.GetProperty("name").GetString());
        Assert.True(a.GetProperty("alive").GetBoolean());
        Assert.Equal((4, 3, 60L, 2L), (a.GetProperty("slots").GetInt32(), a.GetProperty("busy").GetInt32(), a.GetProperty("completed").GetInt64(), a.GetProperty("failed").GetInt64()));
        Assert.Equal(Samples.T0.AddMinutes(10).AddSeconds(-1), a.GetProperty("lastSeen").GetDateTimeOffset());
        Assert.False(list[1].GetProperty("alive").GetBoolean());
    }

    [Fact]
    public void OldestPendingAge_IsNull_WhenNothingIsPending()
    {
        using var json = JsonDocument.Parse(MetricsJson.Format(Samples.EmptyMetrics()));

        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("oldestPendingAgeSeconds").ValueKind);
        Assert.Equal(0, json.RootElement.GetProperty("pending").GetInt64());
        Assert.Equal(0, json.RootElement.GetProperty("workerList").GetArrayLength());
    }
}
