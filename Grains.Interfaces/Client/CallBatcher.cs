using System.Collections.Immutable;

namespace OrleansQueue.Client;

/// <summary>
/// Calls that carry many items (the gateway's puts into one submit batch; the reports of a worker host or of the
/// gateway into one report batch), sent group-commit style: items that come while every sender is busy wait for the
/// next call, so under load one call carries many, and when idle an item goes at once. Items go in the order they came,
/// each call holds at most <paramref name="maxBatch"/> of them, and each item gets its own result (or the call's
/// exception). At most <paramref name="maxInFlight"/> calls are under way at once; with one (the default), calls, and so
/// the items, arrive in the order the items came.
/// </summary>
public sealed class CallBatcher<TItem, TResult>(Func<ImmutableArray<TItem>, Task<ImmutableArray<TResult>>> send, int maxBatch, int maxInFlight = 1)
{
    private readonly Lock _lock = new();
    private readonly List<(TItem Item, TaskCompletionSource<TResult> Result)> _queued = [];
    private int _senders;

    /// <summary>Sends <paramref name="item"/> in the next batch; its result.</summary>
    public Task<TResult> SendAsync(TItem item)
    {
        Task<TResult> result;
        lock (_lock)
        {
            result = Add(item);
        }

        StartASenderIfIdle();
        return result;
    }

    /// <summary>Sends the items in the next batch, in their order; their results, in order.</summary>
    public Task<TResult[]> SendAllAsync(IEnumerable<TItem> items)
    {
        List<Task<TResult>> results;
        lock (_lock)
        {
            results = [.. items.Select(Add)];
        }

        StartASenderIfIdle();
        return Task.WhenAll(results);
    }

    /// <summary>Queues an item; its result. Under the lock.</summary>
    private Task<TResult> Add(TItem item)
    {
        var result = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queued.Add((item, result));
        return result.Task;
    }

    /// <summary>Starts a sender for what is queued, unless the most calls allowed in flight are under way.</summary>
    private void StartASenderIfIdle()
    {
        lock (_lock)
        {
            if (_senders >= maxInFlight || _queued.Count == 0)
            {
                return;
            }

            _senders++;
        }

        _ = SendQueuedAsync();
    }

    /// <summary>One sender: sends what is queued, batch after batch, until nothing is; never throws (a failed call fails
    /// its items only).</summary>
    private async Task SendQueuedAsync()
    {
        while (true)
        {
            List<(TItem Item, TaskCompletionSource<TResult> Result)> batch;
            lock (_lock)
            {
                if (_queued.Count == 0)
                {
                    _senders--;
                    return;
                }

                batch = _queued[..Math.Min(_queued.Count, maxBatch)];
                _queued.RemoveRange(0, batch.Count);
            }

            try
            {
                var results = await send([.. batch.Select(b => b.Item)]).ConfigureAwait(false);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Result.TrySetResult(results[i]);
                }
            }
            catch (Exception ex)
            {
                batch.ForEach(b => b.Result.TrySetException(ex));
            }
        }
    }
}
