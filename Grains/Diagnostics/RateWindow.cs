namespace OrleansQueue.Diagnostics;

/// <summary>Counts events per second over the last <c>seconds</c> seconds, in a fixed ring of per-second buckets,
/// and reads the rate over any trailing span of whole seconds up to that.</summary>
public sealed class RateWindow(int seconds = 300)
{
    private readonly double[] _counts = new double[seconds];
    private readonly long[] _second = Enumerable.Repeat(long.MinValue, seconds).ToArray();

    public void Add(DateTimeOffset now, double amount = 1)
    {
        var second = now.ToUnixTimeSeconds();
        var slot = (int)(second % _counts.Length);
        if (_second[slot] != second)
        {
            _second[slot] = second;
            _counts[slot] = 0;
        }

        _counts[slot] += amount;
    }

    /// <summary>The total over the last <paramref name="span"/> (the current, partial second included).</summary>
    public double Sum(TimeSpan span, DateTimeOffset now)
    {
        var current = now.ToUnixTimeSeconds();
        var seconds = (long)Math.Clamp(Math.Ceiling(span.TotalSeconds), 1, _counts.Length);
        double sum = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            if (current - _second[i] < seconds && _second[i] <= current)
            {
                sum += _counts[i];
            }
        }

        return sum;
    }

    public double PerSecond(TimeSpan span, DateTimeOffset now) => Sum(span, now) / Math.Max(1, span.TotalSeconds);
}
