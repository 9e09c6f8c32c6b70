using Xunit.Abstractions;

namespace OrleansQueue.EndToEndTests.Harness;

/// <summary>One silo with one worker shared by the tests of a class, for checks that do not disturb each other, and one
/// interactive client for the checks around the command under test: a status or metrics read through it takes
/// milliseconds, where each run of the console client is a process start.</summary>
public sealed class SiloFixture(IMessageSink diagnostics) : IAsyncLifetime
{
    private QueueCluster? _cluster;
    private InteractiveClient? _client;

    public QueueCluster Cluster => _cluster ?? throw new InvalidOperationException("The fixture has not started.");

    public InteractiveClient Client => _client ?? throw new InvalidOperationException("The fixture has not started.");

    public async Task InitializeAsync()
    {
        _cluster = await QueueCluster.StartAsync(new MessageSinkOutput(diagnostics));
        await _cluster.VerifyAsync(async () =>
        {
            await _cluster.StartWorkerAsync("worker-a");
            _client = await _cluster.OpenInteractiveClientAsync();
        });
    }

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
