using Xunit.Abstractions;

namespace OrleansQueue.EndToEndTests.Harness.Beanstalk;

/// <summary>The silo with its beanstalk gateway on a free port, shared by a test class.</summary>
public sealed class GatewaySilo(IMessageSink diagnostics) : IBeanstalkServer, IAsyncLifetime
{
    private QueueCluster? _cluster;

    public string Name => "gateway";

    public int Port { get; private set; }

    public QueueCluster Cluster => _cluster ?? throw new InvalidOperationException("The fixture has not started.");

    public async Task InitializeAsync()
    {
        Port = FreePort.Next();
        _cluster = await QueueCluster.StartAsync(new MessageSinkOutput(diagnostics), "--beanstalk-port", $"{Port}");
        await _cluster.Silo.WaitForLineAsync($"Beanstalk protocol: 127.0.0.1:{Port}", QueueCluster.StartTimeout);
    }

    public string Describe() => _cluster?.Silo.Describe(tailLines: 60) ?? "the silo did not start";

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
