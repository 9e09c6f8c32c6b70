namespace OrleansQueue.Scheduling;

/// <summary>
/// Long-poll leases parked on an empty shard, first come first served. A waiter is a
/// <see cref="TaskCompletionSource"/> with <see cref="TaskCreationOptions.RunContinuationsAsynchronously"/>, so waking
/// one never runs its lease inline inside the caller's turn, and a parked lease never blocks the grain.
/// <para>Each waiter names the queues it leases from. A wake is one per job that became leasable and does not say
/// which queue the job is in, so while every waiter names the same queues the oldest are woken, and once they differ
/// all are woken: a woken waiter that finds nothing parks again, and no job is left waiting for a waiter that was
/// never told.</para>
/// </summary>
public sealed class LeaseWaiters(TimeProvider time)
{
    private readonly LinkedList<(TaskCompletionSource Waiter, string Queues)> _waiters = new();

    public int Count => _waiters.Count;

    /// <summary>Parks until <see cref="Wake"/> picks this waiter, the timeout passes or the token fires.</summary>
    /// <returns>True when woken (a job may be ready); false on timeout or cancellation.</returns>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken, IReadOnlyList<string>? queues = null)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var node = _waiters.AddLast((waiter, string.Join('\n', queues ?? QueueNames.DefaultOnly)));
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
        if (count > 0 && count < _waiters.Count && !AllWatchTheSameQueues())
        {
            count = _waiters.Count;
        }

        while (count-- > 0 && _waiters.First is { } first)
        {
            _waiters.RemoveFirst();
            first.Value.Waiter.TrySetResult();
        }
    }

    private bool AllWatchTheSameQueues()
    {
        var queues = _waiters.First!.Value.Queues;
        foreach (var (_, other) in _waiters)
        {
            if (!string.Equals(other, queues, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Wakes every waiter (the shard deactivates); each looks once more and returns.</summary>
    public void WakeAll() => Wake(_waiters.Count);
}
