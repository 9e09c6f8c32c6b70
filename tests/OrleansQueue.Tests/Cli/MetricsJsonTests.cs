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
        "requeued", "submitted", "oldestPendingAgeSeconds", "workers", "workerList", "throughput", "latency",
    ];

    [Fact]
    public void Metrics_HasEveryContractKey_WithTheCounts()
    {
        using var json = JsonDocument.Parse(JsonOutput.Metrics(Samples.Metrics()));
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
    public void Queues_GiveEachNamedQueuesFigures_ByName()
    {
        using var json = JsonDocument.Parse(JsonOutput.Metrics(Samples.Metrics()));

        var queues = json.RootElement.GetProperty("queues").EnumerateArray()
            .Select(q => (q.GetProperty("name").GetString(), q.GetProperty("pending").GetInt64(), q.GetProperty("ready").GetInt64(),
                q.GetProperty("delayed").GetInt64(), q.GetProperty("processing").GetInt64()));
        Assert.Equal([("default", 6L, 4L, 2L, 3L), ("emails", 2L, 2L, 0L, 1L)], queues);
    }

    [Fact]
    public async Task MetricsOfOneQueue_AsJson_IsThatQueuesDocument_AndAnUnknownQueueIsAllZero()
    {
        var connector = new FakeQueueConnector();

        var emails = await CliRun.StartAsync(connector, ["metrics", "--queue", "emails", "--json"]);
        var unknown = await CliRun.StartAsync(connector, ["metrics", "--queue=nobody-uses-this", "--json"]);

        Assert.Equal((0, 0), (emails.ExitCode, unknown.ExitCode));
        using var one = JsonDocument.Parse(emails.Stdout);
        Assert.Equal(
            """{"name":"emails","pending":2,"ready":2,"delayed":0,"processing":1}""",
            JsonSerializer.Serialize(one.RootElement));
        using var none = JsonDocument.Parse(unknown.Stdout);
        Assert.Equal(
            """{"name":"nobody-uses-this","pending":0,"ready":0,"delayed":0,"processing":0}""",
            JsonSerializer.Serialize(none.RootElement));
    }

    [Fact]
    public async Task MetricsOfOneQueue_AsText_ShowsItsFigures()
    {
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, ["metrics", "--queue", "default"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["queue:            default", "pending:          6", "ready:          4", "delayed:        2 (a delay or a retry's backoff)", "processing:       3"],
            run.StdoutLines);
    }

    [Fact]
    public void PendingByPriority_HasAKeyForEachLevel_0To10()
    {
        using var json = JsonDocument.Parse(JsonOutput.Metrics(Samples.Metrics()));

        var byPriority = json.RootElement.GetProperty("pendingByPriority").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        Assert.Equal(Enumerable.Range(0, 11).Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)), byPriority.Keys);
        Assert.Equal((1, 3, 2), (byPriority["0"], byPriority["2"], byPriority["5"]));
    }

    [Fact]
    public void Requeued_IsSplitByCause()
    {
        using var json = JsonDocument.Parse(JsonOutput.Metrics(Samples.Metrics()));
        var requeued = json.RootElement.GetProperty("requeued");

        Assert.Equal(
            (2, 1, 5, 6),
            (requeued.GetProperty("deadline").GetInt64(), requeued.GetProperty("workerLost").GetInt64(),
                requeued.GetProperty("handedBack").GetInt64(), requeued.GetProperty("manual").GetInt64()));
    }

    [Fact]
    public void Workers_IsTheNumberAlive_AndWorkerListDescribesEach()
    {
        using var json = JsonDocument.Parse(JsonOutput.Metrics(Samples.Metrics()));

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
    public void WorkerList_GivesEachWorkersUtilization_AsAShareOfItsSlotTime()
    {
        using var json = JsonDocument.Parse(JsonOutput.Metrics(Samples.Metrics()));

        var list = json.RootElement.GetProperty("workerList").EnumerateArray().ToList();
        Assert.Equal(0.6, list[0].GetProperty("utilization").GetDouble()); // 144 busy slot-seconds of 4 slots × 60 s
        Assert.Equal(0.25, list[1].GetProperty("utilization").GetDouble()); // 30 of 2 × 60
    }

    [Fact]
    public void Throughput_IsCompletionsPerSecond_OverEachWindow()
    {
        using var json = JsonDocument.Parse(JsonOutput.Metrics(Samples.Metrics()));
        var throughput = json.RootElement.GetProperty("throughput");

        Assert.Equal(
            (2.5, 1.25, 0.4),
            (throughput.GetProperty("perSecond10s").GetDouble(), throughput.GetProperty("perSecond1m").GetDouble(),
                throughput.GetProperty("perSecond5m").GetDouble()));
    }

    [Fact]
    public void Latency_GivesPercentilesInMilliseconds_AndTheSampleCount_ForEachStage()
    {
        using var json = JsonDocument.Parse(JsonOutput.Metrics(Samples.Metrics()));
        var latency = json.RootElement.GetProperty("latency");

        Assert.Equal(300, latency.GetProperty("windowSeconds").GetDouble());
        var wait = latency.GetProperty("wait");
        Assert.Equal(100, wait.GetProperty("count").GetInt64());
        // Read from histogram buckets, each within 10% above the true value.
        Assert.InRange(wait.GetProperty("p50Ms").GetDouble(), 20, 22);
        Assert.InRange(wait.GetProperty("p95Ms").GetDouble(), 200, 220);
        Assert.InRange(wait.GetProperty("p99Ms").GetDouble(), 2000, 2200);
        var run = latency.GetProperty("run");
        Assert.Equal(100, run.GetProperty("count").GetInt64());
        Assert.InRange(run.GetProperty("p50Ms").GetDouble(), 1000, 1100);
        Assert.Equal(run.GetProperty("p50Ms").GetDouble(), run.GetProperty("p99Ms").GetDouble());
    }

    [Fact]
    public void Latency_PercentilesAreNull_WhenAStageHasNoSample()
    {
        using var json = JsonDocument.Parse(JsonOutput.Metrics(Samples.Metrics()));
        var endToEnd = json.RootElement.GetProperty("latency").GetProperty("endToEnd");

        Assert.Equal(0, endToEnd.GetProperty("count").GetInt64());
        Assert.All(["p50Ms", "p95Ms", "p99Ms"], key => Assert.Equal(JsonValueKind.Null, endToEnd.GetProperty(key).ValueKind));
    }

    [Fact]
    public void OldestPendingAge_IsNull_WhenNothingIsPending()
    {
        using var json = JsonDocument.Parse(JsonOutput.Metrics(Samples.EmptyMetrics()));

        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("oldestPendingAgeSeconds").ValueKind);
        Assert.Equal(0, json.RootElement.GetProperty("pending").GetInt64());
        Assert.Equal(0, json.RootElement.GetProperty("workerList").GetArrayLength());
    }
}
