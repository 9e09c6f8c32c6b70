using OrleansQueue.EndToEndTests.Harness;
using OrleansQueue.EndToEndTests.Harness.Beanstalk;

namespace OrleansQueue.EndToEndTests.Beanstalk;

/// <summary>
/// A beanstalkd client library we did not write, fivebeans (Node, from the npm registry, pinned by the committed
/// package-lock.json in <c>NodeClient/</c>), drives the server through put, reserve, touch, release, bury, kick,
/// kick-job, delete, stats and stats-job (<c>NodeClient/client-test.js</c>). Run against the gateway and against a real
/// beanstalkd, like the protocol tests: the script's expectations are beanstalkd's. The package is installed with
/// <c>npm ci</c> on first use, so a fresh clone needs only node and npm.
/// </summary>
public abstract class NodeClientTests(IBeanstalkServer server)
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(1);
    private static readonly Lazy<Task> Installed = new(InstallAsync);

    private static string Folder => Executables.RepoFile("tests/OrleansQueue.EndToEndTests/Beanstalk/NodeClient");

    [Fact]
    public async Task Fivebeans_PutsReservesReleasesBuriesKicksTouchesDeletes_AndReadsStats()
    {
        await Installed.Value;
        await using var node = ProcessRunner.StartProgram("node", "node", ["client-test.js", $"{server.Port}", "t" + Guid.NewGuid().ToString("N")], Folder);
        var exit = await node.WaitForExitAsync(RunTimeout);
        Assert.True(exit == 0 && node.StandardOutputText.Trim() == "ok", $"against {server.Name}:\n{node.Describe()}\n{server.Describe()}");
    }

    private static async Task InstallAsync()
    {
        await using var npm = ProcessRunner.StartProgram("npm", "npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], Folder);
        var exit = await npm.WaitForExitAsync(InstallTimeout);
        if (exit != 0)
        {
            throw new InvalidOperationException($"npm ci failed in {Folder} (node and npm must be installed):\n{npm.Describe()}");
        }
    }
}

public sealed class GatewayNodeClientTests(GatewaySilo silo) : NodeClientTests(silo), IClassFixture<GatewaySilo>;

public sealed class BeanstalkdNodeClientTests(BeanstalkdServer beanstalkd) : NodeClientTests(beanstalkd), IClassFixture<BeanstalkdServer>;
