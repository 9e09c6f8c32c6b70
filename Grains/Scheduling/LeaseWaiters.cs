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
    private readonly LinkedList<(TaskCompletionSource<bool> Waiter, string Queues, WorkerId? Worker)> _waiters = new();

    public int Count => _waiters.Count;

    /// <summary>Parks until <see cref="Wake"/> picks this waiter, the timeout passes, the token fires or
    /// <see cref="End"/> ends the waits of <paramref name="worker"/> on these queues.</summary>
    /// <returns>True when woken (a job may be ready); false on timeout, cancellation or end.</returns>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken, IReadOnlyList<string>? queues = null, WorkerId? worker = null)
    {
        var waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var node = _waiters.AddLast((waiter, Key(queues ?? QueueNames.DefaultOnly), worker));
        try
        {
            return await waiter.Task.WaitAsync(timeout, time, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            // Woken after the timeout fired but before this ran: the wake was meant for a job that is ready, so it goes
            // to the next waiter instead of being lost with this one.
            if (waiter.Task.IsCompleted && waiter.Task.Result)
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

    /// <summary>Ends the waits of <paramref name="worker"/> on exactly <paramref name="queues"/>: they return false,
    /// as on a timeout.</summary>
    public void End(WorkerId worker, IReadOnlyList<string> queues)
    {
        var key = Key(queues);
        for (var node = _waiters.First; node is not null;)
        {
            var next = node.Next;
            if (node.Value.Worker == worker && string.Equals(node.Value.Queues, key, StringComparison.Ordinal))
            {
                _waiters.Remove(node);
                node.Value.Waiter.TrySetResult(false);
            }

            node = next;
        }
    }

    private static string Key(IReadOnlyList<string> queues) => string.Join('\n', queues);

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
            first.Value.Waiter.TrySetResult(true);
        }
    }

    private bool AllWatchTheSameQueues()
    {
        var queues = _waiters.First!.Value.Queues;
        foreach (var (_, other, _) in _waiters)
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
