using OrleansQueue.Jobs;
using OrleansQueue.Tests.Cli.Fakes;

namespace OrleansQueue.Tests.Cli;

/// <summary>Bad command lines: exit 2 with one <c>error:</c> line naming the problem, and no connection attempted.</summary>
public sealed class UsageErrorTests
{
    private const string SomeId = "01968f3e-1c2a-7b3d-9e4f-a1b2c3d4e5f6";

    [Theory]
    [InlineData("Unrecognized command or argument 'frobnicate'", "frobnicate")]
    [InlineData("Unrecognized command or argument '--no-such-flag'", "status", SomeId, "--no-such-flag")]
    [InlineData("Priority 11 is out of range", "submit", "T", "--priority", "11")]
    [InlineData("Priority -1 is out of range", "submit", "T", "--priority=-1")]
    [InlineData("--priority: 'high' is not a whole number", "submit", "T", "--priority=high")]
    [InlineData("--priority: '2.5' is not a whole number", "submit", "T", "--priority", "2.5")]
    [InlineData("Retries -1 is negative", "submit", "T", "--retries=-1")]
    [InlineData("Deadline 0 s must be greater than zero", "submit", "T", "--deadline", "0")]
    [InlineData("--deadline: 'soon' is not a number of seconds", "submit", "T", "--deadline", "soon")]
    [InlineData("The retry backoff cannot be negative", "submit", "T", "--backoff=-1")]
    [InlineData("--payload and --data cannot be used together", "submit", "T", "--payload", "a.bin", "--data", "x")]
    [InlineData("Required argument 'TYPE' missing", "submit")]
    [InlineData("Option '--status' is required", "list")]
    [InlineData("--status: 'done' is not a job status: expected one of pending, processing, completed, failed, cancelled", "list", "--status", "done")]
    [InlineData("--limit 0 is out of range: it must be from 1 to 1000", "list", "--status", "failed", "--limit", "0")]
    [InlineData("--limit 1001 is out of range", "list", "--status", "failed", "--limit=1001")]
    [InlineData("--wait-timeout needs --wait", "submit", "T", "--wait-timeout", "5")]
    [InlineData("--wait-timeout must be greater than zero", "submit", "T", "--wait", "--wait-timeout", "0")]
    [InlineData("--wait-timeout needs --watch", "status", SomeId, "--wait-timeout=5")]
    [InlineData("--interval must be at least 0.25 s", "watch", "--interval", "0.1")]
    [InlineData("--interval: 'often' is not a number of seconds", "watch", "--interval=often")]
    [InlineData("--connect-timeout must be greater than zero", "metrics", "--connect-timeout", "0")]
    [InlineData("--gateway: '127.0.0.1' is not a gateway address", "metrics", "--gateway", "127.0.0.1")]
    [InlineData("--gateway: '127.0.0.1:70000' is not a gateway address", "--gateway=127.0.0.1:70000", "metrics")]
    [InlineData("--count must be at least 1", "bench", "submit", "--count", "-5")]
    [InlineData("Cannot parse argument 'abc' for option '--interval-ms'", "bench", "latency", "--interval-ms", "abc")]
    [InlineData("Queue name '-emails' is not valid", "list", "--status", "pending", "--queue", "-emails")]
    [InlineData("Queue name 'has space' is not valid", "metrics", "--queue", "has space")]
    [InlineData("Queue name 'a*b' is not valid", "metrics", "--queue=a*b", "--json")]
    [InlineData("Queue name '' is not valid", "watch", "--queue", "")]
    [InlineData("--service-id: 'has space' may only hold letters, digits, '.', '_' and '-'", "metrics", "--service-id", "has space")]
    [InlineData("--service-id: the service id is empty", "--service-id=", "metrics")]
    [InlineData("--cluster-id: 'a/b' may only hold letters, digits, '.', '_' and '-'", "metrics", "--cluster-id", "a/b")]
    [InlineData("--redis: 'not a redis' is not a Redis server's host name", "metrics", "--redis", "not a redis,,=")]
    public async Task BadCommandLine_ExitsTwo_WithOneErrorLine_WithoutConnecting(string expectedMessage, params string[] args)
    {
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, args);

        run.AssertUsageError(expectedMessage);
        Assert.Empty(connector.Connections);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("cancel")]
    [InlineData("requeue")]
    public async Task MalformedJobId_ExitsTwo_WithTheJobIdMessage_WithoutConnecting(string command)
    {
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, [command, "not-a-job-id"]);

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.StderrLines);
        Assert.StartsWith("error: 'not-a-job-id' is not a job id: expected a GUID such as ", line, StringComparison.Ordinal);
        Assert.Empty(connector.Connections);
    }

    [Fact]
    public async Task EmptyGuid_IsNotAJobId()
    {
        var connector = new FakeQueueConnector();

        var run = await CliRun.StartAsync(connector, ["status", Guid.Empty.ToString()]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"error: {JobId.Malformed(Guid.Empty.ToString())[..40]}", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingPayloadFile_ExitsTwo_NamingTheFile_WithoutConnecting()
    {
        var connector = new FakeQueueConnector();
        var path = Path.Combine(Path.GetTempPath(), $"oq-cli-missing-{Guid.NewGuid():N}", "video.mp4");

        var run = await CliRun.StartAsync(connector, ["submit", "T", $"--payload={path}"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"error: payload file '{path}' not found", Assert.Single(run.StderrLines));
        Assert.Empty(connector.Connections);
    }

    [Fact]
    public async Task PayloadFileThatIsADirectory_ExitsTwo_SayingSo_WithoutConnecting()
    {
        var connector = new FakeQueueConnector();
        var path = Path.GetTempPath();

        var run = await CliRun.StartAsync(connector, ["submit", "T", "--payload", path]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"error: payload file '{path}' is a directory, not a file", Assert.Single(run.StderrLines));
        Assert.Empty(connector.Connections);
    }

    [Fact]
    public async Task BadGatewayVariable_ExitsTwo_NamingTheVariable()
    {
        var connector = new FakeQueueConnector();
        var environment = new Dictionary<string, string> { ["ORLEANSQUEUE_GATEWAY"] = "nowhere" };

        var run = await CliRun.StartAsync(connector, ["metrics"], environment: environment);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: ORLEANSQUEUE_GATEWAY: 'nowhere' is not a gateway address", Assert.Single(run.StderrLines), StringComparison.Ordinal);
        Assert.Empty(connector.Connections);
    }
}
