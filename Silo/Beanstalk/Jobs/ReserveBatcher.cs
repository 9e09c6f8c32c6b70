using System.Collections.Immutable;
using OrleansQueue.Hosting;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Silo.Beanstalk.Jobs;

/// <summary>Leases up to <paramref name="max"/> jobs of <paramref name="queues"/> from <paramref name="shard"/>,
/// waiting up to <paramref name="wait"/> for one (<see cref="IScheduleGrain.Lease"/>).</summary>
internal delegate Task<ImmutableArray<LeasedJob>> LeaseCall(int shard, int max, TimeSpan wait, string[] queues);

/// <summary>Ends the long polls of <paramref name="queues"/> parked on <paramref name="shard"/>
/// (<see cref="IScheduleGrain.EndWaits"/>): they answer at once, with a job only if one reached them in that instant.</summary>
internal delegate Task EndWaitsCall(int shard, string[] queues);

/// <summary>
/// The reserves of the silo's connections, coalesced: connections that watch the same tubes share lease calls. A
/// reserve first takes part in an immediate round (a lease at no wait, shard after shard, for as many jobs as reserves
/// wait); reserves that come while a round is under way wait for the next one, so under load one call serves every
/// connection, and when idle a reserve is asked for at once. A reserve the round left without a job and that may still
/// wait is parked: each shard then has one long poll for as many jobs as reserves are parked, polled again while any
/// are; when the last parked reserve leaves (its client went away, its time ran out), the long polls are ended (not
/// cancelled: a cancelled call's answer is dropped, with any job it took), so they stop taking jobs nobody waits for.
/// Jobs go to the reserves in the order they came; a job nobody is left to take (its reserve left while the job was on
/// its way) is held or handed back at once.
/// <para>Each reserve ends at its own time (<c>TIMED_OUT</c>, <c>DEADLINE_SOON</c>): a reserve whose time is up when
/// its immediate round ends, or while it is parked, gets no job.</para>
/// <para>Under load a round also leases a few jobs ahead, as a worker host's prefetch does: once at least
/// <see cref="PrefetchFrom"/> reserves of the group were served over the last one to two <see cref="Window"/>s, up to
/// that many (at most <see cref="MaxHeld"/>) are held for the next reserves, which then take one at once without a
/// call. A held job is handed back once it has been held <see cref="HoldLimit"/> (so its reservation's ttr, which runs
/// from the lease, is cut by at most that), when a job of a higher priority becomes ready in one of the group's tubes
/// through this silo (<see cref="Readied"/>), and before any command that looks at jobs
/// (<see cref="HandBackHeldAsync"/>), so that priority order and what inspection sees stay beanstalkd's. Jobs with a
/// ttr under <see cref="MinHeldTtr"/> are never held.</para>
/// </summary>
internal sealed partial class ReserveBatcher(
    LeaseCall lease,
    EndWaitsCall endWaits,
    Func<ImmutableArray<LeasedJob>, Task> handBack,
    int shards,
    TimeSpan maxWait,
    int maxBatch,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>The span reserves are counted over for the prefetch.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest a leased job is held for a reserve to come.</summary>
    public static readonly TimeSpan HoldLimit = Window * 2;

    /// <summary>A job with a shorter ttr is never held.</summary>
    public static readonly TimeSpan MinHeldTtr = TimeSpan.FromSeconds(2);

    /// <summary>Reserves served over the last one to two windows from which a round leases ahead.</summary>
    public const int PrefetchFrom = 8;

    /// <summary>The most jobs a group holds.</summary>
    public const int MaxHeld = 32;

    /// <summary>The longest a timer can wait (<see cref="ITimer"/>: 2³² − 2 ms).</summary>
    private static readonly TimeSpan MaxTimer = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

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
                group = new Group(key, sorted, shards, time);
                _groups.Add(key, group);
            }

            if (group.Waiting.Count == 0 && group.Held.Count > 0)
            {
                var held = group.Held[0].Job;
                group.Held.RemoveAt(0);
                group.Turnover.Add(1);
                return held;
            }

            group.Waiting.Add(reserve);
            round = !group.InRound;
            group.InRound = true;
        }

        // A time beyond the longest a timer runs (about 49.7 days; a longer one throws, with the reserve already in its
        // group) has none: such a reserve waits as one without a timeout does.
        var left = until - time.GetUtcNow();
        using var timer = left > TimeSpan.Zero && left <= MaxTimer
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
                    int ahead;
                    lock (_lock)
                    {
                        ahead = Room(group);
                    }

                    wanted = Give(group, await lease(shard, Math.Min(wanted + ahead, maxBatch), TimeSpan.Zero, group.Queues));
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

    /// <summary>Gives the jobs to the reserves that wait, first come first; holds what is left while there is room,
    /// and hands back the rest.</summary>
    /// <returns>How many reserves still wait.</returns>
    private int Give(Group group, ImmutableArray<LeasedJob> jobs)
    {
        var given = new List<(Reserve Reserve, LeasedJob Job)>();
        var back = new List<LeasedJob>();
        int waiting;
        lock (_lock)
        {
            var count = Math.Min(jobs.Length, group.Waiting.Count);
            for (var i = 0; i < count; i++)
            {
                given.Add((group.Waiting[i], jobs[i]));
            }

            group.Waiting.RemoveRange(0, count);
            group.Turnover.Add(count);
            waiting = group.Waiting.Count;
            var room = Room(group);
            var now = time.GetUtcNow();
            foreach (var job in jobs[count..])
            {
                if (room > 0 && job.Deadline >= MinHeldTtr)
                {
                    group.Held.Add((job, now));
                    room--;
                }
                else
                {
                    back.Add(job);
                }
            }

            if (group.Held.Count > 1)
            {
                // A stable order: priority, then when held, then lease order (List.Sort is not stable, and it put jobs of
                // one priority held in one round out of their order: the W4 benchmark saw FIFO broken).
                var ordered = group.Held.OrderBy(h => h.Job.Priority).ThenBy(h => h.HeldAt).ToList();
                group.Held.Clear();
                group.Held.AddRange(ordered);
            }

            Keep(group);
        }

        given.ForEach(g => g.Reserve.Job.TrySetResult(g.Job));
        if (back.Count > 0)
        {
            _ = handBack([.. back]);
        }

        return waiting;
    }

    /// <summary>How many more jobs the group may hold: as many as it served lately, once that is enough. Under the lock.</summary>
    private static int Room(Group group) =>
        group.Turnover.Recent is var recent && recent >= PrefetchFrom ? Math.Max(0, Math.Min(recent, MaxHeld) - group.Held.Count) : 0;

    /// <summary>A job of <paramref name="priority"/> became ready in <paramref name="tube"/> (put or released through
    /// this silo): held jobs it comes before go back, so the next reserve gets it as beanstalkd's would.</summary>
    public Task Readied(string tube, long priority)
    {
        var back = new List<LeasedJob>();
        lock (_lock)
        {
            foreach (var group in _groups.Values.Where(g => g.Held.Count > 0 && g.Queues.Contains(tube, StringComparer.Ordinal)))
            {
                back.AddRange(group.Held.Where(h => h.Job.Priority > priority).Select(h => h.Job));
                group.Held.RemoveAll(h => h.Job.Priority > priority);
            }
        }

        return back.Count > 0 ? handBack([.. back]) : Task.CompletedTask;
    }

    /// <summary>Hands back every held job, so that what a command looks at (ready jobs, counts, a job by its id) is
    /// as if none were held.</summary>
    public Task HandBackHeldAsync()
    {
        var back = new List<LeasedJob>();
        lock (_lock)
        {
            foreach (var group in _groups.Values.Where(g => g.Held.Count > 0))
            {
                back.AddRange(group.Held.Select(h => h.Job));
                group.Held.Clear();
            }
        }

        return back.Count > 0 ? handBack([.. back]) : Task.CompletedTask;
    }

    /// <summary>The group's timer: hands back the jobs held for <see cref="HoldLimit"/>, and drops the group once it is
    /// idle.</summary>
    private void Expire(Group group)
    {
        List<LeasedJob> back;
        lock (_lock)
        {
            var over = time.GetUtcNow() - HoldLimit;
            back = [.. group.Held.Where(h => h.HeldAt <= over).Select(h => h.Job)];
            group.Held.RemoveAll(h => h.HeldAt <= over);
            Forget(group);
        }

        if (back.Count > 0)
        {
            _ = handBack([.. back]);
        }
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

    /// <summary>Takes the reserve out of its group; true when it was still waiting (so the caller resolves it). When it
    /// was the last parked one, the group's long polls are ended.</summary>
    private bool Remove(Group group, Reserve reserve)
    {
        List<int> polls = [];
        lock (_lock)
        {
            if (!group.Waiting.Remove(reserve))
            {
                return false;
            }

            if (reserve.Tried && !group.Waiting.Any(r => r.Tried))
            {
                polls.AddRange(Enumerable.Range(0, shards).Where(shard => group.Polling[shard]));
            }
        }

        foreach (var shard in polls)
        {
            _ = EndWaitsAsync(group, shard);
        }

        return true;
    }

    /// <summary>Ends a shard's long poll; when that fails, the poll ends at its own time and what it took is given out
    /// or handed back as usual.</summary>
    private async Task EndWaitsAsync(Group group, int shard)
    {
        try
        {
            await endWaits(shard, group.Queues);
        }
        catch (Exception ex)
        {
            LogEndWaitsFailed(ex, shard, group.Queues[0]);
        }
    }

    /// <summary>Drops a group nobody waits in, nothing polls for, that holds no job and served none lately; a group
    /// that holds jobs or served lately is kept, with its timer. Under the lock.</summary>
    private void Forget(Group group)
    {
        if (group.Waiting.Count == 0 && !group.InRound && !group.Polling.Any(p => p) && group.Held.Count == 0 && group.Turnover.Recent == 0)
        {
            _groups.Remove(group.Key);
            group.Timer?.Dispose();
            group.Timer = null;
        }
        else
        {
            Keep(group);
        }
    }

    /// <summary>Starts the group's timer if it holds jobs or served lately. Under the lock.</summary>
    private void Keep(Group group)
    {
        if (group.Timer is null && (group.Held.Count > 0 || group.Turnover.Recent > 0))
        {
            group.Timer = time.CreateTimer(_ => Expire(group), null, Window, Window);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Beanstalk reserve: ending the long poll of shard {Shard} ({First}, ...) failed; it ends at its own time")]
    private partial void LogEndWaitsFailed(Exception exception, int shard, string first);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Beanstalk reserve: a lease of {Count} tube(s) ({First}, ...) failed")]
    private partial void LogLeaseFailed(Exception exception, int count, string first);

    /// <summary>The reserves of one watched-tube set.</summary>
    private sealed class Group(string key, string[] queues, int shards, TimeProvider time)
    {
        /// <summary>Jobs leased ahead, in the order they are to be reserved, with when they were.</summary>
        public List<(LeasedJob Job, DateTimeOffset HeldAt)> Held { get; } = [];

        /// <summary>Reserves served lately. Under the lock.</summary>
        public RecentCount Turnover { get; } = new(time, Window);

        public ITimer? Timer { get; set; }

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
