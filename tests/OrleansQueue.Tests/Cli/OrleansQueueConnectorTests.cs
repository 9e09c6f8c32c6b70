using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using OrleansQueue.Cli;
using OrleansQueue.Cli.Connection;
using OrleansQueue.Client;

namespace OrleansQueue.Tests.Cli;

/// <summary>The real connector against a port nothing listens on: it must give up in time, with exit code 4.</summary>
public sealed class OrleansQueueConnectorTests
{
    [Fact]
    public async Task Connect_ToAPortNobodyListensOn_FailsWithSiloUnreachable_SoonAfterTheTimeout()
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, FreePort());
        var settings = new ConnectionSettings($"127.0.0.1:{endpoint.Port}", ClusterEndpoints.OfGateways(endpoint), "orleans-queue", "orleans-queue", TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<CliException>(() => new OrleansQueueConnector().ConnectAsync(settings, CancellationToken.None));

        Assert.Equal(ExitCodes.SiloUnreachable, error.ExitCode);
        Assert.Equal($"cannot reach the silo at 127.0.0.1:{endpoint.Port} within 1 s; is it running?", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"gave up after {clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>A port that was free a moment ago.</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
