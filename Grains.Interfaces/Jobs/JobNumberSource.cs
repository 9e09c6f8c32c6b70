namespace OrleansQueue.Jobs;

/// <summary>
/// Job numbers for one process, taken from ranges it reserves from <see cref="IJobNumberGrain"/> (through
/// <paramref name="reserve"/>, which returns the first of <see cref="RangeSize"/> numbers). Safe to call from many
/// threads; a caller waits only when the range runs out, and then all waiting callers share one reservation.
/// </summary>
public sealed class JobNumberSource(Func<int, Task<ulong>> reserve)
{
    /// <summary>Numbers reserved at a time: a silo restarting skips at most this many.</summary>
    public const int RangeSize = 1000;

    private readonly Lock _lock = new();
    private ulong _next;
    private ulong _end;
    private Task<ulong>? _refilling;

    public async Task<ulong> NextAsync()
    {
        while (true)
        {
            Task<ulong> refill;
            lock (_lock)
            {
                if (_next < _end)
                {
                    return _next++;
                }

                refill = _refilling ??= reserve(RangeSize);
            }

            try
            {
                var first = await refill;
                lock (_lock)
                {
                    // Every waiter of this reservation gets here; only the first installs the range.
                    if (ReferenceEquals(_refilling, refill))
                    {
                        _refilling = null;
                        (_next, _end) = (first, first + RangeSize);
                    }
                }
            }
            catch
            {
                lock (_lock)
                {
                    if (ReferenceEquals(_refilling, refill))
                    {
                        _refilling = null;
                    }
                }

                throw;
            }
        }
    }
}
