using System.Collections.Concurrent;
using System.Collections.Immutable;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Worker.Running;

/// <summary>The attempts this worker runs. An attempt stays here until its report is sent, so heartbeats keep
/// naming it and the schedule does not mistake it for a lease that never arrived.</summary>
internal sealed class RunningAttempts
{
    private readonly ConcurrentDictionary<AttemptRef, RunningAttempt> _attempts = new();

    public int Count => _attempts.Count;

    public bool TryAdd(RunningAttempt attempt) => _attempts.TryAdd(attempt.Ref, attempt);

    public void Remove(RunningAttempt attempt) => _attempts.TryRemove(new KeyValuePair<AttemptRef, RunningAttempt>(attempt.Ref, attempt));

    public RunningAttempt? Find(AttemptRef attempt) => _attempts.GetValueOrDefault(attempt);

    public ImmutableArray<AttemptRef> OfShard(int shard) =>
        _attempts.Values.Where(a => a.Shard == shard).Select(a => a.Ref).ToImmutableArray();

    public IReadOnlyList<RunningAttempt> Snapshot() => _attempts.Values.ToList();
}
