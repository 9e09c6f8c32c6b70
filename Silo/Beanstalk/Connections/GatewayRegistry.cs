using System.Security.Cryptography;

namespace OrleansQueue.Silo.Beanstalk.Connections;

/// <summary>
/// What this silo's gateway knows of its own connections, for beanstalkd's <c>stats</c> and <c>stats-tube</c>: the
/// tubes they use and watch (a tube exists for beanstalkd while a connection uses or watches it, even with no job),
/// the connections open, producing, working and waiting, and the commands they sent. Silo-local: in a cluster each
/// silo counts its own connections (the job counts come from the queue, which all silos share). Thread-safe.
/// </summary>
public sealed class GatewayRegistry
{
    /// <summary>The commands <c>stats</c> counts, in beanstalkd 1.12's order.</summary>
    public static readonly IReadOnlyList<string> CountedCommands =
    [
        "put", "peek", "peek-ready", "peek-delayed", "peek-buried", "reserve", "reserve-with-timeout", "delete", "release",
        "use", "watch", "ignore", "bury", "kick", "touch", "stats", "stats-job", "stats-tube", "list-tubes",
        "list-tube-used", "list-tubes-watched", "pause-tube",
    ];

    private readonly Lock _lock = new();
    private readonly Dictionary<string, TubeFigures> _tubes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _commands = new(StringComparer.Ordinal);
    private long _connections;
    private long _totalConnections;
    private long _producers;
    private long _workers;
    private long _waiting;
    private volatile bool _draining;

    /// <summary>A random id of this silo process (beanstalkd's <c>id</c>).</summary>
    public string Id { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>The silo is stopping: a <c>put</c> is answered <c>DRAINING</c> (beanstalkd's drain mode).</summary>
    public bool Draining => _draining;

    public void StartDraining() => _draining = true;

    /// <summary>A connection opened, using and watching <paramref name="tube"/>.</summary>
    public void Opened(string tube)
    {
        lock (_lock)
        {
            _connections++;
            _totalConnections++;
            Figures(tube).Using++;
            Figures(tube).Watching++;
        }
    }

    /// <summary>A connection closed: it no longer uses <paramref name="used"/> nor watches <paramref name="watched"/>.</summary>
    public void Closed(string used, IEnumerable<string> watched, bool producer, bool worker)
    {
        ArgumentNullException.ThrowIfNull(watched);
        lock (_lock)
        {
            _connections--;
            _producers -= producer ? 1 : 0;
            _workers -= worker ? 1 : 0;
            Change(used, f => f.Using--);
            foreach (var tube in watched)
            {
                Change(tube, f => f.Watching--);
            }
        }
    }

    public void Used(string from, string to)
    {
        lock (_lock)
        {
            Change(from, f => f.Using--);
            Figures(to).Using++;
        }
    }

    public void Watched(string tube)
    {
        lock (_lock)
        {
            Figures(tube).Watching++;
        }
    }

    public void Ignored(string tube)
    {
        lock (_lock)
        {
            Change(tube, f => f.Watching--);
        }
    }

    /// <summary>A connection sent its first <c>put</c> (a producer) or its first <c>reserve</c> (a worker).</summary>
    public void Became(bool producer)
    {
        lock (_lock)
        {
            if (producer)
            {
                _producers++;
            }
            else
            {
                _workers++;
            }
        }
    }

    /// <summary>A connection waits in a <c>reserve</c> on <paramref name="watched"/> (<paramref name="by"/> 1), or no
    /// longer (-1).</summary>
    public void Waiting(IEnumerable<string> watched, int by)
    {
        ArgumentNullException.ThrowIfNull(watched);
        lock (_lock)
        {
            _waiting += by;
            foreach (var tube in watched)
            {
                Change(tube, f => f.Waiting += by);
            }
        }
    }

    public void Command(string name)
    {
        lock (_lock)
        {
            _commands[name] = _commands.GetValueOrDefault(name) + 1;
        }
    }

    /// <summary>A job was put in <paramref name="tube"/> through this silo.</summary>
    public void Put(string tube) => Count(tube, f => f.Puts++);

    public void Deleted(string tube) => Count(tube, f => f.Deletes++);

    public void Paused(string tube) => Count(tube, f => f.Pauses++);

    /// <summary>Whether a connection of this silo uses or watches <paramref name="tube"/>.</summary>
    public bool InUse(string tube)
    {
        lock (_lock)
        {
            return _tubes.TryGetValue(tube, out var f) && f.InUse;
        }
    }

    /// <summary>The tubes a connection of this silo uses or watches.</summary>
    public IReadOnlyList<string> TubesInUse()
    {
        lock (_lock)
        {
            return [.. _tubes.Where(t => t.Value.InUse).Select(t => t.Key)];
        }
    }

    public TubeSnapshot Tube(string tube)
    {
        lock (_lock)
        {
            return _tubes.TryGetValue(tube, out var f) ? new(f.Puts, f.Using, f.Watching, f.Waiting, f.Deletes, f.Pauses) : new(0, 0, 0, 0, 0, 0);
        }
    }

    public Snapshot Read()
    {
        lock (_lock)
        {
            return new(
                [.. CountedCommands.Select(c => (c, _commands.GetValueOrDefault(c)))],
                _connections, _producers, _workers, _waiting, _totalConnections);
        }
    }

    private TubeFigures Figures(string tube)
    {
        if (!_tubes.TryGetValue(tube, out var figures))
        {
            _tubes[tube] = figures = new TubeFigures();
        }

        return figures;
    }

    private void Count(string tube, Action<TubeFigures> change)
    {
        lock (_lock)
        {
            change(Figures(tube));
        }
    }

    /// <summary>Changes a tube's figures, forgetting it once no connection uses it and it counted nothing.</summary>
    private void Change(string tube, Action<TubeFigures> change)
    {
        var figures = Figures(tube);
        change(figures);
        if (figures is { InUse: false, Waiting: 0, Puts: 0, Deletes: 0, Pauses: 0 })
        {
            _tubes.Remove(tube);
        }
    }

    private sealed class TubeFigures
    {
        public long Puts { get; set; }
        public long Using { get; set; }
        public long Watching { get; set; }
        public long Waiting { get; set; }
        public long Deletes { get; set; }
        public long Pauses { get; set; }
        public bool InUse => Using > 0 || Watching > 0;
    }

    /// <summary>One tube's figures (<c>stats-tube</c>'s <c>total-jobs</c>, <c>current-using</c>, <c>current-watching</c>,
    /// <c>current-waiting</c>, <c>cmd-delete</c>, <c>cmd-pause-tube</c>), as this silo counts them.</summary>
    public sealed record TubeSnapshot(long Puts, long Using, long Watching, long Waiting, long Deletes, long Pauses);

    /// <summary>The connections' figures for <c>stats</c>.</summary>
    public sealed record Snapshot(
        IReadOnlyList<(string Command, long Count)> Commands,
        long Connections,
        long Producers,
        long Workers,
        long Waiting,
        long TotalConnections);
}
