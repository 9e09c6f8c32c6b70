using OrleansQueue.Diagnostics;

namespace OrleansQueue.Scheduling;

/// <summary>The workers a shard has heard from, and when. A worker is alive while it keeps calling
/// (lease or heartbeat) within the timeout; then it is lost until it calls again.</summary>
public sealed class WorkerRegistry(TimeSpan timeout, TimeSpan lostRetention)
{
    private sealed class Entry(WorkerId id)
    {
        public WorkerId Id { get; } = id;
        public int Slots { get; set; }
        public DateTimeOffset LastSeen { get; set; }
        public bool Alive { get; set; } = true;
        public long Completed { get; set; }
        public long Failed { get; set; }
        public RateWindow BusySlotSeconds { get; } = new(60);
    }

    /// <summary>The span over which utilization is measured.</summary>
    public static readonly TimeSpan UtilizationWindow = TimeSpan.FromMinutes(1);

    private DateTimeOffset? _lastSample;

    private readonly Dictionary<WorkerId, Entry> _workers = [];

    public int AliveCount => _workers.Values.Count(w => w.Alive);

    /// <summary>Records a sign of life. Returns true when the worker was lost (or unknown) and is back.</summary>
    public bool Touch(WorkerId name, int? slots, DateTimeOffset now)
    {
        var known = _workers.TryGetValue(name, out var worker);
        if (!known)
        {
            _workers[name] = worker = new Entry(name);
        }

        var cameBack = !known || !worker!.Alive;
        worker!.LastSeen = now;
        worker.Alive = true;
        if (slots is { } s)
        {
            worker.Slots = s;
        }

        return cameBack && known;
    }

    /// <summary>Counts <paramref name="stall"/> as heard from every worker still alive: time in which the shard could
    /// hear no one (see <see cref="ShardLedger.NoteRunning"/>) is not silence. A worker heard since (before the first tick
    /// after the stall) is not heard in the future: its last sign of life stays at most <paramref name="now"/>.</summary>
    public void Excuse(TimeSpan stall, DateTimeOffset now)
    {
        foreach (var worker in _workers.Values.Where(w => w.Alive))
        {
            var excused = worker.LastSeen + stall;
            worker.LastSeen = excused < now ? excused : now;
        }
    }

    /// <summary>Marks workers silent for longer than the timeout as lost and returns their names.
    /// Forgets workers lost for longer than the retention.</summary>
    public List<WorkerId> DeclareSilentLost(DateTimeOffset now)
    {
        var lost = new List<WorkerId>();
        foreach (var worker in _workers.Values.ToList())
        {
            if (worker.Alive && now - worker.LastSeen > timeout)
            {
                worker.Alive = false;
                lost.Add(worker.Id);
            }
            else if (!worker.Alive && now - worker.LastSeen > lostRetention)
            {
                _workers.Remove(worker.Id);
            }
        }

        return lost;
    }

    /// <summary>Adds each worker's busy slots times the time since the last sample to its busy slot-seconds.</summary>
    public void SampleBusy(Func<WorkerId, int> busy, DateTimeOffset now)
    {
        var elapsed = _lastSample is { } last ? (now - last).TotalSeconds : 0;
        _lastSample = now;
        if (elapsed <= 0 || elapsed > 5)
        {
            return;
        }

        foreach (var worker in _workers.Values)
        {
            var slotsBusy = BusySlots(worker, busy);
            if (slotsBusy > 0)
            {
                worker.BusySlotSeconds.Add(now, slotsBusy * elapsed);
            }
        }
    }

    public bool IsAlive(WorkerId name) => _workers.TryGetValue(name, out var w) && w.Alive;

    public void Forget(WorkerId name) => _workers.Remove(name);

    /// <summary>Credits the worker that held an attempt with how it ended: a completion, or a failure when its handler
    /// failed or when a take-back (deadline, lost worker) failed the job for good.</summary>
    public void CountEnded(WorkerId name, AttemptEnd notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var counts = notice.Outcome switch
        {
            Jobs.AttemptOutcome.Completed or Jobs.AttemptOutcome.Failed => true,
            Jobs.AttemptOutcome.DeadlineExceeded or Jobs.AttemptOutcome.WorkerLost => notice.Requeue is null,
            _ => false,
        };
        if (counts)
        {
            CountOutcome(name, notice.Outcome == Jobs.AttemptOutcome.Completed);
        }
    }

    public void CountOutcome(WorkerId name, bool completed)
    {
        if (_workers.TryGetValue(name, out var worker))
        {
            if (completed)
            {
                worker.Completed++;
            }
            else
            {
                worker.Failed++;
            }
        }
    }

    /// <summary>Leases held, at most the worker's slots: a slot is free for the next lease once its handler returns,
    /// while the shard still holds the finished attempt's lease until its report arrives.</summary>
    private static int BusySlots(Entry worker, Func<WorkerId, int> busy) =>
        worker.Slots > 0 ? Math.Min(busy(worker.Id), worker.Slots) : busy(worker.Id);

    public IEnumerable<WorkerInfo> Describe(Func<WorkerId, int> busy, DateTimeOffset now) =>
        _workers.Values
            .OrderBy(w => w.Id.Name, StringComparer.Ordinal)
            .ThenBy(w => w.Id.Instance, StringComparer.Ordinal)
            .Select(w => new WorkerInfo
            {
                Name = w.Id.Name,
                Instance = w.Id.Instance,
                Slots = w.Slots,
                Busy = BusySlots(w, busy),
                Alive = w.Alive,
                LastSeen = w.LastSeen,
                Completed = w.Completed,
                Failed = w.Failed,
                BusySlotSeconds = w.BusySlotSeconds.Sum(UtilizationWindow, now),
                UtilizationWindow = UtilizationWindow,
            });
}
