using OrleansQueue.Cli.Connection;

namespace OrleansQueue.Tests.Cli.Fakes;

/// <summary>Hands out one <see cref="FakeJobQueue"/> and records every connection attempt, so tests can prove
/// that a bad command line never connects.</summary>
internal sealed class FakeQueueConnector : IQueueConnector
{
    public FakeJobQueue Queue { get; } = new();

    public List<ConnectionSettings> Connections { get; } = [];

    /// <summary>When set, connecting throws it (e.g. the silo is down).</summary>
    public Exception? Failure { get; set; }

    public Task<IJobQueue> ConnectAsync(ConnectionSettings settings, CancellationToken cancellationToken)
    {
        Connections.Add(settings);
        if (Failure is not null)
        {
            throw Failure;
        }

        return Task.FromResult<IJobQueue>(Queue);
    }
}
