using OrleansQueue.EndToEndTests.Harness;
using Xunit.Abstractions;

namespace OrleansQueue.EndToEndTests;

/// <summary>Where the silo keeps job state (<c>--storage</c>), and the silo that refuses a setting that cannot work.</summary>
public sealed class SiloConfigurationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("--storage local", "--storage memory")]
    [InlineData("", "--storage memory")]
    [InlineData("--storage disk", "disk")]
    [InlineData("--storage 5", "give Local or Memory")]
    public async Task ASiloGivenStorageThatCannotWork_ExitsTwo_NamingTheFix(string storage, string expected)
    {
        // Arrange: a silo that would join another (which need not exist: the check comes first).
        var ports = FreePort.Next(3);
        string[] args = ["--silo-port", $"{ports[0]}", "--gateway-port", $"{ports[1]}", "--primary-silo-port", $"{ports[2]}", "--dashboard-port", "0", "--beanstalk-port", "0",
            .. storage.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        await using var silo = ProcessRunner.Start("silo", Executables.Silo, args);

        // Act
        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(30));

        // Assert
        output.WriteLine(silo.Describe());
        Assert.Equal(2, exitCode);
        Assert.Contains(expected, silo.StandardErrorText, StringComparison.Ordinal);
    }

    [Fact]
    public Task TwoSilos_WithMemoryStorage_ShareOneQueue() => QueueCluster.RunAsync(output, async cluster =>
    {
        // Arrange: job grains are placed on either silo, so their state must be readable from both.
        var secondGateway = await cluster.StartSecondSiloAsync("--storage", "memory");
        await cluster.StartWorkerAsync("worker", concurrency: 4);

        // Act: submitted through the second silo, leased through the first.
        var submit = await Cli.RunAsync(["--gateway", secondGateway, .. QueueCluster.PatientConnect], Cli.DefaultTimeout,
            "submit", "SHARED", "--data", "{}", "--count", "40");

        // Assert
        Assert.True(submit.ExitCode == 0, submit.ToString());
        var ids = submit.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(40, ids.Length);
        var metrics = await Wait.UntilAsync(cluster.GetMetricsAsync, m => m.Completed == 40, TimeSpan.FromSeconds(60), "40 completed jobs");
        Assert.Equal((0L, 0L), (metrics.Pending, metrics.Processing));
        var job = await cluster.GetJobAsync(ids[^1]);
        Assert.Equal(Outcomes.Completed, job.Status);
    }, "--storage", "memory");
}
