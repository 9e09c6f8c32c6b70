namespace OrleansQueue.Hosting;

/// <summary>Events counted over the current <c>window</c> and the one before it: how many happened lately (over the
/// last one to two windows). Not thread-safe: its owner locks.</summary>
public sealed class RecentCount(TimeProvider time, TimeSpan window)
{
    private long _windowStart = time.GetTimestamp();
    private int _current;
    private int _previous;

    /// <summary>The events of the current window and the one before it.</summary>
    public int Recent
    {
        get
        {
            Roll();
            return _current + _previous;
        }
    }

    public void Add(int count)
    {
        Roll();
        _current += count;
    }

    private void Roll()
    {
        var now = time.GetTimestamp();
        var elapsed = time.GetElapsedTime(_windowStart, now);
        if (elapsed < window)
        {
            return;
        }

        _previous = elapsed < window * 2 ? _current : 0;
        _current = 0;
        _windowStart = now;
    }
}
