using System.Text.Json;
using OrleansQueue.Cli.Output;
using OrleansQueue.Tests.Cli.Fakes;

namespace OrleansQueue.Tests.Cli;

/// <summary>The JSON contract of a job (<c>status --json</c>), which scripts and the end-to-end tests read.</summary>
public sealed class JobJsonTests
{
    private static readonly string[] JobKeys =
    [
        "id", "type", "status", "priority", "retries", "retriesLeft", "deadlineSeconds", "attempts", "attemptHistory",
        "worker", "result", "error", "submittedAt", "startedAt", "finishedAt", "notBefore", "payloadBytes", "progress",
    ];

    private static readonly string[] AttemptKeys = ["number", "worker", "startedAt", "endedAt", "outcome", "error"];

    [Fact]
    public void Job_HasEveryContractKey_EvenWhenNull()
    {
        using var json = JsonDocument.Parse(JsonOutput.Job(Samples.PendingJob()));

        var keys = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.All(JobKeys, key => Assert.Contains(key, keys));
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("worker").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("result").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("startedAt").ValueKind);
        Assert.Equal(0, json.RootElement.GetProperty("attemptHistory").GetArrayLength());
    }

    [Fact]
    public void Job_WritesWireNames_Numbers_IsoTimes_AndTheResultAsText()
    {
        using var json = JsonDocument.Parse(JsonOutput.Job(Samples.CompletedJob()));
        var job = json.RootElement;

        Assert.Equal("01968f3e-1c2a-7b3d-9e4f-a1b2c3d4e5f6", job.GetProperty("id").GetString());
        Assert.Equal("TRANSCODE_VIDEO", job.GetProperty("type").GetString());
        Assert.Equal("COMPLETED", job.GetProperty("status").GetString());
        Assert.Equal(2, job.GetProperty("priority").GetInt32());
        Assert.Equal(3, job.GetProperty("retries").GetInt32());
        Assert.Equal(2, job.GetProperty("retriesLeft").GetInt32());
        Assert.Equal(300, job.GetProperty("deadlineSeconds").GetDouble());
        Assert.Equal(1.5, job.GetProperty("retryBackoffSeconds").GetDouble());
        Assert.Equal(12, job.GetProperty("payloadBytes").GetInt32());
        Assert.Equal(2, job.GetProperty("attempts").GetInt32());
        Assert.Equal("worker-b", job.GetProperty("worker").GetString());
        Assert.Equal("{\"frames\":1200} ✓", job.GetProperty("result").GetString());
        Assert.Equal(JsonValueKind.Null, job.GetProperty("error").ValueKind);
        Assert.Equal("2026-03-01T12:00:00.000Z", job.GetProperty("submittedAt").GetString());
        Assert.Equal(Samples.T0.AddSeconds(5), job.GetProperty("finishedAt").GetDateTimeOffset());
    }

    [Fact]
    public void AttemptHistory_ListsEachAttempt_WithItsOutcomeWireName()
    {
        using var json = JsonDocument.Parse(JsonOutput.Job(Samples.CompletedJob()));

        var attempts = json.RootElement.GetProperty("attemptHistory").EnumerateArray().ToList();
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(AttemptKeys, a.EnumerateObject().Select(p => p.Name)));
        Assert.Equal(1, attempts[0].GetProperty("number").GetInt32());
        Assert.Equal("worker-a", attempts[0].GetProperty("worker").GetString());
        Assert.Equal("FAILED", attempts[0].GetProperty("outcome").GetString());
        Assert.Equal("codec not found", attempts[0].GetProperty("error").GetString());
        Assert.Equal(Samples.T0.AddSeconds(2), attempts[0].GetProperty("endedAt").GetDateTimeOffset());
        Assert.Equal("COMPLETED", attempts[1].GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, attempts[1].GetProperty("error").ValueKind);
    }

    [Fact]
    public void Outcome_UsesTheUnderscoredWireName()
    {
        using var json = JsonDocument.Parse(JsonOutput.Job(Samples.FailedJob()));

        Assert.Equal("DEADLINE_EXCEEDED", json.RootElement.GetProperty("attemptHistory")[0].GetProperty("outcome").GetString());
        Assert.Equal("FAILED", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("deadline exceeded", json.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public void Progress_IsTheLatestReport_WithItsAttemptPercentMessageAndTime()
    {
        using var json = JsonDocument.Parse(JsonOutput.Job(Samples.Processing(Samples.PendingJob(), 40, "working (40%)")));
        var progress = json.RootElement.GetProperty("progress");

        Assert.Equal(["attempt", "percent", "message", "at"], progress.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, progress.GetProperty("attempt").GetInt32());
        Assert.Equal(40, progress.GetProperty("percent").GetInt32());
        Assert.Equal("working (40%)", progress.GetProperty("message").GetString());
        Assert.Equal("2026-03-01T12:00:02.000Z", progress.GetProperty("at").GetString());
    }

    [Fact]
    public void Progress_IsNull_BeforeAnyReport_AndItsMessageMayBeNull()
    {
        using var pending = JsonDocument.Parse(JsonOutput.Job(Samples.PendingJob()));
        using var bare = JsonDocument.Parse(JsonOutput.Job(Samples.Processing(Samples.PendingJob(), 10)));

        Assert.Equal(JsonValueKind.Null, pending.RootElement.GetProperty("progress").ValueKind);
        Assert.Equal(JsonValueKind.Null, bare.RootElement.GetProperty("progress").GetProperty("message").ValueKind);
    }

    [Fact]
    public void List_IsAnArrayOfJobObjects()
    {
        using var json = JsonDocument.Parse(JsonOutput.Jobs([Samples.CompletedJob(), Samples.FailedJob()]));

        Assert.Equal(JsonValueKind.Array, json.RootElement.ValueKind);
        Assert.Equal(["COMPLETED", "FAILED"], json.RootElement.EnumerateArray().Select(j => j.GetProperty("status").GetString()));
    }
}
