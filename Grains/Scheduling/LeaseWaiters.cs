namespace OrleansQueue.Scheduling;

/// <summary>
/// Long-poll leases parked on an empty shard, first come first served. A waiter is a
/// <see cref="TaskCompletionSource"/> with <see cref="TaskCreationOptions.RunContinuationsAsynchronously"/>, so waking
/// one never runs its lease inline inside the caller's turn, and a parked lease never blocks the grain.
/// </summary>
public sealed class LeaseWaiters(TimeProvider time)
{
    private readonly LinkedList<TaskCompletionSource> _waiters = new();

    public int Count => _waiters.Count;

    /// <summary>Parks until <see cref="Wake"/> picks this waiter, the timeout passes or the token fires.</summary>
    /// <returns>True when woken (a job may be ready); false on timeout or cancellation.</returns>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var node = _waiters.AddLast(waiter);
        try
        {
            await waiter.Task.WaitAsync(timeout, time, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            // Woken after the timeout fired but before this ran: the wake was meant for a job that is ready, so it goes
            // to the next waiter instead of being lost with this one.
            if (waiter.Task.IsCompleted)
            {
                Wake(1);
            }

            return false;
        }
        finally
        {
            if (node.List is not null)
            {
                _waiters.Remove(node);
            }
        }
    }

    /// <summary>Wakes up to <paramref name="count"/> waiters, oldest first: one per job that became leasable.</summary>
    public void Wake(int count)
    {
        while (count-- > 0 && _waiters.First is { } first)
        {
            _waiters.RemoveFirst();
            first.Value.TrySetResult();
        }
    }

    /// <summary>Wakes every waiter (the shard deactivates); each looks once more and returns.</summary>
    public void WakeAll() => Wake(_waiters.Count);
}
