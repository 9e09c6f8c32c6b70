using System.Collections.Immutable;
using OrleansQueue.Scheduling;

namespace OrleansQueue.Diagnostics;

/// <summary>A latency histogram over a sliding window, kept as a ring of per-slot histograms: memory is
/// <c>slots × 240</c> counters however many samples arrive; old slots are cleared as the window moves.</summary>
public sealed class SlidingHistogram(TimeSpan window, int slots = 10)
{
    private readonly long[][] _slots = Enumerable.Range(0, slots).Select(_ => new long[LatencyHistogram.BucketCount]).ToArray();
    private readonly long[] _slotIndex = Enumerable.Repeat(long.MinValue, slots).ToArray();
    private readonly long _slotTicks = window.Ticks / slots;

    public TimeSpan Window => window;

    public void Record(TimeSpan value, DateTimeOffset now) => Slot(now)[LatencyHistogram.BucketOf(value)]++;

    public LatencyHistogram Snapshot(DateTimeOffset now)
    {
        var current = now.UtcTicks / _slotTicks;
        var sum = new long[LatencyHistogram.BucketCount];
        for (var s = 0; s < _slots.Length; s++)
        {
            if (current - _slotIndex[s] < _slots.Length)
            {
                for (var b = 0; b < sum.Length; b++)
                {
                    sum[b] += _slots[s][b];
                }
            }
        }

        return new LatencyHistogram(ImmutableArray.Create(sum));
    }

    private long[] Slot(DateTimeOffset now)
    {
        var index = now.UtcTicks / _slotTicks;
        var s = (int)(index % _slots.Length);
        if (_slotIndex[s] != index)
        {
            Array.Clear(_slots[s]);
            _slotIndex[s] = index;
        }

        return _slots[s];
    }
}
