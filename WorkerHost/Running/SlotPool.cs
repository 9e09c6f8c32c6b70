namespace OrleansQueue.Worker.Running;

/// <summary>
/// The worker's job slots. A lease loop reserves slots before it asks for jobs and gives back those the lease
/// did not fill; each attempt gives its slot back when it ends. Waiting for a slot is an await on the semaphore,
/// never a poll.
/// </summary>
internal sealed class SlotPool(int capacity) : IDisposable
{
    private readonly SemaphoreSlim _free = new(capacity, capacity);
    private int _waiting;

    public int Capacity { get; } = capacity;

    public int Free => _free.CurrentCount;

    /// <summary>How many callers are waiting for a slot right now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Waits until a slot is free, then takes as many free slots as there are, up to <paramref name="max"/>.</summary>
    public async Task<int> ReserveAsync(int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        if (!_free.Wait(0, CancellationToken.None))
        {
            Interlocked.Increment(ref _waiting);
            try
            {
                await _free.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
        }

        var taken = 1;
        while (taken < max && _free.Wait(0, CancellationToken.None))
        {
            taken++;
        }

        return taken;
    }

    public void Release(int count)
    {
        if (count > 0)
        {
            _free.Release(count);
        }
    }

    public void Dispose() => _free.Dispose();
}
