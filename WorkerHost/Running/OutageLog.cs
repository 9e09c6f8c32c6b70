namespace OrleansQueue.Worker.Running;

/// <summary>
/// Paces the warnings of calls that fail while the silo cannot be reached: every lease loop and heartbeat fails at
/// once, so without it a worker logs several lines a second for as long as the silo is gone. The first failure of an
/// outage is logged, then at most one per back-off step, each step twice as long as the last (from the failing call's
/// own delay up to <see cref="MaxStep"/>). A success ends the outage.
/// </summary>
internal sealed class OutageLog(TimeProvider time)
{
    /// <summary>The longest quiet time between two warnings of one outage.</summary>
    public static readonly TimeSpan MaxStep = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private TimeSpan _step;
    private DateTimeOffset _quietUntil;
    private bool _failing;

    /// <summary>Records a failed call that will be tried again after <paramref name="delay"/>.</summary>
    /// <returns>Null when it goes unlogged; else how long the log stays quiet after it (the back-off step).</returns>
    public TimeSpan? Failed(TimeSpan delay)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_failing && now < _quietUntil)
            {
                return null;
            }

            _step = !_failing ? delay : TimeSpan.FromTicks(Math.Min(MaxStep.Ticks, Math.Max(delay.Ticks, _step.Ticks * 2)));
            _quietUntil = now + _step;
            _failing = true;
            return _step;
        }
    }

    /// <summary>Records a call that worked.</summary>
    /// <returns>Whether it ends an outage (worth a line saying so).</returns>
    public bool Succeeded()
    {
        lock (_gate)
        {
            var ended = _failing;
            _failing = false;
            _step = TimeSpan.Zero;
            return ended;
        }
    }
}
