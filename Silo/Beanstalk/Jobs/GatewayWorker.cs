using System.Collections.Immutable;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Silo.Beanstalk.Jobs;

/// <summary>A job a connection reserved, under the number the connection names it by (its job number, or for a job
/// without one, an alias drawn for this reservation), with the lease it holds (the attempt is its fencing token), the
/// shard that leased it, and when its ttr runs out.</summary>
internal sealed record Reservation(ulong Number, LeasedJob Job, int Shard, DateTimeOffset ExpiresAt)
{
    public AttemptRef Attempt => new(Job.JobId, Job.Attempt);

    /// <summary>A job just leased: its ttr runs from the lease's time.</summary>
    public static Reservation Of(ulong number, LeasedJob job, int shard) => new(number, job, shard, job.StartedAt + job.Deadline);
}

/// <summary>
/// The reservations of a connection that reserves. The silo's gateway leases for all its connections as one worker
/// (<see cref="GatewayHeartbeats.Id"/>); which connection holds which job is known here only: only that connection may
/// delete, release, bury or touch it, and when it closes its jobs go back. The connection's loop changes the
/// reservations, the heartbeats read them, so every access takes the lock.
/// </summary>
internal sealed class GatewayWorker
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, Reservation> _reserved = [];

    public void Add(Reservation reservation)
    {
        lock (_lock)
        {
            _reserved[reservation.Number] = reservation;
        }
    }

    public Reservation? Get(ulong number)
    {
        lock (_lock)
        {
            return _reserved.GetValueOrDefault(number);
        }
    }

    public void Remove(ulong number)
    {
        lock (_lock)
        {
            _reserved.Remove(number);
        }
    }

    /// <summary>Forgets the reservations whose ttr has run out: the job is ready again for anyone (the shard takes the
    /// lease back within its sweep), so for this connection it is as good as released, as in beanstalkd.</summary>
    public void DropExpired(DateTimeOffset now)
    {
        lock (_lock)
        {
            var over = _reserved.Values.Where(r => r.ExpiresAt <= now).Select(r => r.Number).ToList();
            over.ForEach(n => _reserved.Remove(n));
        }
    }

    /// <summary>Drops the reservations of attempts the schedule no longer leases to this worker (ttr ran out).</summary>
    public void Disown(IEnumerable<AttemptRef> attempts)
    {
        lock (_lock)
        {
            foreach (var attempt in attempts)
            {
                var gone = _reserved.Values.Where(r => r.Attempt == attempt).Select(r => r.Number).ToList();
                gone.ForEach(n => _reserved.Remove(n));
            }
        }
    }

    /// <summary>Takes out every reservation (the connection closed).</summary>
    public List<Reservation> RemoveAll()
    {
        lock (_lock)
        {
            var all = _reserved.Values.ToList();
            _reserved.Clear();
            return all;
        }
    }

    /// <summary>The attempts it holds, for a heartbeat.</summary>
    public ImmutableArray<AttemptRef> Running()
    {
        lock (_lock)
        {
            return [.. _reserved.Values.Select(r => r.Attempt)];
        }
    }

    /// <summary>When the first reservation's ttr runs out, if it holds any.</summary>
    public DateTimeOffset? FirstExpiry()
    {
        lock (_lock)
        {
            return _reserved.Count == 0 ? null : _reserved.Values.Min(r => r.ExpiresAt);
        }
    }
}
