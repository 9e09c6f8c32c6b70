using System.ComponentModel;

namespace OrleansQueue.Hosting;

/// <summary>Where the queue's grains keep their state (the grain storage named <see cref="QueueStorage.Name"/>).</summary>
public enum QueueStorageKind
{
    /// <summary>This silo's own memory (<see cref="Storage.LocalGrainStorage"/>): no grain call per read or write, so
    /// the fastest; for a cluster of one silo only, as no other silo sees it. Gone when the silo stops.</summary>
    Local,

    /// <summary>Orleans' in-memory grain storage, spread over the silos of the cluster: for a multi-silo cluster.
    /// Gone when the silos stop.</summary>
    Memory,

    /// <summary>The host registers a grain storage named <see cref="QueueStorage.Name"/> itself (e.g. a database). Not
    /// offered by the silo executable, so not named to its users.</summary>
    [Browsable(false)]
    External,

    /// <summary>Redis, which outlives the silos: the silo host registers it (<c>--storage redis --redis host:port</c>),
    /// with Redis membership and reminders, so any number of silos form one cluster.</summary>
    Redis,
}
