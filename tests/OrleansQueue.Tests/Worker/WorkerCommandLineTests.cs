using Microsoft.Extensions.Configuration;
using OrleansQueue.Worker.Hosting;

namespace OrleansQueue.Tests.Worker;

public sealed class WorkerCommandLineTests
{
    private static WorkerOptions Bind(params string[] args)
    {
        var parsed = WorkerCommandLine.Create().Parse(args);
        Assert.Null(parsed.Error);
        return new ConfigurationBuilder().AddInMemoryCollection(parsed.Settings).Build()
            .GetSection(WorkerOptions.SectionName).Get<WorkerOptions>() ?? new WorkerOptions();
    }

    [Fact]
    public void Parse_MapsEverySwitch_InBothForms()
    {
        var options = Bind(
            "--name", "w7", "--concurrency=8", "--gateway", "10.0.0.5:30001", "--cluster-id=prod",
            "--grace", "2.5", "--heartbeat=0.5", "--lease-wait", "15", "--connect-timeout=3");

        Assert.Equal("w7", options.Name);
        Assert.Equal(8, options.Concurrency);
        Assert.Equal("10.0.0.5:30001", options.Gateway);
        Assert.Equal("prod", options.ClusterId);
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.Grace);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(15), options.LeaseWait);
        Assert.Equal(TimeSpan.FromSeconds(3), options.ConnectTimeout);
    }

    [Fact]
    public void Queue_MayBeRepeated_AndDefaultsToNone()
    {
        Assert.Equal(["emails", "reports"], Bind("--queue", "emails", "--queue=reports").Queues);
        Assert.Empty(Bind().Queues);
        Assert.NotNull(WorkerCommandLine.Create().Parse(["--queue"]).Error);
    }

    [Fact]
    public void ABadSwitch_IsReportedInOneLine_WithExitTwo()
    {
        var commandLine = WorkerCommandLine.Create();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = commandLine.Report(commandLine.Parse(["--concurrency", "x"]), output, error);

        Assert.Equal(2, exitCode);
        Assert.Equal("error: option '--concurrency' needs a whole number, got 'x' (--help lists the options)" + Environment.NewLine, error.ToString());
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public void AnEmptyValueAfterTheSwitch_IsThatSwitchsValue_NotTheNextSwitch()
    {
        var parsed = WorkerCommandLine.Create().Parse(["--name=", "--concurrency", "2"]);

        Assert.Null(parsed.Error);
        Assert.Equal("", parsed.Settings["Worker:Name"]);
        Assert.Equal("2", parsed.Settings["Worker:Concurrency"]);
    }

    [Fact]
    public void Parse_MapsTheClusterSwitches()
    {
        var options = Bind("--redis", "127.0.0.1:6379", "--response-timeout=4", "--gateway", "127.0.0.1:30000,127.0.0.1:30001");

        Assert.Equal("127.0.0.1:6379", options.Redis);
        Assert.Equal(TimeSpan.FromSeconds(4), options.ResponseTimeout);
        Assert.Equal("127.0.0.1:30000,127.0.0.1:30001", options.Gateway);
    }

    [Fact]
    public void Parse_PassesConfigurationKeysThrough()
    {
        var options = Bind("--Worker:Concurrency=16", "--Worker:Grace", "00:00:30");

        Assert.Equal(16, options.Concurrency);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Grace);
    }

    [Fact]
    public void Parse_LeavesTheDefaults_WithoutArguments()
    {
        var options = Bind();

        Assert.Equal(4, options.Concurrency);
        Assert.Equal("127.0.0.1:30000", options.Gateway);
        Assert.Equal("orleans-queue", options.ClusterId);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Grace);
        Assert.Equal(TimeSpan.FromSeconds(2), options.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(3), options.LeaseWait);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ResponseTimeout);
        Assert.Null(options.Redis);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ConnectTimeout);
        Assert.Equal($"{Environment.MachineName}-{Environment.ProcessId}", options.Name);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Parse_RecognisesHelp(string flag)
    {
        var parsed = WorkerCommandLine.Create().Parse(["--concurrency", "2", flag]);

        Assert.True(parsed.Help);
        Assert.Null(parsed.Error);
    }

    [Theory]
    [InlineData("unknown option '--threads'", "--threads", "4")]
    [InlineData("unknown option '--bogus'", "--bogus=1")]
    [InlineData("option '--Worker:Grace' needs a value", "--Worker:Grace")]
    [InlineData("option '--concurrency' needs a whole number, got 'four'", "--concurrency", "four")]
    [InlineData("option '--concurrency' needs a whole number, got '2.5'", "--concurrency=2.5")]
    [InlineData("option '--grace' needs a number of seconds, got '10s'", "--grace", "10s")]
    [InlineData("option '--lease-wait' needs a number of seconds, got 'NaN'", "--lease-wait", "NaN")]
    [InlineData("option '--heartbeat' needs a number of seconds, got '1e300'", "--heartbeat", "1e300")]
    [InlineData("unexpected argument 'worker-a'", "worker-a")]
    public void Parse_RefusesWhatItCannotUse(string expected, params string[] args)
    {
        var parsed = WorkerCommandLine.Create().Parse(args);

        Assert.Equal(expected, parsed.Error);
    }

    [Theory]
    [InlineData("--name")]
    [InlineData("--name", "--concurrency", "2")]
    public void Parse_RefusesASwitchWithoutItsValue(params string[] args)
    {
        var parsed = WorkerCommandLine.Create().Parse(args);

        Assert.Contains("--name", parsed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_NamesEverySwitch_AndExitsZero()
    {
        var commandLine = WorkerCommandLine.Create();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = commandLine.Report(commandLine.Parse(["--help"]), output, error);

        Assert.Equal(ExitCodes.Success, exitCode);
        foreach (var flag in new[] { "--name", "--concurrency", "--gateway", "--cluster-id", "--grace", "--heartbeat", "--lease-wait", "--connect-timeout", "--help" })
        {
            Assert.Contains(flag, output.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Report_OfABadArgument_WritesOneErrorLine_AndExitsTwo()
    {
        var commandLine = WorkerCommandLine.Create();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = commandLine.Report(commandLine.Parse(["--threads", "4"]), output, error);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Single(error.ToString().Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Empty(output.ToString());
    }
}
