namespace OrleansQueue.Scheduling;

/// <summary>
/// Who holds a lease: the name users gave the worker (<c>--name</c>, a label shown in attempts and metrics) and an
/// instance id its process draws at start. The schedule keys workers, leases and heartbeats by both, so two processes
/// started with the same name are two workers (issue 11 #2) instead of one that disowns the other's leases.
/// </summary>
[GenerateSerializer, Immutable, Alias("oq.WorkerId")]
public sealed record WorkerId([property: Id(0)] string Name, [property: Id(1)] string Instance)
{
    /// <summary>A worker process's identity: its name and a fresh instance id.</summary>
    public static WorkerId New(string name) => new(name, Guid.NewGuid().ToString("N")[..8]);

    public override string ToString() => $"{Name}#{Instance}";
}
