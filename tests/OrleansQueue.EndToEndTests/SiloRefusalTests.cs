using System.Text.RegularExpressions;
using OrleansQueue.EndToEndTests.Harness;
using Xunit.Abstractions;

namespace OrleansQueue.EndToEndTests;

/// <summary>A silo that cannot work as asked stops at once with one <c>error:</c> line and the README's exit code:
/// 2 for a bad setting, 3 for a port another process listens on.</summary>
public sealed partial class SiloRefusalTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("gateway")]
    [InlineData("silo")]
    public Task ASecondSilo_OnAPortTheFirstListensOn_ExitsThree_NamingThePort(string taken) => QueueCluster.RunAsync(output, async cluster =>
    {
        // Arrange: the other port is free, so only the taken one can stop it.
        var free = FreePort.Next(2);
        var (siloPort, gatewayPort) = taken == "gateway" ? (free[0], cluster.GatewayPort) : (cluster.SiloPort, free[1]);
        await using var second = ProcessRunner.Start("silo-2", Executables.Silo,
            ["--silo-port", $"{siloPort}", "--gateway-port", $"{gatewayPort}", "--dashboard-port", "0", "--beanstalk-port", "0"]);

        // Act
        var exitCode = await second.WaitForExitAsync(TimeSpan.FromSeconds(30));

        // Assert
        output.WriteLine(second.Describe());
        Assert.Equal(3, exitCode);
        AssertOneErrorLine(second.StandardErrorText, taken == "gateway" ? $"{gatewayPort}" : $"{siloPort}");
        Assert.DoesNotContain("Silo ready", second.StandardOutputText, StringComparison.Ordinal);
    });

    [Theory]
    [InlineData("--Queue:Shards=abc", "Queue:Shards")]
    [InlineData("--Queue:FinishedJobRetention=00:01:00", "Queue:FinishedJobRetention (00:01:00) must be at least 00:05:00")]
    [InlineData("--Queue:FinishedJobLimit=0", "FinishedJobLimit")]
    [InlineData("--Queue:Foo=1", "Queue:Foo")]
    [InlineData("--Queue:Shard=2", "Queue:Shards")]
    [InlineData("--Silo:GatewayPrt=30001", "Silo:GatewayPort")]
    [InlineData("--Dashboard:GaugeRefreshInterval=soon", "Dashboard:GaugeRefreshInterval")]
    [InlineData("--Beanstalk:Bind=nowhere", "Beanstalk:Bind")]
    [InlineData("--Beanstalk:MaxJobSiz=10", "Beanstalk:MaxJobSize")]
    public async Task ASiloGivenABadSetting_ExitsTwo_WithOneLineNamingIt(string setting, string expected)
    {
        // Arrange
        var ports = FreePort.Next(2);
        await using var silo = ProcessRunner.Start("silo", Executables.Silo,
            ["--silo-port", $"{ports[0]}", "--gateway-port", $"{ports[1]}", "--dashboard-port", "0", "--beanstalk-port", "0", setting]);

        // Act
        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(30));

        // Assert
        output.WriteLine(silo.Describe());
        Assert.Equal(2, exitCode);
        AssertOneErrorLine(silo.StandardErrorText, expected);
    }

    [Theory]
    [InlineData("--silo-port", "70000", "error: invalid configuration: --silo-port (Silo:SiloPort) must be a port from 1 to 65535.")]
    [InlineData("--silo-port", "0", "error: invalid configuration: --silo-port (Silo:SiloPort) must be a port from 1 to 65535.")]
    [InlineData("--gateway-port", "-1", "error: invalid configuration: --gateway-port (Silo:GatewayPort) must be a port from 1 to 65535.")]
    [InlineData("--dashboard-port", "70000", "error: invalid configuration: --dashboard-port (Silo:DashboardPort) must be a port from 1 to 65535, or 0 for no web side.")]
    [InlineData("--beanstalk-port", "65536", "error: invalid configuration: --beanstalk-port (Beanstalk:Port) must be a port from 1 to 65535, or 0 for no gateway.")]
    public async Task ASiloGivenAPortOutOfRange_ExitsTwo_WithOneLineNamingIt(string option, string value, string expected)
    {
        // Arrange: Orleans and Kestrel refuse such a port while the host is built, which crashed the silo (exit 134).
        var ports = FreePort.Next(3);
        var args = new Dictionary<string, string>
        {
            ["--silo-port"] = $"{ports[0]}", ["--gateway-port"] = $"{ports[1]}", ["--dashboard-port"] = $"{ports[2]}", ["--beanstalk-port"] = "0",
        };
        args[option] = value;
        await using var silo = ProcessRunner.Start("silo", Executables.Silo, [.. args.SelectMany(a => new[] { a.Key, a.Value })]);

        // Act
        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(30));

        // Assert
        output.WriteLine(silo.Describe());
        Assert.Equal(2, exitCode);
        AssertOneErrorLine(silo.StandardErrorText, expected);
    }

    [Fact]
    public async Task ASilo_WhoseBeanstalkPortIsTaken_ExitsThree_NamingThePort()
    {
        // Arrange: another process's listener on the port.
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        var taken = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port;
        var ports = FreePort.Next(2);
        await using var silo = ProcessRunner.Start("silo", Executables.Silo,
            ["--silo-port", $"{ports[0]}", "--gateway-port", $"{ports[1]}", "--dashboard-port", "0", "--beanstalk-port", $"{taken}"]);

        // Act
        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(30));

        // Assert
        output.WriteLine(silo.Describe());
        Assert.Equal(3, exitCode);
        AssertOneErrorLine(silo.StandardErrorText, $"beanstalk port {taken}");
        Assert.DoesNotContain("Silo ready", silo.StandardOutputText, StringComparison.Ordinal);
    }

    private static void AssertOneErrorLine(string stderr, string expected)
    {
        var errors = stderr.Split('\n').Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 1, $"expected one 'error:' line:\n{stderr}");
        Assert.Contains(expected, errors[0], StringComparison.Ordinal);
        Assert.DoesNotContain("DataAnnotation", errors[0], StringComparison.Ordinal);
        Assert.False(StackFrame().IsMatch(stderr), $"a stack trace was printed:\n{stderr}");
    }

    [GeneratedRegex(@"^\s+at \S", RegexOptions.Multiline)]
    private static partial Regex StackFrame();
}
