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
        var result = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool start;
        lock (_lock)
        {
            _queued.Add((item, result));
            start = StartsASender();
        }

        if (start)
        {
            _ = SendQueuedAsync();
        }

        return result.Task;
    }

    /// <summary>Sends the items in the next batch, in their order; their results, in order.</summary>
    public Task<TResult[]> SendAllAsync(IEnumerable<TItem> items)
    {
        var results = new List<Task<TResult>>();
        bool start;
        lock (_lock)
        {
            foreach (var item in items)
            {
                var result = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                _queued.Add((item, result));
                results.Add(result.Task);
            }

            start = StartsASender();
        }

        if (start)
        {
            _ = SendQueuedAsync();
        }

        return Task.WhenAll(results);
    }

    /// <summary>True when a sender is to start for what is queued (one more is then counted). Under the lock.</summary>
    private bool StartsASender()
    {
        var start = _senders < maxInFlight && _queued.Count > 0;
        _senders += start ? 1 : 0;
        return start;
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
