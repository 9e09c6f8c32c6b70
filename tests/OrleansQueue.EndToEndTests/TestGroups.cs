namespace OrleansQueue.EndToEndTests;

/// <summary>
/// Test classes whose assertions bound a time on the wall clock (a job moved within 14 s, a client that gave up within
/// 6 s or 10 s): they run one at a time, after every other test of this assembly, so nothing of ours competes for the CPU.
/// A new class that asserts how long something took belongs here: <c>[Collection(TimedTests.Name)]</c>.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimedTests
{
    public const string Name = "timed: alone";
}

/// <summary>
/// Test classes that run a whole cluster under load (several silos, Redis, hundreds of jobs, workers killed): one at a
/// time, beside at most one lighter test, so two of them never starve each other's silos.
/// <c>[Collection(ClusterLoadTests.Name)]</c>.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClusterLoadTests
{
    public const string Name = "cluster load: one at a time";
}
