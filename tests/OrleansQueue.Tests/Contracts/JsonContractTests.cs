using System.Text.Json;
using OrleansQueue.Contracts;
using OrleansQueue.Tests.Cli.Fakes;

namespace OrleansQueue.Tests.Contracts;

/// <summary>The shapes the console's <c>--json</c> and the dashboard API share: every key, in order, as scripts and the
/// page read them.</summary>
public sealed class JsonContractTests
{
    /// <summary><c>status --json</c> and <c>GET /api/jobs/{id}</c>.</summary>
    private static readonly string[] JobKeys =
    [
        "id", "type", "status", "priority", "retries", "retriesLeft", "deadlineSeconds", "retryBackoffSeconds",
        "payloadBytes", "submittedAt", "startedAt", "finishedAt", "notBefore", "attempts", "worker", "attemptHistory",
        "progress", "result", "error", "queue",
    ];

    /// <summary>An element of <c>GET /api/jobs</c>.</summary>
    private static readonly string[] SummaryKeys =
    [
        "id", "type", "status", "priority", "retries", "retriesLeft", "submittedAt", "startedAt", "finishedAt",
        "notBefore", "attempts", "worker", "progress", "error", "queue",
    ];

    private static readonly string[] MetricsKeys =
    [
        "at", "pending", "pendingByPriority", "delayed", "processing", "completed", "failed", "cancelled", "retried",
        "requeued", "submitted", "oldestPendingSince", "oldestPendingAgeSeconds", "throughput", "latency", "workers",
        "workerList", "queues",
    ];

    private static readonly string[] WorkerKeys =
        ["name", "alive", "slots", "busy", "utilization", "utilizationWindowSeconds", "completed", "failed", "lastSeen"];

    [Fact]
    public void Job_HasEveryKey_InOrder()
    {
        using var json = Serialize(JobDocument.From(Samples.PendingJob()), QueueJsonContext.Default.JobDocument);

        Assert.Equal(JobKeys, Keys(json.RootElement));
    }

    [Fact]
    public void JobSummary_HasTheSummaryKeys_InTheJobsOrder_WithoutTheDetails()
    {
        IReadOnlyList<JobSummaryDocument> list = [JobSummaryDocument.From(Samples.CompletedJob())];
        using var json = Serialize(list, QueueJsonContext.Default.IReadOnlyListJobSummaryDocument);

        var summary = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal(SummaryKeys, Keys(summary));
        Assert.Equal(SummaryKeys, JobKeys.Where(SummaryKeys.Contains));
        Assert.Equal("worker-b", summary.GetProperty("worker").GetString());
        Assert.Equal(2, summary.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public void Metrics_AndEachWorker_HaveEveryKey_InOrder()
    {
        using var json = Serialize(MetricsDocument.From(Samples.Metrics()), QueueJsonContext.Default.MetricsDocument);

        Assert.Equal(MetricsKeys, Keys(json.RootElement));
        Assert.All(json.RootElement.GetProperty("workerList").EnumerateArray(), w => Assert.Equal(WorkerKeys, Keys(w)));
        Assert.Equal(60, json.RootElement.GetProperty("workerList")[0].GetProperty("utilizationWindowSeconds").GetDouble());
        Assert.Equal(["windowSeconds", "wait", "run", "endToEnd"], Keys(json.RootElement.GetProperty("latency")));
        Assert.Equal(["p50Ms", "p95Ms", "p99Ms", "count"], Keys(json.RootElement.GetProperty("latency").GetProperty("wait")));
        Assert.All(json.RootElement.GetProperty("queues").EnumerateArray(),
            q => Assert.Equal(["name", "pending", "ready", "delayed", "processing"], Keys(q)));
    }

    [Fact]
    public void Timestamps_AreUtc_ToTheMillisecond_WhateverTheOffsetTheyCameWith()
    {
        var job = Samples.PendingJob() with { SubmittedAt = new DateTimeOffset(2026, 3, 1, 14, 0, 0, 123, TimeSpan.FromHours(2)).AddTicks(4567) };

        using var json = Serialize(JobDocument.From(job), QueueJsonContext.Default.JobDocument);

        Assert.Equal("2026-03-01T12:00:00.123Z", json.RootElement.GetProperty("submittedAt").GetString());
    }

    private static JsonDocument Serialize<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonDocument.Parse(JsonSerializer.Serialize(value, type));

    private static List<string> Keys(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToList();
}
