using Xunit.Abstractions;

namespace OrleansQueue.EndToEndTests.Harness;

/// <summary>One silo with one worker shared by the tests of a class, for checks that do not disturb each other.</summary>
public sealed class SiloFixture(IMessageSink diagnostics) : IAsyncLifetime
{
    private QueueCluster? _cluster;

    public QueueCluster Cluster => _cluster ?? throw new InvalidOperationException("The fixture has not started.");

    public async Task InitializeAsync()
    {
        _cluster = await QueueCluster.StartAsync(new MessageSinkOutput(diagnostics));
        await _cluster.VerifyAsync(() => _cluster.StartWorkerAsync("worker-a"));
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
