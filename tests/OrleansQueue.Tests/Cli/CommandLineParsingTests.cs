using System.Text;
using OrleansQueue.Jobs;
using OrleansQueue.Tests.Cli.Fakes;

namespace OrleansQueue.Tests.Cli;

/// <summary>How command lines become calls: every option form, the values sent, the defaults left to the silo.</summary>
public sealed class CommandLineParsingTests
{
    [Theory]
    [InlineData("--priority=2", "--retries=1", "--deadline=1.5", "--backoff=0.25")]
    [InlineData("--priority", "2", "--retries", "1", "--deadline", "1.5", "--backoff", "0.25")]
    [InlineData("--priority:2", "--retries:1", "--deadline:1.5", "--backoff:0.25")]
    public async Task Submit_SendsTheSameValues_WhateverTheOptionForm(params string[] options)
    {
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, ["submit", "TRANSCODE_VIDEO", .. options]);

        Assert.Equal(0, run.ExitCode);
        var submission = Assert.Single(connector.Queue.Submissions);
        Assert.Equal("TRANSCODE_VIDEO", submission.Type);
        Assert.Equal(2, submission.Priority);
        Assert.Equal(1, submission.Retries);
        Assert.Equal(TimeSpan.FromSeconds(1.5), submission.Deadline);
        Assert.Equal(TimeSpan.FromMilliseconds(250), submission.RetryBackoff);
    }

    [Theory]
    [InlineData("--data=")]
    [InlineData("--data:")]
    public async Task Submit_WithAnEmptyValueAfterTheOption_SendsAnEmptyPayload_AndTheNextWordStaysAnOption(string data)
    {
        // System.CommandLine alone took "--json" as the payload and printed no JSON.
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, ["submit", "T", data, "--json"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(Assert.Single(connector.Queue.Submissions).Payload);
        Assert.StartsWith("{", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_WithAnEmptyNumberAfterTheOption_IsAUsageError_NothingSent()
    {
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, ["submit", "T", "--priority=", "1"]);

        run.AssertUsageError("--priority");
        Assert.Empty(connector.Queue.Submissions);
    }

    [Fact]
    public async Task Interactive_SubmitWithAnEmptyQuotedValue_SendsAnEmptyPayload()
    {
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, [], "SUBMIT T --data='' --priority 3\n");

        Assert.Equal(0, run.ExitCode);
        var submission = Assert.Single(connector.Queue.Submissions);
        Assert.Empty(submission.Payload);
        Assert.Equal(3, submission.Priority);
    }

    [Fact]
    public async Task Submit_LeavesOmittedValuesNull_AndThePayloadEmpty_SoTheSiloDefaultsApply()
    {
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, ["submit", "T"]);

        Assert.Equal(0, run.ExitCode);
        var submission = Assert.Single(connector.Queue.Submissions);
        Assert.Empty(submission.Payload);
        Assert.Null(submission.Priority);
        Assert.Null(submission.Retries);
        Assert.Null(submission.Deadline);
        Assert.Null(submission.RetryBackoff);
    }

    [Fact]
    public async Task Submit_WithQueue_SendsTheQueueName_WithoutIt_None()
    {
        var connector = new FakeQueueConnector();

        Assert.Equal(0, (await CliRun.StartAsync(connector, ["submit", "T", "--queue", "emails"])).ExitCode);
        Assert.Equal(0, (await CliRun.StartAsync(connector, ["submit", "T"])).ExitCode);

        Assert.Equal(["emails", null], connector.Queue.Submissions.Select(s => s.Queue));
    }

    [Fact]
    public async Task Submit_WithDelay_SendsIt_ANegativeOneIsAUsageError()
    {
        var connector = new FakeQueueConnector();

        Assert.Equal(0, (await CliRun.StartAsync(connector, ["submit", "T", "--delay", "2.5"])).ExitCode);
        Assert.Equal(2, (await CliRun.StartAsync(connector, ["submit", "T", "--delay", "-1"])).ExitCode);

        Assert.Equal(TimeSpan.FromSeconds(2.5), Assert.Single(connector.Queue.Submissions).Delay);
    }

    [Fact]
    public async Task Submit_ToAMalformedQueueName_IsAUsageError_NothingSent()
    {
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, ["submit", "T", "--queue", "-nope"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Queue name '-nope' is not valid", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(connector.Queue.Submissions);
    }

    [Fact]
    public async Task Submit_PrintsTheNewJobsIdAlone()
    {
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, ["submit", "T"]);

        var id = Assert.Single(connector.Queue.Jobs.Keys);
        Assert.Equal(JobId.Format(id) + Environment.NewLine, run.Stdout);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public async Task Submit_WithData_SendsTheTextAsUtf8()
    {
        var connector = new FakeQueueConnector();

        await CliRun.StartAsync(connector, ["submit", "T", "--data={\"fail\":true, \"name\":\"é\"}"]);

        Assert.Equal("{\"fail\":true, \"name\":\"é\"}", Encoding.UTF8.GetString(Assert.Single(connector.Queue.Submissions).Payload));
    }

    [Fact]
    public async Task Submit_WithPayload_SendsTheFilesBytes()
    {
        var connector = new FakeQueueConnector();
        var path = Path.Combine(Path.GetTempPath(), $"oq-cli-{Guid.NewGuid():N}.bin");
        byte[] bytes = [0, 1, 2, 255, 254];
        await File.WriteAllBytesAsync(path, bytes);
        try
        {
            var run = await CliRun.StartAsync(connector, ["submit", "T", "--payload", path]);

            Assert.Equal(0, run.ExitCode);
            Assert.Equal(bytes, Assert.Single(connector.Queue.Submissions).Payload);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Submit_WithJson_PrintsTheJobAsStatusJsonDoes()
    {
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, ["submit", "T", "--json"]);

        var job = Assert.Single(connector.Queue.Jobs.Values);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(OrleansQueue.Cli.Output.JsonOutput.Job(job) + Environment.NewLine, run.Stdout);
    }

    [Theory]
    [InlineData("failed", JobStatus.Failed)]
    [InlineData("FAILED", JobStatus.Failed)]
    [InlineData("Pending", JobStatus.Pending)]
    [InlineData("cancelled", JobStatus.Cancelled)]
    [InlineData("delayed", JobStatus.Delayed)]
    [InlineData("BURIED", JobStatus.Buried)]
    public async Task List_ReadsTheStatusInAnyCase_AndDefaultsTheLimitTo20(string text, JobStatus expected)
    {
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, ["list", "--status", text]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal((expected, 20), Assert.Single(connector.Queue.Lists));
    }

    [Fact]
    public async Task List_PassesTheLimit()
    {
        var connector = new FakeQueueConnector();

        await CliRun.StartAsync(connector, ["list", "--status=completed", "--limit=1000"]);

        Assert.Equal((JobStatus.Completed, 1000), Assert.Single(connector.Queue.Lists));
    }

    [Fact]
    public async Task List_WithQueue_ListsThatQueuesJobsOnly_WithoutIt_EveryQueues()
    {
        var connector = new FakeQueueConnector();
        var email = Samples.PendingJob() with { Id = Guid.CreateVersion7(), Queue = "emails" };
        var other = Samples.PendingJob() with { Id = Guid.CreateVersion7() };
        connector.Queue.Jobs[email.Id] = email;
        connector.Queue.Jobs[other.Id] = other;

        var one = await CliRun.StartAsync(connector, ["list", "--status", "pending", "--queue", "emails", "--json"]);
        var unknown = await CliRun.StartAsync(connector, ["list", "--status", "pending", "--queue", "nobody-uses-this"]);
        var every = await CliRun.StartAsync(connector, ["list", "--status", "pending"]);

        Assert.Equal((0, 0, 0), (one.ExitCode, unknown.ExitCode, every.ExitCode));
        Assert.Equal(["emails", "nobody-uses-this", null], connector.Queue.ListedQueues);
        Assert.Equal(OrleansQueue.Cli.Output.JsonOutput.Jobs([email]) + Environment.NewLine, one.Stdout);
        Assert.Equal("", unknown.Stdout);
        Assert.Equal(2, every.StdoutLines.Count);
    }

    [Fact]
    public async Task GlobalOptions_DefaultToTheLocalGateway_TheClusterOrleansQueue_AndFiveSeconds()
    {
        var connector = new FakeQueueConnector();

        await CliRun.StartAsync(connector, ["metrics"]);

        var settings = Assert.Single(connector.Connections);
        Assert.Equal("127.0.0.1:30000", settings.Gateway);
        Assert.Equal(30000, Assert.Single(settings.Cluster.Gateways).Port);
        Assert.Equal("orleans-queue", settings.ClusterId);
        Assert.Equal("orleans-queue", settings.ServiceId);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.ConnectTimeout);
    }

    [Theory]
    [InlineData("--gateway=127.0.0.1:23001", "--cluster-id=blue", "--service-id=queue-b", "--connect-timeout=2.5", "metrics")]
    [InlineData("metrics", "--gateway", "127.0.0.1:23001", "--cluster-id", "blue", "--service-id", "queue-b", "--connect-timeout", "2.5")]
    public async Task GlobalOptions_AreAcceptedBeforeOrAfterTheCommand(params string[] args)
    {
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, args);

        Assert.Equal(0, run.ExitCode);
        var settings = Assert.Single(connector.Connections);
        Assert.Equal("127.0.0.1:23001", settings.Gateway);
        Assert.Equal("blue", settings.ClusterId);
        Assert.Equal("queue-b", settings.ServiceId);
        Assert.Equal(TimeSpan.FromSeconds(2.5), settings.ConnectTimeout);
    }

    [Fact]
    public async Task GatewayVariable_OverridesTheDefault_ButNotAnExplicitGateway()
    {
        var environment = new Dictionary<string, string> { ["ORLEANSQUEUE_GATEWAY"] = "127.0.0.1:24000" };
        var fromVariable = new FakeQueueConnector();
        var explicitGateway = new FakeQueueConnector();

        await CliRun.StartAsync(fromVariable, ["metrics"], environment: environment);
        await CliRun.StartAsync(explicitGateway, ["metrics", "--gateway", "127.0.0.1:25000"], environment: environment);

        Assert.Equal("127.0.0.1:24000", Assert.Single(fromVariable.Connections).Gateway);
        Assert.Equal("127.0.0.1:25000", Assert.Single(explicitGateway.Connections).Gateway);
    }

    [Fact]
    public async Task Help_PrintsUsageOnStdout_WithoutConnecting()
    {
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, ["submit", "--help"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--priority", run.Stdout, StringComparison.Ordinal);
        Assert.Empty(connector.Connections);
    }
}
