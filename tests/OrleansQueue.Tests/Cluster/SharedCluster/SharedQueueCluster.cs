namespace OrleansQueue.Tests.Cluster.SharedCluster;

/// <summary>
/// One test cluster for the test classes of this collection, instead of one per test. Its tests run one after another
/// and see each other's jobs, so they follow two rules: they never lease (a lease would take any test's job) and they
/// read counts as differences over their own actions, never as totals. A test that leases, injects faults or needs
/// other settings keeps a private cluster (<see cref="QueueTestCluster.StartAsync"/>).
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedQueueCluster : ICollectionFixture<SharedQueueCluster.Fixture>
{
    public const string Name = "shared queue cluster";

    public sealed class Fixture : IAsyncLifetime
    {
        private QueueTestCluster? _cluster;

        public QueueTestCluster Queue => _cluster ?? throw new InvalidOperationException("The shared cluster has not started.");

        public async Task InitializeAsync() => _cluster = await QueueTestCluster.StartAsync();

        public async Task DisposeAsync()
        {
            if (_cluster is not null)
            {
                await _cluster.DisposeAsync();
            }
        }
    }
}
