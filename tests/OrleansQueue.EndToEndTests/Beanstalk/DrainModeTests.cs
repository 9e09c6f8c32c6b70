using System.Text;
using OrleansQueue.EndToEndTests.Harness;
using OrleansQueue.EndToEndTests.Harness.Beanstalk;
using Xunit.Abstractions;

namespace OrleansQueue.EndToEndTests.Beanstalk;

/// <summary>
/// beanstalkd's drain mode, written once and run against a beanstalkd sent SIGUSR1 and against a silo asked to stop
/// (Ctrl-C): a put is answered <c>DRAINING</c>, <c>stats</c> says <c>draining: true</c>, and the jobs there are still
/// reserved and deleted. Each test has a server of its own, since draining cannot be undone.
/// </summary>
internal static class DrainMode
{
    public static async Task CheckAsync(BeanstalkWire wire, Func<Task> startDraining)
    {
        var tube = "drain" + Guid.NewGuid().ToString("N");
        Assert.Equal($"USING {tube}", await wire.CommandAsync($"use {tube}"));
        Assert.Equal("WATCHING 2", await wire.CommandAsync($"watch {tube}"));
        Assert.Equal("WATCHING 1", await wire.CommandAsync("ignore default"));
        var first = await wire.CommandAsync("put 0 0 60 5\r\nfirst");
        var second = await wire.CommandAsync("put 1 0 60 6\r\nsecond");
        Assert.StartsWith("INSERTED ", second, StringComparison.Ordinal);

        await startDraining();
        await Wait.UntilAsync(
            async () => (await wire.DataAsync("stats")).Contains("\ndraining: true\n", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "drain mode");

        Assert.Equal("DRAINING", await wire.CommandAsync("put 0 0 60 5\r\nthird"));
        Assert.Equal($"RESERVED {first["INSERTED ".Length..]} 5", await wire.CommandAsync("reserve-with-timeout 5"));
        Assert.Equal("first", Encoding.ASCII.GetString(await wire.ReadBodyAsync(5)));
        Assert.Equal("DELETED", await wire.CommandAsync($"delete {first["INSERTED ".Length..]}"));
        Assert.Equal($"RESERVED {second["INSERTED ".Length..]} 6", await wire.CommandAsync("reserve-with-timeout 5"));
        Assert.Equal("second", Encoding.ASCII.GetString(await wire.ReadBodyAsync(6)));
        Assert.Equal("DELETED", await wire.CommandAsync($"delete {second["INSERTED ".Length..]}"));
    }
}

public sealed class BeanstalkdDrainModeTests
{
    [Fact]
    public async Task Sigusr1_PutsItInDrainMode_WhileReservesOfItsJobsGoOn()
    {
        var beanstalkd = new BeanstalkdServer();
        await beanstalkd.InitializeAsync();
        try
        {
            await using var wire = await BeanstalkWire.ConnectAsync(beanstalkd.Port);
            await DrainMode.CheckAsync(wire, () =>
            {
                beanstalkd.StartDraining();
                return Task.CompletedTask;
            });
        }
        finally
        {
            await beanstalkd.DisposeAsync();
        }
    }
}

public sealed class GatewayDrainModeTests(ITestOutputHelper output)
{
    /// <summary>Stopping, the silo drains for <c>Beanstalk:DrainTimeout</c> (here a minute) and stops as soon as its
    /// last client closes.</summary>
    [Fact]
    public async Task StoppingTheSilo_PutsTheGatewayInDrainMode_UntilItsClientsClose()
    {
        var port = FreePort.Next();
        await QueueCluster.RunAsync(output, async cluster =>
        {
            await cluster.Silo.WaitForLineAsync($"Beanstalk protocol: 127.0.0.1:{port}", QueueCluster.StartTimeout);
            await using (var wire = await BeanstalkWire.ConnectAsync(port))
            {
                await DrainMode.CheckAsync(wire, () =>
                {
                    cluster.Silo.Interrupt();
                    return Task.CompletedTask;
                });
                Assert.False(cluster.Silo.HasExited, "the silo stopped while a client was still connected");
            }

            Assert.Equal(0, await cluster.Silo.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }, "--beanstalk-port", $"{port}", "--Beanstalk:DrainTimeout=00:01:00");
    }
}
