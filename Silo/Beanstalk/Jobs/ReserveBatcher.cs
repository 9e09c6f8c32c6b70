using System.Collections.Immutable;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Silo.Beanstalk.Jobs;

/// <summary>Leases up to <paramref name="max"/> jobs of <paramref name="queues"/> from <paramref name="shard"/>,
/// waiting up to <paramref name="wait"/> for one (<see cref="IScheduleGrain.Lease"/>).</summary>
internal delegate Task<ImmutableArray<LeasedJob>> LeaseCall(int shard, int max, TimeSpan wait, string[] queues);

/// <summary>
/// The reserves of the silo's connections, coalesced: connections that watch the same tubes share lease calls. A
/// reserve first takes part in an immediate round (a lease at no wait, shard after shard, for as many jobs as reserves
/// wait); reserves that come while a round is under way wait for the next one, so under load one call serves every
/// connection, and when idle a reserve is asked for at once. A reserve the round left without a job and that may still
/// wait is parked: each shard then has one long poll for as many jobs as reserves are parked, polled again while any
/// are. Jobs go to the reserves in the order they came; a job nobody is left to take (its reserve timed out or its
/// client went away meanwhile) is handed back at once.
/// <para>Each reserve ends at its own time (<c>TIMED_OUT</c>, <c>DEADLINE_SOON</c>): a reserve whose time is up when
/// its immediate round ends, or while it is parked, gets no job.</para>
/// </summary>
internal sealed partial class ReserveBatcher(
    LeaseCall lease,
    Func<ImmutableArray<LeasedJob>, Task> handBack,
    int shards,
    TimeSpan maxWait,
    int maxBatch,
    TimeProvider time,
    ILogger logger)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);

    /// <summary>
    /// A job of <paramref name="queues"/>, or null when none came by <paramref name="until"/> (at once: only the
    /// immediate round). Cancelled when <paramref name="cancellationToken"/> is.
    /// </summary>
    public async Task<LeasedJob?> TakeAsync(IReadOnlyList<string> queues, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var reserve = new Reserve(until);
        var sorted = queues.Order(StringComparer.Ordinal).ToArray();
        var key = string.Join('\n', sorted);
        bool round;
        Group group;
        lock (_lock)
        {
            if (!_groups.TryGetValue(key, out group!))
            {
                group = new Group(key, sorted, shards);
                _groups.Add(key, group);
            }

            group.Waiting.Add(reserve);
            round = !group.InRound;
            group.InRound = true;
        }

        var left = until - time.GetUtcNow();
        using var timer = left > TimeSpan.Zero && until != DateTimeOffset.MaxValue
            ? time.CreateTimer(_ => Resolve(group, reserve, null), null, left, Timeout.InfiniteTimeSpan)
            : null;
        await using var cancel = cancellationToken.Register(() =>
        {
            if (Remove(group, reserve))
            {
                reserve.Job.TrySetCanceled(cancellationToken);
            }
        });
        if (round)
        {
            _ = RoundsAsync(group);
        }

        return await reserve.Job.Task;
    }

    /// <summary>Immediate rounds, while reserves that have not had one wait.</summary>
    private async Task RoundsAsync(Group group)
    {
        while (true)
        {
            List<Reserve> fresh;
            int wanted;
            lock (_lock)
            {
                fresh = [.. group.Waiting.Where(r => !r.Tried)];
                if (fresh.Count == 0)
                {
                    group.InRound = false;
                    Forget(group);
                    return;
                }

                wanted = group.Waiting.Count;
            }

            try
            {
                for (var shard = 0; shard < shards && wanted > 0; shard++)
                {
                    wanted = Give(group, await lease(shard, Math.Min(wanted, maxBatch), TimeSpan.Zero, group.Queues));
                }
            }
            catch (Exception ex)
            {
                LogLeaseFailed(ex, group.Queues.Length, group.Queues[0]);
                fresh.ForEach(r => Fail(group, r, ex));
            }

            var parked = false;
            var now = time.GetUtcNow();
            lock (_lock)
            {
                foreach (var reserve in fresh)
                {
                    reserve.Tried = true;
                    if (!group.Waiting.Contains(reserve))
                    {
                        continue;
                    }

                    if (reserve.Until <= now)
                    {
                        group.Waiting.Remove(reserve);
                        reserve.Job.TrySetResult(null);
                    }
                    else
                    {
                        parked = true;
                    }
                }
            }

            if (parked)
            {
                Poll(group);
            }
        }
    }

    /// <summary>Starts the long poll of each shard that has none under way.</summary>
    private void Poll(Group group)
    {
        for (var shard = 0; shard < shards; shard++)
        {
            bool start;
            lock (_lock)
            {
                start = !group.Polling[shard];
                group.Polling[shard] = true;
            }

            if (start)
            {
                _ = PollAsync(group, shard);
            }
        }
    }

    /// <summary>One shard's long polls, while reserves are parked: each for as many jobs as are parked, waiting as long
    /// as the last of them may.</summary>
    private async Task PollAsync(Group group, int shard)
    {
        while (true)
        {
            List<Reserve> parked;
            TimeSpan wait;
            lock (_lock)
            {
                var now = time.GetUtcNow();
                parked = [.. group.Waiting.Where(r => r.Tried)];
                foreach (var over in parked.Where(r => r.Until <= now))
                {
                    group.Waiting.Remove(over);
                    over.Job.TrySetResult(null);
                }

                parked.RemoveAll(r => r.Until <= now);
                if (parked.Count == 0)
                {
                    group.Polling[shard] = false;
                    Forget(group);
                    return;
                }

                var last = parked.Max(r => r.Until) - now;
                wait = last > maxWait ? maxWait : last;
            }

            try
            {
                Give(group, await lease(shard, Math.Min(parked.Count, maxBatch), wait, group.Queues));
            }
            catch (Exception ex)
            {
                LogLeaseFailed(ex, group.Queues.Length, group.Queues[0]);
                parked.ForEach(r => Fail(group, r, ex));
            }
        }
    }

    /// <summary>Gives the jobs to the reserves that wait, first come first; hands back any left over.</summary>
    /// <returns>How many reserves still wait.</returns>
    private int Give(Group group, ImmutableArray<LeasedJob> jobs)
    {
        var given = new List<(Reserve Reserve, LeasedJob Job)>();
        int waiting;
        lock (_lock)
        {
            var count = Math.Min(jobs.Length, group.Waiting.Count);
            for (var i = 0; i < count; i++)
            {
                given.Add((group.Waiting[i], jobs[i]));
            }

            group.Waiting.RemoveRange(0, count);
            waiting = group.Waiting.Count;
        }

        given.ForEach(g => g.Reserve.Job.TrySetResult(g.Job));
        if (jobs.Length > given.Count)
        {
            _ = handBack(jobs[given.Count..]);
        }

        return waiting;
    }

    private void Resolve(Group group, Reserve reserve, LeasedJob? job)
    {
        if (Remove(group, reserve))
        {
            reserve.Job.TrySetResult(job);
        }
    }

    private void Fail(Group group, Reserve reserve, Exception ex)
    {
        if (Remove(group, reserve))
        {
            reserve.Job.TrySetException(ex);
        }
    }

    /// <summary>Takes the reserve out of its group; true when it was still waiting (so the caller resolves it).</summary>
    private bool Remove(Group group, Reserve reserve)
    {
        lock (_lock)
        {
            return group.Waiting.Remove(reserve);
        }
    }

    /// <summary>Drops a group nobody waits in and nothing polls for. Under the lock.</summary>
    private void Forget(Group group)
    {
        if (group.Waiting.Count == 0 && !group.InRound && !group.Polling.Any(p => p))
        {
            _groups.Remove(group.Key);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Beanstalk reserve: a lease of {Count} tube(s) ({First}, ...) failed")]
    private partial void LogLeaseFailed(Exception exception, int count, string first);

    /// <summary>The reserves of one watched-tube set.</summary>
    private sealed class Group(string key, string[] queues, int shards)
    {
        public string Key { get; } = key;

        public string[] Queues { get; } = queues;

        /// <summary>The reserves waiting, first come first.</summary>
        public List<Reserve> Waiting { get; } = [];

        public bool InRound { get; set; }

        public bool[] Polling { get; } = new bool[shards];
    }

    private sealed class Reserve(DateTimeOffset until)
    {
        public DateTimeOffset Until { get; } = until;

        /// <summary>It had its immediate round.</summary>
        public bool Tried { get; set; }

        public TaskCompletionSource<LeasedJob?> Job { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
